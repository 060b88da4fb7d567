import { abortReason } from '../errors.js'

/**
 * Work that several requests wait for (one tile drawn for every client that asked
 * for it) and that stops when none of them wants it any more: each caller brings
 * its own signal, the work gets one of its own, aborted once every caller's signal
 * has aborted. A caller whose signal aborts stops waiting at once; the others keep
 * waiting for the work, which goes on.
 */
export class SharedWork {
  private readonly entries = new Map<string, { controller: AbortController; waiters: number }>()

  /** How many distinct pieces of work have callers now. */
  get size(): number {
    return this.entries.size
  }

  /**
   * The result of `start(shared)`, where `shared` aborts when every caller of `id`
   * has given up. `start` is called by every caller (it is expected to share one
   * load by itself, e.g. through a single-flight cache), so it must not assume it runs once.
   */
  async run<T>(id: string, signal: AbortSignal | undefined, start: (shared: AbortSignal) => Promise<T>): Promise<T> {
    signal?.throwIfAborted()
    let entry = this.entries.get(id)
    if (entry === undefined || entry.controller.signal.aborted) {
      entry = { controller: new AbortController(), waiters: 0 }
      this.entries.set(id, entry)
    }
    const mine = entry
    mine.waiters++
    let left = false
    const leave = (aborted: boolean) => {
      if (left) return
      left = true
      mine.waiters--
      if (mine.waiters > 0) return
      if (this.entries.get(id) === mine) this.entries.delete(id)
      if (aborted) mine.controller.abort(signal ? abortReason(signal) : undefined)
    }
    const work = start(mine.controller.signal)
    if (signal === undefined) {
      try {
        return await work
      } finally {
        leave(false)
      }
    }
    let onAbort: (() => void) | undefined
    const gaveUp = new Promise<never>((_, reject) => {
      onAbort = () => {
        leave(true)
        reject(abortReason(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
    })
    // The work may still fail after this caller left; that is the remaining callers' to see.
    work.catch(() => undefined)
    try {
      return await Promise.race([work, gaveUp])
    } finally {
      signal.removeEventListener('abort', onAbort!)
      leave(false)
    }
  }
}
