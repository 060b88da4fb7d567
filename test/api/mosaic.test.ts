import t from 'tap'
import { buildTestApp, padQuery } from '../helpers/app.js'

const app = await buildTestApp(t)

async function get(url: string) {
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.json(), calls: app.aws.calls.snapshot() }
}

interface Feature {
  type: string
  geometry: { type: string; coordinates: number[] }
  properties: Record<string, any>
}

t.test('GET /api/mosaic/metadata echoes the query and counts the pad images', async (t) => {
  const { res, body, calls } = await get(`/api/mosaic/metadata?${padQuery({ mosaic_type: 'optical' })}`)
  t.equal(res.statusCode, 200)
  t.match(body, {
    exists: true,
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    pad_id: 'leyte_tongonan_PAD_105',
    mosaic_type: 'optical'
  })
  t.ok(body.image_count >= 20, `${body.image_count} images`)
  t.same(calls, { 'DynamoDB.Query': 1 })

  const dflt = await get(`/api/mosaic/metadata?${padQuery()}`)
  t.equal(dflt.body.mosaic_type, 'optical', 'mosaic_type defaults to optical')

  const none = await get(`/api/mosaic/metadata?${padQuery({ pad_id: 'leyte_tongonan_PAD_999' })}`)
  t.equal(none.res.statusCode, 200)
  t.match(none.body, { exists: false, image_count: 0 }, 'a pad without images has no mosaic')
})

t.test('GET /api/mosaic/orthomosaic signs a URL that downloads the GeoTIFF', async (t) => {
  const before = Date.now()
  const { res, body, calls } = await get(`/api/mosaic/orthomosaic?${padQuery({ mosaic_type: 'medical' })}`)
  t.equal(res.statusCode, 200)
  t.match(body.url, /\/mosaics\/leyte\/tongonan\/20241230\/leyte_tongonan_PAD_105\/medical\/viewer\/odm_orthophoto\.tif\?/)
  t.match(body.url, /X-Amz-Expires=3600/)
  const expires = Date.parse(body.expires_at)
  t.ok(expires >= before + 3600_000 - 1000 && expires <= Date.now() + 3600_000 + 1000, body.expires_at)
  t.same(calls, {}, 'signing makes no AWS round trip')

  const file = await fetch(body.url)
  t.equal(file.status, 200)
  const bytes = new Uint8Array(await file.arrayBuffer())
  t.same([...bytes.slice(0, 4)], [0x49, 0x49, 0x2a, 0x00], 'little-endian TIFF header')
})

t.test('GET /api/mosaic/cameras enriches every ODM shot', async (t) => {
  // Cold: the survey index would otherwise hold the survey the metadata test loaded.
  app.services.caches.clear()
  const { res, body, calls } = await get(`/api/mosaic/cameras?${padQuery()}`)
  t.equal(res.statusCode, 200)
  t.equal(body.type, 'FeatureCollection')
  t.same(calls, { 'S3.GetObject': 1, 'DynamoDB.Query': 1 })
  const features = body.features as Feature[]
  t.ok(features.length >= 20)

  const f = features.find((x) => x.properties.filename === 'DJI_0380_W.JPG')!
  t.ok(f, 'the PRD example shot is there')
  t.equal(f.geometry.type, 'Point')
  t.match(f.properties, {
    image_id: 'leyte_tongonan_20241230_0379',
    thermal_filename: 'DJI_0381_T.JPG',
    altitude: 445.5,
    temp_max: 131.6,
    temp_min: 22.7
  })
  for (const key of ['camera', 'focal', 'width', 'height', 'capture_time', 'translation', 'rotation']) {
    t.ok(key in f.properties, `ODM property ${key} passed through`)
  }

  const unmatched = features.filter((x) => x.properties.image_id === null)
  t.ok(unmatched.length >= 1, `${unmatched.length} unmatched shots kept`)
  for (const u of unmatched) {
    t.equal(u.properties.altitude, u.geometry.coordinates[2], 'altitude falls back to the point z')
    t.equal(u.properties.temp_max, null)
  }
  for (const x of features) {
    const { yaw, pitch } = x.properties
    if (!(yaw >= 0 && yaw < 360)) t.fail(`yaw ${yaw} of ${x.properties.filename}`)
    if (!(pitch <= -80)) t.fail(`demo shots are nadir; pitch ${pitch} of ${x.properties.filename}`)
  }
})

t.test('thermal mosaics join through the thermal file names', async (t) => {
  const { res, body } = await get(`/api/mosaic/cameras?${padQuery({ mosaic_type: 'medical' })}`)
  t.equal(res.statusCode, 200)
  const f = (body.features as Feature[]).find((x) => x.properties.image_id === 'leyte_tongonan_20241230_0379')
  t.ok(f, 'the PRD example image is matched in the medical mosaic')
  t.match(f!.properties.filename, /_T/)
})

t.test('the real ODM flight: 394 shots, all matched, headings along the legs', async (t) => {
  const { res, body } = await get(
    `/api/mosaic/cameras?${padQuery({ site: 'upper-rhine', sector: 'insheim', period: '20250629', pad_id: 'upper-rhine_insheim_PAD_A1' })}`
  )
  t.equal(res.statusCode, 200)
  const features = body.features as Feature[]
  t.equal(features.length, 394)
  t.equal(features.filter((f) => f.properties.image_id === null).length, 0)
  t.ok(features.every((f) => typeof f.properties.capture_time === 'number'))
})

t.test('a missing shots.geojson is a 404 naming the pad', async (t) => {
  const cases = [
    padQuery({ pad_id: 'leyte_tongonan_PAD_tgn-ss1', mosaic_type: 'medical' }),
    padQuery({ period: '19990101' }),
    padQuery({ pad_id: 'leyte_tongonan_PAD_999' })
  ]
  for (const q of cases) {
    const { res, body } = await get(`/api/mosaic/cameras?${q}`)
    t.equal(res.statusCode, 404, q)
    t.match(body.error, /shots\.geojson/)
    t.match(body.error, /pad_id '/)
  }
})

t.test('mosaic parameters are validated before any AWS call', async (t) => {
  const cases: [string, RegExp][] = [
    [padQuery({ mosaic_type: 'thermal' }), /invalid query parameter 'mosaic_type': must be one of: optical, medical, hotspot_alert/],
    [padQuery({ site: undefined }), /missing required query parameter 'site'/],
    [padQuery({ sector: undefined }), /missing required query parameter 'sector'/],
    [padQuery({ period: undefined }), /missing required query parameter 'period'/],
    [padQuery({ pad_id: undefined }), /missing required query parameter 'pad_id'/],
    [padQuery({ pad_id: '../x' }), /invalid query parameter 'pad_id'/],
    [padQuery({ pad_id: 'a/b' }), /invalid query parameter 'pad_id'/],
    [padQuery({ pad_id: 'a..b' }), /invalid query parameter 'pad_id'/],
    [padQuery({ pad_id: 'x'.repeat(129) }), /invalid query parameter 'pad_id'/],
    [padQuery({ period: '20241230-PM/SB' }), /invalid query parameter 'period'/],
    [padQuery({ site: 'leyte\u0000' }), /invalid query parameter 'site'/]
  ]
  for (const route of ['metadata', 'orthomosaic', 'cameras']) {
    for (const [q, message] of cases) {
      app.aws.calls.reset()
      const res = await app.inject({ method: 'GET', url: `/api/mosaic/${route}?${q}` })
      t.equal(res.statusCode, 400, `${route}?${q}`)
      t.match(res.json(), { error: message })
      t.equal(app.aws.calls.total(), 0)
    }
  }
})

t.test('PAD_LOAD_CONCURRENCY=1: a cold burst of pad-level requests queues and every one is answered', async (t) => {
  const cold = await buildTestApp(t, { CACHE_TTL_SECONDS: '0', PAD_LOAD_CONCURRENCY: '1' })
  const urls = [
    `/api/mosaic/cameras?${padQuery({ mosaic_type: 'optical' })}`,
    `/api/mosaic/metadata?${padQuery({ mosaic_type: 'optical' })}`,
    `/api/coverage/stats?${padQuery()}`
  ].flatMap((url) => [url, url, url])
  cold.aws.calls.reset()
  const responses = await Promise.all(urls.map((url) => cold.inject({ method: 'GET', url })))
  t.same(
    responses.map((r) => r.statusCode),
    urls.map(() => 200)
  )
  t.equal(responses[0]!.json().features.length, responses[1]!.json().features.length, 'the queued requests get the same answer')
  t.equal(responses[3]!.json().image_count, responses[5]!.json().image_count)
  // With the cache off nothing is shared: 9 pad-level loads, each its own (ConcurrencyLimit has the unit test).
  t.same(cold.aws.calls.snapshot(), { 'DynamoDB.Query': 9, 'S3.GetObject': 3 })
})
