/**
 * `npm run bench`: throughput, server CPU per request, latency, memory and AWS cost of
 * every endpoint, warm and cold, at 1 and 16 connections, over a 1× and a 10× archive,
 * with a bare Fastify hello-world measured in the same run as the reference.
 *
 *   npm run bench -- [--scales 1,10] [--duration 3] [--warmup 0.5] [--hello-duration 2] [--connections 1,16] [--modes warm,cold]
 *                    [--only cameras,optical] [--label name] [--data-dir .data/bench] [--no-save] [--no-compile] [--no-pin]
 *                    [--api-node-flags=--max-semi-space-size=4] [--autocannon] [--quiet-wait 20] [--attempts 3]
 *
 * Processes (all on 127.0.0.1): a store child (dynalite + s3rver over a persistent
 * directory, seeded on first use with the scale archive), an API child (`buildApp`
 * with DATA_SOURCE=aws at the store), a hello-world child, and this one driving
 * wrk (lib/load.ts; autocannon only when wrk cannot be had, and the run says so).
 * The API and hello-world children are compiled to JavaScript first and run without
 * tsx, as `npm start` runs. With two or more CPUs the server measured (API or
 * hello-world) runs on CPU 0 and the load generator on CPU 1 (lib/pinning.ts).
 * Each cell also reads the server child's own CPU time (`process.cpuUsage()`)
 * before and after, for its µs per request. Warm = in-process cache on and primed; cold = the same app
 * with CACHE_TTL_SECONDS=0, so every request reaches DynamoDB/S3.
 *
 * The machine may be shared, so the hello-world ceiling is measured again right
 * before and right after each warm cell, at the same connection count, and the
 * cell's ratio uses the mean of the two; before
 * every cell the run waits (up to --quiet-wait, 20 s) for the CPUs to be idle, and a cell
 * during which other processes took more than 15 % of the CPUs is measured again
 * (--attempts in all, 3), keeping the least disturbed attempt (`cpu_external`).
 *
 * Writes bench/results/latest.{json,md} and bench/results/<date>-<label>.{json,md}.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createAwsClients } from '../src/aws/clients.js'
import { loadConfig } from '../src/config.js'
import { packageRoot } from '../src/package-info.js'
import { scaleSpec, scaleTotals, seedScale, SCALE_TARGET } from './scale-dataset.js'
import { ENDPOINTS, REQUEST_HEADERS, type Endpoint } from './endpoints.js'
import { apiEnv } from './lib/api-env.js'
import { startChild, type Child } from './lib/children.js'
import { loadGenerator, type LoadGenerator, type LoadResult } from './lib/load.js'
import { pin, pinLoadGenerator, type Pinning } from './lib/pinning.js'
import { compileServers } from './lib/compile.js'
import type { Usage } from './lib/meter.js'
import { renderMarkdown } from './report.js'
import { ENV_FILE_FLAG, npmStartFlags } from '../scripts/start-command.js'
import { MODES, type BenchResults, type Cell, type EndpointResult, type Mode, type ScaleResult } from './types.js'

const { values: args } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10' },
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '0.5' },
    'hello-duration': { type: 'string', default: '2' },
    connections: { type: 'string', default: '1,16' },
    modes: { type: 'string', default: 'warm,cold' },
    only: { type: 'string' },
    label: { type: 'string', default: 'run' },
    'data-dir': { type: 'string' },
    'no-save': { type: 'boolean', default: false },
    'no-compile': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    // On a machine others share: how long to wait for idle CPUs before a cell, and how often to measure a disturbed one.
    'quiet-wait': { type: 'string', default: '20' },
    attempts: { type: 'string', default: '3' },
    autocannon: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
    'api-node-flags': { type: 'string', default: '' }
  },
  allowPositionals: false
})

const scales = args.scales.split(',').map(Number)
const duration = Number(args.duration)
const warmup = Number(args.warmup)
const helloDuration = Number(args['hello-duration'])
const connections = args.connections.split(',').map(Number)
const modes = args.modes.split(',').filter((m): m is Mode => (MODES as readonly string[]).includes(m))
/**
 * The API child runs with the node flags of `npm start` (its V8 heap tuning included), then any given
 * here to try; not with the checkout's `.env`, which would make runs differ by machine.
 */
const apiNodeFlags = [...npmStartFlags().filter((f) => f !== ENV_FILE_FLAG), ...args['api-node-flags'].split(/\s+/).filter(Boolean)]
const only = args.only?.split(',').map((s) => s.trim())
const endpoints = ENDPOINTS.filter((e) => !only || only.includes(e.name))
const dataRoot = resolve(args['data-dir'] ?? join(packageRoot, '.data', 'bench'))
const names = loadConfig({}).aws
const say = (line: string) => console.log(`bench: ${line}`)

// ---------------------------------------------------------------------------

interface Store {
  child: Child
  env: NodeJS.ProcessEnv
}

/** The store child over `.data/bench/scale-N`, seeded first when the directory has no complete archive. */
async function openStore(scale: number): Promise<Store> {
  const dir = join(dataRoot, `scale-${scale}`)
  const marker = join(dir, 'archive.json')
  const totals = scaleTotals(scaleSpec(scale))
  const seeded = existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).images === totals.images
  if (!seeded) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
  }
  const child = await startChild('store-server.ts', { ...process.env, BENCH_STORE_DIR: dir, BENCH_BUCKET: names.bucket }, `store ${scale}×`)
  // Forked from this process, it would inherit the load generator's CPU.
  if (pinning) pin(child.process.pid!, pinning.store)
  const { s3Endpoint, dynamodbEndpoint, credentials } = child.ready
  if (!seeded) {
    say(`seeding the ${scale}× archive into ${dir} (once; later runs reuse it)`)
    const clients = createAwsClients({ region: names.region, s3Endpoint, dynamodbEndpoint, s3ForcePathStyle: true, credentials })
    try {
      const result = await seedScale(clients, names, scale, {
        log: { info: (o, m) => say(`seed: ${m} ${JSON.stringify(o)}`), warn: (o, m) => say(`seed: warning: ${m} ${JSON.stringify(o)}`) },
        // Straight into s3rver's store, in the store child.
        putObjects: (objects) => child.call('writeObjects', { objects })
      })
      writeFileSync(marker, JSON.stringify({ scale, ...result, seededAt: new Date().toISOString() }, null, 2))
    } finally {
      clients.destroy()
    }
  }
  return {
    child,
    env: apiEnv({ s3Endpoint, dynamodbEndpoint, credentials }, args['log-level'])
  }
}

// ---------------------------------------------------------------------------

/** CPU busy fraction over `ms`, all cores (Linux /proc/stat); undefined elsewhere. */
async function cpuBusy(ms = 300): Promise<number | undefined> {
  const read = () => {
    try {
      const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
      const n = fields.map(Number)
      return { idle: n[3]! + (n[4] ?? 0), total: n.reduce((a, b) => a + b, 0) }
    } catch {
      return undefined
    }
  }
  const a = read()
  await new Promise((r) => setTimeout(r, ms))
  const b = read()
  if (!a || !b || b.total === a.total) return undefined
  return 1 - (b.idle - a.idle) / (b.total - a.total)
}

/** Waits until other processes leave the CPUs alone (busy ≤ 25 %), at most 20 s; returns the last reading. */
async function quiet(): Promise<number | undefined> {
  const deadline = Date.now() + Number(args['quiet-wait']) * 1000
  let busy = await cpuBusy()
  let waited = false
  while (busy !== undefined && busy > 0.25 && Date.now() < deadline) {
    if (!waited) say(`waiting for the CPUs to be idle (${Math.round(busy * 100)} % busy)`)
    waited = true
    busy = await cpuBusy(500)
  }
  return busy === undefined ? undefined : Math.round(busy * 100) / 100
}

/** CPU ticks (Linux /proc): all CPUs busy, and spent by the benchmark's own processes. */
function ticks(pids: readonly number[]): { busy: number; total: number; ours: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
    const n = fields.map(Number)
    const total = n.reduce((a, b) => a + b, 0)
    const busy = total - n[3]! - (n[4] ?? 0)
    let ours = 0
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        ours += Number(after[11]) + Number(after[12]) // utime, stime
        // cutime, cstime: children that exited and were waited for, i.e. every wrk run of this process.
        if (pid === process.pid) ours += Number(after[13]) + Number(after[14])
      } catch {
        benchPids.delete(pid) // exited
      }
    }
    return { busy, total, ours }
  } catch {
    return undefined
  }
}

/** Our processes, whose CPU use is the measurement, not interference. */
const benchPids = new Set<number>([process.pid])

/**
 * Runs one cell, and again (at most twice more) when other processes took more
 * than 15 % of the machine's CPU while it ran; keeps the least disturbed attempt.
 */
async function measured<T>(run: () => Promise<T>): Promise<{ result: T; busy?: number; external?: number }> {
  let best: { result: T; busy?: number; external?: number } | undefined
  for (let attempt = 0; attempt < Number(args.attempts); attempt++) {
    const busy = await quiet()
    const before = ticks([...benchPids])
    const result = await run()
    const after = ticks([...benchPids])
    const external =
      before && after && after.total > before.total
        ? Math.max(0, (after.busy - before.busy - (after.ours - before.ours)) / (after.total - before.total))
        : undefined
    const rounded = external === undefined ? undefined : Math.round(external * 100) / 100
    if (!best || (rounded ?? 0) < (best.external ?? 0)) best = { result, busy, external: rounded }
    if ((rounded ?? 0) <= 0.15) break
    say(`other processes took ${Math.round((rounded ?? 0) * 100)} % of the CPUs during a cell; measuring it again`)
  }
  return best!
}

/** The server process's own CPU time (user + system, all threads), in µs. */
async function cpuTime(server: Child): Promise<number> {
  return server.call<number>('cpu')
}

/** One load run against a server, with the CPU time that server spent meanwhile. */
async function loadWithCpu(server: Child, url: string, conns: number, seconds: number, headers: Record<string, string> = {}) {
  const before = await cpuTime(server)
  const r = await load.run(url, conns, seconds, headers)
  const cpuUs = (await cpuTime(server)) - before
  return { r, cpuUs }
}

/** One request of an endpoint, as the benchmark sends it. */
function send(base: string, e: Endpoint): Promise<Response> {
  if (e.method === 'POST') {
    return fetch(base + e.path, { method: 'POST', body: e.body, headers: { ...REQUEST_HEADERS, 'content-type': 'application/json' } })
  }
  // An asset href's 302 is the answer measured (as wrk sees it), not the download it points to.
  return fetch(base + e.path, { headers: REQUEST_HEADERS, redirect: 'manual' })
}

function cellOf(r: LoadResult, cpuUs: number, hello?: Cell): Cell {
  const cpuPerRequest = r.requests > 0 ? Math.round((cpuUs / r.requests) * 10) / 10 : undefined
  return {
    rps: Math.round(r.rps),
    p50_ms: r.p50_ms,
    p99_ms: r.p99_ms,
    requests: r.requests,
    non2xx: r.non2xx,
    errors: r.errors,
    ratio: hello ? Math.round((r.rps / hello.rps) * 1000) / 1000 : undefined,
    cpu_us_per_request: cpuPerRequest,
    cpu_ratio:
      hello?.cpu_us_per_request && cpuPerRequest !== undefined
        ? Math.round((cpuPerRequest / hello.cpu_us_per_request) * 100) / 100
        : undefined
  }
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0)

async function usage(api: Child) {
  return api.call<{ calls: Record<string, number>; items: Usage }>('usage')
}

/** One request on an empty cache: its AWS calls and what they read; then the same request again. */
async function coldRequest(api: Child, base: string, e: Endpoint): Promise<EndpointResult['cold_request']> {
  await api.call('idle')
  // The store may still be working off SDK calls of requests that already answered (deadline): let it finish.
  await quiet()
  await api.call('clear')
  await api.call('reset')
  let res = await send(base, e)
  // Load shedding (under-pressure) may still remember the previous cell for a moment.
  for (let i = 0; i < 5 && res.status === 503 && e.name !== 'ready'; i++) {
    await res.arrayBuffer()
    await new Promise((r) => setTimeout(r, 1000))
    await api.call('clear')
    await api.call('reset')
    res = await send(base, e)
  }
  const body = new Uint8Array(await res.arrayBuffer())
  const cold = await usage(api)
  await api.call('reset')
  const again = await send(base, e)
  await again.arrayBuffer()
  const warm = await usage(api)
  const items = Object.values(cold.items)
  return {
    status: res.status,
    bytes_on_wire: body.length,
    content_encoding: res.headers.get('content-encoding') ?? undefined,
    calls: cold.calls,
    calls_total: total(cold.calls),
    items_read: items.reduce((n, u) => n + u.itemsRead, 0),
    items_returned: items.reduce((n, u) => n + u.itemsReturned, 0),
    keys_listed: items.reduce((n, u) => n + u.keysListed, 0),
    object_bytes: items.reduce((n, u) => n + u.bytes, 0),
    by_operation: cold.items,
    warm_calls_total: total(warm.calls)
  }
}

/** Hello-world measurements combined into one ceiling: mean rates and latencies, summed counts, the range of rates. */
function meanCeiling(seen: readonly Cell[]): Cell {
  const mean = (f: (x: Cell) => number) => seen.reduce((n, x) => n + f(x), 0) / Math.max(seen.length, 1)
  const sum = (f: (x: Cell) => number) => seen.reduce((n, x) => n + f(x), 0)
  const cpu = seen.filter((x) => x.cpu_us_per_request !== undefined)
  return {
    rps: Math.round(mean((x) => x.rps)),
    cpu_us_per_request: cpu.length ? Math.round((cpu.reduce((n, x) => n + x.cpu_us_per_request!, 0) / cpu.length) * 10) / 10 : undefined,
    p50_ms: Math.round(mean((x) => x.p50_ms) * 100) / 100,
    p99_ms: Math.round(mean((x) => x.p99_ms) * 100) / 100,
    requests: sum((x) => x.requests),
    non2xx: sum((x) => x.non2xx),
    errors: sum((x) => x.errors),
    min_rps: Math.min(...seen.map((x) => x.min_rps ?? x.rps)),
    max_rps: Math.max(...seen.map((x) => x.max_rps ?? x.rps))
  }
}

/**
 * The hello-world ceiling for one cell: the measurement just before it and the
 * one just after, averaged, so a slow spell of a shared machine weighs on both
 * sides of the ratio instead of on one.
 */
function bracket(before: Cell, after: Cell): Cell {
  return {
    ...meanCeiling([before, after]),
    cpu_busy_before: Math.max(before.cpu_busy_before ?? 0, after.cpu_busy_before ?? 0),
    cpu_external: Math.max(before.cpu_external ?? 0, after.cpu_external ?? 0)
  }
}

/** How a cell finds its ceiling: measured around it (warm), or the scale's mean (cold). */
type Ceiling = { around: (c: number) => Promise<Cell> } | { fixed: Record<string, Cell> }

async function cells(api: Child, base: string, e: Endpoint, ceiling: Ceiling, rss: { max: number }) {
  const out: Record<string, Cell> = {}
  const hello: Record<string, Cell> = {}
  if (warmup > 0) await load.run(base + e.path, 8, warmup, REQUEST_HEADERS)
  for (const c of connections) {
    const before = 'around' in ceiling ? await ceiling.around(c) : undefined
    const { result, busy, external } = await measured(async () => {
      await api.call('idle')
      await api.call('reset')
      const { r, cpuUs } = await loadWithCpu(api, base + e.path, c, duration, REQUEST_HEADERS)
      await api.call('idle')
      return { r, cpuUs, calls: total((await usage(api)).calls) }
    })
    const after = 'around' in ceiling ? await ceiling.around(c) : undefined
    const ceilingAt = before && after ? bracket(before, after) : 'fixed' in ceiling ? ceiling.fixed[String(c)] : undefined
    if (!ceilingAt) throw new Error(`no hello-world ceiling for ${e.name} @${c}`)
    hello[String(c)] = ceilingAt
    const { r, cpuUs, calls } = result
    const cell = cellOf(r, cpuUs, hello[String(c)])
    cell.cpu_busy_before = busy
    cell.cpu_external = external
    cell.aws_calls_per_request = r.requests > 0 ? Math.round((calls / r.requests) * 100) / 100 : undefined
    const m = api.rss()
    if (m) {
      cell.rss_mb = Math.round(m.rssMb)
      rss.max = Math.max(rss.max, m.rssMb, m.peakMb)
    }
    out[String(c)] = cell
  }
  return { cells: out, hello }
}

let compiled: string | undefined
/** Set in main(): wrk, or autocannon when wrk cannot be had. */
let load: LoadGenerator
/** Set in main(), before any child starts. */
let pinning: Pinning | undefined

async function benchScale(scale: number, helloChild: Child): Promise<ScaleResult> {
  const started = Date.now()
  const store = await openStore(scale)
  benchPids.add(store.child.process.pid!)
  const spec = scaleSpec(scale)
  const result: ScaleResult = {
    scale,
    archive: {
      ...scaleTotals(spec),
      sectors_per_site: spec.sectorsPerSite,
      pads_per_sector: spec.padsPerSector,
      periods_per_sector: spec.periodsPerSector
    },
    hello: {},
    endpoints: [],
    rss_mb: {}
  }
  try {
    const helloUrl = `http://127.0.0.1:${helloChild.ready.port}/`
    if (warmup > 0) await load.run(helloUrl, 8, warmup)
    const helloAt = async (c: number): Promise<Cell> => {
      const { result, busy, external } = await measured(() => loadWithCpu(helloChild, helloUrl, c, helloDuration))
      return { ...cellOf(result.r, result.cpuUs), cpu_busy_before: busy, cpu_external: external }
    }
    const helloSeen: Record<string, Cell>[] = []
    // Cold cells use the run's mean ceiling, which the warm cells make; without them first, measure one now.
    if (modes[0] !== 'warm') {
      for (const c of connections) result.hello[String(c)] = await helloAt(c)
    }

    for (const mode of modes) {
      const env = mode === 'warm' ? store.env : { ...store.env, CACHE_TTL_SECONDS: '0' }
      const api = await startChild('api-server.ts', env, `api ${scale}× ${mode}`, compiled, apiNodeFlags)
      if (pinning) pin(api.process.pid!, pinning.server)
      benchPids.add(api.process.pid!)
      const base = `http://127.0.0.1:${api.ready.port}`
      const rss = { max: 0 }
      try {
        for (const e of endpoints) {
          let entry = result.endpoints.find((x) => x.name === e.name)
          if (!entry) {
            entry = { name: e.name, operationId: e.operationId, path: e.path, cold_request: await coldRequest(api, base, e), cells: {} }
            result.endpoints.push(entry)
          }
          // wrk sends GETs; the one POST (report generation) is measured by its cold request only.
          if (e.method === 'POST') {
            say(
              `${scale}× ${mode.padEnd(4)} ${e.name.padEnd(16)} (POST: its one request only)  cold AWS calls ${entry.cold_request.calls_total}`
            )
            continue
          }
          // Warm cells are compared with the ceiling measured around them; cold ones with the scale's mean ceiling.
          if (mode === 'warm') await api.call('idle')
          const measuredCells = await cells(api, base, e, mode === 'warm' ? { around: helloAt } : { fixed: result.hello }, rss)
          entry.cells[mode] = measuredCells.cells
          if (mode === 'warm') {
            entry.hello = measuredCells.hello
            helloSeen.push(measuredCells.hello)
          }
          const w = entry.cells[mode]
          say(
            `${scale}× ${mode.padEnd(4)} ${e.name.padEnd(16)} ` +
              connections
                .map((c) => {
                  const x = w[String(c)]!
                  const bad = x.non2xx + x.errors > 0 ? ` [${x.non2xx} non-2xx, ${x.errors} errors]` : ''
                  return `@${c}: ${x.rps} req/s (${Math.round((x.ratio ?? 0) * 100)} %)${bad}`
                })
                .join('  ') +
              `  cold AWS calls ${entry.cold_request.calls_total}  RSS peak so far ${Math.round(rss.max)} MB`
          )
        }
      } finally {
        const m = api.rss()
        if (m) rss.max = Math.max(rss.max, m.rssMb, m.peakMb)
        result.rss_mb[mode] = Math.round(rss.max)
        await api.stop()
      }
      if (mode === 'warm') {
        // The mean ceiling of the run at this scale.
        for (const c of connections) {
          result.hello[String(c)] = meanCeiling(helloSeen.map((h) => h[String(c)]!).filter(Boolean))
        }
        say(`${scale}×: hello-world mean ${connections.map((c) => `${result.hello[String(c)]!.rps} req/s @${c}`).join(', ')}`)
      }
    }
  } finally {
    await store.child.stop()
  }
  result.seconds = Math.round((Date.now() - started) / 1000)
  return result
}

// ---------------------------------------------------------------------------

async function main() {
  const started = Date.now()
  if (!args['no-compile']) {
    say('compiling the API and hello-world children to JavaScript (they run without tsx, as `npm start` does)')
    compiled = compileServers(join(dataRoot, 'dist'))
  }
  load = loadGenerator(say, args.autocannon ? 'autocannon' : undefined)
  say(`load generator: ${load.name}${load.name === 'wrk' ? ' (1 thread)' : ''}`)
  pinning = args['no-pin'] ? undefined : pinLoadGenerator()
  say(pinning ? `pinned: servers to CPU ${pinning.server}, ${load.name} to CPU ${pinning.load}` : 'not pinned to CPUs')
  const hello = await startChild('hello-server.ts', process.env, 'hello-world', compiled)
  if (pinning) pin(hello.process.pid!, pinning.server)
  benchPids.add(hello.process.pid!)
  const results: BenchResults = {
    label: args.label,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version
    },
    settings: {
      duration_s: duration,
      warmup_s: warmup,
      connections,
      modes,
      request_headers: REQUEST_HEADERS,
      log_level: args['log-level'],
      load_generator: load.name,
      servers: args['no-compile'] ? 'tsx' : 'compiled JavaScript',
      api_node_flags: apiNodeFlags,
      rate_limit: 'off',
      pinning: pinning ?? 'off',
      cache: { ttl_seconds: loadConfig({}).cache.ttlSeconds, max_entries: loadConfig({}).cache.maxEntries },
      target: SCALE_TARGET
    },
    scales: []
  }
  try {
    for (const scale of scales) results.scales.push(await benchScale(scale, hello))
  } finally {
    await hello.stop()
  }
  results.seconds = Math.round((Date.now() - started) / 1000)

  const markdown = renderMarkdown(results)
  console.log('\n' + markdown)
  if (!args['no-save']) {
    const dir = join(packageRoot, 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    const stem = `${results.date.slice(0, 10)}-${args.label.replace(/[^A-Za-z0-9_.-]/g, '-')}`
    for (const name of ['latest', stem]) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(results, null, 2) + '\n')
      writeFileSync(join(dir, `${name}.md`), markdown)
    }
    say(`wrote bench/results/latest.{json,md} and bench/results/${stem}.{json,md} (${results.seconds} s)`)
  }
}

main().catch((err: unknown) => {
  console.error('bench: failed:', err)
  process.exitCode = 1
})
