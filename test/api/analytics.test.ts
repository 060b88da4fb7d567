import t from 'tap'
import { HOTSPOT_CSV_COLUMNS, SUMMARY_CSV_COLUMNS } from '../../schemas/analytics.js'
import { loadConfig } from '../../src/config.js'
import { ANALYTICS_DEMO } from '../../demo/seed/analytics-scenario.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { createServices } from '../../src/services/index.js'
import { rfc7946Problems } from '../helpers/geojson.js'
import { buildTestApp } from '../helpers/app.js'

const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
const dataset = buildDemoDataset()
const SURVEY = 'site=leyte&sector=tongonan&period=20241230'
const PRD = 'leyte_tongonan_20241230_0379'
const UNCALIBRATED = 'leyte_tongonan_20241230_0350'

async function get(url: string, opts: { cold?: boolean } = {}) {
  if (opts.cold) app.services.caches.clear()
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url })
  return { res, calls: app.aws.calls.snapshot() }
}

const imagesOf = (period: string, padId?: string) =>
  dataset.images.filter(
    (i: any) => i.sector_period === `tongonan#${period}` && i.site_id === 'leyte' && (padId === undefined || i.pad_id === padId)
  ) as any[]

function parseCsv(text: string): string[][] {
  t.ok(text.endsWith('\r\n'), 'CSV lines end in CRLF')
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => line.split(','))
}

t.test('GET /api/hotspots: the hottest images of the survey, ranked, with ΔT and severity', async (t) => {
  const { res, calls } = await get(`/api/hotspots?${SURVEY}`, { cold: true })
  t.equal(res.statusCode, 200)
  t.same(calls, { 'DynamoDB.Query': 1 }, 'cold: one Query of the survey')
  const body = res.json()
  t.match(body, { site: 'leyte', sector: 'tongonan', period: '20241230', pad_id: null, reference_temp: 28.65 })
  t.equal(body.count, imagesOf('20241230').length, 'every image of the demo survey has thermal data')
  t.equal(body.hotspots.length, 20, 'limit defaults to 20')
  t.same(
    body.hotspots.map((h: any) => h.rank),
    Array.from({ length: 20 }, (_, i) => i + 1)
  )
  t.same(body.hotspots[0], {
    rank: 1,
    image_id: PRD,
    pad_id: 'leyte_tongonan_PAD_105',
    max_temp: 145.3,
    avg_temp: 28.54,
    delta_t: 116.65,
    severity: 'critical',
    is_calibrated: true,
    thermal_filename: 'DJI_0381_T.JPG',
    location: [124.635123, 11.165456, 445.5]
  })
  for (let i = 1; i < body.hotspots.length; i++) {
    const [a, b] = [body.hotspots[i - 1], body.hotspots[i]]
    t.ok(a.max_temp > b.max_temp || (a.max_temp === b.max_temp && a.image_id < b.image_id), `order at ${i}`)
  }
  t.same((await get(`/api/hotspots?${SURVEY}`)).calls, {}, 'warm: no AWS call')
})

t.test('hot spots of every severity, the min_severity filter and the limit', async (t) => {
  const all = (await get(`/api/hotspots?${SURVEY}&limit=500`)).res.json()
  t.equal(all.hotspots.length, all.count)
  const severities = new Set(all.hotspots.map((h: any) => h.severity))
  t.same([...severities].sort(), ['critical', 'minor', 'moderate', 'serious'], 'the demo survey has every severity')
  for (const h of all.hotspots) {
    const d = h.delta_t
    const expected = d < 10 ? 'minor' : d < 20 ? 'moderate' : d < 40 ? 'serious' : 'critical'
    t.equal(h.severity, expected, `${h.image_id}: ΔT ${d}`)
    t.equal(h.delta_t, Math.round((h.max_temp - all.reference_temp) * 100) / 100)
  }
  t.ok(all.hotspots.some((h: any) => h.is_calibrated) && all.hotspots.some((h: any) => !h.is_calibrated), 'calibrated and not')
  const uncal = all.hotspots.find((h: any) => h.image_id === UNCALIBRATED)
  const record = dataset.images.find((i: any) => i.image_id === UNCALIBRATED) as any
  t.match(uncal, {
    is_calibrated: false,
    max_temp: record.thermal_metadata.temperature_max,
    avg_temp: record.thermal_metadata.temperature_avg
  })

  const serious = (await get(`/api/hotspots?${SURVEY}&limit=3&min_severity=serious`)).res.json()
  t.equal(
    serious.count,
    all.hotspots.filter((h: any) => h.severity === 'serious' || h.severity === 'critical').length,
    'count is before the limit'
  )
  t.equal(serious.hotspots.length, 3)
  t.same(
    serious.hotspots.map((h: any) => h.image_id),
    all.hotspots.slice(0, 3).map((h: any) => h.image_id)
  )
  const minor = (await get(`/api/hotspots?${SURVEY}&limit=500&min_severity=minor`)).res.json()
  t.equal(minor.count, all.count, 'minor is every hot spot')
})

t.test('with pad_id: only that pad, against the survey’s reference', async (t) => {
  const { res } = await get(`/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_tgn-ss1&limit=500`)
  const body = res.json()
  t.equal(body.pad_id, 'leyte_tongonan_PAD_tgn-ss1')
  t.equal(body.reference_temp, 28.65, 'the reference stays the survey’s')
  t.equal(body.count, imagesOf('20241230', 'leyte_tongonan_PAD_tgn-ss1').length)
  t.ok(body.hotspots.every((h: any) => h.pad_id === 'leyte_tongonan_PAD_tgn-ss1'))
  t.equal(body.hotspots.filter((h: any) => h.severity === 'minor').length, ANALYTICS_DEMO.coolFrameCount, 'the cool frames')
})

t.test('format=geojson: RFC 7946 Point features with the same properties', async (t) => {
  const json = (await get(`/api/hotspots?${SURVEY}&limit=50`)).res.json()
  const { res } = await get(`/api/hotspots?${SURVEY}&limit=50&format=geojson`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/geo\+json/)
  t.equal(res.headers['content-disposition'], 'attachment; filename="hotspots_leyte_tongonan_20241230.geojson"')
  const fc = res.json()
  t.same(rfc7946Problems(fc), [], 'valid RFC 7946')
  t.equal(fc.features.length, json.hotspots.length)
  fc.features.forEach((f: any, i: number) => {
    const { location, ...properties } = json.hotspots[i]
    t.same(f.properties, properties)
    t.same(f.geometry, { type: 'Point', coordinates: location })
    const gps = (dataset.images.find((r: any) => r.image_id === f.properties.image_id) as any).optical_metadata.gps_location
    t.same(f.geometry.coordinates.slice(0, 2), [gps.longitude, gps.latitude], 'longitude first')
  })
})

t.test('format=csv: one row per hot spot', async (t) => {
  const json = (await get(`/api/hotspots?${SURVEY}&limit=10`)).res.json()
  const { res } = await get(`/api/hotspots?${SURVEY}&limit=10&format=csv`)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="hotspots_leyte_tongonan_20241230.csv"')
  const [header, ...rows] = parseCsv(res.body)
  t.same(header, HOTSPOT_CSV_COLUMNS)
  t.equal(rows.length, 10)
  rows.forEach((row, i) => {
    const h = json.hotspots[i]
    t.same(
      row,
      [h.rank, h.image_id, h.pad_id, h.max_temp, h.avg_temp, h.delta_t, h.severity, h.is_calibrated, ...h.location, h.thermal_filename].map(
        String
      )
    )
  })
})

t.test('hot spots: bad parameters are 400s naming them, unknown ids 404s naming them', async (t) => {
  for (const [query, name] of [
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['min_severity=extreme', 'min_severity'],
    ['format=xml', 'format'],
    ['pad_id=../etc', 'pad_id']
  ] as const) {
    const { res } = await get(`/api/hotspots?${SURVEY}&${query}`)
    t.equal(res.statusCode, 400, query)
    t.match(res.json().error, new RegExp(`'${name}'`), query)
  }
  for (const url of ['/api/hotspots?site=a/b&sector=tongonan&period=20241230', '/api/hotspots?site=leyte&sector=tongonan&period=2024']) {
    t.equal((await get(url)).res.statusCode, 400, url)
  }
  for (const [url, error] of [
    ['/api/hotspots?site=nowhere&sector=tongonan&period=20241230', "site 'nowhere' not found"],
    ['/api/hotspots?site=leyte&sector=nowhere&period=20241230', "sector 'nowhere' not found in site 'leyte'"],
    ['/api/hotspots?site=leyte&sector=tongonan&period=20200101', "period '20200101' not found in sector 'tongonan'"],
    [`/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_999`, "pad_id 'leyte_tongonan_PAD_999' has no images in period '20241230'"]
  ] as const) {
    const { res } = await get(url)
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { error }, url)
    t.equal(res.headers['cache-control'], 'no-store')
  }
})

t.test('GET /api/trend: a pad across its surveys, oldest first, warming', async (t) => {
  const { res, calls } = await get('/api/trend?site=leyte&sector=tongonan&pad_id=leyte_tongonan_PAD_105', { cold: true })
  t.equal(res.statusCode, 200)
  t.same(calls, { 'DynamoDB.Query': 5 + 4 }, 'the key-skipping period Queries, then one survey load per period')
  const body = res.json()
  t.match(body, { site: 'leyte', sector: 'tongonan', pad_id: 'leyte_tongonan_PAD_105' })
  t.same(
    body.periods.map((p: any) => p.period),
    ANALYTICS_DEMO.warming.map((w) => w.period),
    'oldest first'
  )
  t.same(
    body.periods.map((p: any) => p.max_temp),
    ANALYTICS_DEMO.warming.map((w) => w.max)
  )
  t.equal(body.periods[0].delta_max_vs_previous, null)
  for (let i = 1; i < body.periods.length; i++) {
    const p = body.periods[i]
    t.equal(p.delta_max_vs_previous, Math.round((p.max_temp - body.periods[i - 1].max_temp) * 10) / 10)
    t.ok(p.delta_max_vs_previous >= 3, `${p.period} warms by several °C (${p.delta_max_vs_previous})`)
  }
  for (const p of body.periods) {
    const records = imagesOf(p.period, 'leyte_tongonan_PAD_105')
    t.equal(p.image_count, records.length, `${p.period} image_count`)
    const counts = Object.values(p.hotspot_counts as Record<string, number>).reduce((a, b) => a + b, 0)
    t.equal(counts, records.length, 'every image has thermal data, so each is counted once')
    t.ok(p.p95_max_temp <= p.max_temp && p.avg_temp < p.p95_max_temp)
  }
  // The 20241230 entry agrees with the hot spots of the same survey and pad.
  const hs = (await get(`/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_105&limit=500`)).res.json()
  const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 } as Record<string, number>
  for (const h of hs.hotspots) counts[h.severity]!++
  t.same(body.periods[1].hotspot_counts, counts)
  const maxima = hs.hotspots.map((h: any) => h.max_temp).sort((a: number, b: number) => a - b)
  t.equal(body.periods[1].p95_max_temp, maxima[Math.ceil(0.95 * maxima.length) - 1], 'nearest rank')
  t.same((await get('/api/trend?site=leyte&sector=tongonan&pad_id=leyte_tongonan_PAD_105')).calls, {}, 'warm: none')
})

t.test('trend of a pad in two of the four periods; the 404s', async (t) => {
  const body = (await get('/api/trend?site=leyte&sector=tongonan&pad_id=leyte_tongonan_PAD_10')).res.json()
  t.same(
    body.periods.map((p: any) => p.period),
    ['20241230', '20241231-PMSB']
  )
  for (const [url, error] of [
    [
      '/api/trend?site=leyte&sector=tongonan&pad_id=leyte_tongonan_PAD_999',
      "pad_id 'leyte_tongonan_PAD_999' has no images in sector 'tongonan'"
    ],
    ['/api/trend?site=leyte&sector=nowhere&pad_id=leyte_tongonan_PAD_105', "sector 'nowhere' not found in site 'leyte'"],
    ['/api/trend?site=nowhere&sector=tongonan&pad_id=leyte_tongonan_PAD_105', "site 'nowhere' not found"]
  ] as const) {
    const { res } = await get(url)
    t.equal(res.statusCode, 404, url)
    t.same(res.json(), { error })
  }
  const { res } = await get('/api/trend?site=leyte&sector=tongonan')
  t.equal(res.statusCode, 400)
  t.match(res.json().error, /'pad_id'/)
})

t.test('GET /api/survey/summary: one row per pad, natural order, with totals', async (t) => {
  const { res, calls } = await get(`/api/survey/summary?${SURVEY}`, { cold: true })
  t.equal(res.statusCode, 200)
  t.same(calls, { 'DynamoDB.Query': 3, 'S3.ListObjectsV2': 1 }, 'the survey, the sector’s pads, its measurements and one listing')
  const body = res.json()
  t.same(
    body.pads.map((p: any) => p.pad_name),
    ['2', '10', '105', 'tgn-ss1'],
    'natural order; PAD_2 has no pad_name in its item'
  )
  const complete = (await get(`/api/pads?${SURVEY}`)).res.json().map((p: any) => p.pad_id)
  for (const row of body.pads) {
    t.equal(row.image_count, imagesOf('20241230', row.pad_id).length, `${row.pad_id} image_count`)
    t.equal(row.complete, complete.includes(row.pad_id), `${row.pad_id} complete as pads?period says`)
    const coverage = (await get(`/api/coverage/stats?${SURVEY}&pad_id=${row.pad_id}`)).res.json()
    t.equal(row.coverage_area_m2, coverage.coverage_area_m2, `${row.pad_id} coverage as coverage/stats`)
    const top = (await get(`/api/hotspots?${SURVEY}&pad_id=${row.pad_id}&limit=1`)).res.json().hotspots[0]
    t.equal(row.hottest_image_id, top.image_id)
    t.equal(row.max_temp, top.max_temp)
  }
  const heat = (await get(`/api/heat-loss?${SURVEY}`)).res.json()
  const excess = new Map(heat.pads.map((p: any) => [p.pad_id, p.excess_heat_loss_kw]))
  t.same(
    body.pads.map((p: any) => [p.pad_id, p.excess_heat_loss_kw]),
    body.pads.map((p: any) => [p.pad_id, excess.get(p.pad_id) ?? null]),
    'each pad’s excess heat loss as GET /api/heat-loss says'
  )
  t.same(
    body.pads.map((p: any) => p.excess_heat_loss_kw === null),
    [false, true, false, true],
    'null for PAD_10 (no pipe diameter) and tgn-ss1 (not measured)'
  )
  t.same(body.totals, {
    pad_count: 4,
    image_count: imagesOf('20241230').length,
    max_temp: 145.3,
    hottest_image_id: PRD,
    severity_counts: body.pads.reduce(
      (c: any, p: any) => ({
        minor: c.minor + p.severity_counts.minor,
        moderate: c.moderate + p.severity_counts.moderate,
        serious: c.serious + p.severity_counts.serious,
        critical: c.critical + p.severity_counts.critical
      }),
      { minor: 0, moderate: 0, serious: 0, critical: 0 }
    ),
    complete_pads: 3
  })

  const csv = await get(`/api/survey/summary?${SURVEY}&format=csv`)
  t.equal(csv.res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.res.headers['content-disposition'], 'attachment; filename="survey_leyte_tongonan_20241230.csv"')
  const [header, ...rows] = parseCsv(csv.res.body)
  t.same(header, SUMMARY_CSV_COLUMNS)
  t.same(
    rows,
    body.pads.map((p: any) =>
      [
        p.pad_id,
        p.pad_name,
        p.image_count,
        p.max_temp,
        p.avg_temp,
        p.hottest_image_id,
        ...Object.values(p.severity_counts),
        p.complete,
        p.coverage_area_m2,
        p.excess_heat_loss_kw ?? ''
      ].map(String)
    )
  )
  for (const [url, status] of [
    ['/api/survey/summary?site=leyte&sector=tongonan&period=20200101', 404],
    ['/api/survey/summary?site=nowhere&sector=tongonan&period=20241230', 404],
    ['/api/survey/summary?site=leyte&sector=tongonan', 400],
    [`/api/survey/summary?${SURVEY}&format=geojson`, 400]
  ] as const) {
    t.equal((await get(url)).res.statusCode, status, url)
  }
})

t.test('GET /api/catalog: the four-level walk in one response, messy pad items included', async (t) => {
  const { res } = await get('/api/catalog')
  t.equal(res.statusCode, 200)
  const catalog = res.json()
  // The same tree, walked the old way.
  const walked: any = { sites: [] }
  for (const site of (await get('/api/sites')).res.json()) {
    const sectors = []
    for (const sector of (await get(`/api/sectors?site=${site}`)).res.json()) {
      const periods = []
      for (const period of (await get(`/api/periods?site=${site}&sector=${sector}`)).res.json()) {
        const pads = (await get(`/api/pads?site=${site}&sector=${sector}&period=${period}`)).res.json()
        periods.push({ period, pads: pads.map((p: any) => p.pad_id) })
      }
      sectors.push({ sector, periods })
    }
    walked.sites.push({ site, sectors })
  }
  t.same(catalog, walked)
  const tongonan = catalog.sites[0].sectors.find((s: any) => s.sector === 'tongonan')
  t.same(
    tongonan.periods.find((p: any) => p.period === '20241230').pads,
    ['leyte_tongonan_PAD_2', 'leyte_tongonan_PAD_10', 'leyte_tongonan_PAD_105'],
    'site_id item (10) and nameless item (2) in natural order'
  )
  t.notMatch(JSON.stringify(catalog), /orphan/, 'the orphan item is skipped')

  const one = (await get('/api/catalog?site=upper-rhine')).res.json()
  t.same(one, {
    sites: [
      { site: 'upper-rhine', sectors: [{ sector: 'insheim', periods: [{ period: '20250629', pads: ['upper-rhine_insheim_PAD_A1'] }] }] }
    ]
  })
  const unknown = await get('/api/catalog?site=nowhere')
  t.equal(unknown.res.statusCode, 404)
  t.same(unknown.res.json(), { error: "site 'nowhere' not found" })
  t.equal((await get('/api/catalog?site=../x')).res.statusCode, 400)
})

t.test('a survey over many pages: the same hot spots, one Query per page', async (t) => {
  const paged = createServices({
    doc: app.aws.doc,
    dynamodb: app.aws.dynamodb,
    s3: app.aws.s3,
    config: { ...loadConfig({}), readyCacheMs: 0 },
    pageLimit: 5
  })
  const ctx = { log: { warn() {}, info() {}, debug() {} }, calls: {} as Record<string, number> }
  app.aws.calls.reset()
  const result = await paged.analytics.hotspots(ctx, { site: 'leyte', sector: 'tongonan', period: '20241230', limit: 500 })
  const n = imagesOf('20241230').length
  t.same(ctx.calls, { 'DynamoDB.Query': Math.floor(n / 5) + 1 }, `${n} images five at a time`)
  t.same(result, (await get(`/api/hotspots?${SURVEY}&limit=500`)).res.json(), 'the same answer as one page')
})
