import t from 'tap'
import { ImagesRepository, SURVEY_ATTRIBUTES } from '../../src/data/images-repository.js'
import { BucketStore } from '../../src/data/bucket-store.js'
import { PadsRepository } from '../../src/data/pads-repository.js'
import { loadConfig } from '../../src/config.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import type { CallContext } from '../../src/call-context.js'
import { buildTestApp } from '../helpers/app.js'

// The demo archive is small enough to fit one page, so these repositories read it
// two items (or keys) at a time to prove every page is followed.
const app = await buildTestApp(t)
const { aws: names } = loadConfig({})
const dataset = buildDemoDataset()
const quiet = { warn() {}, info() {}, debug() {} }
/** A request's context; its tally must agree with the client-wide counter, page by page. */
const context = (): CallContext => ({ log: quiet, calls: {} })

t.test('pads: Scan and Query follow LastEvaluatedKey to the end', async (t) => {
  const pads = new PadsRepository(app.aws.doc, names.padsTable, 2)
  app.aws.calls.reset()
  const scan = context()
  const all = await pads.scanLocations(scan)
  t.equal(all.length, dataset.pads.length)
  t.ok(app.aws.calls.snapshot()['DynamoDB.Scan']! >= Math.ceil(dataset.pads.length / 2), 'one Scan per page')
  t.same(scan.calls, app.aws.calls.snapshot(), 'the request tally counts every page')

  app.aws.calls.reset()
  const query = context()
  const tongonan = await pads.listBySiteSector(query, 'leyte', 'tongonan')
  const expected = dataset.pads.filter((p: any) => p.site_sector === 'leyte_tongonan').length
  t.equal(tongonan.length, expected)
  t.ok(app.aws.calls.snapshot()['DynamoDB.Query']! >= Math.ceil(expected / 2))
  t.same(query.calls, app.aws.calls.snapshot())
})

t.test('images: the survey query follows every page, projected to the survey attributes', async (t) => {
  const images = new ImagesRepository(app.aws.doc, names.imagesTable, 2)
  const inPeriod = dataset.images.filter((i: any) => i.site_id === 'leyte' && i.sector_period === 'tongonan#20241230').length
  app.aws.calls.reset()
  const ctx = context()
  const records = await images.listSurvey(ctx, 'leyte', 'tongonan', '20241230', SURVEY_ATTRIBUTES)
  t.equal(records.length, inPeriod)
  t.equal(new Set(records.map((r) => r.image_id)).size, inPeriod, 'no duplicates across pages')
  t.equal(
    app.aws.calls.snapshot()['DynamoDB.Query'],
    Math.ceil(inPeriod / 2) + (inPeriod % 2 === 0 ? 1 : 0),
    `${inPeriod} items read two at a time`
  )
  t.same(ctx.calls, app.aws.calls.snapshot(), 'the request tally counts every page')
  const top = [
    'image_id',
    'pad_id',
    'optical_filename',
    'thermal_filename',
    'colored_images',
    'optical_metadata',
    'thermal_metadata',
    'calibration',
    'processing_status'
  ]
  t.ok(
    records.every((r) => Object.keys(r).every((k) => top.includes(k))),
    'only projected attributes'
  )
  const prd = records.find((r) => r.image_id === 'leyte_tongonan_20241230_0379')!
  t.same(
    prd.calibration,
    {
      status: 'calibrated',
      params: { ambient_temp: 25, emissivity: 0.92 },
      temperature_delta: { max_calibrated: 145.3, avg_calibrated: 28.54 }
    },
    'nested paths only'
  )
  t.same(prd.thermal_metadata, { temperature_min: 22.7, temperature_max: 131.6, temperature_avg: 27.89, ambient_temperature: 20 })
})

t.test('S3: listings follow continuation tokens', async (t) => {
  const store = new BucketStore(app.aws.s3, names.bucket, 3600)
  const prefix = 'mosaics/leyte/tongonan/20241230/'
  const expected = dataset.objects
    .filter((o) => o.key.startsWith(prefix))
    .map((o) => o.key)
    .sort()
  t.ok(expected.length > 4)
  app.aws.calls.reset()
  const ctx = context()
  const keys = await store.listKeys(ctx, prefix, 2)
  t.same(keys.sort(), expected)
  t.equal(app.aws.calls.snapshot()['S3.ListObjectsV2'], Math.ceil(expected.length / 2))
  t.same(ctx.calls, { 'S3.ListObjectsV2': Math.ceil(expected.length / 2) }, 'the request tally counts every page')
})

t.test('measurements: the survey query follows every page; a pad is one key', async (t) => {
  const { MeasurementsRepository } = await import('../../src/data/measurements-repository.js')
  const repo = new MeasurementsRepository(app.aws.doc, names.measurementsTable, 1)
  const expected = (dataset.measurements ?? []).filter((m: any) => m.sector_period_pad.startsWith('tongonan#20241230#'))
  t.equal(expected.length, 3)
  const ctx = context()
  const items = await repo.forSurvey(ctx, 'leyte', 'tongonan', '20241230')
  t.same(items.map((i) => i.measurement_id).sort(), expected.map((m: any) => m.measurement_id).sort())
  t.ok(ctx.calls['DynamoDB.Query']! >= 3, 'one Query per page')
  const pad = context()
  t.equal((await repo.forPad(pad, 'leyte', 'tongonan', '20241230', 'leyte_tongonan_PAD_105'))?.pad_id, 'leyte_tongonan_PAD_105')
  t.equal(await repo.forPad(pad, 'leyte', 'tongonan', '20241230', 'leyte_tongonan_PAD_tgn-ss1'), undefined)
})
