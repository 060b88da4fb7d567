/**
 * The AWS cost of every endpoint on an empty cache, as exact call counts (no
 * timings): it must not change when the archive grows elsewhere (more sites,
 * pads, images, periods of other sectors, mosaics), and may grow only with the
 * periods of the sector asked for or with listing pages. Concurrent identical
 * cold requests make the calls of one request (single flight).
 */
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { buildTestApp, padQuery } from '../helpers/app.js'
import { OPERATION_IDS } from '../helpers/contract.js'
import { ownDemoStore } from '../helpers/demo-store.js'

const names = loadConfig({}).aws
// READY_CACHE_MS=0: /ready probes every time, so its count is deterministic too.
// Load shedding (a 503 under event-loop delay on a busy machine) is not what this file counts.
// A store of its own: the archive grows below.
const app = await buildTestApp(t, { READY_CACHE_MS: '0', MAX_EVENT_LOOP_DELAY_MS: '0' }, await ownDemoStore(t))

const ID = 'leyte_tongonan_20241230_0379'
const SURVEY = 'site=leyte&sector=tongonan&period=20241230'
const MEASUREMENT = '/api/pipemeasure/measurement/leyte/tongonan/20241230'
type Calls = Record<string, number>
/**
 * The archive index, as STAC and OGC API build it: the pads Scan, per sector its pads Query and period Queries, per
 * survey one listing. All five sectors: 5 + (11 periods + 5); tongonan alone: 1 + (4 + 1), and its 4 listings.
 */
const ARCHIVE = { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 5 + 16, 'S3.ListObjectsV2': 11 }
const TONGONAN = { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 1 + 5, 'S3.ListObjectsV2': 4 }
/** A page of Items adds, per survey on it, its index Query, its measurements Query and its reports listing, and per orthophoto its header. */
const page = (surveys: number, orthophotos: number, base: Calls = TONGONAN): Calls => ({
  ...base,
  'DynamoDB.Query': base['DynamoDB.Query']! + 2 * surveys,
  'S3.ListObjectsV2': base['S3.ListObjectsV2']! + surveys,
  'S3.GetObject': orthophotos
})
const SEARCH = 'collections=leyte.tongonan&datetime=2024-12-30T00:00:00Z'
/** The POSTed bodies, by path. */
const BODIES: Record<string, object> = {
  '/api/report/generate': { site: 'leyte', sector: 'tongonan', rows: [{ section: 'Pad 101', length: '1.50' }] },
  '/stac/search': { collections: ['leyte.tongonan'], datetime: '2024-12-30T00:00:00Z' }
}
/** Endpoints that walk the whole archive by design: they grow with it, and only with it. */
const ARCHIVE_WIDE = ['catalog', 'stac collections', 'feature collections', 'feature collection', 'features pads']

/** Endpoint, its operation, URL, calls of one cold request, calls of the same request warm. */
const ENDPOINTS: [string, string, string, Calls, Calls][] = [
  ['health', 'getHealth', '/health', {}, {}],
  ['index', 'getApiIndex', '/', {}, {}],
  [
    'ready',
    'getReadiness',
    '/ready',
    { 'DynamoDB.DescribeTable': 2, 'S3.HeadBucket': 1 },
    { 'DynamoDB.DescribeTable': 2, 'S3.HeadBucket': 1 }
  ],
  ['sites', 'listSites', '/api/sites', { 'DynamoDB.Scan': 1 }, {}],
  ['sectors', 'listSectors', '/api/sectors?site=leyte', { 'DynamoDB.Scan': 1 }, {}],
  // Key-skipping: one single-item Query per period (4) plus the one that finds the end.
  ['periods', 'listPeriods', '/api/periods?site=leyte&sector=tongonan', { 'DynamoDB.Query': 5 }, {}],
  ['pads', 'listPads', '/api/pads?site=leyte&sector=tongonan', { 'DynamoDB.Query': 1 }, {}],
  ['pads?period', 'listPads', '/api/pads?site=leyte&sector=tongonan&period=20241230', { 'DynamoDB.Query': 1, 'S3.ListObjectsV2': 1 }, {}],
  ['mosaic metadata', 'getMosaicMetadata', `/api/mosaic/metadata?${padQuery()}`, { 'DynamoDB.Query': 1 }, {}],
  ['orthomosaic', 'getOrthomosaicUrl', `/api/mosaic/orthomosaic?${padQuery()}`, {}, {}],
  ['cameras', 'getCameraPositions', `/api/mosaic/cameras?${padQuery()}`, { 'DynamoDB.Query': 1, 'S3.GetObject': 1 }, {}],
  ['optical', 'getOpticalImageUrl', `/api/optical/${ID}`, { 'DynamoDB.GetItem': 1 }, {}],
  // The colour bar's existence: one HeadObject, cached like the record.
  ['thermal', 'getThermalImageUrl', `/api/thermal/${ID}?palette=hotspot_alert`, { 'DynamoDB.GetItem': 1, 'S3.HeadObject': 1 }, {}],
  ['thermal stats', 'getThermalStats', `/api/thermal/${ID}/stats`, { 'DynamoDB.GetItem': 1 }, {}],
  ['coverage', 'getCoverageStats', `/api/coverage/stats?${padQuery()}`, { 'DynamoDB.Query': 1 }, {}],
  // The header (first 64 KiB); the tile then reads the COG overview blocks it covers: one read, as the two it needs are
  // one block apart (a mostly transparent 7.7 KB block, under MAX_RANGE_GAP); the preview reads all four of that level in one.
  ['mosaic info', 'getMosaicInfo', `/api/mosaic/info?${padQuery()}`, { 'S3.GetObject': 1 }, {}],
  ['tilejson', 'getTileJson', `/api/tiles/tilejson.json?${padQuery()}`, { 'S3.GetObject': 1 }, {}],
  ['tile', 'getTile', `/api/tiles/18/221828/122889.png?${padQuery()}`, { 'S3.GetObject': 2 }, {}],
  ['preview', 'getMosaicPreview', `/api/mosaic/preview.png?${padQuery()}&max_size=256`, { 'S3.GetObject': 2 }, {}],
  // The analytics read the survey index: one Query (its pages) per survey.
  ['hotspots', 'listHotspots', `/api/hotspots?${SURVEY}`, { 'DynamoDB.Query': 1 }, {}],
  ['hotspots geojson', 'listHotspots', `/api/hotspots?${SURVEY}&pad_id=leyte_tongonan_PAD_105&format=geojson`, { 'DynamoDB.Query': 1 }, {}],
  // The period Queries (4 + 1), then one survey per period.
  ['trend', 'getPadTrend', '/api/trend?site=leyte&sector=tongonan&pad_id=leyte_tongonan_PAD_105', { 'DynamoDB.Query': 5 + 4 }, {}],
  // The survey, the pads of the sector, the survey's measurements (its heat loss) and one listing.
  ['survey summary', 'getSurveySummary', `/api/survey/summary?${SURVEY}&format=csv`, { 'DynamoDB.Query': 3, 'S3.ListObjectsV2': 1 }, {}],
  ['pads geojson', 'listPads', `/api/pads?${SURVEY}&format=geojson`, { 'DynamoDB.Query': 2, 'S3.ListObjectsV2': 1 }, {}],
  ['cameras kml', 'getCameraPositions', `/api/mosaic/cameras?${padQuery()}&format=kml`, { 'DynamoDB.Query': 1, 'S3.GetObject': 1 }, {}],
  // The whole archive by design: one Scan, the period Queries of its 5 sectors (11 periods + 5) and one listing per period.
  ['catalog', 'getCatalog', '/api/catalog', { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 16, 'S3.ListObjectsV2': 11 }, {}],
  ['pad measurement', 'getPadMeasurement', `${MEASUREMENT}/leyte_tongonan_PAD_105`, { 'DynamoDB.Query': 1 }, {}],
  ['pad measurement geojson', 'getPadMeasurement', `${MEASUREMENT}/leyte_tongonan_PAD_105?format=geojson`, { 'DynamoDB.Query': 1 }, {}],
  ['not measured', 'getPadMeasurement', `${MEASUREMENT}/leyte_tongonan_PAD_tgn-ss1`, { 'DynamoDB.Query': 1 }, {}],
  ['survey measurements', 'listSurveyMeasurements', '/api/pipemeasure/measurements/leyte/tongonan/20241230', { 'DynamoDB.Query': 1 }, {}],
  ['report links', 'getReportLinks', '/api/report/leyte/tongonan/20241230', { 'S3.ListObjectsV2': 1 }, {}],
  // The measurements' Query pages, the pads of the sector (one Query of the pads index) and, for the heat loss,
  // the survey index's Query (ambient, emissivities, reference temperature).
  ['report pdf', 'getLineLossReportPdf', '/api/report/leyte/tongonan/20241230/line-loss.pdf', { 'DynamoDB.Query': 3 }, {}],
  ['report csv', 'getLineLossReportCsv', '/api/report/leyte/tongonan/20241230/line-loss.csv', { 'DynamoDB.Query': 3 }, {}],
  // The measurements' Query and the survey index's Query; the estimate is arithmetic.
  ['heat loss', 'getHeatLoss', `/api/heat-loss?${SURVEY}`, { 'DynamoDB.Query': 2 }, {}],
  ['heat loss csv', 'getHeatLoss', `/api/heat-loss?${SURVEY}&pad_id=leyte_tongonan_PAD_105&format=csv`, { 'DynamoDB.Query': 2 }, {}],
  // The posted rows are the whole report: nothing is read.
  ['report generate', 'generateLineLossReport', `POST /api/report/generate`, {}, {}],
  // STAC: the landing page needs the sector ids only; a Collection, its Items and a search of it read its sector alone.
  ['stac landing', 'getStacLanding', '/stac', { 'DynamoDB.Scan': 1 }, {}],
  ['stac conformance', 'getStacConformance', '/stac/conformance', {}, {}],
  ['stac collections', 'listStacCollections', '/stac/collections', ARCHIVE, {}],
  ['stac collection', 'getStacCollection', '/stac/collections/leyte.tongonan', TONGONAN, {}],
  // The two first Items: two pads of the newest survey, with 3 and 2 orthophotos.
  ['stac items', 'listStacItems', '/stac/collections/leyte.tongonan/items?limit=2', page(1, 5), {}],
  ['stac item', 'getStacItem', '/stac/collections/leyte.tongonan/items/leyte_tongonan_PAD_105.20241230', page(1, 3), {}],
  // Whether the file exists: the survey's mosaics listing; signing is local.
  [
    'stac asset',
    'getStacAsset',
    '/stac/collections/leyte.tongonan/items/leyte_tongonan_PAD_105.20241230/assets/optical',
    { 'S3.ListObjectsV2': 1 },
    {}
  ],
  // One survey, four pads: 3 + 2 + 2 + 1 orthophotos.
  ['stac search', 'searchStacItems', `/stac/search?${SEARCH}`, page(1, 8), {}],
  ['stac search post', 'searchStacItemsPost', 'POST /stac/search', page(1, 8), {}],
  ['features landing', 'getFeaturesLanding', '/features', {}, {}],
  ['features conformance', 'getFeaturesConformance', '/features/conformance', {}, {}],
  ['feature collections', 'listFeatureCollections', '/features/collections', ARCHIVE, {}],
  ['feature collection', 'getFeatureCollection', '/features/collections/hotspots', ARCHIVE, {}],
  ['queryables', 'getFeatureQueryables', '/features/collections/hotspots/queryables', {}, {}],
  // The queryables pick the sector and the survey: its one index Query.
  ['features hotspots', 'listFeatures', `/features/collections/hotspots/items?${SURVEY}`, { ...TONGONAN, 'DynamoDB.Query': 6 + 1 }, {}],
  // No filter: the whole archive, and the index Query of each of the 7 surveys of the first 10 pads.
  ['features pads', 'listFeatures', '/features/collections/pads/items', { ...ARCHIVE, 'DynamoDB.Query': 21 + 7 }, {}],
  // A hot spot is an image: its record names the survey.
  ['feature hotspot', 'getFeature', `/features/collections/hotspots/items/${ID}`, { 'DynamoDB.GetItem': 1, 'DynamoDB.Query': 1 }, {}]
]

t.test('every operation of the contract has its cost here', async (t) => {
  t.same([...new Set(ENDPOINTS.map(([, operationId]) => operationId))].sort(), [...OPERATION_IDS].sort())
})

async function calls(url: string, opts: { cold: boolean }): Promise<Calls> {
  if (opts.cold) app.services.caches.clear()
  app.aws.calls.reset()
  const res = url.startsWith('POST ')
    ? await app.inject({
        method: 'POST',
        url: url.slice('POST '.length),
        headers: { 'content-type': 'application/json' },
        payload: BODIES[url.slice('POST '.length)]
      })
    : await app.inject({ method: 'GET', url })
  // The pad that was not measured is a 404 that costs its one Query; an asset is a redirect.
  const ok = url.includes('/assets/') ? 302 : 200
  if (res.statusCode !== ok && !url.includes('tgn-ss1')) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
  return app.aws.calls.snapshot()
}

async function coldCounts(): Promise<Record<string, Calls>> {
  const out: Record<string, Calls> = {}
  for (const [name, , url] of ENDPOINTS) out[name] = await calls(url, { cold: true })
  return out
}

const expected = Object.fromEntries(ENDPOINTS.map(([name, , , cold]) => [name, cold]))

async function batchWrite(table: string, items: Record<string, unknown>[]) {
  for (let i = 0; i < items.length; i += 25) {
    const out = await app.aws.doc.send(
      new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } })
    )
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('unprocessed items')
  }
}

function image(site: string, sector: string, period: string, pad: string, i: number): Record<string, unknown> {
  const n = String(i).padStart(4, '0')
  const folder = `${site}/${sector}/${period}`
  return {
    image_id: `${site}_${sector}_${period}_${n}`,
    site_id: site,
    sector_id: sector,
    period,
    pad_id: pad,
    sector_period: `${sector}#${period}`,
    optical_filename: `DJI_${n}_W.JPG`,
    thermal_filename: `DJI_${n}_T.JPG`,
    optical_s3_key: `images/${folder}/DJI_${n}_W.JPG`,
    thermal_s3_key: `images/${folder}/DJI_${n}_T.JPG`,
    colored_images: { medical: `colored/${folder}/DJI_${n}_T_medical.JPG` },
    optical_metadata: { gps_location: { latitude: 11.1, longitude: 124.6, altitude: 450.5 } },
    thermal_metadata: { temperature_min: 22.1, temperature_max: 61.5, temperature_avg: 27.3 },
    calibration: { status: 'not_calibrated' },
    processing_status: { mosaic_prep: { included_in: ['optical'], mosaic_s3_keys: { optical: `mosaics/${folder}/${pad}/optical/viewer` } } }
  }
}

t.test('cold: the documented AWS calls per endpoint; warm: none', async (t) => {
  for (const [name, , url, coldCalls, warmCalls] of ENDPOINTS) {
    t.same(await calls(url, { cold: true }), coldCalls, `${name} cold`)
    t.same(await calls(url, { cold: false }), warmCalls, `${name} warm`)
  }
})

t.test('a larger archive elsewhere does not change any cold count', async (t) => {
  // 300 pads of a new site in 3 sectors, and 40 more pads in another leyte sector.
  const pads = [
    ...Array.from({ length: 300 }, (_, i) => {
      const sector = `v${i % 3}`
      return {
        pad_id: `visayas_${sector}_PAD_${i}`,
        site: 'visayas',
        sector,
        site_sector: `visayas_${sector}`,
        pad_name: String(i),
        effective_date: '20240101',
        geo_location_area: [
          [123.1, 10.1],
          [123.2, 10.1],
          [123.2, 10.2],
          [123.1, 10.1]
        ]
      }
    }),
    ...Array.from({ length: 40 }, (_, i) => ({
      pad_id: `leyte_malitbog_PAD_n${i}`,
      site: 'leyte',
      sector: 'malitbog',
      site_sector: 'leyte_malitbog',
      pad_name: `n${i}`,
      effective_date: '20240101',
      geo_location_area: [
        [124.6, 11.1],
        [124.61, 11.1],
        [124.61, 11.11],
        [124.6, 11.1]
      ]
    }))
  ]
  await batchWrite(names.padsTable, pads)
  // 2,400 images: new periods of other sectors, and of another site.
  const images = [
    ...Array.from({ length: 1200 }, (_, i) =>
      image('leyte', 'malitbog', `2023${String((i % 6) + 1).padStart(2, '0')}15`, 'leyte_malitbog_PAD_MB-1', i)
    ),
    ...Array.from({ length: 1200 }, (_, i) => image('visayas', `v${i % 3}`, '20240501', `visayas_v${i % 3}_PAD_${i % 300}`, i))
  ]
  await batchWrite(names.imagesTable, images)
  // Mosaics of other pads and periods, next to the prefixes the API lists.
  await Promise.all(
    ['20241115', '20250228', '20241231-PMSB'].flatMap((period) =>
      Array.from({ length: 20 }, (_, i) =>
        app.aws.s3.send(
          new PutObjectCommand({
            Bucket: names.bucket,
            Key: `mosaics/leyte/tongonan/${period}/leyte_tongonan_PAD_extra${i}/optical/viewer/shots.geojson`,
            Body: '{"type":"FeatureCollection","features":[]}'
          })
        )
      )
    )
  )

  const cold = await coldCounts()
  const wide = Object.fromEntries(ARCHIVE_WIDE.map((name) => [name, expected[name]]))
  t.same({ ...cold, ...wide }, expected, 'every endpoint but those that walk the whole archive: the same calls as before')
  // The archive index reads the new sectors too (visayas v0-v2: a pads Query and 1 + 1 period Queries each) and
  // malitbog's 6 new periods (a period Query and a listing each).
  const grown = { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 21 + 3 + 3 * 2 + 6, 'S3.ListObjectsV2': 11 + 3 + 6 }
  t.same(
    ARCHIVE_WIDE.slice(1).map((name) => cold[name]),
    [grown, grown, grown, { ...grown, 'DynamoDB.Query': grown['DynamoDB.Query'] + 7 }],
    'the STAC and OGC API archive walks grow with the archive only'
  )
  // The catalog lists the whole archive: 4 more sectors (visayas v0-v2 with 1 period, malitbog with 6 more).
  t.same(
    cold.catalog,
    { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 16 + 3 * 2 + 6, 'S3.ListObjectsV2': 11 + 3 + 6 },
    'the catalog grows with the archive only'
  )
  const sites = await app.inject({ method: 'GET', url: '/api/sites' })
  t.same(sites.json(), ['leyte', 'upper-rhine', 'visayas'], 'the new data is there')
  const periods = await app.inject({ method: 'GET', url: '/api/periods?site=leyte&sector=malitbog' })
  t.equal(periods.json().length, 2 + 6, 'and the new periods of malitbog')
})

t.test('the periods of the sector asked for are the only growth: one Query per period, not per image', async (t) => {
  // A new period of tongonan with 1,500 images of PAD_105: one more period, no other change.
  await batchWrite(
    names.imagesTable,
    Array.from({ length: 1500 }, (_, i) => image('leyte', 'tongonan', '20230301', 'leyte_tongonan_PAD_105', i))
  )
  const cold = await coldCounts()
  t.same(cold.periods, { 'DynamoDB.Query': 6 }, '5 periods + 1')
  t.same(cold.trend, { 'DynamoDB.Query': 6 + 5 }, 'the trend: the period Queries and one survey per period')
  // Tongonan's new period is one more period Query and one more listing for every reader of its archive sector.
  const more = (c: Calls) => ({ ...c, 'DynamoDB.Query': c['DynamoDB.Query']! + 1, 'S3.ListObjectsV2': c['S3.ListObjectsV2']! + 1 })
  const tongonan = ['stac collection', 'stac items', 'stac item', 'stac search', 'stac search post', 'features hotspots']
  t.same(
    tongonan.map((name) => cold[name]),
    tongonan.map((name) => more(expected[name]!)),
    'the readers of tongonan’s archive: its new period'
  )
  const changed = Object.fromEntries([...tongonan, ...ARCHIVE_WIDE, 'periods', 'trend'].map((name) => [name, expected[name]]))
  t.same({ ...cold, ...changed }, expected, 'everything else unchanged')
})

t.test('line-loss costs grow with pages only: a survey of 3 pads read 1 item a page, and a survey without measurements', async (t) => {
  const { MeasurementsRepository } = await import('../../src/data/measurements-repository.js')
  const repo = new MeasurementsRepository(app.aws.doc, names.measurementsTable, 1)
  const ctx = { log: { warn() {}, info() {}, debug() {} }, calls: {} }
  const items = await repo.forSurvey(ctx, 'leyte', 'tongonan', '20241230')
  t.equal(items.length, 3)
  // One page per item, and the last (empty) page that has no LastEvaluatedKey.
  t.same(ctx.calls, { 'DynamoDB.Query': 4 }, 'one Query per page')
  // A known survey without measurements also asks which periods the sector has: one single-item Query per
  // period plus one, and by now tongonan has 5 periods (the test above added one).
  app.services.caches.clear()
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: '/api/report/leyte/tongonan/20241115/line-loss.csv' })
  t.equal(res.statusCode, 200)
  t.same(app.aws.calls.snapshot(), { 'DynamoDB.Query': 1 + 1 + 6 }, 'measurements, pads, and the periods')
})

t.test('single flight: 20 concurrent identical cold requests cost what one does', async (t) => {
  for (const name of [
    'cameras',
    'sites',
    'periods',
    'pads?period',
    'optical',
    'thermal stats',
    'coverage',
    'hotspots',
    'trend',
    'survey summary'
  ]) {
    const [, , url] = ENDPOINTS.find(([n]) => n === name)!
    const one = await calls(url, { cold: true })
    app.services.caches.clear()
    app.aws.calls.reset()
    const responses = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'GET', url })))
    t.ok(
      responses.every((r) => r.statusCode === 200 && r.body === responses[0]!.body),
      `${name}: 20 identical 200s`
    )
    t.same(app.aws.calls.snapshot(), one, `${name}: the calls of one request`)
  }
})
