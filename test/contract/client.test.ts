import type { AddressInfo } from 'node:net'
import t from 'tap'
import {
  createThermalClient,
  tileUrlTemplate,
  type CameraFeature,
  type Catalog,
  type HotspotList,
  type Measurement,
  type MeasurementList,
  type Pad,
  type PadCollection,
  type PadTrend,
  type ReportLinks,
  type SurveySummary
} from '../../client/src/index.js'
import { buildTestApp } from '../helpers/app.js'
import { assertConforms } from '../helpers/contract.js'

// Load shedding on a busy machine (a 503 under event-loop delay) is tested elsewhere.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as AddressInfo

/** A fetch that checks each response against the contract as it passes through the real socket. */
const checkingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init)
  const res = await fetch(request)
  const body = await res.clone().text()
  assertConforms(
    request.method,
    new URL(request.url).pathname + new URL(request.url).search,
    res.status,
    res.headers.get('content-type') ?? undefined,
    body
  )
  return res
}

const client = createThermalClient({
  baseUrl: `http://127.0.0.1:${port}/`,
  fetch: checkingFetch,
  headers: { 'x-request-id': 'client-test' }
})
const pad = { site: 'leyte', sector: 'tongonan', period: '20241230', pad_id: 'leyte_tongonan_PAD_105' }

t.test('every operation once through the typed client', async (t) => {
  const health = await client.GET('/health')
  t.equal(health.data?.status, 'healthy')
  t.equal(health.response.headers.get('x-request-id'), 'client-test')

  const index = await client.GET('/')
  t.equal(index.data?.service, 'thermal-viewer-backend')

  const sites = await client.GET('/api/sites')
  const siteList: string[] | undefined = sites.data
  t.same(siteList, ['leyte', 'upper-rhine'])

  const sectors = await client.GET('/api/sectors', { params: { query: { site: 'leyte' } } })
  t.ok(sectors.data?.includes('tongonan'))

  const periods = await client.GET('/api/periods', { params: { query: { site: 'leyte', sector: 'tongonan' } } })
  t.equal(periods.data?.[0], '20250228')

  const pads = await client.GET('/api/pads', { params: { query: { site: 'leyte', sector: 'tongonan', period: '20241230' } } })
  const padList: Pad[] | undefined = pads.data
  t.same(
    padList?.map((p) => p.pad_name),
    ['2', '10', '105']
  )

  const meta = await client.GET('/api/mosaic/metadata', { params: { query: { ...pad, mosaic_type: 'optical' } } })
  t.equal(meta.data?.exists, true)

  const ortho = await client.GET('/api/mosaic/orthomosaic', { params: { query: pad } })
  t.match(ortho.data?.url, /odm_orthophoto\.tif/)

  const cams = await client.GET('/api/mosaic/cameras', { params: { query: pad } })
  const first: CameraFeature | undefined = cams.data?.features[0]
  t.equal(first?.type, 'Feature')
  t.equal(typeof first?.properties.yaw, 'number')

  const optical = await client.GET('/api/optical/{image_id}', { params: { path: { image_id: 'leyte_tongonan_20241230_0379' } } })
  t.match(optical.data?.url, /DJI_0380_W\.JPG/)

  const thermal = await client.GET('/api/thermal/{image_id}', {
    params: { path: { image_id: 'leyte_tongonan_20241230_0379' }, query: { palette: 'hotspot_alert' } }
  })
  t.match(thermal.data?.url, /hotspot_alert/)

  const stats = await client.GET('/api/thermal/{image_id}/stats', { params: { path: { image_id: 'leyte_tongonan_20241230_0379' } } })
  t.equal(stats.data?.max_temp, 145.3)
  t.equal(stats.data?.is_calibrated, true)

  const coverage = await client.GET('/api/coverage/stats', { params: { query: pad } })
  t.equal(coverage.data?.camera_fov_deg, 68.9)

  const info = await client.GET('/api/mosaic/info', { params: { query: pad } })
  t.equal(info.data?.crs, 'EPSG:32651')
  const tileJson = await client.GET('/api/tiles/tilejson.json', { params: { query: { ...pad, mosaic_type: 'medical' } } })
  t.equal(tileJson.data?.tilejson, '3.0.0')

  // The helper's template is what a map fills in; it matches the TileJSON's, and its tiles are images.
  const template = tileUrlTemplate(`http://127.0.0.1:${port}/`, { ...pad, mosaic_type: 'medical', resampling: 'nearest' })
  t.equal(template, tileJson.data?.tiles[0])
  const minzoom = tileJson.data!.minzoom
  const [lon = 0, lat = 0] = tileJson.data!.center
  const n = 2 ** minzoom
  const x = Math.floor(((lon + 180) / 360) * n)
  const y = Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n)
  const tile = await checkingFetch(template.replace('{z}', String(minzoom)).replace('{x}', String(x)).replace('{y}', String(y)))
  t.equal(tile.status, 200)
  t.equal(tile.headers.get('content-type'), 'image/png')
  const preview = await checkingFetch(
    `http://127.0.0.1:${port}/api/mosaic/preview.webp?${new URLSearchParams({ ...pad, max_size: '128' }).toString()}`
  )
  t.equal(preview.headers.get('content-type'), 'image/webp')

  const survey = { site: 'leyte', sector: 'tongonan', period: '20241230' }
  const hotspots = await client.GET('/api/hotspots', { params: { query: { ...survey, limit: 3, min_severity: 'critical' } } })
  const list: HotspotList | undefined = hotspots.data
  t.equal(list?.hotspots[0]?.image_id, 'leyte_tongonan_20241230_0379')
  t.equal(list?.hotspots[0]?.severity, 'critical')

  const trend = await client.GET('/api/trend', { params: { query: { site: 'leyte', sector: 'tongonan', pad_id: pad.pad_id } } })
  const padTrend: PadTrend | undefined = trend.data
  t.equal(padTrend?.periods.length, 4)

  const summary = await client.GET('/api/survey/summary', { params: { query: survey } })
  const surveySummary: SurveySummary | undefined = summary.data
  t.equal(surveySummary?.totals.hottest_image_id, 'leyte_tongonan_20241230_0379')

  const catalog = await client.GET('/api/catalog', { params: { query: { site: 'upper-rhine' } } })
  const tree: Catalog | undefined = catalog.data
  t.equal(tree?.sites[0]?.sectors[0]?.periods[0]?.pads[0], 'upper-rhine_insheim_PAD_A1')
  t.match(thermal.data?.colorbar_url, /_colorbar\.png/)
  t.equal(typeof stats.data?.dataset_temperature_range?.max_temp_c, 'number')

  const measurement = await client.GET('/api/pipemeasure/measurement/{site}/{sector}/{period}/{pad_id}', { params: { path: pad } })
  const item: Measurement | undefined = measurement.data
  t.equal(item?.aggregate_stats?.total_regions, 3)

  const regions = await client.GET('/api/pipemeasure/measurement/{site}/{sector}/{period}/{pad_id}', {
    params: { path: pad, query: { format: 'geojson' } },
    parseAs: 'json'
  })
  t.equal(regions.response.headers.get('content-type'), 'application/geo+json; charset=utf-8')
  t.equal((regions.data as { features?: unknown[] } | undefined)?.features?.length, 3)

  const measurements = await client.GET('/api/pipemeasure/measurements/{site}/{sector}/{period}', { params: { path: survey } })
  const measured: MeasurementList | undefined = measurements.data
  t.equal(measured?.count, 3)

  const links = await client.GET('/api/report/{site}/{sector}/{period}', { params: { path: survey } })
  const reportLinks: ReportLinks | undefined = links.data
  t.match(reportLinks?.visual_pdf_url, /line-loss-visual-report\.pdf/)

  const pdf = await client.GET('/api/report/{site}/{sector}/{period}/line-loss.pdf', { params: { path: survey }, parseAs: 'arrayBuffer' })
  t.equal(Buffer.from(pdf.data!).subarray(0, 5).toString(), '%PDF-')

  const csv = await client.GET('/api/report/{site}/{sector}/{period}/line-loss.csv', { params: { path: survey }, parseAs: 'text' })
  t.match(csv.data, /^site,leyte/)

  const posted = await client.POST('/api/report/generate', {
    body: { site: 'leyte', sector: 'tongonan', rows: [{ section: 'Pad 101', length: '1.50' }] },
    parseAs: 'arrayBuffer'
  })
  t.equal(posted.response.status, 200)
  t.equal(posted.response.headers.get('content-disposition'), 'attachment; filename="line-loss-report-tongonan.pdf"')
})

t.test('the exports through the typed client', async (t) => {
  const geo = createThermalClient<'application/geo+json'>({ baseUrl: `http://127.0.0.1:${port}/`, fetch: checkingFetch })
  const pads = await geo.GET('/api/pads', { params: { query: { site: 'leyte', sector: 'tongonan', format: 'geojson' } } })
  const collection: PadCollection | undefined = pads.data
  t.equal(collection?.type, 'FeatureCollection')
  t.equal(collection?.features[0]?.geometry?.type, 'Polygon')

  const csv = await client.GET('/api/hotspots', {
    params: { query: { site: 'leyte', sector: 'tongonan', period: '20241230', format: 'csv' } },
    parseAs: 'text'
  })
  t.match(csv.data, /^rank,image_id,/)
  const kml = await client.GET('/api/mosaic/cameras', { params: { query: { ...pad, format: 'kml' } }, parseAs: 'text' })
  t.match(kml.data, /<kml xmlns="http:\/\/www\.opengis\.net\/kml\/2\.2">/)
})

t.test('errors come back typed', async (t) => {
  const res = await client.GET('/api/optical/{image_id}', { params: { path: { image_id: 'nope' } } })
  t.equal(res.response.status, 404)
  t.equal(res.data, undefined)
  t.match(res.error, { error: /nope/ })
})

t.test('a wrong call does not type-check', async (t) => {
  // These lines are checked by `tsc --noEmit` in `npm test`: if they ever compile, the build fails.
  const wrong = async () => {
    // @ts-expect-error `site` is required by /api/sectors
    await client.GET('/api/sectors', { params: { query: {} } })
    // @ts-expect-error `mosaic_type` is an enum
    await client.GET('/api/mosaic/metadata', { params: { query: { ...pad, mosaic_type: 'thermal' } } })
    // @ts-expect-error no such path
    await client.GET('/api/nothing')
  }
  t.type(wrong, 'function')
})
