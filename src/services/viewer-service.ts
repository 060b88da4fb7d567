import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { BucketStore } from '../data/bucket-store.js'
import { contentType, injectConfig, isAssetName, viewerCsp, type ViewerPageConfig } from '../domain/viewer-page.js'

/** One file of the build, with its compressed forms made once. */
export interface ViewerFile {
  body: Buffer
  type: string
  etag: string
  gzip: Buffer
  br: Buffer
}

/** Distinct request hosts whose presigned origin is kept (a handful in practice). */
const MAX_HOSTS = 16

const gzip = promisify(zlib.gzip)
const brotliCompress = promisify(zlib.brotliCompress)

// In the thread pool: brotli at quality 11 takes ~2 s on the 1 MB script, which on the event loop would hold every
// other request of the first visitor after a start.
async function viewerFile(body: Buffer, type: string): Promise<ViewerFile> {
  const [gz, br] = await Promise.all([
    gzip(body, { level: 9 }),
    brotliCompress(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length }
    })
  ])
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, gzip: gz, br }
}

/**
 * The built web viewer (`npm run build` → dist-viewer/): each file read and compressed
 * on its first request and kept, since a build's files never change under a running
 * server. A missing build answers undefined (the route says why), never throws.
 */
export class ViewerService {
  private readonly files = new Map<string, Promise<ViewerFile | undefined>>()
  private readonly origins = new Map<string, Promise<string>>()

  constructor(
    private readonly dir: string,
    private readonly page: ViewerPageConfig,
    private readonly store: BucketStore
  ) {}

  /** index.html with this server's settings written in. */
  index(): Promise<ViewerFile | undefined> {
    return this.load('index.html', async () => {
      const html = await readOptional(join(this.dir, 'index.html'))
      return html && Buffer.from(injectConfig(html.toString('utf8'), this.page))
    })
  }

  /** A file of assets/, by a name that passes the allow-list; undefined when there is none. */
  asset(name: string): Promise<ViewerFile | undefined> {
    if (!isAssetName(name)) return Promise.resolve(undefined)
    return this.load(`assets/${name}`, () => readOptional(join(this.dir, 'assets', name)))
  }

  /** The page's Content-Security-Policy for a client on `host`: images from where its presigned URLs point. */
  async csp(host: string | undefined): Promise<string> {
    return viewerCsp({ presignedOrigin: await this.presignedOrigin(host), basemap: this.page.basemapStyleUrl !== null })
  }

  /** Where presigned URLs for a client on `host` point. */
  private presignedOrigin(host: string | undefined): Promise<string> {
    const key = host ?? ''
    let origin = this.origins.get(key)
    if (!origin) {
      if (this.origins.size >= MAX_HOSTS) this.origins.delete(this.origins.keys().next().value!)
      // Signing is local; the key is never fetched.
      origin = this.store.presign('viewer/csp-origin', host).then(({ url }) => new URL(url).origin)
      this.origins.set(key, origin)
    }
    return origin
  }

  private load(path: string, read: () => Promise<Buffer | undefined>): Promise<ViewerFile | undefined> {
    let file = this.files.get(path)
    if (!file) {
      file = read().then((body) => (body ? viewerFile(body, contentType(path)) : undefined))
      // A file that is not there yet (a build under way) is looked for again on the next request.
      void file.then(
        (found) => found ?? this.files.delete(path),
        () => this.files.delete(path)
      )
      this.files.set(path, file)
    }
    return file
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
