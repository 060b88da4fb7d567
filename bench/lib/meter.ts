import type { MiddlewareStack } from '@smithy/types'

/**
 * What the app's AWS calls read, by operation: DynamoDB items examined
 * (`ScannedCount` of a Query/Scan, 1 for a GetItem that found its item) and
 * returned (`Count`), S3 keys listed (`KeyCount`) and object bytes fetched.
 * Installed by the benchmark on the app's own clients, outside the app, at the
 * `initialize` step: once per command, after retries, with the final output.
 */
export interface OperationUsage {
  commands: number
  itemsRead: number
  itemsReturned: number
  keysListed: number
  bytes: number
}

export type Usage = Record<string, OperationUsage>

export class ItemMeter {
  private usage: Usage = {}

  install(stack: MiddlewareStack<any, any>, service: string): void {
    stack.add(
      (next, context) => async (args) => {
        const result = await next(args)
        const op = `${service}.${String(context.commandName ?? 'unknown').replace(/Command$/, '')}`
        const u = (this.usage[op] ??= { commands: 0, itemsRead: 0, itemsReturned: 0, keysListed: 0, bytes: 0 })
        const out = (result as { output?: Record<string, unknown> }).output ?? {}
        u.commands++
        if (typeof out.ScannedCount === 'number') u.itemsRead += out.ScannedCount
        if (typeof out.Count === 'number') u.itemsReturned += out.Count
        if ('Item' in out || op.endsWith('.GetItem')) {
          const found = out.Item ? 1 : 0
          u.itemsRead += found
          u.itemsReturned += found
        }
        if (typeof out.KeyCount === 'number') u.keysListed += out.KeyCount
        if (typeof out.ContentLength === 'number') u.bytes += out.ContentLength
        return result
      },
      { step: 'initialize', name: 'benchItemMeter', priority: 'high' }
    )
  }

  snapshot(): Usage {
    return JSON.parse(JSON.stringify(this.usage)) as Usage
  }

  reset(): void {
    this.usage = {}
  }
}
