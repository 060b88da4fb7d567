import t from 'tap'
import { ImagesRepository, PROJECTIONS } from '../../src/data/images-repository.js'
import { MosaicStore } from '../../src/data/mosaic-store.js'
import { PadsRepository } from '../../src/data/pads-repository.js'
import { loadConfig } from '../../src/config.js'
import { buildDemoDataset } from '../../src/seed/demo-dataset.js'
import { buildTestApp } from '../helpers/app.js'

// The demo archive is small enough to fit one page, so these repositories read it
// two items (or keys) at a time to prove every page is followed.
const app = await buildTestApp(t)
const { aws: names } = loadConfig({})
const dataset = buildDemoDataset()

t.test('pads: Scan and Query follow LastEvaluatedKey to the end', async (t) => {
  const pads = new PadsRepository(app.aws.doc, names.padsTable, 2)
  app.aws.calls.reset()
  const all = await pads.scanLocations()
  t.equal(all.length, dataset.pads.length)
  t.ok(app.aws.calls.snapshot()['DynamoDB.Scan']! >= Math.ceil(dataset.pads.length / 2), 'one Scan per page')

  app.aws.calls.reset()
  const tongonan = await pads.listBySiteSector('leyte', 'tongonan')
  const expected = dataset.pads.filter((p: any) => p.site_sector === 'leyte_tongonan').length
  t.equal(tongonan.length, expected)
  t.ok(app.aws.calls.snapshot()['DynamoDB.Query']! >= Math.ceil(expected / 2))
})

t.test('images: the pad query follows every page, even pages the filter empties', async (t) => {
  const images = new ImagesRepository(app.aws.doc, names.imagesTable, 2)
  const expected = dataset.images.filter(
    (i: any) => i.pad_id === 'leyte_tongonan_PAD_105' && i.sector_period === 'tongonan#20241230'
  ).length
  const inPeriod = dataset.images.filter((i: any) => i.site_id === 'leyte' && i.sector_period === 'tongonan#20241230').length
  app.aws.calls.reset()
  const records = await images.listForPad('leyte', 'tongonan', '20241230', 'leyte_tongonan_PAD_105', PROJECTIONS.cameras)
  t.equal(records.length, expected)
  t.equal(new Set(records.map((r) => r.image_id)).size, expected, 'no duplicates across pages')
  t.ok(app.aws.calls.snapshot()['DynamoDB.Query']! >= Math.ceil(inPeriod / 2), `${inPeriod} items read two at a time`)
  for (const r of records) {
    t.same(Object.keys(r).filter((k) => !['image_id', 'optical_filename', 'thermal_filename', 'colored_images', 'optical_metadata', 'thermal_metadata'].includes(k)), [], 'only projected attributes')
  }
})

t.test('S3: listings follow continuation tokens', async (t) => {
  const store = new MosaicStore(app.aws.s3, names.bucket, 3600)
  const prefix = 'mosaics/leyte/tongonan/20241230/'
  const expected = dataset.objects.filter((o) => o.key.startsWith(prefix)).map((o) => o.key).sort()
  t.ok(expected.length > 4)
  app.aws.calls.reset()
  const keys = await store.listKeys(prefix, 2)
  t.same(keys.sort(), expected)
  t.equal(app.aws.calls.snapshot()['S3.ListObjectsV2'], Math.ceil(expected.length / 2))
})
