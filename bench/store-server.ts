/**
 * A child process of the benchmark: the embedded emulators (dynalite + s3rver) over
 * a persistent directory (or in memory with `BENCH_STORE_DIR=memory`), on loopback.
 * Keeping them out of the API process means the API's RSS and CPU are its own, and
 * seeding gets a core of its own.
 *
 * IPC: sends `{ type: 'ready', s3Endpoint, dynamodbEndpoint, credentials }`, then
 * answers `{ id, cmd: 'writeObjects', objects }` with `{ id }` once they are stored.
 */
import { startEmbedded, type EmbeddedObject } from '../demo/embedded/emulators.js'

const dir = process.env.BENCH_STORE_DIR
const bucket = process.env.BENCH_BUCKET
if (!dir || !bucket || !process.send) throw new Error('store-server runs as a forked child with BENCH_STORE_DIR and BENCH_BUCKET')

const store = await startEmbedded({ dataDir: dir === 'memory' ? undefined : dir, bucket })

process.on('message', (msg: { id: number; cmd: string; objects?: EmbeddedObject[] }) => {
  if (msg.cmd === 'writeObjects') {
    store.writeObjects(msg.objects ?? []).then(
      () => process.send!({ id: msg.id }),
      (err: unknown) => process.send!({ id: msg.id, result: { error: String(err) } })
    )
  }
})
process.on('disconnect', () => void store.close().finally(() => process.exit(0)))
process.send({ type: 'ready', s3Endpoint: store.s3Endpoint, dynamodbEndpoint: store.dynamodbEndpoint, credentials: store.credentials })
