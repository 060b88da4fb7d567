/**
 * `npm run bench:viewer`: how long a person waits for the web viewer's map. A cold
 * page load (a new browser context: empty cache and storage) of a deep link to a pad,
 * against a warm demo server (the demo as `npm start` serves it, from source, its
 * caches primed by one load first), in Debian's headless Chromium. Per load: the
 * time from navigation to the first mosaic tile drawn (the app's
 * `thermal-viewer:first-tile` mark: the frame after the first tile arrived), to
 * the map idle, and the requests the view makes: API calls and tiles.
 *
 * The same loads of bench/maplibre-floor/, a page with MapLibre and the pad's optical mosaic and nothing else, give
 * the floor under the viewer's figure: what MapLibre itself costs in this browser on this machine.
 *
 *   npm run bench:viewer                       # 7 loads of leyte_tongonan_PAD_105, 20241230, of each page
 *   npm run bench:viewer -- --runs 3 --no-save --page app
 *
 * Writes bench/results/<date>-viewer-first-tile.{json,md} unless --no-save.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Browser } from 'playwright-core'
import { build } from 'vite'
import { packageRoot } from '../src/package-info.js'
import { LEGACY_OPENSSL_FLAG } from '../scripts/start-command.js'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    link: { type: 'string', default: '?site=leyte&sector=tongonan&period=20241230&pad=leyte_tongonan_PAD_105' },
    'no-save': { type: 'boolean', default: false },
    page: { type: 'string', default: 'both' }
  }
})
if (!['app', 'floor', 'both'].includes(args.page)) throw new Error('--page is app, floor or both')
const runs = Number(args.runs)
const CHROMIUM = '/usr/bin/chromium'

interface Load {
  firstTileMs: number
  idleMs: number
  domContentLoadedMs: number
  apiCalls: number
  tiles: number
  apiPaths: string[]
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

type Page = 'app' | 'floor'

async function load(browser: Browser, url: string, page_: Page): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  const requests: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  await page.goto(url)
  await page.waitForFunction(() => performance.getEntriesByName('thermal-viewer:first-tile').length > 0, undefined, { timeout: 60_000 })
  if (page_ === 'app') {
    await page.locator('.map-wrap [role="status"][data-loading="false"]').waitFor({ timeout: 60_000 })
    // Every panel has its data once the survey summary's table is there.
    await page.locator('table.summary-table').waitFor({ state: 'attached', timeout: 60_000 })
  }
  const timing = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[]
    return {
      firstTileMs: performance.getEntriesByName('thermal-viewer:first-tile')[0]!.startTime,
      idleMs: performance.now(),
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? 0
    }
  })
  await context.close()
  const api = requests.map((u) => new URL(u)).filter((u) => u.pathname.includes('/api/'))
  const isTile = (u: URL) => /\/api\/tiles\/\d+\//.test(u.pathname)
  return {
    ...timing,
    apiCalls: api.filter((u) => !isTile(u)).length,
    tiles: api.filter(isTile).length,
    apiPaths: api.filter((u) => !isTile(u)).map((u) => u.pathname)
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const summarise = (loads: Load[]) => ({
  firstTileMs: {
    median: median(loads.map((l) => l.firstTileMs)),
    min: Math.min(...loads.map((l) => l.firstTileMs)),
    max: Math.max(...loads.map((l) => l.firstTileMs))
  },
  idleMs: { median: median(loads.map((l) => l.idleMs)) },
  domContentLoadedMs: { median: median(loads.map((l) => l.domContentLoadedMs)) },
  apiCalls: loads[0]!.apiCalls,
  tiles: median(loads.map((l) => l.tiles)),
  apiPaths: [...new Set(loads[0]!.apiPaths)],
  loads
})

/** Builds the page, serves it from a fresh demo server as the API serves the viewer, and times `runs` cold loads. */
async function measure(browser: Browser, page: Page) {
  const dist = mkdtempSync(join(tmpdir(), `tv-bench-${page}-`))
  const outDir = { outDir: dist, emptyOutDir: true }
  if (page === 'app') await build({ configFile: join(packageRoot, 'vite.config.ts'), logLevel: 'warn', build: outDir })
  else await build({ configFile: false, root: join(packageRoot, 'bench', 'maplibre-floor'), base: './', logLevel: 'warn', build: outDir })
  const port = await freePort()
  const server = spawn(process.execPath, [LEGACY_OPENSSL_FLAG, '--import', 'tsx', 'demo/server.ts'], {
    cwd: packageRoot,
    // No load shedding: on a shared machine it would answer some of the page's calls with a 503 and a 5 s Retry-After.
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'error', MAX_EVENT_LOOP_DELAY_MS: '0', VIEWER_DIR: dist },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  const origin = `http://127.0.0.1:${port}`
  try {
    await waitFor(`${origin}/ready`, 180_000)
    const url = `${origin}/app/${args.link}`
    console.log(`${page}: warming the server with one load of ${url}`)
    await load(browser, url, page)
    const loads: Load[] = []
    for (let i = 0; i < runs; i++) {
      const one = await load(browser, url, page)
      loads.push(one)
      console.log(
        `${page} load ${i + 1}: first tile ${one.firstTileMs.toFixed(0)} ms, idle ${one.idleMs.toFixed(0)} ms, ${one.apiCalls} API calls, ${one.tiles} tiles`
      )
    }
    return summarise(loads)
  } finally {
    server.kill('SIGTERM')
  }
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-dev-shm-usage']
})
try {
  const app = args.page === 'floor' ? undefined : await measure(browser, 'app')
  const floor = args.page === 'app' ? undefined : await measure(browser, 'floor')
  const result = { date: new Date().toISOString(), link: args.link, runs, cpus: cpus().length, loadAverage: loadavg()[0] ?? 0, app, floor }
  const ms = (n: number) => `${n.toFixed(0)} ms`
  const row = (what: string, r: ReturnType<typeof summarise>) =>
    `| ${what} | ${ms(r.firstTileMs.median)} | ${ms(r.firstTileMs.min)} | ${ms(r.firstTileMs.max)} | ${ms(r.domContentLoadedMs.median)} | ${r.apiCalls} + ${r.tiles} tiles |`
  const md = [
    `# Viewer first tile, ${result.date.slice(0, 10)}`,
    '',
    `Cold page loads of \`/app/${args.link}\` against the warm demo server, headless Chromium (software WebGL), ${runs} loads of each page, ${result.cpus} CPUs, load average ${result.loadAverage.toFixed(1)} at the end.`,
    '',
    '| page | first tile, median | min | max | DOMContentLoaded | requests |',
    '| --- | --- | --- | --- | --- | --- |',
    ...(app ? [row('the viewer', app)] : []),
    ...(floor ? [row('MapLibre alone (bench/maplibre-floor/)', floor)] : []),
    '',
    ...(app
      ? [
          `The viewer's map is idle, with every panel loaded, at ${ms(app.idleMs.median)} (median).`,
          '',
          `API calls: ${app.apiCalls} (and ${app.tiles} tiles): ${app.apiPaths.map((p) => `\`${p}\``).join(', ')}.`,
          ''
        ]
      : [])
  ].join('\n')
  console.log(`\n${md}`)
  if (!args['no-save']) {
    const dir = join(packageRoot, 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    const stem = `${result.date.slice(0, 10)}-viewer-first-tile`
    writeFileSync(join(dir, `${stem}.json`), JSON.stringify(result, null, 2) + '\n')
    writeFileSync(join(dir, `${stem}.md`), md)
    console.log(`wrote bench/results/${stem}.{json,md}`)
  }
} finally {
  await browser.close()
}
