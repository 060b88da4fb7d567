/**
 * Work in progress per client, in units of cost: a client may start a task while
 * its tasks in progress plus the new one stay within `limit`, and always when it has
 * none in progress (so one task larger than the limit is never refused). One
 * client's burst then waits for its own work instead of filling a shared queue.
 */
export class ClientBudget {
  private readonly inProgress = new Map<string, number>()

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer')
  }

  /** The client's cost in progress now. */
  used(client: string): number {
    return this.inProgress.get(client) ?? 0
  }

  /** A release function when the task may start, else undefined. */
  tryAcquire(client: string, cost: number): (() => void) | undefined {
    const used = this.used(client)
    if (used > 0 && used + cost > this.limit) return undefined
    this.inProgress.set(client, used + cost)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = this.used(client) - cost
      // Only clients with work in progress are kept.
      if (left > 0) this.inProgress.set(client, left)
      else this.inProgress.delete(client)
    }
  }
}
