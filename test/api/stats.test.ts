import t from 'tap'
import { coverageStats } from '../../src/domain/coverage.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { buildTestApp, padQuery } from '../helpers/app.js'

// Building the dataset again below blocks the loop for a moment: load shedding is tested elsewhere.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
const dataset = buildDemoDataset()

t.test('GET /api/thermal/{image_id}/stats: the PRD calibrated example', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/api/thermal/leyte_tongonan_20241230_0379/stats' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    min_temp: 22.7,
    max_temp: 145.3,
    avg_temp: 28.54,
    is_calibrated: true,
    palette: 'medical',
    calibration_params: { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 },
    dataset_temperature_range: survey20241230Range()
  })
})

/** The span the demo's medical palette was normalised to over the 20241230 survey of tongonan. */
function survey20241230Range() {
  const survey = dataset.images.filter((i: any) => i.sector_period === 'tongonan#20241230')
  const meta = survey.map((i: any) => i.thermal_metadata)
  return {
    min_temp_c: Math.min(...meta.map((m: any) => m.temperature_min)),
    max_temp_c: Math.max(...meta.map((m: any) => m.temperature_max)),
    mean_temp_c: Math.round((meta.reduce((a: number, m: any) => a + m.temperature_avg, 0) / meta.length) * 100) / 100,
    normalization: 'dataset_min_max',
    sample_size: survey.length
  }
}

t.test('dataset_temperature_range only when the record has it', async (t) => {
  const other = dataset.images.find((i: any) => i.sector_period === 'tongonan#20250228') as any
  const res = await app.inject({ method: 'GET', url: `/api/thermal/${other.image_id}/stats` })
  t.equal(res.statusCode, 200)
  t.notOk('dataset_temperature_range' in res.json())
  const range = survey20241230Range()
  t.ok(range.min_temp_c < range.mean_temp_c && range.mean_temp_c < range.max_temp_c, 'a real span')
})

t.test('an uncalibrated image reports camera values and original_params', async (t) => {
  const record = dataset.images.find((i: any) => i.pad_id === 'leyte_tongonan_PAD_105' && i.calibration?.status !== 'calibrated') as any
  t.ok(record, 'the demo has an uncalibrated image')
  const res = await app.inject({ method: 'GET', url: `/api/thermal/${record.image_id}/stats` })
  t.equal(res.statusCode, 200)
  const tm = record.thermal_metadata
  const range = record.processing_status?.colormapping?.medical?.temperature_stats
  t.same(res.json(), {
    min_temp: tm.temperature_min,
    max_temp: tm.temperature_max,
    avg_temp: tm.temperature_avg,
    is_calibrated: false,
    palette: 'medical',
    original_params: {
      emissivity: tm.emissivity,
      distance: tm.object_distance,
      reflection: tm.reflected_temperature,
      ambient_temp: tm.ambient_temperature,
      humidity: tm.relative_humidity
    },
    ...(range ? { dataset_temperature_range: range } : {})
  })
})

t.test('stats of an unknown or invalid image', async (t) => {
  const unknown = await app.inject({ method: 'GET', url: '/api/thermal/nope_0001/stats' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: "image_id 'nope_0001' not found" })
  const bad = await app.inject({ method: 'GET', url: '/api/thermal/..%2F..%2Fetc/stats' })
  t.equal(bad.statusCode, 400)
  t.match(bad.json().error, /image_id/)
})

t.test('GET /api/coverage/stats: the PRD formula over the pad images', async (t) => {
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: `/api/coverage/stats?${padQuery()}` })
  t.equal(res.statusCode, 200)
  t.same(app.aws.calls.snapshot(), { 'DynamoDB.Query': 1 })
  const records = dataset.images.filter((i: any) => i.pad_id === 'leyte_tongonan_PAD_105' && i.period === '20241230') as any[]
  const expected = coverageStats(
    records.length,
    records.map((r) => r.optical_metadata?.gps_location?.altitude ?? Number.NaN)
  )
  t.ok(records.length > 0)
  t.same(res.json(), expected)
  t.equal(res.json().camera_fov_deg, 68.9)
})

t.test('coverage of a pad without images is all zeros', async (t) => {
  const res = await app.inject({ method: 'GET', url: `/api/coverage/stats?${padQuery({ pad_id: 'leyte_tongonan_PAD_999' })}` })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { total_images: 0, coverage_area_m2: 0, avg_altitude_m: 0, camera_fov_deg: 68.9 })
})

t.test('coverage parameters are validated', async (t) => {
  for (const [q, name] of [
    [padQuery({ pad_id: undefined }), 'pad_id'],
    [padQuery({ period: 'yesterday' }), 'period'],
    [padQuery({ sector: '-x' }), 'sector']
  ] as const) {
    const res = await app.inject({ method: 'GET', url: `/api/coverage/stats?${q}` })
    t.equal(res.statusCode, 400)
    t.match(res.json().error, new RegExp(`'${name}'`))
  }
})
