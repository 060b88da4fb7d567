import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { ENV_FILE_FLAG, npmStartFlags } from '../../scripts/start-command.js'
import { childEnv, freePort } from '../helpers/processes.js'

/**
 * `.env` is read by `npm start`, `npm run dev` and `npm run seed`, and the real
 * environment wins over it. The server is started as `npm start` starts it (its
 * node flags, from package.json), in a directory whose `.env` sets PORT and
 * CORS_ORIGINS; the environment sets CORS_ORIGINS too.
 */

t.setTimeout(180_000)

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

t.test('the scripts that run the app read .env', async (t) => {
  const pkg = (await import(join(ROOT, 'package.json'), { with: { type: 'json' } })) as { default: { scripts: Record<string, string> } }
  for (const name of ['start', 'dev', 'seed', 'seed:scale']) {
    // After the environment a script may set for node (npm start's MALLOC_ARENA_MAX).
    t.match(pkg.default.scripts[name], new RegExp(`^([A-Z_]+=\\S+ )*node ${ENV_FILE_FLAG.replace(/[.]/g, '\\.')} `), `npm run ${name}`)
  }
})

t.test('npm start honours PORT from .env, and the environment wins over the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'thermal-dotenv-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const port = await freePort()
  await writeFile(
    join(dir, '.env'),
    [
      '# as .env.example suggests',
      'DATA_SOURCE=aws',
      `PORT=${port}`,
      'CORS_ORIGINS=https://from-dotenv.example',
      'LOG_LEVEL=info',
      ''
    ].join('\n')
  )
  const env = childEnv()
  delete env.PORT
  const tsx = import.meta.resolve('tsx')
  const child = spawn(process.execPath, [...npmStartFlags(ROOT), '--import', tsx, join(ROOT, 'src', 'server.ts')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, CORS_ORIGINS: 'https://from-env.example', AWS_EC2_METADATA_DISABLED: 'true' }
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s))
  const exited = once(child, 'exit')
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })

  let health: { status: number } | undefined
  const started = Date.now()
  // Generous: tsx compiles the sources first, on a machine that may be busy with other test files.
  while (Date.now() - started < 100_000 && child.exitCode === null) {
    health = await get(port, '/health').catch(() => undefined)
    if (health) break
    await sleep(100)
  }
  t.equal(health?.status, 200, `the server listens on the PORT of .env (${port})`, { output: output.slice(-2000) })

  const allowed = await get(port, '/health', { origin: 'https://from-env.example' })
  t.equal(allowed.headers['access-control-allow-origin'], 'https://from-env.example', 'CORS_ORIGINS from the environment')
  const fromFile = await get(port, '/health', { origin: 'https://from-dotenv.example' })
  t.equal(fromFile.headers['access-control-allow-origin'], undefined, 'not the CORS_ORIGINS of .env')

  child.kill('SIGTERM')
  const [code] = (await exited) as [number | null]
  t.equal(code, 0, 'exit 0 on SIGTERM', { output: output.slice(-2000) })
})
