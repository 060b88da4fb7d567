import type { MiddlewareStack } from '@smithy/types'

/** The AWS calls made on behalf of one HTTP request, for its log line: `{ "DynamoDB.Query": 1 }`. */
export type RequestCalls = Record<string, number>

const operationOf = (context: { commandName?: string }) => String(context.commandName ?? 'unknown').replace(/Command$/, '')

/**
 * Counts every attempt of this one command into `calls`, the tally of the request
 * it serves. A middleware of the command rather than of the client, so the tally
 * travels with the call: AsyncLocalStorage would find it without being passed,
 * but its promise hooks tax every request, cache hits included (docs/decisions/0019-call-tally-per-command.md).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every SDK command's stack, whatever its input and output types
export function tally<C extends { middlewareStack: MiddlewareStack<any, any> }>(command: C, service: string, calls: RequestCalls): C {
  command.middlewareStack.add(
    (next, context) => async (args) => {
      const key = `${service}.${operationOf(context)}`
      calls[key] = (calls[key] ?? 0) + 1
      return next(args)
    },
    // Named, with override: a lib-dynamodb command shares its stack with the client
    // command it wraps and both concatenate it, so an unnamed middleware would run twice.
    { step: 'deserialize', priority: 'low', name: 'requestCallTally', override: true }
  )
  return command
}

type CallObserver = (service: string, operation: string) => void

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a client's stack, whatever its commands
export function countCalls(stack: MiddlewareStack<any, any>, service: string, counter: AwsCallCounter): void {
  stack.add(
    (next, context) => async (args) => {
      counter.record(service, operationOf(context))
      return next(args)
    },
    { step: 'deserialize', name: 'awsCallCounter', priority: 'low' }
  )
}
