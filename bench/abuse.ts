/**
 * `npm run bench:abuse`: the cost storms of issue 22, each against a fresh `npm start`
 * server (the embedded demo, as a new user runs it), measuring what one client inside
 * the rate limit costs everyone else:
 *
 * - `previews`: 160 previews of distinct sizes (`max_size` 1889–2048) over every mosaic,
 *   8 at a time;
 * - `cold-low-zoom`: every mosaic without overviews at its three lowest zooms and as a
 *   preview, 32 at a time, on cold caches;
 * - `sweep-then-low-zoom`: low-zoom tiles of every mosaic without overviews (their
 *   overviews get built), then a sweep of native tiles over four other mosaics to fill
 *   the tile cache, then the low-zoom tiles again;
 * - `reports`: 50 concurrent `POST /api/report/generate` of 500 rows, twice.
 *
 * Per storm: the server's peak RSS during the storm (Linux VmHWM, reset before it
 * starts), the overview builds per mosaic (from the server's log), the storm's status
 * codes, and another client's latency on `GET /api/sites` (one request every 50 ms,
 * from its own address and a thread of its own, already running when the storm starts;
 * its requests that overlap the storm count) with its 503s.
 *
 *   npm run bench:abuse -- [--only previews,reports] [--data-dir .data/abuse] [--label name] [--no-save]
 *
 * Writes bench/results/<date>-abuse-<label>.{json,md}. Needs Linux (/proc).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { execFileSync } from 'node:child_process'
import { packageRoot } from '../src/package-info.js'
import { DEMO_ENTRY_POINT, npmStartEnv, npmStartFlags } from '../scripts/start-command.js'

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'data-dir': { type: 'string', default: '.data/abuse' },
    label: { type: 'string', default: 'run' },
    port: { type: 'string', default: '5411' },
    'no-save': { type: 'boolean', default: false },
    'no-compile': { type: 'boolean', default: false }
  }
})

const PORT = Number(args.port)
const ORIGIN = `http://127.0.0.1:${PORT}`
/** The storm's client and the bystander, each its own rate-limit bucket (loopback is a trusted proxy). */
const STORM_CLIENT = { 'x-forwarded-for': '198.51.100.10' }
const BYSTANDER = { 'x-forwarded-for': '198.51.100.20' }
const BUILD_LINE = 'built overviews of a mosaic without any'

interface Server {
  child: ChildProcess
  /** The `key` of every overview build logged so far. */
  builds: string[]
  stop(): Promise<void>
}

async function startServer(): Promise<Server> {
  const dataDir = resolve(packageRoot, args['data-dir'])
  mkdirSync(dataDir, { recursive: true })
  const child = spawn(process.execPath, [...npmStartFlags(), DEMO_ENTRY_POINT], {
    cwd: packageRoot,
    env: { ...process.env, ...npmStartEnv(), PORT: String(PORT), LOG_LEVEL: 'info', DATA_DIR: dataDir, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const builds: string[] = []
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    let nl: number
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl)
      buffered = buffered.slice(nl + 1)
      if (!line.includes(BUILD_LINE)) continue
      try {
        builds.push((JSON.parse(line) as { key: string }).key)
      } catch {
        builds.push('unparsed')
      }
    }
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${stderr}`)
    try {
      const res = await fetch(`${ORIGIN}/ready`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not become ready:\n${stderr}`)
    await sleep(250)
  }
  return {
    child,
    builds,
    async stop() {
      child.kill('SIGTERM')
      await exited
    }
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/** The process's resident set: now and its peak (VmHWM) since the last reset, in MB. */
function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so the peak is the storm's. */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}

/** Where the server's memory is after a storm (prom-client's default metrics), in MB. */
async function memoryParts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${ORIGIN}/metrics`, { headers: BYSTANDER })).text()
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN)
  const mb = (bytes: number) => Math.round(bytes / 1048576)
  return {
    heap_used_mb: mb(value('nodejs_heap_size_used_bytes')),
    heap_total_mb: mb(value('nodejs_heap_size_total_bytes')),
    external_mb: mb(value('nodejs_external_memory_bytes'))
  }
}

interface Job {
  method?: 'GET' | 'POST'
  path: string
  body?: string
  /** Another client address than the storm client's (a proxy's X-Forwarded-For). */
  from?: string
}

/**
 * Requests a minute the storm client starts at most: under the API's default rate limit
 * (1,200 a minute per address), as in the issue's runs, so the limit never does the bounding.
 */
const STORM_PER_MINUTE = 900

/**
 * Runs the jobs `concurrency` at a time and at most `perMinute` (STORM_PER_MINUTE unless a storm is
 * short enough to stay under the rate limit however fast it goes); the status codes, counted.
 */
async function storm(jobs: Job[], concurrency: number, perMinute = STORM_PER_MINUTE): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {}
  const interval = 60_000 / perMinute
  let nextStart = performance.now()
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!
      const wait = nextStart - performance.now()
      nextStart = Math.max(performance.now(), nextStart) + interval
      if (wait > 0) await sleep(wait)
      let status: string
      try {
        const res = await fetch(`${ORIGIN}${job.path}`, {
          method: job.method ?? 'GET',
          headers: {
            ...(job.from ? { 'x-forwarded-for': job.from } : STORM_CLIENT),
            ...(job.body ? { 'content-type': 'application/json' } : {})
          },
          body: job.body
        })
        await res.arrayBuffer()
        status = String(res.status)
      } catch {
        status = 'network error'
      }
      statuses[status] = (statuses[status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return statuses
}

interface Probe {
  /** The samples that overlap the storm, from..to (epoch ms, performance.timeOrigin + now). */
  stop(from: number, to: number): Promise<{ n: number; p50: number; p99: number; max: number; status503: number; errors: number }>
}

/**
 * The bystander's loop. It runs in a thread of its own: on the event loop that sends the storm, its timings would
 * include the bench's own work (serialising 100 report bodies, reading their answers), not only the server's.
 */
const PROBE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const times = []
let status503 = 0, errors = 0, running = true
parentPort.once('message', () => { running = false })
;(async () => {
  while (running) {
    const start = performance.timeOrigin + performance.now()
    try {
      const res = await fetch(workerData.url, { headers: workerData.headers })
      await res.arrayBuffer()
      if (res.status === 503) status503++
      else if (res.status !== 200) errors++
    } catch {
      errors++
    }
    times.push([start, performance.timeOrigin + performance.now()])
    await new Promise((r) => setTimeout(r, 50))
  }
  parentPort.postMessage({ times, status503, errors })
})()
`

/** The bystander: `GET /api/sites` every 50 ms, one at a time, timing each, from a thread of its own. */
function probe(): Probe {
  const worker = new Worker(PROBE_THREAD, { eval: true, workerData: { url: `${ORIGIN}/api/sites`, headers: BYSTANDER } })
  const done = new Promise<{ times: [number, number][]; status503: number; errors: number }>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  return {
    async stop(from, to) {
      worker.postMessage('stop')
      const { times, status503, errors } = await done
      await worker.terminate()
      const during = times.filter(([start, end]) => end > from && start < to)
      const sorted = during.map(([start, end]) => end - start).sort((a, b) => a - b)
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN)
      return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? NaN), status503, errors }
    }
  }
}

interface Mosaic {
  query: string
  key: string
  minzoom: number
  maxzoom: number
  bounds: [number, number, number, number]
  overviews: number
}

/** Every orthomosaic of the demo, with its zooms and whether the file has overviews. */
async function mosaics(): Promise<Mosaic[]> {
  const get = async <T>(path: string) => (await (await fetch(`${ORIGIN}${path}`, { headers: BYSTANDER })).json()) as T
  type Catalog = { sites: { site: string; sectors: { sector: string; periods: { period: string }[] }[] }[] }
  const catalog = await get<Catalog>('/api/catalog')
  const found: Mosaic[] = []
  for (const s of catalog.sites)
    for (const sec of s.sectors) {
      // Every pad of the sector, not only the complete ones the catalog lists: a pad may have some mosaics of a period.
      const pads = await get<{ pad_id: string }[]>(`/api/pads?site=${s.site}&sector=${sec.sector}`)
      for (const p of sec.periods)
        for (const pad of pads)
          for (const type of ['optical', 'medical', 'hotspot_alert']) {
            const query = `site=${s.site}&sector=${sec.sector}&period=${p.period}&pad_id=${pad.pad_id}&mosaic_type=${type}`
            const res = await fetch(`${ORIGIN}/api/tiles/tilejson.json?${query}`, { headers: BYSTANDER })
            if (res.status !== 200) continue
            const tj = (await res.json()) as { minzoom: number; maxzoom: number; bounds: [number, number, number, number] }
            const info = (await (await fetch(`${ORIGIN}/api/mosaic/info?${query}`, { headers: BYSTANDER })).json()) as { overviews: number }
            found.push({ query, key: `${s.site}/${sec.sector}/${p.period}/${pad.pad_id}/${type}`, ...tj, overviews: info.overviews })
          }
    }
  if (found.length === 0) throw new Error('no mosaic found in the catalog')
  return found
}

function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z
  const rad = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)]
}

/** The tiles of a mosaic at zoom z that touch its bounds. */
function tilesAt(m: Mosaic, z: number): string[] {
  const [w, s, e, n] = m.bounds
  const [x0, y0] = tileOf(w, n, z)
  const [x1, y1] = tileOf(e, s, z)
  const paths: string[] = []
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) paths.push(`/api/tiles/${z}/${x}/${y}.png?${m.query}`)
  return paths
}

const lowZoom = (m: Mosaic) => [0, 1, 2].flatMap((dz) => tilesAt(m, m.minzoom + dz)).map((path) => ({ path }))

/** A posted report of 500 rows (about 18 KB), distinct per `i`. */
const reportBody = (i: number) =>
  JSON.stringify({
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    rows: Array.from({ length: 500 }, (_, r) => ({ section: `Pad ${i}-${r}`, length: ((r * 7.3) % 40).toFixed(2) }))
  })

interface Storm {
  name: string
  description: string
  run(list: Mosaic[]): Promise<Record<string, number>>
}

const STORMS: Storm[] = [
  {
    name: 'previews',
    description: '160 previews of distinct sizes (max_size 1889–2048) over every mosaic, 8 at a time',
    run: (list) =>
      storm(
        Array.from({ length: 160 }, (_, i) => ({ path: `/api/mosaic/preview.png?${list[i % list.length]!.query}&max_size=${1889 + i}` })),
        8
      )
  },
  {
    name: 'cold-low-zoom',
    description: 'every mosaic without overviews: its three lowest zooms and a preview, 32 at a time, cold',
    run: (list) => {
      const plain = list.filter((m) => m.overviews === 0)
      const jobs = plain.flatMap((m) => [...lowZoom(m), { path: `/api/mosaic/preview.webp?${m.query}&max_size=${1024 + (m.minzoom % 7)}` }])
      return storm(jobs, 32)
    }
  },
  {
    name: 'sweep-then-low-zoom',
    description: 'low zooms of every mosaic without overviews; 324 near-native tiles of four others; the low zooms again',
    run: async (list) => {
      const plain = list.filter((m) => m.overviews === 0)
      const first = await storm(plain.flatMap(lowZoom), 16)
      // 324 native tiles of four mosaics with overviews of their own, around their centres: the tile cache fills up.
      const swept = list.filter((m) => m.overviews > 0).slice(0, 4)
      const sweep = await storm(
        swept.flatMap((m) =>
          tilesAt(m, m.maxzoom - 1)
            .slice(0, 81)
            .map((path) => ({ path }))
        ),
        16
      )
      const again = await storm(plain.flatMap(lowZoom), 16)
      const merged: Record<string, number> = {}
      for (const part of [first, sweep, again]) for (const [k, v] of Object.entries(part)) merged[k] = (merged[k] ?? 0) + v
      return merged
    }
  },
  {
    name: 'reports',
    description: '50 concurrent POST /api/report/generate of 500 rows, twice, from one client',
    run: async () => {
      const jobs = Array.from({ length: 100 }, (_, i) => ({ method: 'POST' as const, path: '/api/report/generate', body: reportBody(i) }))
      // 100 requests are under the per-minute limit: sent 50 at once, unpaced, as the issue's storm was.
      return storm(jobs, 50, Infinity)
    }
  },
  {
    name: 'reports-50-clients',
    description: 'the same from 50 client addresses, so no client share refuses them and every report reaches the PDF pool',
    run: async () => {
      const jobs = Array.from({ length: 100 }, (_, i) => ({
        method: 'POST' as const,
        path: '/api/report/generate',
        body: reportBody(i),
        from: `198.51.100.${100 + (i % 50)}`
      }))
      return storm(jobs, 50, Infinity)
    }
  }
]

interface StormResult {
  name: string
  description: string
  requests: number
  statuses: Record<string, number>
  seconds: number
  rss_before_mb: number
  peak_rss_mb: number
  rss_after_mb: number
  overview_builds: number
  mosaics_built: number
  max_builds_per_mosaic: number
  bystander: Awaited<ReturnType<Probe['stop']>>
  /** After the storm: the JS heap and the memory outside it that V8 knows of (buffers, typed arrays). */
  memory_after: Record<string, number>
}

async function main() {
  if (!args['no-compile']) execFileSync('npx', ['tsc', '-p', 'tsconfig.demo.json'], { cwd: packageRoot, stdio: 'inherit' })
  const only = args.only?.split(',')
  const chosen = STORMS.filter((s) => !only || only.includes(s.name))
  const results: StormResult[] = []
  for (const s of chosen) {
    const server = await startServer()
    try {
      const pid = server.child.pid!
      const list = await mosaics()
      // The bystander's own first request would be a cache miss (a Scan of the in-process emulator): that is the
      // demo's cold start, not the storm's cost, so it is made before the storm. The discovery calls above warm
      // nothing the storms use but the headers; settle, then measure.
      await (await fetch(`${ORIGIN}/api/sites`, { headers: BYSTANDER })).arrayBuffer()
      await sleep(1000)
      const buildsBefore = server.builds.length
      const before = memory(pid)
      resetPeak(pid)
      // The bystander is already in its loop when the storm starts, at a phase of its own, as another user would be:
      // a first request sent in the same instant as the storm's first wave would make every run's slowest sample the
      // worst case rather than a sample. Only its requests that overlap the storm count.
      const bystander = probe()
      await sleep(250 + Math.random() * 55)
      const t0 = performance.now()
      const statuses = await s.run(list)
      const seconds = (performance.now() - t0) / 1000
      const seen = await bystander.stop(performance.timeOrigin + t0, performance.timeOrigin + performance.now())
      const after = memory(pid)
      const parts = await memoryParts()
      const builds = server.builds.slice(buildsBefore)
      const perMosaic = new Map<string, number>()
      for (const key of builds) perMosaic.set(key, (perMosaic.get(key) ?? 0) + 1)
      const result: StormResult = {
        name: s.name,
        description: s.description,
        requests: Object.values(statuses).reduce((a, b) => a + b, 0),
        statuses,
        seconds: Math.round(seconds * 10) / 10,
        rss_before_mb: before.rssMb,
        peak_rss_mb: after.peakMb,
        rss_after_mb: after.rssMb,
        overview_builds: builds.length,
        mosaics_built: perMosaic.size,
        max_builds_per_mosaic: Math.max(0, ...perMosaic.values()),
        bystander: seen,
        memory_after: parts
      }
      results.push(result)
      console.log(JSON.stringify(result))
    } finally {
      await server.stop()
    }
  }
  const md = [
    `# bench:abuse (${args.label}), ${new Date().toISOString()}`,
    '',
    'Targets: peak RSS ≤ 400 MB; the bystander p99 ≤ 150 ms with no 503; one overview build per mosaic.',
    '',
    "The bystander's p50 / p99 / max are over its requests that overlap the storm, sent every 50 ms from a loop already running when the storm starts.",
    '',
    '| storm | requests | statuses | s | RSS before → peak → after (MB) | overview builds (mosaics, max per mosaic) | bystander p50 / p99 / max (ms) | bystander 503s |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.requests} | ${Object.entries(r.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(
            ', '
          )} | ${r.seconds} | ${r.rss_before_mb} → **${r.peak_rss_mb}** → ${r.rss_after_mb} | ${r.overview_builds} (${r.mosaics_built}, max ${r.max_builds_per_mosaic}) | ${r.bystander.p50} / **${r.bystander.p99}** / ${r.bystander.max} | ${r.bystander.status503} |`
    ),
    '',
    ...results.map((r) => `- \`${r.name}\`: ${r.description}.`),
    ''
  ].join('\n')
  console.log(md)
  if (!args['no-save']) {
    const dir = join(packageRoot, 'bench', 'results')
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true })
    const name = `${new Date().toISOString().slice(0, 10)}-abuse-${args.label}`
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(results, null, 2) + '\n')
    writeFileSync(join(dir, `${name}.md`), md)
  }
}

await main()
