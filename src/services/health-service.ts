import { classifyAwsError } from '../aws/errors.js'
import type { DependencyCheck, Readiness } from '../../schemas/health.js'
import type { CallContext } from '../call-context.js'
import type { StoreProbes } from '../data/store-probes.js'

/**
 * Whether the data stores answer. Results are cached briefly so that a burst
 * of probes (one per ALB node) costs one round of AWS calls.
 */
export class HealthService {
  private cached?: { at: number; value: Promise<Readiness> }

  constructor(
    private readonly probes: StoreProbes,
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
      this.run(ctx, 'dynamodb', () => this.probes.describeTables(ctx)),
      this.run(ctx, 's3', () => this.probes.headBucket(ctx))
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
      const reason = fault?.status === 504 ? 'timeout' : fault?.status === 503 ? 'unreachable' : 'error'
      return { status: 'down', reason }
    }
  }
}
