import t from 'tap'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { buildTestApp } from '../helpers/app.js'
import { ownDemoStore } from '../helpers/demo-store.js'

// Load shedding on a busy machine (a 503 under event-loop delay) is tested elsewhere.
// A store of its own: a test below adds an image record.
const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' }, await ownDemoStore(t))
const ID = 'leyte_tongonan_20241230_0379'

async function get(url: string) {
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.json(), calls: app.aws.calls.snapshot() }
}

async function download(url: string) {
  const res = await fetch(url)
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) }
}

const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b.at(-2) === 0xff && b.at(-1) === 0xd9

t.test('GET /api/optical/{image_id}: a presigned URL for the stored optical key', async (t) => {
  const { res, body, calls } = await get(`/api/optical/${ID}`)
  t.equal(res.statusCode, 200)
  t.match(body.url, /\/images\/leyte\/tongonan\/20241230\/DJI_0380_W\.JPG\?.*X-Amz-Signature=/)
  t.ok(Date.parse(body.expires_at) > Date.now() + 3500_000)
  t.same(calls, { 'DynamoDB.GetItem': 1 })
  const file = await download(body.url)
  t.equal(file.status, 200)
  t.ok(isJpeg(file.bytes), 'a real JPEG')
})

t.test('GET /api/thermal/{image_id}: medical by default, hotspot_alert on request', async (t) => {
  const medical = await get(`/api/thermal/${ID}`)
  t.equal(medical.res.statusCode, 200)
  t.match(medical.body.url, /\/colored\/leyte\/tongonan\/20241230\/DJI_0381_T_medical\.JPG\?/)
  const hot = await get(`/api/thermal/${ID}?palette=hotspot_alert`)
  t.equal(hot.res.statusCode, 200)
  t.match(hot.body.url, /DJI_0381_T_hotspot_alert\.JPG\?/)
  for (const url of [medical.body.url, hot.body.url]) {
    const file = await download(url)
    t.equal(file.status, 200)
    t.ok(isJpeg(file.bytes))
  }
})

t.test('unknown images and missing palettes are 404s naming the resource', async (t) => {
  const unknown = await get('/api/optical/leyte_tongonan_20241230_9999')
  t.equal(unknown.res.statusCode, 404)
  t.same(unknown.body, { error: "image_id 'leyte_tongonan_20241230_9999' not found" })
  t.equal((await get('/api/thermal/leyte_tongonan_20241230_9999')).res.statusCode, 404)

  const dataset = buildDemoDataset()
  const lacking = dataset.images.find((i: any) => i.colored_images && !i.colored_images.hotspot_alert) as any
  t.ok(lacking, 'the demo has an image without a hotspot_alert rendering')
  const noPalette = await get(`/api/thermal/${lacking.image_id}?palette=hotspot_alert`)
  t.equal(noPalette.res.statusCode, 404)
  t.match(noPalette.body.error, /palette 'hotspot_alert'/)
})

t.test('image ids and palettes are validated before any AWS call', async (t) => {
  const cases: [string, RegExp][] = [
    ['/api/optical/..%2Fsecret', /invalid path parameter 'image_id'/],
    ['/api/optical/a%2Fb', /invalid path parameter 'image_id'/],
    ['/api/optical/a..b', /invalid path parameter 'image_id'/],
    ['/api/optical/.hidden', /invalid path parameter 'image_id'/],
    ['/api/optical/%E2%9C%93', /invalid path parameter 'image_id'/],
    [`/api/optical/${'x'.repeat(129)}`, /invalid path parameter 'image_id'/],
    [`/api/thermal/${ID}?palette=rainbow`, /invalid query parameter 'palette': must be one of: medical, hotspot_alert/],
    [`/api/thermal/${ID}?palette=`, /invalid query parameter 'palette'/],
    ['/api/thermal/a%2F..%2Fb', /invalid path parameter 'image_id'/]
  ]
  for (const [url, message] of cases) {
    app.aws.calls.reset()
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { error: message }, url)
    t.equal(app.aws.calls.total(), 0)
  }
})

t.test('PRESIGN_EXPIRES_SECONDS sets the URL lifetime and expires_at', async (t) => {
  const short = await buildTestApp(t, { PRESIGN_EXPIRES_SECONDS: '120' })
  const before = Date.now()
  const res = await short.inject({ method: 'GET', url: `/api/optical/${ID}` })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body.url, /X-Amz-Expires=120(&|$)/)
  const expires = Date.parse(body.expires_at)
  t.ok(expires >= before + 119_000 && expires <= Date.now() + 121_000, body.expires_at)
})

t.test('colorbar_url: signed only when the PNG exists, palette first in the key; one cached lookup', async (t) => {
  app.services.caches.clear()
  const cold = await get(`/api/thermal/${ID}`)
  t.match(cold.body.colorbar_url, /\/colored\/medical\/leyte\/tongonan\/20241230\/DJI_0381_T_colorbar\.png\?.*X-Amz-Signature=/)
  t.same(cold.calls, { 'DynamoDB.GetItem': 1, 'S3.HeadObject': 1 })
  const warm = await get(`/api/thermal/${ID}`)
  t.same(warm.calls, {}, 'warm: no call')
  t.equal(warm.body.colorbar_url, cold.body.colorbar_url)
  const png = await download(cold.body.colorbar_url)
  t.equal(png.status, 200)
  t.same([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG')
  const hot = await get(`/api/thermal/${ID}?palette=hotspot_alert`)
  t.match(hot.body.colorbar_url, /\/colored\/hotspot_alert\/leyte\/tongonan\/20241230\/DJI_0381_T_colorbar\.png\?/)

  // PAD_10 of the same survey has no colour bars: looked up once, never signed.
  const dataset = buildDemoDataset()
  const other = dataset.images.find((i) => i.pad_id === 'leyte_tongonan_PAD_10' && i.period === '20241230')!
  const absent = await get(`/api/thermal/${String(other.image_id)}`)
  t.equal(absent.res.statusCode, 200)
  t.equal(absent.body.colorbar_url, null)
  t.same(absent.calls, { 'DynamoDB.GetItem': 1, 'S3.HeadObject': 1 })
  t.same((await get(`/api/thermal/${String(other.image_id)}`)).calls, {}, 'the absence is cached too')
})

t.test('colorbar_url is null, with no lookup, for a record without thermal_filename', async (t) => {
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb')
  const { loadConfig } = await import('../../src/config.js')
  const id = 'leyte_tongonan_20241230_9001'
  await app.aws.doc.send(
    new PutCommand({
      TableName: loadConfig({}).aws.imagesTable,
      Item: {
        image_id: id,
        site_id: 'leyte',
        sector_id: 'tongonan',
        period: '20241230',
        sector_period: 'tongonan#20241230',
        colored_images: { medical: 'colored/leyte/tongonan/20241230/DJI_0381_T_medical.JPG' }
      }
    })
  )
  const res = await get(`/api/thermal/${id}`)
  t.equal(res.res.statusCode, 200)
  t.equal(res.body.colorbar_url, null)
  t.same(res.calls, { 'DynamoDB.GetItem': 1 }, 'no HeadObject: there is no key to look up')
})
