/**
 * The fixture process of a tap run: one read-only demo store for every test file
 * (test/helpers/demo-store.ts). Started detached by test/setup/before.ts, which
 * passes the tap runner's pid; it tells its starter where the store is over IPC and
 * writes the same to the run's state file. It stops on SIGTERM (test/setup/after.ts)
 * and, since an interrupted run never calls `after`, as soon as the runner is gone.
 */
import { rmSync, renameSync, writeFileSync } from 'node:fs'
import { sharedStoreFiles, startReadOnlyDemoStore, type SharedStoreState } from '../helpers/demo-store.js'
import { isAlive } from '../helpers/processes.js'

const runner = Number(process.argv[2])
if (!Number.isInteger(runner) || runner <= 0) throw new Error('usage: shared-store.ts <tap runner pid>')
const files = sharedStoreFiles(runner)

const store = await startReadOnlyDemoStore()
let stopping = false
const stop = async (why: string) => {
  if (stopping) return
  stopping = true
  console.log(`# shared demo store stopping: ${why}`)
  rmSync(files.state, { force: true })
  rmSync(files.log, { force: true })
  const forced = setTimeout(() => process.exit(0), 5000)
  forced.unref()
  await store.close().catch((err: unknown) => console.error(err))
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))

setInterval(() => {
  if (!isAlive(runner)) void stop(`tap runner ${runner} is gone`)
}, 1000)

const state: SharedStoreState = {
  pid: process.pid,
  s3Endpoint: store.s3Endpoint,
  dynamodbEndpoint: store.dynamodbEndpoint,
  credentials: store.credentials
}
// Complete under a private name, then renamed into place: a reader never sees half a file.
writeFileSync(`${files.state}.${process.pid}`, JSON.stringify(state))
renameSync(`${files.state}.${process.pid}`, files.state)
process.send?.({ ready: state })
console.log(`# shared demo store ready: ${JSON.stringify(state)}`)
