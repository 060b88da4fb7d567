import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { orthophotoExtent } from '../../demo/seed/assets.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { LINE_LOSS_DEMO as DEMO } from '../../demo/seed/line-loss-demo.js'
import { buildTestApp } from '../helpers/app.js'
import { ownDemoStore } from '../helpers/demo-store.js'

// The machine is shared: load shedding (a 503 under event-loop delay) is not what these tests are about.
// A store of its own: a test below adds measurements.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' }, await ownDemoStore(t))
const names = loadConfig({}).aws
const dataset = buildDemoDataset()
const base = `/api/pipemeasure/measurement/${DEMO.site}/${DEMO.sector}`
const list = `/api/pipemeasure/measurements/${DEMO.site}/${DEMO.sector}`

interface Region {
  region_id: number
  length_m: number
  area_m2: number
  max_temp_c: number
  mean_temp_c: number
  centroid: number[]
  polygon?: number[][]
  pixel_bbox: number[]
}

t.test('a measured pad: the stored item, numbers as numbers, unknown attributes passed through', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/leyte_tongonan_PAD_105` })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  const body = res.json()
  t.equal(body.measurement_id, 'leyte_tongonan_20241230_leyte_tongonan_PAD_105')
  t.equal(body.sector_period_pad, 'tongonan#20241230#leyte_tongonan_PAD_105')
  t.equal(body.pipeline_version, 'pipemeasure-1.4.2', 'an attribute the schema does not know')
  t.same(body.processing_params, {
    temperature_threshold_c: 55,
    min_region_area_m2: 0.5,
    source_mosaic: 'hotspot_alert',
    pipe_outer_diameter_m: 0.6
  })
  const regions = body.region_measurements as Region[]
  t.equal(regions.length, 3)
  t.equal(body.aggregate_stats.total_regions, 3)
  t.equal(typeof body.aggregate_stats.total_length_m, 'number')
  const sum = regions.reduce((a, r) => a + r.length_m, 0)
  t.ok(Math.abs(body.aggregate_stats.total_length_m - sum) < 0.011, 'the total is the sum of the regions')

  // The first region is the insulation defect the pad's orthophoto shows (110 °C over a 55 °C threshold).
  t.equal(regions[0]!.max_temp_c, 110)
  t.ok(
    regions.every((r) => r.mean_temp_c > 55 && r.mean_temp_c < r.max_temp_c),
    'means between the threshold and the peak'
  )
  const pad = dataset.pads.find((p) => p.pad_id === 'leyte_tongonan_PAD_105')!
  const extent = orthophotoExtent(pad.geo_location_area as [number, number][])
  for (const r of regions) {
    const [lon, lat] = r.centroid as [number, number]
    t.ok(lon > extent.west && lon < extent.east && lat > extent.south && lat < extent.north, `region ${r.region_id} inside the orthophoto`)
    t.same(r.polygon![0], r.polygon!.at(-1), 'a closed ring')
    t.ok(
      r.pixel_bbox.every((v) => v >= 0 && v <= 64),
      'pixel box inside the 64 px orthophoto'
    )
  }
})

t.test('a pad of the survey that was not measured: 404 naming the pad and the period', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/${DEMO.unmeasuredPad}` })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: "no measurement for pad_id 'leyte_tongonan_PAD_tgn-ss1' in period '20241230' (leyte/tongonan)" })
  t.equal(res.headers['cache-control'], 'no-store')
})

t.test('?format=geojson: the regions as Polygons, a Point where there is no polygon', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/leyte_tongonan_PAD_105?format=geojson` })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/geo\+json/)
  const fc = res.json()
  t.equal(fc.type, 'FeatureCollection')
  t.same(
    fc.features.map((f: { geometry: { type: string } }) => f.geometry.type),
    ['Polygon', 'Polygon', 'Polygon']
  )
  t.same(Object.keys(fc.features[0].properties).sort(), ['area_m2', 'length_m', 'max_temp_c', 'mean_temp_c', 'region_id'])
  const item = (await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/leyte_tongonan_PAD_105` })).json()
  t.same(fc.features[1].geometry.coordinates[0], item.region_measurements[1].polygon, 'the stored ring')

  const two = (await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/${DEMO.pointRegionPad}?format=geojson` })).json()
  const stored = (await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/${DEMO.pointRegionPad}` })).json()
  t.same(
    two.features.map((f: { geometry: { type: string } }) => f.geometry.type),
    ['Polygon', 'Point']
  )
  t.same(two.features[1].geometry.coordinates, stored.region_measurements[1].centroid)

  const notMeasured = await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/${DEMO.unmeasuredPad}?format=geojson` })
  t.equal(notMeasured.statusCode, 404)
  const badFormat = await app.inject({ method: 'GET', url: `${base}/${DEMO.period}/leyte_tongonan_PAD_105?format=kml` })
  t.equal(badFormat.statusCode, 400)
  t.same(badFormat.json(), { error: "invalid query parameter 'format': must be one of: json, geojson" })
})

t.test('a survey: every measurement in natural pad order', async (t) => {
  const res = await app.inject({ method: 'GET', url: `${list}/${DEMO.period}` })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.same({ ...body, measurements: undefined }, { site: 'leyte', sector: 'tongonan', period: '20241230', count: 3, measurements: undefined })
  t.same(
    body.measurements.map((m: { pad_id: string }) => m.pad_id),
    ['leyte_tongonan_PAD_2', 'leyte_tongonan_PAD_10', 'leyte_tongonan_PAD_105']
  )
})

t.test('20250228 is a prefix of 20250228-PMSB: neither sees the other', async (t) => {
  const plain = (await app.inject({ method: 'GET', url: `${list}/${DEMO.prefixPeriod}` })).json()
  t.equal(plain.count, 1)
  t.same(
    plain.measurements.map((m: { pad_id: string }) => m.pad_id),
    ['leyte_tongonan_PAD_105']
  )
  const suffixed = (await app.inject({ method: 'GET', url: `${list}/${DEMO.suffixedPeriod}` })).json()
  t.equal(suffixed.count, 1)
  t.same(
    suffixed.measurements.map((m: { period: string }) => m.period),
    ['20250228-PMSB']
  )
  t.equal(suffixed.measurements[0].region_measurements.length, 6, 'the most regions a demo pad has')
  const cross = await app.inject({ method: 'GET', url: `${base}/${DEMO.prefixPeriod}/${DEMO.unmeasuredPad}` })
  t.equal(cross.statusCode, 404, 'tgn-ss1 is measured in 20250228-PMSB only')
})

t.test('no measurements: count 0, even for a survey the API does not know', async (t) => {
  for (const url of [`${list}/20241115`, '/api/pipemeasure/measurements/nowhere/none/20990101']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 200, url)
    t.equal(res.json().count, 0)
    t.same(res.json().measurements, [])
  }
})

t.test('hostile and invalid path parameters: 400 naming the parameter, before any AWS call', async (t) => {
  const cases: [string, string][] = [
    [`${base}/${DEMO.period}/..%2F..%2Fetc`, 'pad_id'],
    [`${base}/${DEMO.period}/${'a'.repeat(200)}`, 'pad_id'],
    [`${base}/2024-12-30/leyte_tongonan_PAD_105`, 'period'],
    [`/api/pipemeasure/measurement/${'s'.repeat(80)}/tongonan/20241230/leyte_tongonan_PAD_105`, 'site'],
    [`/api/pipemeasure/measurement/leyte/..%2Fx/20241230/leyte_tongonan_PAD_105`, 'sector'],
    [`${list}/20241230%00`, 'period'],
    [`/api/pipemeasure/measurements/le%20yte/tongonan/20241230`, 'site'],
    // A period suffix is at most 32 characters: a 14 KB one was a cached 200 that cost a Query each.
    [`${list}/20241230-${'P'.repeat(14 * 1024)}`, 'period'],
    [`${list}/20241230-${'P'.repeat(33)}`, 'period']
  ]
  for (const [url, param] of cases) {
    app.aws.calls.reset()
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url.slice(0, 120))
    t.match(res.json().error, new RegExp(`^invalid path parameter '${param}'`), url.slice(0, 120))
    t.ok(res.body.length < 200, `the error echoes nothing of the value (${res.body.length} bytes)`)
    t.same(app.aws.calls.snapshot(), {}, 'no AWS call')
  }
})

t.test('a 404 echoes the ids it names, each within its allow-list bound', async (t) => {
  const period = `20241230-${'P'.repeat(32)}`
  const pad = 'p'.repeat(128)
  const res = await app.inject({ method: 'GET', url: `${base}/${period}/${pad}` })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: `no measurement for pad_id '${pad}' in period '${period}' (${DEMO.site}/${DEMO.sector})` })
})

t.test('a survey larger than one DynamoDB page: every page is read', async (t) => {
  // 40 items of ~30 KB: 1.2 MB, more than the 1 MB a Query page holds.
  const period = '20240301'
  const padding = 'x'.repeat(30_000)
  const items = Array.from({ length: 40 }, (_, i) => ({
    measurement_id: `leyte_tongonan_${period}_leyte_tongonan_PAD_p${i}`,
    site_id: 'leyte',
    sector_period_pad: `tongonan#${period}#leyte_tongonan_PAD_p${i}`,
    pad_id: `leyte_tongonan_PAD_p${i}`,
    period,
    aggregate_stats: { total_regions: 1, total_length_m: i, total_area_m2: i * 1.8, total_perimeter_m: 2 * i + 3.6 },
    raster_profile: padding
  }))
  for (let i = 0; i < items.length; i += 20) {
    await app.aws.doc.send(
      new BatchWriteCommand({
        RequestItems: { [names.measurementsTable]: items.slice(i, i + 20).map((Item) => ({ PutRequest: { Item } })) }
      })
    )
  }
  app.services.caches.clear()
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: `${list}/${period}` })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.count, 40)
  t.same(
    body.measurements.map((m: { pad_id: string }) => m.pad_id),
    Array.from({ length: 40 }, (_, i) => `leyte_tongonan_PAD_p${i}`),
    'natural order: p2 before p10'
  )
  const queries = app.aws.calls.snapshot()['DynamoDB.Query'] ?? 0
  t.ok(queries >= 2, `${queries} Query pages`)
})
