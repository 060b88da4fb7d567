import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import t, { type Test } from 'tap'
import { build } from 'vite'
import { packageRoot } from '../../src/package-info.js'
import { VIEWER_JS_BUDGET_BYTES } from '../../vite.config.js'
import { buildTestApp, padQuery, type Teardown } from '../helpers/app.js'
import { CHROMIUM, newPage } from '../helpers/browser.js'

/**
 * The web viewer (viewer/) in Debian's Chromium, built from the current source
 * into a temporary folder and served by the app at /app/ on a real port, over the
 * demo data. One browser for the file; each scenario has its own context.
 */

const SURVEY = { site: 'leyte', sector: 'tongonan', period: '20241230' }
const PAD = 'leyte_tongonan_PAD_105'
const DEEP_LINK = `?site=leyte&sector=tongonan&period=20241230&pad=${PAD}`
const IMAGE = 'leyte_tongonan_20241230_0379'
const API_KEY = 'browser-test-key'
const UI_TIMEOUT = 60_000

t.setTimeout(170_000)

const shots = mkdtempSync(join(tmpdir(), 'tv-viewer-shots-'))
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** What a page did: its console and page errors, and every URL it requested. */
interface Watched {
  errors: string[]
  requests: string[]
}

function watch(page: Page): Watched {
  const watched: Watched = { errors: [], requests: [] }
  page.on('console', (m) => {
    if (m.type() === 'error') watched.errors.push(m.text())
  })
  page.on('pageerror', (e) => watched.errors.push(`pageerror: ${e.message}`))
  page.on('request', (r) => watched.requests.push(r.url()))
  return watched
}

/** Every request went to the server's own host (the API and, at another port, the store that presigned URLs name). */
function ownHostOnly(t: Test, watched: Watched) {
  const elsewhere = watched.requests.filter(
    (url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).hostname !== '127.0.0.1'
  )
  t.same(elsewhere, [], `no request leaves 127.0.0.1 (${watched.requests.length} requests)`)
}

/** The browser's own line for an answer the scenario provokes on purpose; anything else is an error of the app. */
const provoked = (status: number) => `Failed to load resource: the server responded with a status of ${status}`

async function firstTile(page: Page) {
  await page.waitForFunction(() => performance.getEntriesByName('thermal-viewer:first-tile').length > 0, undefined, { timeout: UI_TIMEOUT })
}

/** Every tile the map asked for has arrived and been drawn. */
async function mapIdle(page: Page) {
  await page.locator('.map-wrap [role="status"][data-loading="false"]').waitFor({ timeout: UI_TIMEOUT })
}

async function axeScan(t: Test, page: Page, what: string) {
  await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<any> } }).axe
    return axe.run(document, { resultTypes: ['violations'] })
  })
  const violations = result.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]
  t.comment(`axe on ${what}: ${violations.length} violations (${violations.map((v) => `${v.id} ${v.impact}`).join(', ') || 'none'})`)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  t.same(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe: no serious or critical violation on ${what}`
  )
}

/** Mean colour of the middle of the map, from a screenshot of it. */
async function mapCentreColour(page: Page, file: string): Promise<{ mean: number[]; spread: number }> {
  await page.locator('.map').screenshot({ path: file })
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const sum = [0, 0, 0]
  const grey: number[] = []
  for (let y = Math.floor(info.height * 0.3); y < info.height * 0.7; y++) {
    for (let x = Math.floor(info.width * 0.3); x < info.width * 0.7; x++) {
      const o = (y * info.width + x) * 3
      for (let c = 0; c < 3; c++) sum[c]! += data[o + c]!
      grey.push(data[o]! + data[o + 1]! + data[o + 2]!)
    }
  }
  const mean = sum.map((v) => v / grey.length)
  const avg = grey.reduce((a, b) => a + b, 0) / grey.length
  const spread = Math.sqrt(grey.reduce((a, b) => a + (b - avg) ** 2, 0) / grey.length)
  return { mean, spread }
}

if (!existsSync(CHROMIUM)) {
  t.fail(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium) to run the viewer browser test`)
} else {
  // The app as `npm run build` makes it, from the source under test.
  const dist = mkdtempSync(join(tmpdir(), 'tv-viewer-dist-'))
  await build({ configFile: join(packageRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } })

  /** The app over the shared demo store, serving that build, listening on loopback. */
  const serve = async (t: Teardown, env: Record<string, string> = {}) => {
    const app = await buildTestApp(t, { VIEWER_DIR: dist, ...env })
    await app.listen({ port: 0, host: '127.0.0.1' })
    return { app, origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
  }

  t.test('a deep link opens the whole pad: tiles, cameras, hot spots, trend; the image panel; back and forward', async (t) => {
    const { app, origin } = await serve(t)
    const page = await newPage(t, { viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(UI_TIMEOUT)
    const watched = watch(page)
    const jsBytes: Promise<number>[] = []
    page.on('response', (r) => {
      if (/\/app\/assets\/[^/]+\.js$/.test(r.url())) jsBytes.push(r.body().then((b) => gzipSync(b).length))
    })

    await page.goto(`${origin}/app/${DEEP_LINK}`)
    await firstTile(page)
    await mapIdle(page)
    const tileUrls = watched.requests.filter((u) => u.includes('/api/tiles/') && !u.includes('tilejson'))
    t.ok(
      tileUrls.some((u) => u.includes('mosaic_type=optical')),
      'optical tiles are asked for'
    )
    t.ok(
      tileUrls.some((u) => u.includes('mosaic_type=medical')),
      'medical tiles are asked for'
    )
    const main = join(shots, 'main-view.png')
    await page.screenshot({ path: main })
    t.comment(`screenshot (main view): ${main}`)
    const { mean, spread } = await mapCentreColour(page, join(shots, 'map.png'))
    const [r, g, b] = mean as [number, number, number]
    t.ok(spread > 10, `the map is not blank (spread ${spread.toFixed(1)})`)
    t.ok(r > g && b > g, `the map's centre is the medical palette's purple over the pad (${mean.map((v) => v.toFixed(0)).join(', ')})`)

    // Every camera of the pad is a marker, pointing along its heading.
    const cameras = (await app.inject(`/api/mosaic/cameras?${padQuery()}`)).json()
    t.equal(await page.locator('.camera-marker').count(), cameras.features.length, `${cameras.features.length} camera markers`)
    t.equal(
      await page.locator('button.camera-marker').count(),
      cameras.features.filter((f: any) => f.properties.image_id !== null).length,
      'a button for each one with an image'
    )
    const first = cameras.features[0].properties
    const transform = await page.locator(`button.camera-marker[data-image-id="${first.image_id}"]`).evaluate((el) => el.style.transform)
    t.match(transform, `rotateZ(${first.yaw}deg)`, 'a marker is rotated by its yaw')

    // The hot-spot list: the API's order, ΔT and severity.
    const api = (await app.inject(`/api/hotspots?${padQuery()}`)).json()
    const rows = await page
      .locator('table.hotspot-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-image-id'), tr.children[3]!.textContent, tr.querySelector('.badge')!.textContent])
      )
    t.same(
      rows,
      api.hotspots.map((h: any) => [h.image_id, h.delta_t.toFixed(1), h.severity]),
      `the ${rows.length} hot spots in the API's order, with ΔT and severity`
    )

    // Filtered by minimum severity, by the API.
    await page.getByLabel('Minimum severity').selectOption('critical')
    const critical = (await app.inject(`/api/hotspots?${padQuery({ min_severity: 'critical' })}`)).json()
    await page.waitForFunction((n) => document.querySelectorAll('table.hotspot-table tbody tr').length === n, critical.hotspots.length)
    t.same(
      await page.locator('table.hotspot-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-image-id'))),
      critical.hotspots.map((h: any) => h.image_id),
      `minimum severity critical: the API's ${critical.hotspots.length}`
    )
    await page.getByLabel('Minimum severity').selectOption('')
    await page.waitForFunction((n) => document.querySelectorAll('table.hotspot-table tbody tr').length === n, api.hotspots.length)

    // The trend: the pad's four periods, this one marked.
    const trend = (await app.inject(`/api/trend?site=leyte&sector=tongonan&pad_id=${PAD}`)).json()
    const periods = await page.locator('svg.trend-svg text.period').evaluateAll((els) => els.map((e) => e.getAttribute('data-period')))
    t.same(
      periods,
      trend.periods.map((p: any) => p.period)
    )
    t.equal(periods.length, 4, 'four periods')
    t.equal(await page.locator('svg.trend-svg text.period.current').getAttribute('data-period'), SURVEY.period)

    // Line loss and the survey summary, from their endpoints.
    t.equal(await page.locator('table.line-loss-table tbody tr').count(), 3, "the pad's three line-loss regions")
    t.equal(await page.locator('table.summary-table tbody tr').count(), 4, 'the four pads of the survey')
    t.ok(await page.getByRole('link', { name: 'visual PDF' }).isVisible(), 'the pre-generated reports are linked')

    await axeScan(t, page, 'the main view')

    // A camera's panel: both photos, and that image's statistics.
    await page.locator(`button.camera-marker[data-image-id="${IMAGE}"]`).click()
    await page.locator('.image-panel').waitFor()
    await page.waitForFunction(() => {
      const photos = Array.from(document.querySelectorAll<HTMLImageElement>('.image-panel img.photo'))
      return photos.length === 2 && photos.every((img) => img.complete && img.naturalWidth > 0)
    })
    t.pass('the optical and thermal photos load')
    const stats = (await app.inject(`/api/thermal/${IMAGE}/stats`)).json()
    const shown = async (name: string) => (await page.locator(`.image-panel td[data-stat="${name}"]`).textContent())?.trim()
    t.equal(await shown('min_temp'), `${stats.min_temp.toFixed(1)} °C`)
    t.equal(await shown('max_temp'), `${stats.max_temp.toFixed(1)} °C`)
    t.equal(await shown('avg_temp'), `${stats.avg_temp.toFixed(2)} °C`)
    t.match(page.url(), `image=${IMAGE}`, 'the URL holds the selected image')
    await page.getByLabel('hotspot_alert').check()
    await page.waitForFunction(() =>
      document.querySelector<HTMLImageElement>('.image-panel img.thermal-photo')?.src.includes('hotspot_alert')
    )
    t.pass('the palette switch loads the hotspot_alert image')
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.image-panel img.thermal-photo')
      return img !== null && img.complete && img.naturalWidth > 0
    })
    const panel = join(shots, 'image-panel.png')
    await page.screenshot({ path: panel })
    t.comment(`screenshot (image panel): ${panel}`)
    await axeScan(t, page, 'the image panel')
    await page.getByRole('button', { name: 'Close the image panel' }).click()

    // A hot-spot row selects its camera, which the map flies to.
    const row = page.locator('table.hotspot-table tbody tr').nth(2)
    const rowImage = await row.getAttribute('data-image-id')
    await row.getByRole('button').click()
    await page.locator('.image-panel h2', { hasText: rowImage! }).waitFor()
    t.equal(
      await page.locator(`button.camera-marker[data-image-id="${rowImage}"]`).getAttribute('aria-pressed'),
      'true',
      "a row selects its camera's marker"
    )
    t.equal(await row.getAttribute('class'), 'selected', 'and is marked')
    // The flight ends with the camera near the middle of the map (the hot spot's position is the image record's).
    await page.waitForFunction((id) => {
      const marker = document.querySelector(`button.camera-marker[data-image-id="${id}"]`)?.getBoundingClientRect()
      const map = document.querySelector('.map')!.getBoundingClientRect()
      if (!marker) return false
      const dx = marker.x + marker.width / 2 - (map.x + map.width / 2)
      const dy = marker.y + marker.height / 2 - (map.y + map.height / 2)
      return Math.abs(dx) < map.width / 4 && Math.abs(dy) < map.height / 4
    }, rowImage)
    t.pass('the map flies to it')

    await page.getByRole('button', { name: 'Close the image panel' }).click()

    // Another period: other tiles; back returns to the first view.
    const before = watched.requests.length
    await page.getByLabel('Period', { exact: true }).selectOption('20250228')
    await page.waitForRequest(
      (r) => r.url().includes('/api/tiles/') && r.url().includes('period=20250228') && !r.url().includes('tilejson')
    )
    await mapIdle(page)
    const switched = watched.requests.slice(before).filter((u) => u.includes('/api/tiles/') && !u.includes('tilejson'))
    t.ok(switched.length > 0, `${switched.length} tiles asked for after the switch`)
    t.same(
      switched.filter((u) => !u.includes('period=20250228')),
      [],
      'every tile asked for after the switch is of the new period'
    )
    t.match(page.url(), 'period=20250228')
    await page.goBack()
    await page.waitForFunction(() => new URLSearchParams(location.search).get('period') === '20241230')
    t.equal(await page.getByLabel('Period', { exact: true }).inputValue(), SURVEY.period, 'back: the first period again')
    await page.locator(`table.hotspot-table tbody tr[data-image-id="${api.hotspots[0].image_id}"]`).waitFor()
    await mapIdle(page)
    t.equal(
      await page.locator('table.hotspot-table tbody tr').first().getAttribute('data-image-id'),
      api.hotspots[0].image_id,
      "back: the first view's hot spots"
    )
    await page.goForward()
    await page.waitForFunction(() => new URLSearchParams(location.search).get('period') === '20250228')
    t.pass('forward: the second view again')

    const gzip = (await Promise.all(jsBytes)).reduce((a, b) => a + b, 0)
    t.comment(`JavaScript /app/ loads: ${(gzip / 1000).toFixed(1)} kB gzip in ${jsBytes.length} file(s)`)
    t.ok(gzip > 0 && gzip <= VIEWER_JS_BUDGET_BYTES, `the JavaScript is within ${VIEWER_JS_BUDGET_BYTES / 1000} kB gzip`)
    t.same(watched.errors, [], 'no console errors')
    ownHostOnly(t, watched)
  })

  t.test('on a 390 px phone the panels start closed, with their data loaded', async (t) => {
    const { origin } = await serve(t)
    const page = await newPage(t, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
    page.setDefaultTimeout(UI_TIMEOUT)
    const watched = watch(page)
    await page.goto(`${origin}/app/${DEEP_LINK}`)
    await firstTile(page)
    await mapIdle(page)
    await page.locator('table.hotspot-table tbody tr').first().waitFor({ state: 'attached' })
    t.same(await page.locator('details.panel').evaluateAll((ds) => ds.map((d) => (d as HTMLDetailsElement).open)), [
      false,
      false,
      false,
      false,
      false
    ])
    t.ok((await page.locator('table.hotspot-table tbody tr').count()) > 0, 'the hot spots are loaded')
    t.equal(await page.locator('svg.trend-svg text.period').count(), 4, 'the trend is loaded')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    t.ok(width <= 390, `nothing wider than the screen (${width} px)`)
    await page.locator('details.panel summary').nth(1).click()
    t.ok(await page.locator('table.hotspot-table').isVisible(), 'a panel opens on a tap')
    const phone = join(shots, 'phone-390.png')
    await page.locator('details.panel summary').nth(1).click()
    await page.screenshot({ path: phone, fullPage: true })
    t.comment(`screenshot (phone): ${phone}`)
    t.same(watched.errors, [], 'no console errors')
    ownHostOnly(t, watched)
  })

  t.test('an unknown id says so with a way back; an API error shows where it happened; a 503 is retried', async (t) => {
    const { origin } = await serve(t)
    const page = await newPage(t, { viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(UI_TIMEOUT)
    const watched = watch(page)
    await page.goto(`${origin}/app/?site=leyte&sector=tongonan&period=20241230&pad=leyte_tongonan_PAD_999`)
    await page.getByRole('alert').filter({ hasText: "no pad 'leyte_tongonan_PAD_999'" }).waitFor()
    t.pass('the unknown pad is named')
    t.equal(await page.locator('.map').count(), 0, 'no map for it')
    await page.getByRole('link', { name: 'Open the first survey' }).click()
    await page.locator('.map').waitFor()
    t.ok((await page.getByLabel('Pad', { exact: true }).inputValue()) !== '', 'the way back opens a survey')

    // The first catalog answer is a 503 (as the API sends under load): the app waits its Retry-After and asks again.
    let catalogs = 0
    await page.route('**/api/catalog', async (route) => {
      if (catalogs++ > 0) return route.continue()
      await route.fulfill({ status: 503, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"error":"busy"}' })
    })
    const started = Date.now()
    await page.goto(`${origin}/app/${DEEP_LINK}&image=leyte_tongonan_20241230_9999`)
    await page.getByLabel('Site', { exact: true }).waitFor()
    t.equal(catalogs, 2, 'the catalog was asked for again')
    t.ok(Date.now() - started >= 1000, 'after its Retry-After')
    const error = page.locator('.image-panel .error').first()
    await error.waitFor()
    t.match(
      await error.textContent(),
      /Could not load the optical image: .*leyte_tongonan_20241230_9999.* \(HTTP 404\)/,
      "the API's own message"
    )
    t.same(
      watched.errors.filter((e) => !e.startsWith(provoked(404)) && !e.startsWith(provoked(503))),
      [],
      'no console errors but the provoked answers'
    )
    ownHostOnly(t, watched)
  })

  t.test('under BASE_PATH=/viewer the app works at /viewer/app/', async (t) => {
    const { origin } = await serve(t, { BASE_PATH: '/viewer' })
    const page = await newPage(t, { viewport: { width: 1024, height: 700 } })
    page.setDefaultTimeout(UI_TIMEOUT)
    const watched = watch(page)
    await page.goto(`${origin}/viewer/app${DEEP_LINK}`)
    await page.waitForURL(`${origin}/viewer/app/${DEEP_LINK}`)
    await firstTile(page)
    await page.locator('table.hotspot-table tbody tr').first().waitFor()
    const api = watched.requests.filter((u) => new URL(u).port === new URL(origin).port && new URL(u).pathname.includes('/api/'))
    t.ok(api.length > 5, `${api.length} API requests`)
    t.same(
      api.filter((u) => !new URL(u).pathname.startsWith('/viewer/api/')),
      [],
      'every API request is under /viewer/api/'
    )
    t.same(watched.errors, [], 'no console errors')
    ownHostOnly(t, watched)
  })

  t.test('with AUTH_MODE=api-key the sign-in reaches the map', async (t) => {
    const hash = createHash('sha256').update(API_KEY).digest('hex')
    const { origin } = await serve(t, { AUTH_MODE: 'api-key', API_KEY_HASHES: hash })
    const page = await newPage(t, { viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(UI_TIMEOUT)
    const watched = watch(page)
    await page.goto(`${origin}/app/${DEEP_LINK}`)
    await page.getByRole('heading', { name: 'Sign in to the Thermal Viewer' }).waitFor()
    await page.getByLabel('API key', { exact: true }).fill('not-the-key')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('The API refused that credential').waitFor()
    t.pass('a wrong key is refused')
    await page.getByLabel('API key', { exact: true }).fill(API_KEY)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await firstTile(page)
    await mapIdle(page)
    t.ok((await page.locator('button.camera-marker').count()) > 0, 'the cameras are on the map')
    t.ok((await page.locator('table.hotspot-table tbody tr').count()) > 0, 'the hot spots are listed')
    t.same(
      await page.evaluate(() => sessionStorage.getItem('thermal-viewer.credential')),
      JSON.stringify({ kind: 'api-key', value: API_KEY })
    )
    t.same(
      watched.errors.filter((e) => !e.startsWith(provoked(401))),
      [],
      'no console errors but the 401s that ask for the key'
    )
    ownHostOnly(t, watched)
  })
}
