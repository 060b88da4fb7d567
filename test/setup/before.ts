/**
 * tap's `before` script: starts the run's shared demo store (shared-store.ts) in a
 * detached process, and returns once it is seeded. Seeding builds the demo dataset,
 * which also renders the demo orthophotos into their file cache (os.tmpdir()) for
 * the test files that build the dataset themselves.
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LEGACY_OPENSSL_FLAG } from '../../scripts/start-command.js'
import { childEnv } from '../helpers/processes.js'
import { sharedStoreFiles } from '../helpers/demo-store.js'

const here = dirname(fileURLToPath(import.meta.url))
/** Far above a seeding on a busy machine (seconds): only a fixture that is stuck takes this long. */
const START_TIMEOUT_MS = 180_000

const runner = process.ppid
const files = sharedStoreFiles(runner)
// Left by an earlier runner with this pid, whose store is gone: tests must not find it.
rmSync(files.state, { force: true })
const logPath = files.log
const log = openSync(logPath, 'w')
const started = Date.now()
// The legacy provider for s3rver's DES continuation tokens (docs/decisions/0026).
const fixture = spawn(process.execPath, [LEGACY_OPENSSL_FLAG, '--import', 'tsx', join(here, 'shared-store.ts'), String(runner)], {
  cwd: join(here, '..', '..'),
  env: childEnv(),
  detached: true,
  stdio: ['ignore', log, log, 'ipc']
})
closeSync(log)

const failed = (why: string) => {
  console.error(`# the shared demo store did not start: ${why}\n${readFileSync(logPath, 'utf8')}`)
  fixture.kill('SIGKILL')
  process.exit(1)
}
const timer = setTimeout(() => failed(`not ready within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS)
fixture.once('exit', (code, signal) => failed(`exited (${signal ?? code})`))
fixture.once('message', () => {
  clearTimeout(timer)
  fixture.removeAllListeners('exit')
  fixture.disconnect()
  fixture.unref()
  console.log(`# shared demo store ready in ${Date.now() - started} ms (pid ${fixture.pid}, log ${logPath})`)
})
