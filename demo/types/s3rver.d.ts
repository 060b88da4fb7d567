// Minimal typings for s3rver@3 (CommonJS, ships no types): only what demo/embedded/emulators.ts uses.
declare module 's3rver' {
  import type { AddressInfo } from 'node:net'

  interface S3rverBucketConfig {
    name: string
    /** CORS and/or website configuration documents (XML). */
    configs?: Array<string | Buffer>
  }

  interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory?: string
    resetOnClose?: boolean
    allowMismatchedSignatures?: boolean
    vhostBuckets?: boolean
    serviceEndpoint?: string
    configureBuckets?: S3rverBucketConfig[]
  }

  /** The filesystem store behind the server (internal API of s3rver 3.x). */
  interface S3rverFilesystemStore {
    rootDirectory: string
    /** Path of a key's data (`resource` = 'object') or metadata ('metadata.json') file. */
    getResourcePath(bucket: string, key?: string, resource?: string): string
    /** Writes `<key>._S3rver_metadata.json` (content-type etc.) and, given an md5, `<key>._S3rver_object.md5`. */
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>
  }

  class S3rver {
    store: S3rverFilesystemStore
    constructor(options?: S3rverOptions)
    /** Creates the configured buckets, then listens; resolves with the bound address. */
    run(): Promise<AddressInfo>
    /** Creates the buckets given in `configureBuckets` (and applies their configs). */
    configureBuckets(): Promise<void>
    /** The Koa request handler, to mount on an HTTP server of one's own. */
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void
    /** Stops the HTTP server started by run() (rejects with "Not running" otherwise). */
    close(): Promise<void>
    httpServer?: import('node:http').Server
    /** The winston logger (silenced by `silent: true`). */
    logger: { close(): void; exceptions: { unhandle(): void } }
  }

  export = S3rver
}
