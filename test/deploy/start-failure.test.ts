import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { DATA_DIR_LOCK } from '../../demo/embedded/emulators.js'
import { childEnv, freePort } from '../helpers/processes.js'
import { ENV_FILE_FLAG, npmStartFlags } from '../../scripts/start-command.js'

/**
 * The real server process (`demo/server.ts` over `src/server.ts`) when it cannot start: a plugin that
 * cannot load (a DATA_DIR that another live process holds) or a port already
 * taken. It must exit 1 promptly and say what failed and how to fix it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** `demo/server.ts` in a child process on the embedded data in `dataDir`; resolves with how it exited and what it printed. */
async function runServer(t: Test, dataDir: string, port: number) {
  const child = spawn(process.execPath, [...npmStartFlags(ROOT).filter((f) => f !== ENV_FILE_FLAG), '--import', 'tsx', 'demo/server.ts'], {
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
  return { code, stdout, stderr }
}

function tempDataDir(t: Test): string {
  const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'tv-start-')))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  return dataDir
}

t.test('a DATA_DIR held by another process: exit 1 with the reason, nothing listening', async (t) => {
  const dataDir = tempDataDir(t)
  // This test process stands in for the server already using the directory.
  writeFileSync(join(dataDir, DATA_DIR_LOCK), String(process.pid))
  const port = await freePort()

  const { code, stdout, stderr } = await runServer(t, dataDir, port)
  t.equal(code, 1, 'exit code 1')
  t.match(
    stderr,
    `failed to start: Error: DATA_DIR ${dataDir} is in use by process ${process.pid}: stop that process, or give this one another DATA_DIR`
  )
  t.notMatch(stdout, /Server listening/, 'it never listened')
  await t.rejects(fetch(`http://127.0.0.1:${port}/health`), 'nothing answers on its port')
})

t.test('a port already taken: exit 1, with the reason logged by the app', async (t) => {
  const dataDir = tempDataDir(t)
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => taken.close(() => resolve())))

  const { code, stdout } = await runServer(t, dataDir, (taken.address() as AddressInfo).port)
  t.equal(code, 1, 'exit code 1')
  const line = stdout.split('\n').find((l) => l.includes('"msg":"failed to start"'))
  t.ok(line, 'one JSON log line says it failed to start')
  t.match(JSON.parse(line ?? '{}'), { level: 50, err: { code: 'EADDRINUSE' } })
})
