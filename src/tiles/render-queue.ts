import { abortReason, UnavailableError } from '../errors.js'

/**
 * The one budget of rendering work (tiles, previews, overview builds): at most
 * `limit` run at once, at most `maxQueued` wait, first come first served, and
 * anything beyond is refused at once with a 503 and `Retry-After`, so one client's
 * burst of distinct renders cannot pile up memory or CPU for everyone else. A
 * waiter whose request gave up (its signal aborted) leaves the queue.
 * Cache hits never come here.
 */
export class RenderQueue {
  private running = 0
  private readonly waiting: Array<{ resolve: () => void; reject: (err: unknown) => void; signal?: AbortSignal; onAbort?: () => void }> = []

  constructor(
    readonly limit: number,
    readonly maxQueued: number,
    /** What a refused render's client is told to wait (seconds). */
    readonly retryAfterSeconds = 1
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
    if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError('maxQueued must be a non-negative integer')
  }

  /** Renders running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }

  async run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted()
    if (this.running < this.limit) {
      this.running++
    } else {
      if (this.waiting.length >= this.maxQueued) {
        throw new UnavailableError('the server is busy rendering; retry later', this.retryAfterSeconds)
      }
      // The slot is handed over by the task that finishes, so `running` stays put.
      await new Promise<void>((resolve, reject) => {
        const waiter: (typeof this.waiting)[number] = { resolve, reject, signal }
        if (signal) {
          waiter.onAbort = () => {
            const i = this.waiting.indexOf(waiter)
            if (i >= 0) this.waiting.splice(i, 1)
            reject(abortReason(signal))
          }
          signal.addEventListener('abort', waiter.onAbort, { once: true })
        }
        this.waiting.push(waiter)
      })
    }
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) {
        if (next.onAbort) next.signal!.removeEventListener('abort', next.onAbort)
        next.resolve()
      } else {
        this.running--
      }
    }
  }
}
