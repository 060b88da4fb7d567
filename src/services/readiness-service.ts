import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import { classifyAwsError } from '../aws/errors.js'
import type { Logger } from './logger.js'

export interface DependencyCheck {
  status: 'up' | 'down'
  /** A classification only: AWS error text stays in the log. */
  reason?: 'unreachable' | 'timeout' | 'error'
}

export interface Readiness {
  status: 'ready' | 'unavailable'
  checks: { dynamodb: DependencyCheck; s3: DependencyCheck }
}

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
    private readonly log: Logger,
    private readonly now: () => number = Date.now
  ) {}

  check(): Promise<Readiness> {
    const t = this.now()
    if (this.cached && t - this.cached.at < this.cacheMs) return this.cached.value
    const value = this.probe()
    this.cached = { at: t, value }
    return value
  }

  private async probe(): Promise<Readiness> {
    const [dynamodb, s3] = await Promise.all([
      this.run('dynamodb', () => Promise.all(this.tables.map((TableName) => this.dynamodb.send(new DescribeTableCommand({ TableName }))))),
      this.run('s3', () => this.s3.send(new HeadBucketCommand({ Bucket: this.bucket })))
    ])
    return { status: dynamodb.status === 'up' && s3.status === 'up' ? 'ready' : 'unavailable', checks: { dynamodb, s3 } }
  }

  private async run(name: string, call: () => Promise<unknown>): Promise<DependencyCheck> {
    try {
      await call()
      return { status: 'up' }
    } catch (err) {
      this.log.warn({ dependency: name, err }, 'readiness check failed')
      const fault = classifyAwsError(err)
      const reason = fault?.status === 504 ? 'timeout' : fault?.status === 503 ? 'unreachable' : 'error'
      return { status: 'down', reason }
    }
  }
}
