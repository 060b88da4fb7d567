/** The longest a retry waits, whatever Retry-After says: a person is looking at a spinner. */
export const MAX_RETRY_DELAY_MS = 30_000

/**
 * How long to wait before retrying a 503, from its Retry-After (seconds, or an
 * HTTP date); one second when it has none or an unreadable one.
 */
export function retryDelayMs(retryAfter: string | null, now: number = Date.now()): number {
  if (retryAfter === null || retryAfter.trim() === '') return 1000
  const value = retryAfter.trim()
  if (/^\d+$/.test(value)) return Math.min(MAX_RETRY_DELAY_MS, Number(value) * 1000)
  const at = Date.parse(value)
  if (Number.isNaN(at)) return 1000
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(0, at - now))
}
