import { StandardRetryStrategy } from '@smithy/core/retry'
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types'

/**
 * The SDK's standard retries (exponential backoff with jitter, AWS_MAX_ATTEMPTS
 * in all) with a retry quota that refills as soon as the dependency answers.
 *
 * The standard quota (500 tokens, 5 to 14 per retry) stops a retry storm in an
 * outage, but it earns back only one token per success, so after a burst of
 * failures the calls that follow the recovery get no retries for hundreds of
 * requests. Here the first success after a spent quota starts a fresh one:
 * during an outage retries are still capped by the quota, and once AWS answers
 * again each call gets its full set of attempts back.
 */
export class RefillingRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard'
  private inner: StandardRetryStrategy
  private readonly full: number

  constructor(private readonly maxAttempts: number) {
    this.inner = new StandardRetryStrategy(maxAttempts)
    this.full = this.inner.getCapacity()
  }

  /** Retry tokens left in the current quota. */
  get capacity(): number {
    return this.inner.getCapacity()
  }

  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.inner.acquireInitialRetryToken(scope)
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<StandardRetryToken> {
    return this.inner.refreshRetryTokenForRetry(token, errorInfo)
  }

  recordSuccess(token: StandardRetryToken): void {
    this.inner.recordSuccess(token)
    if (this.inner.getCapacity() < this.full) this.inner = new StandardRetryStrategy(this.maxAttempts)
  }
}
