import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { seededEmulators } from '../helpers/emulators.js'
import { awsModeEnv, childEnv, freePort } from '../helpers/processes.js'
import { dockerCmdFlags, MALLOC_ENV, NOT_IN_IMAGE_FLAGS, ENTRY_POINT, npmStartEnv, npmStartFlags } from '../../scripts/start-command.js'

/**
 * The Docker image's exact start command, outside Docker (no Docker engine runs in
 * this project's CI). A temp dir is made to look like the runtime stage of
 * docker/Dockerfile:
 *
 *   package.json + package-lock.json, `npm ci --omit=dev --ignore-scripts`,
 *   the compiled dist/ (tsconfig.build.json), no src/, no demo code or data,
 *   NODE_ENV=production HOST=0.0.0.0 DATA_SOURCE=aws, the CMD (`node <flags> dist/src/server.js`,
 *   read from the Dockerfile)
 *
 * and pointed at dynalite + s3rver started (and seeded) by this test, standing in
 * for DynamoDB and S3 as LocalStack does in docker/docker-compose.yml.
 * Keep this file and docker/Dockerfile in step.
 */

t.setTimeout(300_000)

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const STEP_TIMEOUT = { build: 180_000, install: 240_000, health: 60_000, exit: 20_000 }
// Names other than the defaults, to prove the settings reach the production build.
const NAMES = {
  bucket: 'prod-start-test-bucket',
  imagesTable: 'prod-start-test-images',
  padsTable: 'prod-start-test-pads',
  jobsTable: 'prod-start-test-jobs',
  measurementsTable: 'prod-start-test-measurements'
}
const REGION = 'eu-central-1'

interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
  ms: number
}

/** Runs a command to completion, killing it (and failing) after `timeoutMs`. */
async function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  const started = Date.now()
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s))
  const timer = setTimeout(() => {
    output += `\n[killed after ${opts.timeoutMs} ms]`
    child.kill('SIGKILL')
  }, opts.timeoutMs)
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null]
    return { code, signal, output, ms: Date.now() - started }
  } finally {
    clearTimeout(timer)
  }
}

interface Response {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

/** One request on its own connection (no keep-alive pool left behind to delay the server's close); a body is sent as JSON. */
function send(url: string, opts: { json?: unknown; timeoutMs?: number } = {}): Promise<Response> {
  const { json, timeoutMs = 10_000 } = opts
  const method = json === undefined ? 'GET' : 'POST'
  const headers = json === undefined ? {} : { 'content-type': 'application/json' }
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(json === undefined ? undefined : JSON.stringify(json))
  })
}

const get = (url: string, timeoutMs?: number) => send(url, { timeoutMs })

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

t.test('the image runs the node flags of `npm start`, less the ones only a checkout needs', async (t) => {
  const image = dockerCmdFlags(ROOT)
  const start = npmStartFlags(ROOT)
  t.same(
    image,
    start.filter((f) => !NOT_IN_IMAGE_FLAGS.includes(f)),
    'docker/Dockerfile CMD and package.json start agree',
    { image, start }
  )
  t.same(npmStartEnv(ROOT), MALLOC_ENV, '`npm start` limits the malloc arenas')
  const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8')
  for (const [name, value] of Object.entries(MALLOC_ENV))
    t.match(dockerfile, new RegExp(`^\\s+${name}=${value}$`, 'm'), `the image sets ${name}`)
  // A V8 flag that a newer Node no longer knows makes `node` refuse to start at all.
  const check = await run(process.execPath, [...start, '-e', '0'], { cwd: ROOT, env: childEnv(), timeoutMs: 20_000 })
  t.equal(check.code, 0, `this Node (${process.version}) accepts ${start.join(' ')}`, { output: check.output })
})

t.test('the runtime image starts with its CMD, serves, and exits 0 on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'thermal-prod-start-'))
  // One teardown, run in reverse order of set-up whatever happened: the server, the clients,
  // the emulators, then the temp dir.
  const cleanups: Array<() => unknown> = [() => rm(dir, { recursive: true, force: true })]
  t.teardown(async () => {
    for (const fn of cleanups.reverse())
      await Promise.resolve()
        .then(fn)
        .catch(() => undefined)
  })
  const env = childEnv()

  // --- build stage: `npm run build`, written into the temp dir so the repo's dist/ is untouched.
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const install = (async () => {
    await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'))
    await copyFile(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'))
    // From the local cache that this checkout's own install filled: the suite needs no network.
    return run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: { ...env, NODE_ENV: 'production' },
      timeoutMs: STEP_TIMEOUT.install
    })
  })()
  const build = run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')], {
    cwd: ROOT,
    env,
    timeoutMs: STEP_TIMEOUT.build
  })

  // --- the data the container would find in DynamoDB and S3, seeded while the build runs.
  const seeding = seededEmulators({ teardown: (fn) => cleanups.push(fn) }, { names: NAMES, region: REGION })

  const [built, installed, emulators] = await Promise.all([build, install, seeding])
  t.equal(built.code, 0, `tsc -p tsconfig.build.json compiles (${built.ms} ms)`, { output: built.output.slice(-4000) })
  t.equal(installed.code, 0, `npm ci --omit=dev --ignore-scripts succeeds (${installed.ms} ms)`, {
    output: installed.output.slice(-4000)
  })
  t.comment(`build ${built.ms} ms, production install ${installed.ms} ms`)
  if (built.code !== 0 || installed.code !== 0) return
  t.ok(existsSync(join(dir, 'dist', 'src', 'server.js')), 'dist/src/server.js is the entry point')

  // --- what the build emits: production code only, no demo module and no emulator.
  const emitted = (await readdir(join(dir, 'dist'), { recursive: true })).filter((f) => f.endsWith('.js'))
  t.ok(emitted.includes(join('src', 'app.js')), `the build emits the app (${emitted.length} modules)`)
  t.same(
    emitted.filter((f) => !f.startsWith(`src/`) && !f.startsWith(`schemas/`)),
    [],
    'the build emits src/ and schemas/ only'
  )
  const demoImports: string[] = []
  for (const file of emitted) {
    const code = await readFile(join(dir, 'dist', file), 'utf8')
    for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g))
      if (/^(dynalite|s3rver|classic-level)(\/|$)|(^|\/)demo\//.test(specifier!)) demoImports.push(`${file} imports ${specifier}`)
  }
  t.same(demoImports, [], 'no emitted module imports an emulator package or a demo module')

  // --- runtime stage: production dependencies only.
  const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>
  }
  const devOnly = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true)
    .map(([path]) => path)
  t.ok(devOnly.length > 0, `the lockfile marks ${devOnly.length} packages as dev-only`)
  t.same(
    devOnly.filter((path) => existsSync(join(dir, path))),
    [],
    'no dev-only package is installed'
  )
  for (const name of ['tap', 'typescript', 'tsx', 'pino-pretty', '@redocly/cli', 'playwright-core', 'openapi-typescript', 'node']) {
    t.notOk(existsSync(join(dir, 'node_modules', name)), `${name} (a devDependency) is not installed`)
  }
  // The image runs DATA_SOURCE=aws only: the embedded emulators are dev dependencies.
  for (const name of ['dynalite', 's3rver', 'classic-level']) {
    t.notOk(existsSync(join(dir, 'node_modules', name)), `${name} (an embedded emulator) is not installed`)
  }
  t.ok(existsSync(join(dir, 'node_modules', 'fastify', 'package.json')), 'production dependencies are installed')

  // --- the container: exactly the image's CMD with the image's ENV.
  const cmd = [...dockerCmdFlags(ROOT), ENTRY_POINT]
  t.comment(`CMD: node ${cmd.join(' ')}`)
  const port = await freePort()
  const noAwsFiles = join(dir, 'no-aws-config')
  let output = ''
  const child: ChildProcess = spawn(process.execPath, cmd, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      // ENV of the runtime stage, and what docker/docker-compose.yml (or the ECS task definition) adds
      ...awsModeEnv({
        region: REGION,
        names: NAMES,
        s3Endpoint: emulators.s3Endpoint,
        dynamodbEndpoint: emulators.dynamodbEndpoint,
        credentials: emulators.credentials,
        noAwsFiles
      }),
      HOST: '0.0.0.0',
      PORT: String(port)
    }
  })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  exited.catch(() => undefined) // a spawn error surfaces as the failed /health wait below
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited.catch(() => undefined)
    }
  })
  let stdout = ''
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    stdout += s
    output += s
  })
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s))

  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  let health: Response | undefined
  while (Date.now() - started < STEP_TIMEOUT.health && child.exitCode === null) {
    health = await get(`${base}/health`, 2000).catch(() => undefined)
    if (health?.status === 200) break
    await sleep(200)
  }
  if (!t.equal(health?.status, 200, `/health answers 200 (after ${Date.now() - started} ms)`, { output: output.slice(-4000) })) return
  t.match(JSON.parse(health.body.toString()), { status: 'healthy' })

  const sites = await get(`${base}/api/sites`)
  t.equal(sites.status, 200, 'GET /api/sites through the production build')
  t.same(JSON.parse(sites.body.toString()), ['leyte', 'upper-rhine'], 'the sites of the seeded tables')

  // A presigned URL signed by the production build (path-style, custom bucket) opens.
  const optical = await get(`${base}/api/optical/leyte_tongonan_20241230_0379`)
  t.equal(optical.status, 200, 'GET /api/optical/{image_id}')
  const { url } = JSON.parse(optical.body.toString()) as { url: string }
  t.ok(url.startsWith(`${emulators.s3Endpoint}/${NAMES.bucket}/images/`), 'path-style URL on the configured endpoint and bucket', { url })
  const jpeg = await get(url)
  t.equal(jpeg.status, 200, 'the presigned URL downloads')
  t.equal(jpeg.body.subarray(0, 2).toString('hex'), 'ffd8', 'a JPEG')

  // PDF reports render in a worker thread, whose module the production build must resolve (.js beside pdf-pool.js).
  const report = await send(`${base}/api/report/generate`, {
    json: { site: 'leyte', sector: 'tongonan', rows: [{ section: 'Pad 2', length: '7.40' }] }
  })
  t.equal(report.status, 200, 'POST /api/report/generate renders in the worker pool of the production build', {
    body: report.body.subarray(0, 300).toString()
  })
  t.equal(report.body.subarray(0, 5).toString(), '%PDF-', 'a PDF')

  // /ready (DynamoDB + S3 reachable) where the build has it.
  const ready = await get(`${base}/ready`)
  if (ready.status === 404) t.comment('no /ready route in this build: skipped')
  else t.equal(ready.status, 200, '/ready: DynamoDB and S3 are reachable', { body: ready.body.toString() })

  // The SDK warns on a Node it will stop supporting; on Node 24 it has nothing to say (and is not told to keep quiet).
  t.notMatch(output, /NodeVersionSupportWarning/, `no AWS SDK Node-version warning on ${process.version}`)
  t.notOk('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED' in process.env, 'the warning is not switched off')

  // NODE_ENV=production with stdout not a TTY: one JSON object per line, no pretty transport.
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  t.ok(lines.length > 0, 'the server logs to stdout')
  t.same(
    lines.filter((l) => {
      try {
        JSON.parse(l)
        return false
      } catch {
        return true
      }
    }),
    [],
    'every stdout line is a JSON log record'
  )

  // `docker stop` sends STOPSIGNAL (SIGTERM): close-with-grace drains and exits 0.
  const stopping = Date.now()
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, STEP_TIMEOUT.exit, 'timeout')))
  const result = await Promise.race([exited, timeout]).finally(() => clearTimeout(timer))
  if (result === 'timeout') {
    t.fail(`the server did not exit within ${STEP_TIMEOUT.exit} ms of SIGTERM`, { output: output.slice(-4000) })
    return
  }
  const [code, signal] = result
  t.equal(signal, null, 'not killed by the signal: the app handles SIGTERM')
  t.equal(code, 0, `exit code 0 after SIGTERM (${Date.now() - stopping} ms)`, { output: output.slice(-4000) })
  t.comment(`SIGTERM to exit: ${Date.now() - stopping} ms`)
})
