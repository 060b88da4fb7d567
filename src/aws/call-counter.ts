import { AsyncLocalStorage } from 'node:async_hooks'
import type { MiddlewareStack } from '@smithy/types'

/** The AWS calls made on behalf of one HTTP request, for its log line. */
export type RequestCalls = Record<string, number>

const requestScope = new AsyncLocalStorage<RequestCalls>()

/** Runs `fn` with a fresh per-request tally that `countCalls` fills in. */
export function withRequestCalls<T>(calls: RequestCalls, fn: () => T): T {
  return requestScope.run(calls, fn)
}

export type CallObserver = (service: string, operation: string) => void

/**
 * Counts AWS round trips by service and operation. The middleware sits at the
 * `deserialize` step, after retries and signing: each retry attempt counts,
 * and presigning (which never sends anything) does not.
 */
export class AwsCallCounter {
  private readonly counts = new Map<string, number>()
  private readonly observers: CallObserver[] = []

  record(service: string, operation: string): void {
    const key = `${service}.${operation}`
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    const scoped = requestScope.getStore()
    if (scoped) scoped[key] = (scoped[key] ?? 0) + 1
    for (const observe of this.observers) observe(service, operation)
  }

  onCall(observer: CallObserver): void {
    this.observers.push(observer)
  }

  /** Counts as `{ "DynamoDB.Query": 2, "S3.GetObject": 1 }`, keys sorted. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
  }

  total(): number {
    let n = 0
    for (const v of this.counts.values()) n += v
    return n
  }

  reset(): void {
    this.counts.clear()
  }
}

export function countCalls(stack: MiddlewareStack<any, any>, service: string, counter: AwsCallCounter): void {
  stack.add(
    (next, context) => async (args) => {
      counter.record(service, String(context.commandName ?? 'unknown').replace(/Command$/, ''))
      return next(args)
    },
    { step: 'deserialize', name: 'awsCallCounter', priority: 'low' }
  )
}
