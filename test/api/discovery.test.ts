import { PutObjectCommand } from '@aws-sdk/client-s3'
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { buildTestApp } from '../helpers/app.js'
import { ownDemoStore } from '../helpers/demo-store.js'

// A store of its own: a test below adds pads and mosaics.
const app = await buildTestApp(t, {}, await ownDemoStore(t))
const config = loadConfig({})

async function get(url: string) {
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.json(), calls: app.aws.calls.snapshot() }
}

t.test('GET /api/sites: every site, ascending, from one pass over the pads table', async (t) => {
  const { res, body, calls } = await get('/api/sites')
  t.equal(res.statusCode, 200)
  t.same(body, ['leyte', 'upper-rhine'])
  t.same(calls, { 'DynamoDB.Scan': 1 })
})

t.test('GET /api/sectors: sectors of the site, ascending, including site_id/sector_id items', async (t) => {
  const { res, body } = await get('/api/sectors?site=leyte')
  t.equal(res.statusCode, 200)
  t.same(body, ['mahanagdong-a', 'mahanagdong-b', 'malitbog', 'tongonan'])
  t.same((await get('/api/sectors?site=upper-rhine')).body, ['insheim'])
  t.same((await get('/api/sectors?site=atlantis')).body, [], 'an unknown site has no sectors')
})

t.test('GET /api/periods: newest first, suffixed periods included, one Query per period', async (t) => {
  const { res, body, calls } = await get('/api/periods?site=leyte&sector=tongonan')
  t.equal(res.statusCode, 200)
  t.same(body, ['20250228', '20241231-PMSB', '20241230', '20241115'])
  // Key-skipping: one single-item Query per period, plus the one that finds the end.
  t.same(calls, { 'DynamoDB.Query': 5 })
  t.same((await get('/api/periods?site=upper-rhine&sector=insheim')).body, ['20250629'])
  t.same((await get('/api/periods?site=leyte&sector=nowhere')).body, [])
})

t.test('GET /api/pads: natural order, inconsistent items repaired or skipped', async (t) => {
  const { res, body } = await get('/api/pads?site=leyte&sector=tongonan')
  t.equal(res.statusCode, 200)
  t.same(
    body.map((p: { pad_id: string; pad_name: string }) => [p.pad_id, p.pad_name]),
    [
      ['leyte_tongonan_PAD_2', '2'],
      ['leyte_tongonan_PAD_10', '10'],
      ['leyte_tongonan_PAD_105', '105'],
      ['leyte_tongonan_PAD_tgn-ss1', 'tgn-ss1']
    ],
    'PAD_2 has no pad_name (derived), PAD_10 uses site_id/sector_id, the orphan item is skipped'
  )
  const pad105 = body.find((p: { pad_id: string }) => p.pad_id === 'leyte_tongonan_PAD_105')
  t.same(pad105.geo_location_area, [
    [124.635123, 11.165456],
    [124.635789, 11.165456],
    [124.635789, 11.166123],
    [124.635123, 11.166123],
    [124.635123, 11.165456]
  ])
})

t.test('GET /api/pads?period=: only complete pads, from one Query and one listing', async (t) => {
  // Cold: the sector's pads are shared with GET /api/pads, which an earlier test has cached.
  app.services.caches.clear()
  const { res, body, calls } = await get('/api/pads?site=leyte&sector=tongonan&period=20241230')
  t.equal(res.statusCode, 200)
  t.same(
    body.map((p: { pad_id: string }) => p.pad_id),
    ['leyte_tongonan_PAD_2', 'leyte_tongonan_PAD_10', 'leyte_tongonan_PAD_105'],
    'tgn-ss1 has only its optical mosaic and is left out'
  )
  t.same(calls, { 'DynamoDB.Query': 1, 'S3.ListObjectsV2': 1 })
  t.same((await get('/api/pads?site=leyte&sector=tongonan&period=19990101')).body, [], 'no mosaics, no pads')
})

t.test('the completeness check does not grow with the number of pads', async (t) => {
  const extra = Array.from({ length: 60 }, (_, i) => `leyte_tongonan_PAD_x${i}`)
  for (let i = 0; i < extra.length; i += 25) {
    await app.aws.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [config.aws.padsTable]: extra.slice(i, i + 25).map((pad_id) => ({
            PutRequest: {
              Item: {
                pad_id,
                site: 'leyte',
                sector: 'tongonan',
                site_sector: 'leyte_tongonan',
                pad_name: pad_id.split('_PAD_')[1],
                effective_date: '20240101',
                geo_location_area: [
                  [124.6, 11.1],
                  [124.61, 11.1],
                  [124.61, 11.11],
                  [124.6, 11.1]
                ]
              }
            }
          }))
        }
      })
    )
  }
  // Half of the new pads get complete mosaics.
  await Promise.all(
    extra.slice(0, 30).flatMap((pad) =>
      ['optical', 'medical'].flatMap((type) =>
        ['odm_orthophoto.tif', 'shots.geojson'].map((file) =>
          app.aws.s3.send(
            new PutObjectCommand({
              Bucket: config.aws.bucket,
              Key: `mosaics/leyte/tongonan/20241230/${pad}/${type}/viewer/${file}`,
              Body: '{}'
            })
          )
        )
      )
    )
  )
  // The lists read before the new pads are cached for CACHE_TTL_SECONDS; ask the store again.
  app.services.caches.clear()
  const { body, calls } = await get('/api/pads?site=leyte&sector=tongonan&period=20241230')
  t.equal(body.length, 3 + 30)
  t.same(calls, { 'DynamoDB.Query': 1, 'S3.ListObjectsV2': 1 }, '64 pads, still one Query and one listing page')
  const all = await get('/api/pads?site=leyte&sector=tongonan')
  t.equal(all.body.length, 4 + 60)
  t.equal(all.body[0].pad_name, '2')
  t.equal(all.body.at(-1).pad_name, 'x59', 'x0..x59 in natural order after the numeric names')
})

t.test('discovery parameters are validated', async (t) => {
  const cases: [string, RegExp][] = [
    ['/api/sectors', /missing required query parameter 'site'/],
    ['/api/sectors?site=', /invalid query parameter 'site'/],
    ['/api/sectors?site=../etc', /invalid query parameter 'site'/],
    ['/api/sectors?site=a%2Fb', /invalid query parameter 'site'/],
    ['/api/sectors?site=leyte&site=other', /invalid query parameter 'site'/],
    ['/api/periods?site=leyte', /missing required query parameter 'sector'/],
    ['/api/periods?site=leyte&sector=tong%20onan', /invalid query parameter 'sector'/],
    ['/api/pads?sector=tongonan', /missing required query parameter 'site'/],
    ['/api/pads?site=leyte&sector=tongonan&period=2024-12-30', /invalid query parameter 'period'/],
    ['/api/pads?site=leyte&sector=tongonan&period=20241230-', /invalid query parameter 'period'/],
    ['/api/pads?site=leyte&sector=tongonan&period=20241230/../x', /invalid query parameter 'period'/]
  ]
  for (const [url, message] of cases) {
    app.aws.calls.reset()
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { error: message }, url)
    t.equal(app.aws.calls.total(), 0, `${url} made no AWS call`)
  }
})
