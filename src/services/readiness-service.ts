import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import { tally } from '../aws/call-counter.js'
import { classifyAwsError } from '../aws/errors.js'
import type { CallContext } from './context.js'

export interface DependencyCheck {
  status: 'up' | 'down'
  /** A classification only: AWS error text stays in the log. */
  reason?: 'unreachable' | 'throttled' | 'timeout' | 'error'
}

export interface Readiness {
  status: 'ready' | 'unavailable'
  checks: { dynamodb: DependencyCheck; s3: DependencyCheck }
}

const REASONS = { throttled: 'throttled', unavailable: 'unreachable', timeout: 'timeout', error: 'error' } as const

/**
 * Whether the data stores answer. Results are cached briefly so that a burst
 * of probes (one per ALB node) costs one round of AWS calls.
 */
export class ReadinessService {
  private cached?: { at: number; value: Promise<Readiness> }

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly s3: S3Client,
    private readonly tables: readonly string[],
    private readonly bucket: string,
    private readonly cacheMs: number,
    private readonly now: () => number = Date.now
  ) {}

  /** A probe answered from the cache records no AWS calls in its context. */
  check(ctx: CallContext): Promise<Readiness> {
    const t = this.now()
    if (this.cached && t - this.cached.at < this.cacheMs) return this.cached.value
    const value = this.probe(ctx)
    this.cached = { at: t, value }
    return value
  }

  private async probe(ctx: CallContext): Promise<Readiness> {
    const [dynamodb, s3] = await Promise.all([
      this.run(ctx, 'dynamodb', () =>
        Promise.all(this.tables.map((TableName) => this.dynamodb.send(tally(new DescribeTableCommand({ TableName }), 'DynamoDB', ctx.calls))))
      ),
      this.run(ctx, 's3', () => this.s3.send(tally(new HeadBucketCommand({ Bucket: this.bucket }), 'S3', ctx.calls)))
    ])
    return { status: dynamodb.status === 'up' && s3.status === 'up' ? 'ready' : 'unavailable', checks: { dynamodb, s3 } }
  }

  private async run(ctx: CallContext, name: string, call: () => Promise<unknown>): Promise<DependencyCheck> {
    try {
      await call()
      return { status: 'up' }
    } catch (err) {
      ctx.log.warn({ dependency: name, err }, 'readiness check failed')
      const fault = classifyAwsError(err)
      const reason = REASONS[fault?.kind ?? 'error']
      return { status: 'down', reason }
    }
  }
}
