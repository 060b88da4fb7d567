/**
 * Runs at most `limit` tasks at once; the others wait, first come first served.
 * A pad-level load holds a whole survey's Query result and, for cameras, a
 * ~190 KB shots.geojson with its parsed and joined copies, a few MB in all: a
 * burst of loads for distinct pads (a cold cache after a deploy) would otherwise
 * hold them all at once. Cache hits never wait.
 */
export class ConcurrencyLimit {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running++
    // The slot is handed over by the task that finishes, so `running` stays put.
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await task()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}
