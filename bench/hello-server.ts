/**
 * The ceiling: a bare Fastify hello-world on 127.0.0.1, run the same way as the
 * API child (same Node, same loader), with a response schema so it serialises
 * through fast-json-stringify as the API does.
 */
import Fastify from 'fastify'

if (!process.send) throw new Error('hello-server runs as a forked child')

const app = Fastify({ logger: false })
app.get('/', { schema: { response: { 200: { type: 'object', properties: { hello: { type: 'string' } } } } } }, async () => ({
  hello: 'world'
}))
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
process.send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 })
// `{ id, cmd: 'cpu' }`: this process's CPU time so far (user + system), in µs, as the API child answers it.
process.on('message', (msg: { id: number; cmd: string }) => {
  const { user, system } = process.cpuUsage()
  if (msg.cmd === 'cpu') process.send!({ id: msg.id, result: user + system })
})
process.on('disconnect', () => void app.close().finally(() => process.exit(0)))
