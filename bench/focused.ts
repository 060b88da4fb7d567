/**
 * `npm run bench:focused`: the measurements that need an archive or a traffic
 * pattern of their own, beside the table `npm run bench` writes.
 *
 * - Hot spots on one survey of 10,000 images (25 flights of 400): AWS calls cold
 *   and warm, server CPU per warm request beside bare Fastify's, and the heap the
 *   survey index takes per image, with the bound that gives at SURVEY_CACHE_MAX_IMAGES.
 * - Tiles of that survey's target pad (realistic ~4000 px orthophotos in ODM's
 *   default layout: 512 px blocks, no overviews): native-zoom tiles with every
 *   cache empty, 1,000 distinct tiles across its 3 mosaics at TILE_CACHE_MB=64
 *   with the API's peak RSS, and low-zoom tiles (the first one builds overviews).
 *
 *   npm run bench:focused -- [--duration 3] [--connections 16] [--label focused] [--no-save]
 *
 * Processes as in `npm run bench`: a store child (the emulators, in memory here),
 * the API child compiled to JavaScript with `npm start`'s node flags (plus
 * --expose-gc, for the heap readings), a hello-world child, and wrk, pinned the
 * same way. Writes bench/results/<date>-<label>.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createAwsClients } from '../src/aws/clients.js'
import { loadConfig } from '../src/config.js'
import { DEFAULT_SURVEY_CACHE_MAX_IMAGES } from '../src/env-schema.js'
import { packageRoot } from '../src/package-info.js'
import { MOSAIC_TYPES } from '../schemas/common.js'
import { scaleChunks, scaleSpec, SCALE_TARGET, type ScaleSpec } from './scale-dataset.js'
import { seed } from '../demo/seed/seeder.js'
import { ENV_FILE_FLAG, npmStartFlags } from '../scripts/start-command.js'
import { REQUEST_HEADERS } from './endpoints.js'
import { apiEnv } from './lib/api-env.js'
import { startChild, type Child } from './lib/children.js'
import { compileServers } from './lib/compile.js'
import { loadGenerator } from './lib/load.js'
import { pin, pinLoadGenerator } from './lib/pinning.js'

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '16' },
    label: { type: 'string', default: 'focused' },
    'no-save': { type: 'boolean', default: false }
  }
})
const duration = Number(args.duration)
const conns = Number(args.connections)
const say = (line: string) => console.log(`bench:focused: ${line}`)
const names = loadConfig({}).aws
const T = SCALE_TARGET
const SURVEY_IMAGES = 10_000

/** One survey of the target sector: the target pad's flight with its three mosaics, then 24 more of 400 shots. */
function wideSurvey(): ScaleSpec {
  const base = scaleSpec(1)
  const flight = { legs: 20, shotsPerLeg: 20 }
  return {
    ...base,
    sites: base.sites.filter((s) => s.id === T.site),
    sectorsPerSite: 1,
    padsPerSector: 40,
    periodsPerSector: 1,
    flights: [
      { ...flight, mosaics: ['optical', 'medical', 'hotspot_alert'] },
      ...Array.from({ length: SURVEY_IMAGES / 400 - 1 }, () => ({ ...flight, mosaics: ['optical'] as const }))
    ]
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d
const mb = (bytes: number) => round(bytes / 2 ** 20)

async function timed(url: string): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now()
  const res = await fetch(url, { headers: REQUEST_HEADERS })
  const bytes = (await res.arrayBuffer()).byteLength
  return { ms: performance.now() - t0, status: res.status, bytes }
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0)

/** Slippy-map tiles (z, x, y) covering a lon/lat box. */
function tilesOver([w, s, e, n]: number[], z: number): [number, number, number][] {
  const scale = 2 ** z
  const tx = (lon: number) => Math.floor(((lon + 180) / 360) * scale)
  const ty = (lat: number) => Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * scale)
  const out: [number, number, number][] = []
  for (let x = tx(w!); x <= tx(e!); x++) for (let y = ty(n!); y <= ty(s!); y++) out.push([z, x, y])
  return out
}

async function main() {
  const started = Date.now()
  const dataRoot = resolve(join(packageRoot, '.data', 'bench-focused'))
  say('compiling the API and hello-world children to JavaScript')
  const compiled = compileServers(join(dataRoot, 'dist'))
  const load = loadGenerator(say)
  const pinning = pinLoadGenerator()
  say(pinning ? `pinned: servers to CPU ${pinning.server}, ${load.name} to CPU ${pinning.load}` : 'not pinned to CPUs')

  const store = await startChild('store-server.ts', { ...process.env, BENCH_STORE_DIR: 'memory', BENCH_BUCKET: names.bucket }, 'store')
  if (pinning) pin(store.process.pid!, pinning.store)
  const { s3Endpoint, dynamodbEndpoint, credentials } = store.ready
  const clients = createAwsClients({ region: names.region, s3Endpoint, dynamodbEndpoint, s3ForcePathStyle: true, credentials })
  let images = 0
  const seedStarted = Date.now()
  for (const chunk of scaleChunks(wideSurvey())) {
    await seed(clients, names, chunk, { putObjects: (objects) => store.call('writeObjects', { objects }) })
    images += chunk.images.length
  }
  clients.destroy()
  say(`seeded one survey of ${images} images in ${round((Date.now() - seedStarted) / 1000)} s`)

  const env: NodeJS.ProcessEnv = { ...apiEnv({ s3Endpoint, dynamodbEndpoint, credentials }, 'warn'), TILE_CACHE_MB: '64' }
  const flags = [...npmStartFlags().filter((f) => f !== ENV_FILE_FLAG), '--expose-gc']
  // Each part gets an API process of its own, so each peak RSS is that workload's.
  const freshApi = async (name: string) => {
    const child = await startChild('api-server.ts', env, name, compiled, flags)
    if (pinning) pin(child.process.pid!, pinning.server)
    return child
  }
  let api = await freshApi('api (hot spots)')
  const hello = await startChild('hello-server.ts', process.env, 'hello-world', compiled)
  if (pinning) pin(hello.process.pid!, pinning.server)
  let base = `http://127.0.0.1:${api.ready.port}`
  const survey = new URLSearchParams({ site: T.site, sector: T.sector, period: T.period }).toString()
  const usage = () => api.call<{ calls: Record<string, number> }>('usage')

  /** wrk for `duration` s; the server child's own CPU time per answered request. */
  const cpuPerRequest = async (server: Child, url: string) => {
    await load.run(url, 8, 0.5, REQUEST_HEADERS)
    const before = await server.call<number>('cpu')
    const r = await load.run(url, conns, duration, REQUEST_HEADERS)
    const cpuUs = (await server.call<number>('cpu')) - before
    return { rps: Math.round(r.rps), p50_ms: r.p50_ms, p99_ms: r.p99_ms, non2xx: r.non2xx, cpu_us: round(cpuUs / Math.max(r.requests, 1)) }
  }

  try {
    // --- hot spots on the 10,000-image survey ------------------------------------------------
    const idleRss = api.rss()
    await api.call('clear')
    const heapEmpty = await api.call<NodeJS.MemoryUsage>('gc')
    await api.call('reset')
    const hotspotsUrl = `${base}/api/hotspots?${survey}`
    const cold = await timed(hotspotsUrl)
    const coldCalls = (await usage()).calls
    await api.call('reset')
    const warm = await timed(hotspotsUrl)
    const warmCalls = (await usage()).calls
    const heapLoaded = await api.call<NodeJS.MemoryUsage>('gc')
    const perImage = (heapLoaded.heapUsed - heapEmpty.heapUsed) / images
    const helloBefore = await cpuPerRequest(hello, `http://127.0.0.1:${hello.ready.port}/`)
    const warmLoad = await cpuPerRequest(api, hotspotsUrl)
    const helloAfter = await cpuPerRequest(hello, `http://127.0.0.1:${hello.ready.port}/`)
    const helloUs = (helloBefore.cpu_us + helloAfter.cpu_us) / 2
    const hotspots = {
      survey_images: images,
      cold: { status: cold.status, ms: round(cold.ms), calls: coldCalls, calls_total: total(coldCalls) },
      warm: { status: warm.status, ms: round(warm.ms, 2), calls_total: total(warmCalls) },
      warm_load: { ...warmLoad, hello_cpu_us: round(helloUs), cpu_ratio: round(warmLoad.cpu_us / helloUs, 2) },
      survey_index_heap: {
        mb: mb(heapLoaded.heapUsed - heapEmpty.heapUsed),
        bytes_per_image: Math.round(perImage),
        bound_mb_at_budget: mb(perImage * DEFAULT_SURVEY_CACHE_MAX_IMAGES),
        budget_images: DEFAULT_SURVEY_CACHE_MAX_IMAGES
      },
      api_rss_mb: { idle: idleRss, after: api.rss() }
    }
    say(`hotspots: ${JSON.stringify(hotspots)}`)
    await api.stop()
    api = await freshApi('api (tiles)')
    base = `http://127.0.0.1:${api.ready.port}`
    const tilesIdleRss = api.rss()

    // --- tiles of the target pad --------------------------------------------------------------
    const pad = new URLSearchParams({ site: T.site, sector: T.sector, period: T.period, pad_id: T.padId }).toString()
    const tj = (await (await fetch(`${base}/api/tiles/tilejson.json?${pad}&mosaic_type=optical`)).json()) as {
      bounds: number[]
      minzoom: number
      maxzoom: number
    }
    const tileUrl = (type: string, [z, x, y]: [number, number, number], ext = 'webp') =>
      `${base}/api/tiles/${z}/${x}/${y}.${ext}?${pad}&mosaic_type=${type}`
    const native = tilesOver(tj.bounds, tj.maxzoom)
    const mid = native[Math.floor(native.length / 2)]!

    // 1,000 distinct tiles across the three mosaics, 4 at a time, with TILE_CACHE_MB=64.
    // First, in the fresh process: its peak RSS is this workload's.
    const rssBefore = api.rss()
    const distinct: string[] = []
    for (let z = tj.maxzoom; z >= tj.minzoom && distinct.length < 1000; z--) {
      for (const t of tilesOver(tj.bounds, z)) for (const type of MOSAIC_TYPES) distinct.push(tileUrl(type, t, z % 2 ? 'png' : 'webp'))
    }
    const sample = distinct.slice(0, 1000)
    const statuses: Record<string, number> = {}
    const spread: number[] = []
    let next = 0
    const sweepStarted = performance.now()
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < sample.length) {
          const r = await timed(sample[next++]!)
          statuses[r.status] = (statuses[r.status] ?? 0) + 1
          spread.push(r.ms)
        }
      })
    )
    const sweepSeconds = (performance.now() - sweepStarted) / 1000

    // Every cache empty before each tile: the header and the blocks are read from the emulator.
    const coldNative: number[] = []
    for (const t of native.filter((_, i) => i % Math.max(1, Math.floor(native.length / 30)) === 0).slice(0, 30)) {
      await api.call('clear')
      coldNative.push((await timed(tileUrl('optical', t))).ms)
    }

    // Low zoom on a file without overviews: the first tile of each mosaic builds them.
    await api.call('clear')
    // From minzoom up to the last zoom the built overviews serve (a level-0 pixel per output pixel below 4).
    const lowZooms = [tj.minzoom, tj.minzoom + 1, tj.minzoom + 2].filter((z) => z < tj.maxzoom - 1)
    const lowStatuses: Record<string, number> = {}
    const firstLow: Record<string, number> = {}
    const laterLow: number[] = []
    for (const type of MOSAIC_TYPES) {
      for (const z of lowZooms) {
        for (const t of tilesOver(tj.bounds, z)) {
          const { ms, status } = await timed(tileUrl(type, t))
          lowStatuses[status] = (lowStatuses[status] ?? 0) + 1
          if (firstLow[type] === undefined) firstLow[type] = round(ms)
          else laterLow.push(ms)
        }
      }
    }

    const warmTile = (ext: string) => cpuPerRequest(api, tileUrl('optical', mid, ext))
    // A tile asked again comes from the encoded-tile cache. What rendering costs is measured
    // over distinct tiles whose blocks are cached: the central native tiles, first drawn as
    // jpg (which loads their blocks), then each once as webp and once as png, 4 at a time.
    const centre = [...native]
      .sort((a, b) => Math.hypot(a[1] - mid[1], a[2] - mid[2]) - Math.hypot(b[1] - mid[1], b[2] - mid[2]))
      .slice(0, 30)
    const renderPass = async (ext: string) => {
      await api.call('reset')
      const before = await api.call<number>('cpu')
      const t0 = performance.now()
      let k = 0
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (k < centre.length) await timed(tileUrl('optical', centre[k++]!, ext))
        })
      )
      const seconds = (performance.now() - t0) / 1000
      const cpuMs = ((await api.call<number>('cpu')) - before) / 1000 / centre.length
      return {
        tiles: centre.length,
        cpu_ms: round(cpuMs, 2),
        tiles_per_cpu_s: Math.round(1000 / cpuMs),
        wall_s: round(seconds, 2),
        calls: total((await usage()).calls)
      }
    }
    await renderPass('jpg')
    const rendered = { webp: await renderPass('webp'), png: await renderPass('png') }
    const tiles = {
      tilejson: tj,
      api_idle_rss_mb: tilesIdleRss,
      native_zoom_tiles: native.length,
      cold_native_webp: { samples: coldNative.length, p50_ms: round(quantile(coldNative, 0.5)), p90_ms: round(quantile(coldNative, 0.9)) },
      low_zoom: {
        zooms: lowZooms,
        statuses: lowStatuses,
        first_ms: firstLow,
        later: { samples: laterLow.length, p50_ms: round(quantile(laterLow, 0.5)), p90_ms: round(quantile(laterLow, 0.9)) }
      },
      distinct_sweep: {
        tiles: sample.length,
        statuses,
        seconds: round(sweepSeconds),
        p50_ms: round(quantile(spread, 0.5)),
        p99_ms: round(quantile(spread, 0.99)),
        rss_before_mb: rssBefore,
        rss_after_mb: api.rss()
      },
      rendered_from_cached_blocks: rendered,
      warm_native: { webp: await warmTile('webp'), png: await warmTile('png') }
    }
    say(`tiles: ${JSON.stringify(tiles)}`)

    const results = {
      label: args.label,
      date: new Date().toISOString(),
      node: process.version,
      load_generator: load.name,
      connections: conns,
      duration_s: duration,
      seconds: Math.round((Date.now() - started) / 1000),
      hotspots,
      tiles
    }
    const md = report(results)
    console.log(md)
    if (!args['no-save']) {
      const dir = join(packageRoot, 'bench', 'results')
      mkdirSync(dir, { recursive: true })
      const stem = join(dir, `${results.date.slice(0, 10)}-${args.label}`)
      writeFileSync(`${stem}.json`, JSON.stringify(results, null, 2) + '\n')
      writeFileSync(`${stem}.md`, md)
      say(`wrote ${stem}.{json,md}`)
    }
  } finally {
    await Promise.all([api.stop(), hello.stop(), store.stop()])
  }
}

type Results = {
  label: string
  date: string
  node: string
  load_generator: string
  connections: number
  duration_s: number
  seconds: number
  hotspots: Record<string, any>
  tiles: Record<string, any>
}

const mbText = (n?: number) => (n === undefined ? '–' : String(Math.round(n)))

function report(r: Results): string {
  const h = r.hotspots
  const t = r.tiles
  const sweep = t.distinct_sweep
  const cpuRow = (name: string, x: { rps: number; cpu_us: number; p50_ms: number }) => `| ${name} | ${x.rps} | ${x.cpu_us} | ${x.p50_ms} |`
  return [
    `# Focused bench, ${r.date.slice(0, 10)} (${r.label})`,
    '',
    `Node ${r.node}; ${r.load_generator}, ${r.connections} connections, ${r.duration_s} s cells; the API child compiled, with \`npm start\`'s flags.`,
    '',
    `## Hot spots on one survey of ${h.survey_images.toLocaleString('en-US')} images`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| cold request: AWS calls | ${h.cold.calls_total} (${Object.entries(h.cold.calls as Record<string, number>)
      .map(([op, n]) => `${n} ${op}`)
      .join(', ')}), ${h.cold.ms} ms |`,
    `| warm request: AWS calls | ${h.warm.calls_total} |`,
    `| warm @${r.connections}: req/s, server CPU µs/request | ${h.warm_load.rps}, ${h.warm_load.cpu_us} |`,
    `| bare Fastify CPU µs/request (before and after, mean); ratio | ${h.warm_load.hello_cpu_us}; ${h.warm_load.cpu_ratio}× |`,
    `| heap of the loaded survey (index + cached answer) | ${h.survey_index_heap.mb} MB, ${h.survey_index_heap.bytes_per_image} B/image |`,
    `| bound at SURVEY_CACHE_MAX_IMAGES=${h.survey_index_heap.budget_images.toLocaleString('en-US')} | ${h.survey_index_heap.bound_mb_at_budget} MB |`,
    `| API RSS idle / after / peak (a process of its own) | ${mbText(h.api_rss_mb.idle?.rssMb)} / ${mbText(h.api_rss_mb.after?.rssMb)} / ${mbText(h.api_rss_mb.after?.peakMb)} MB |`,
    '',
    `## Tiles of the target pad (${t.native_zoom_tiles} native-zoom tiles at z${t.tilejson.maxzoom}, no overviews in the file)`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| native-zoom WebP, every cache empty (${t.cold_native_webp.samples}) | p50 ${t.cold_native_webp.p50_ms} ms, p90 ${t.cold_native_webp.p90_ms} ms |`,
    `| first low-zoom tile per mosaic (builds overviews) | ${Object.entries(t.low_zoom.first_ms as Record<string, number>)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ')} |`,
    `| later low-zoom tiles, z${t.low_zoom.zooms[0]}–${t.low_zoom.zooms.at(-1)} (${t.low_zoom.later.samples}) | p50 ${t.low_zoom.later.p50_ms} ms, p90 ${t.low_zoom.later.p90_ms} ms; statuses ${JSON.stringify(t.low_zoom.statuses)} |`,
    `| ${sweep.tiles} distinct tiles, 3 mosaics, 4 at a time, TILE_CACHE_MB=64 | ${sweep.seconds} s, p50 ${sweep.p50_ms} ms, p99 ${sweep.p99_ms} ms; statuses ${JSON.stringify(sweep.statuses)} |`,
    `| API RSS before / after the sweep / peak (a fresh process) | ${mbText(sweep.rss_before_mb?.rssMb)} / ${mbText(sweep.rss_after_mb?.rssMb)} / ${mbText(sweep.rss_after_mb?.peakMb)} MB |`,
    '',
    `| native-zoom tile rendered from cached blocks, ${t.rendered_from_cached_blocks.webp.tiles} distinct, 4 at a time | server CPU ms/tile | tiles per CPU-second | AWS calls |`,
    '| --- | --- | --- | --- |',
    ...(['webp', 'png'] as const).map((f) => {
      const x = t.rendered_from_cached_blocks[f]
      return `| ${f} | ${x.cpu_ms} | ${x.tiles_per_cpu_s} | ${x.calls} |`
    }),
    '',
    `| the same native-zoom tile again (encoded-tile cache) @${r.connections} | req/s | server CPU µs/tile | p50 ms |`,
    '| --- | --- | --- | --- |',
    cpuRow('webp', t.warm_native.webp),
    cpuRow('png', t.warm_native.png),
    ''
  ].join('\n')
}

await main()
