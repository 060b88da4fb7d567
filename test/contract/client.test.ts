import type { AddressInfo } from 'node:net'
import t from 'tap'
import { createThermalClient, type CameraFeature, type Measurement, type MeasurementList, type Pad, type ReportLinks } from '../../client/src/index.js'
import { buildTestApp } from '../helpers/app.js'
import { assertConforms } from '../helpers/contract.js'

// Load shedding on a busy machine (a 503 under event-loop delay) is tested elsewhere.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
await app.listen({ port: 0, host: '127.0.0.1' })
const { port } = app.server.address() as AddressInfo

/** A fetch that checks each response against the contract as it passes through the real socket. */
const checkingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init)
  const res = await fetch(request)
  const body = await res.clone().text()
  assertConforms(request.method, new URL(request.url).pathname + new URL(request.url).search, res.status, res.headers.get('content-type') ?? undefined, body)
  return res
}

const client = createThermalClient({ baseUrl: `http://127.0.0.1:${port}/`, fetch: checkingFetch, headers: { 'x-request-id': 'client-test' } })
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
  t.same(padList?.map((p) => p.pad_name), ['2', '10', '105'])

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
  t.match(thermal.data?.colorbar_url, /_colorbar\.png/)
  t.equal(typeof stats.data?.dataset_temperature_range?.max_temp_c, 'number')

  const survey = { site: 'leyte', sector: 'tongonan', period: '20241230' }
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
  const list: MeasurementList | undefined = measurements.data
  t.equal(list?.count, 3)

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
