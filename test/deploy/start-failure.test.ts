import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { DATA_DIR_LOCK } from '../../src/aws/embedded.js'
import { childEnv, freePort } from '../helpers/processes.js'

/**
 * The real server process (`src/server.ts`) when a plugin cannot load: here a
 * DATA_DIR that another live process holds. It must exit 1 promptly, say what
 * failed and how to fix it, and never start listening.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

t.test('a DATA_DIR held by another process: exit 1 with the reason, nothing listening', async (t) => {
  const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'tv-start-')))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  // This test process stands in for the server already using the directory.
  writeFileSync(join(dataDir, DATA_DIR_LOCK), String(process.pid))
  const port = await freePort()

  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...childEnv(), DATA_SOURCE: 'embedded', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port) }
  })
  t.teardown(() => void child.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))

  const [code] = (await once(child, 'exit')) as [number | null]
  t.equal(code, 1, 'exit code 1')
  t.match(
    stderr,
    `failed to start: Error: DATA_DIR ${dataDir} is in use by process ${process.pid}: stop that process, or give this one another DATA_DIR`
  )
  t.notMatch(stdout, /Server listening/, 'it never listened')
  await t.rejects(fetch(`http://127.0.0.1:${port}/health`), 'nothing answers on its port')
})
