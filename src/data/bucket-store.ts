import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { tally } from '../aws/call-counter.js'
import { isMissingObject } from '../aws/s3-errors.js'
import type { SignerFor } from '../aws/signers.js'
import type { CallContext } from '../call-context.js'
import type { PresignedUrl } from '../../schemas/common.js'
import { collectPages } from './paginate.js'

/** The bucket: OpenDroneMap outputs, camera JPEGs and colour-mapped thermals. */
export class BucketStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly expiresSeconds: number,
    private readonly now: () => number = Date.now,
    private readonly signerFor?: SignerFor
  ) {}

  /** Parsed JSON of an object, or undefined when the key does not exist. */
  async getJson(ctx: CallContext, key: string): Promise<unknown> {
    try {
      const out = await this.s3.send(tally(new GetObjectCommand({ Bucket: this.bucket, Key: key }), 'S3', ctx.calls))
      const text = await out.Body!.transformToString('utf-8')
      return JSON.parse(text) as unknown
    } catch (err) {
      if (isMissingObject(err)) return undefined
      throw err
    }
  }

  /** Whether an object exists: one HeadObject. */
  async exists(ctx: CallContext, key: string): Promise<boolean> {
    try {
      await this.s3.send(tally(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), 'S3', ctx.calls))
      return true
    } catch (err) {
      if (isMissingObject(err)) return false
      throw err
    }
  }

  /** Every key under a prefix, following continuation tokens; no Delimiter, so no reliance on grouping. */
  async listKeys(ctx: CallContext, prefix: string, pageSize?: number): Promise<string[]> {
    const objects = await collectPages(
      (token) =>
        this.s3.send(
          tally(
            new ListObjectsV2Command({
              Bucket: this.bucket,
              Prefix: prefix,
              ContinuationToken: token as string | undefined,
              MaxKeys: pageSize
            }),
            'S3',
            ctx.calls
          )
        ),
      (page) => page.Contents,
      (page) => (page.IsTruncated ? page.NextContinuationToken : undefined)
    )
    return objects.flatMap((o) => (o.Key ? [o.Key] : []))
  }

  /** Whether a URL depends on the host the client reached this server by (see SignerFor). */
  get signsPerHost(): boolean {
    return this.signerFor !== undefined
  }

  /** Signing is local: no round trip to S3, and no existence check (as in the PRD). */
  /** `host`: the one the client reached this server by, where the URL must point when signsPerHost. */
  async presign(key: string, host?: string): Promise<PresignedUrl> {
    const issuedAt = this.now()
    const url = await getSignedUrl(this.signerFor?.(host) ?? this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: this.expiresSeconds,
      signingDate: new Date(issuedAt)
    })
    return { url, expires_at: new Date(issuedAt + this.expiresSeconds * 1000).toISOString() }
  }
}
