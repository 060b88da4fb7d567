import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seededEmulators, type Emulators } from './emulators.js'
import { startFaultProxy } from './fault-proxy.js'
import type { Teardown } from './app.js'
import { isAlive } from './processes.js'

/**
 * The demo dataset in a dynalite + s3rver pair, as `npm start` seeds it, under the
 * default table and bucket names (tests name them through `loadConfig({}).aws`).
 */
export interface DemoStore {
  s3Endpoint: string
  dynamodbEndpoint: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

export interface RunningDemoStore extends DemoStore {
  close(): Promise<void>
}

/** DynamoDB operations that only read: everything else is refused by a read-only store. */
const DYNAMODB_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'DescribeTable', 'ListTables', 'TransactGetItems'])
/** S3 methods that only read (OPTIONS: the CORS preflight of a browser that opens a presigned URL). */
const S3_READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A loopback proxy in front of one emulator that forwards reads and refuses writes
 * (AccessDenied, as an IAM policy would), so that a test writing to the store every
 * file shares fails at once, in the test that writes, instead of changing what the
 * other files read.
 */
function readOnlyGuard(target: string, dynamodb: boolean) {
  return startFaultProxy(target, 'pass', {
    verdict: (req) => {
      const operation = dynamodb ? String(req.headers['x-amz-target'] ?? '').split('.')[1] : undefined
      if (dynamodb ? DYNAMODB_READS.has(operation ?? '') : S3_READS.has(req.method ?? '')) return 'pass'
      const what = dynamodb ? `DynamoDB ${operation}` : `S3 ${req.method} ${req.url}`
      return { deny: `the shared demo store is read-only (${what}): a test that writes seeds a store of its own (ownDemoStore)` }
    }
  })
}

/**
 * Starts an emulator pair holding the demo dataset under the default names, seeded
 * the way the embedded demo does, behind guards that refuse every write.
 */
export async function startReadOnlyDemoStore(): Promise<RunningDemoStore> {
  // Run last-in first-out, as a test's teardowns are.
  const closers: Array<() => unknown> = []
  const close = async () => {
    for (const fn of closers.splice(0)) await fn()
  }
  try {
    const emulators = await seededEmulators({ teardown: (fn) => closers.unshift(fn) })
    const s3 = await readOnlyGuard(emulators.s3Endpoint, false)
    closers.unshift(() => s3.close())
    const dynamodb = await readOnlyGuard(emulators.dynamodbEndpoint, true)
    closers.unshift(() => dynamodb.close())
    return { ...storeOf(emulators), s3Endpoint: s3.endpoint, dynamodbEndpoint: dynamodb.endpoint, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** What a test needs to reach emulators that hold the demo dataset. */
function storeOf(emulators: Emulators): DemoStore {
  // A copy of the credentials: the SDK marks the object it is given with where they came from.
  const { s3Endpoint, dynamodbEndpoint, credentials } = emulators
  return { s3Endpoint, dynamodbEndpoint, credentials: { ...credentials } }
}

/**
 * Where the fixture process of a tap run (test/setup/before.ts) writes its store, and
 * its output: named after the tap runner, the parent of the fixture's starter and of
 * every test process.
 */
export function sharedStoreFiles(runnerPid: number): { state: string; log: string } {
  const base = join(tmpdir(), `thermal-viewer-shared-store-${runnerPid}`)
  return { state: `${base}.json`, log: `${base}.log` }
}

export interface SharedStoreState extends DemoStore {
  /** The fixture process, stopped by test/setup/after.ts. */
  pid: number
}

/** The store of this tap run's fixture process, if there is one and it is alive. */
function runFixtureStore(): DemoStore | undefined {
  const file = sharedStoreFiles(process.ppid).state
  if (!existsSync(file)) return undefined
  const state = JSON.parse(readFileSync(file, 'utf8')) as SharedStoreState
  return isAlive(state.pid) ? state : undefined
}

let shared: Promise<DemoStore> | undefined

/**
 * The read-only demo store every test file of a run shares: the fixture process's
 * under tap, else (a file run with plain `node`) one started in this process for it.
 */
export function sharedDemoStore(): Promise<DemoStore> {
  shared ??= (async () => {
    const fixture = runFixtureStore()
    if (fixture) return fixture
    const own = await startReadOnlyDemoStore()
    // Imported here: the fixture process shares this module and must not load tap (it would start a test run).
    const { default: tap } = await import('tap')
    tap.teardown(() => own.close())
    return own
  })()
  return shared
}

/** A writable store seeded for the tests of one file that add or replace data, closed by `t`'s teardown. */
export async function ownDemoStore(t: Teardown): Promise<DemoStore> {
  return storeOf(await seededEmulators(t))
}
