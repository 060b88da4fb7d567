import { abortReason, UnavailableError } from '../errors.js'

/** What a limit may add: a bound on its waiters, and what a refused task's client is told. */
export interface LimitOptions {
  /** Tasks that may wait; one more is refused at once with a 503. Unbounded by default. */
  maxWaiting?: number
  /** `Retry-After` of that 503, in seconds. */
  retryAfterSeconds?: number
  /** The 503's message. */
  busyMessage?: string
}

interface Waiter {
  resolve: () => void
  signal?: AbortSignal
  onAbort?: () => void
}

/**
 * Runs at most `limit` tasks at once; the others wait, first come first served.
 * A pad-level load holds a whole survey's Query result and, for cameras, a
 * ~190 KB shots.geojson with its parsed and joined copies, a few MB in all: a
 * burst of loads for distinct pads (a cold cache after a deploy) would otherwise
 * hold them all at once. Renders (tiles, previews, overview builds) bound their
 * waiters too, so one client's burst of distinct cold renders is refused with a
 * 503 instead of piling up. A waiter whose signal aborts (its request timed out)
 * leaves the queue. Cache hits never wait.
 */
export class ConcurrencyLimit {
  private running = 0
  private readonly waiting: Waiter[] = []
  private readonly maxWaiting: number
  private readonly retryAfterSeconds: number
  private readonly busyMessage: string

  constructor(
    readonly limit: number,
    options: LimitOptions = {}
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
    this.maxWaiting = options.maxWaiting ?? Infinity
    if (!(Number.isInteger(this.maxWaiting) || this.maxWaiting === Infinity) || this.maxWaiting < 0) {
      throw new RangeError('maxWaiting must be a non-negative integer')
    }
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1
    this.busyMessage = options.busyMessage ?? 'the server is busy; retry later'
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted()
    if (this.running < this.limit) {
      this.running++
    } else {
      if (this.waiting.length >= this.maxWaiting) throw new UnavailableError(this.busyMessage, this.retryAfterSeconds)
      // The slot is handed over by the task that finishes, so `running` stays put.
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, signal }
        if (signal) {
          waiter.onAbort = () => {
            this.waiting.splice(this.waiting.indexOf(waiter), 1)
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
