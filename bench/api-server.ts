/**
 * A child process of the benchmark: the app exactly as `buildApp` makes it, with
 * the configuration from the environment the parent passes (DATA_SOURCE=aws at the
 * store child's emulators), listening on 127.0.0.1.
 *
 * IPC requests `{ id, cmd }`, answered `{ id, result }`:
 * - `reset`: zero the AWS call counter and the item meter
 * - `usage`: `{ calls, items }` since the last reset
 * - `clear`: empty the in-process caches (a cold start without a restart)
 * - `memory`: `process.memoryUsage()`
 * - `gc`: a full collection first (when run with --expose-gc), then `process.memoryUsage()`
 * - `cpu`: this process's CPU time so far (user + system, all threads), in µs
 * - `idle`: resolves once no request is in flight (autocannon leaves some behind when a cell ends)
 */
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { ItemMeter } from './lib/meter.js'

if (!process.send) throw new Error('api-server runs as a forked child')

const config = loadConfig(process.env)
const app = await buildApp({ config })
const meter = new ItemMeter()
meter.install(app.aws.dynamodb.middlewareStack, 'DynamoDB')
meter.install(app.aws.s3.middlewareStack, 'S3')
let inflight = 0
app.server.on('request', (_req, res) => {
  inflight++
  res.once('close', () => inflight--)
})
await app.listen({ host: '127.0.0.1', port: 0 })

async function idle(): Promise<void> {
  const deadline = Date.now() + 60_000
  while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : 0

type Services = { caches?: { clear(): void } }

async function handle(msg: { id: number; cmd: string }): Promise<void> {
  let result: unknown
  switch (msg.cmd) {
    case 'idle':
      await idle()
      break
    case 'reset':
      app.aws.calls.reset()
      meter.reset()
      break
    case 'usage':
      result = { calls: app.aws.calls.snapshot(), items: meter.snapshot() }
      break
    case 'clear':
      ;(app.services as unknown as Services).caches?.clear()
      break
    case 'memory':
      result = process.memoryUsage()
      break
    case 'gc':
      ;(globalThis as { gc?: () => void }).gc?.()
      result = process.memoryUsage()
      break
    case 'cpu': {
      const { user, system } = process.cpuUsage()
      result = user + system
      break
    }
  }
  process.send!({ id: msg.id, result })
}
process.on('message', (msg: { id: number; cmd: string }) => void handle(msg))
process.on('disconnect', () => void app.close().finally(() => process.exit(0)))
process.send({ type: 'ready', port })
