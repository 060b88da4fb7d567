import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

/**
 * OGC API – Features under /features: the landing page and its API description,
 * the four layers, the queryables as filters and properties, paging through the
 * whole archive, bbox, clamped limits, single features and the errors.
 */
const app = await buildTestApp(t)
const SURVEY = 'site=leyte&sector=tongonan&period=20241230'

interface Link {
  rel: string
  href: string
  type?: string
}
interface Feature {
  id: string
  geometry: { type: string; coordinates: unknown } | null
  properties: Record<string, unknown>
}
interface Page {
  features: Feature[]
  links: Link[]
  numberMatched?: number
  numberReturned: number
}

const get = (url: string) => app.inject({ method: 'GET', url })
const page = async (url: string): Promise<Page> => {
  const res = await get(url)
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  if (!/^application\/geo\+json/.test(String(res.headers['content-type']))) throw new Error(`${url}: ${res.headers['content-type']}`)
  return res.json<Page>()
}
const next = (p: Page) => {
  const href = p.links.find((l) => l.rel === 'next')?.href
  return href && new URL(href).pathname + new URL(href).search
}
/** Every feature of a walk, following `next` to the end. */
async function walk(url: string): Promise<{ features: Feature[]; pages: number }> {
  const features: Feature[] = []
  let pages = 0
  for (let u: string | undefined = url; u; pages++) {
    const p = await page(u)
    // Clients (GDAL) stop at an empty page, whatever its next link says.
    if (p.features.length === 0 && next(p)) throw new Error(`${u}: an empty page before the end`)
    features.push(...p.features)
    u = next(p)
  }
  return { features, pages }
}

t.test('the landing page links the API description, conformance and the collections', async (t) => {
  const landing = (await get('/features')).json()
  const rels = Object.fromEntries((landing.links as Link[]).map((l) => [l.rel, l])) as Record<string, Link>
  t.same(Object.keys(rels).sort(), ['conformance', 'data', 'self', 'service-desc', 'service-doc'])
  t.match(rels.data!.href, /\/features\/collections$/)
  const conformance = (await get('/features/conformance')).json()
  t.ok(conformance.conformsTo.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'))
  t.ok(conformance.conformsTo.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'))
  const api = await get(new URL(rels['service-desc']!.href).pathname)
  t.equal(api.statusCode, 200)
  const doc = api.json()
  t.same(doc.servers, [{ url: 'http://localhost:80/features', description: 'This server' }])
  const items = doc.paths['/collections/{collectionId}/items'].get
  t.ok(items, 'the items operation under the path OGC API clients look up')
  const params = Object.fromEntries(items.parameters.map((p: { name: string; schema: object }) => [p.name, p.schema]))
  for (const name of ['site', 'sector', 'period', 'pad_id', 'bbox', 'limit']) t.ok(params[name], `${name} is a documented parameter`)
  t.match(params.limit, { maximum: 100, default: 10 })
  t.notOk(
    Object.keys(doc.paths).some((p) => p.startsWith('/api/') || p.startsWith('/stac')),
    'only the /features operations'
  )
})

t.test('four layers, each with its items, queryables and extent', async (t) => {
  const list = (await get('/features/collections')).json()
  t.same(
    list.collections.map((c: { id: string }) => c.id),
    ['pads', 'hotspots', 'cameras', 'line-loss-regions']
  )
  for (const c of list.collections) {
    t.same(c.crs, ['http://www.opengis.net/def/crs/OGC/1.3/CRS84'])
    t.equal(c.extent.spatial.bbox[0].length, 4)
    const items = (c.links as Link[]).find((l) => l.rel === 'items')!
    t.equal(items.type, 'application/geo+json')
    t.match(items.href, new RegExp(`/features/collections/${c.id}/items$`))
    t.same((await get(`/features/collections/${c.id}`)).json(), c)
    const q = await get(`/features/collections/${c.id}/queryables`)
    t.equal(q.headers['content-type'], 'application/schema+json; charset=utf-8')
    t.same(Object.keys(q.json().properties), ['site', 'sector', 'period', 'pad_id'])
  }
  const unknown = await get('/features/collections/wells')
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json().error, /parameter 'collectionId'/)
})

t.test('the queryables filter every layer and are properties of every feature', async (t) => {
  for (const collection of ['pads', 'hotspots', 'cameras', 'line-loss-regions']) {
    const { features } = await walk(`/features/collections/${collection}/items?${SURVEY}&limit=100`)
    t.ok(features.length > 0, `${collection}: ${features.length} features`)
    t.ok(
      features.every((f) => f.properties.site === 'leyte' && f.properties.sector === 'tongonan' && f.properties.period === '20241230'),
      `${collection}: the filter holds`
    )
    t.ok(
      features.every((f) => 'pad_id' in f.properties),
      `${collection}: pad_id is a property`
    )
    const one = await page(`/features/collections/${collection}/items?${SURVEY}&pad_id=leyte_tongonan_PAD_105&limit=100`)
    t.ok(one.features.length > 0 && one.features.every((f) => f.properties.pad_id === 'leyte_tongonan_PAD_105'), `${collection}: pad_id`)
  }
  const pads = await page(`/features/collections/pads/items?${SURVEY}`)
  t.match(pads.features.find((f) => f.properties.pad_id === 'leyte_tongonan_PAD_105')!.properties, {
    pad_name: '105',
    max_temp: 145.3,
    severity: 'critical'
  })
  const cameras = await page(`/features/collections/cameras/items?${SURVEY}&pad_id=leyte_tongonan_PAD_105&limit=1`)
  t.same(Object.keys(cameras.features[0]!.properties).sort(), [
    'altitude',
    'filename',
    'image_id',
    'pad_id',
    'period',
    'pitch',
    'sector',
    'site',
    'temp_max',
    'temp_min',
    'thermal_filename',
    'yaw'
  ])
  const regions = await page(`/features/collections/line-loss-regions/items?${SURVEY}`)
  t.equal(regions.numberMatched, 6, 'PAD_2, PAD_10 and PAD_105: 2 + 1 + 3 regions')
  t.match(regions.features[0]!.properties, { length_m: Number, area_m2: Number, max_temp_c: Number })
})

t.test('hot spots of a survey: the /api/hotspots ranking, paged with numberMatched', async (t) => {
  const api = (await get(`/api/hotspots?${SURVEY}&limit=500&format=geojson`)).json()
  const first = await page(`/features/collections/hotspots/items?${SURVEY}&limit=7`)
  t.equal(first.numberMatched, api.features.length)
  t.equal(first.numberReturned, 7)
  const { features, pages } = await walk(`/features/collections/hotspots/items?${SURVEY}&limit=7`)
  t.equal(pages, Math.ceil(api.features.length / 7))
  t.same(
    features.map((f) => f.properties.image_id),
    api.features.map((f: Feature) => f.properties.image_id),
    'the same order'
  )
  t.same(
    features.map((f) => f.properties.rank),
    api.features.map((_: unknown, i: number) => i + 1)
  )
})

t.test('with no filter a layer pages through the whole archive, each feature once', async (t) => {
  const pads = await walk('/features/collections/pads/items?limit=7')
  const total = (await page('/features/collections/pads/items?limit=1')).numberMatched!
  t.equal(pads.features.length, total, 'every pad survey')
  t.equal(new Set(pads.features.map((f) => f.id)).size, total, 'once each')
  t.equal(total, (await page('/stac/search?limit=1')).numberMatched, 'one per STAC Item')
  const hotspots = await walk('/features/collections/hotspots/items?limit=100')
  t.equal(new Set(hotspots.features.map((f) => f.id)).size, hotspots.features.length, 'hot spots once each')
  const surveys = [
    ...new Set(hotspots.features.map((f) => `${String(f.properties.site)}/${String(f.properties.sector)}/${String(f.properties.period)}`))
  ]
  t.ok(surveys.length >= 8, `hot spots of ${surveys.length} surveys`)
  t.ok(surveys.includes('upper-rhine/insheim/20250629'), 'across sites')
  const first = await page('/features/collections/hotspots/items?limit=5')
  t.equal(first.numberMatched, undefined, 'not counted when that would read every survey')
})

t.test('bbox, limit and token', async (t) => {
  const box = '124.635,11.1650,124.636,11.1665'
  const pads = await page(`/features/collections/pads/items?bbox=${box}&limit=100`)
  t.ok(pads.features.length > 0 && pads.features.every((f) => f.properties.pad_id === 'leyte_tongonan_PAD_105'), 'PAD_105 only')
  t.equal(pads.numberMatched, pads.features.length)
  const spots = await page(`/features/collections/hotspots/items?${SURVEY}&bbox=${box}&limit=100`)
  t.ok(
    spots.features.every((f) => {
      const [x, y] = (f.geometry as { coordinates: number[] }).coordinates as [number, number]
      return x >= 124.635 && x <= 124.636 && y >= 11.165 && y <= 11.1665
    }),
    'points inside the box'
  )
  t.ok(spots.features.length > 0)
  const clamped = await page('/features/collections/hotspots/items?limit=1000')
  t.equal(clamped.numberReturned, 100, 'clamped to 100')
  for (const [url, name] of [
    ['/features/collections/pads/items?bbox=1,2,3', 'bbox'],
    ['/features/collections/pads/items?bbox=1,95,2,96', 'bbox'],
    ['/features/collections/pads/items?limit=0', 'limit'],
    ['/features/collections/pads/items?token=bm90LWEtdG9rZW4', 'token'],
    ['/features/collections/pads/items?site=../x', 'site']
  ] as const) {
    const res = await get(url)
    t.equal(res.statusCode, 400, url)
    t.match(res.json().error, `parameter '${name}'`)
  }
})

t.test('one feature by its id, in every layer', async (t) => {
  for (const collection of ['pads', 'hotspots', 'cameras', 'line-loss-regions']) {
    const listed = (await page(`/features/collections/${collection}/items?${SURVEY}&limit=1`)).features[0]!
    const res = await get(`/features/collections/${collection}/items/${listed.id}`)
    t.equal(res.statusCode, 200, collection)
    const one = res.json()
    t.same({ ...one, links: undefined }, { ...listed, links: undefined }, `${collection}: as listed`)
    t.match(one.links[0].href, new RegExp(`/features/collections/${collection}/items/${listed.id.replace(/\./g, '\\.')}$`))
    const missing = await get(`/features/collections/${collection}/items/leyte_tongonan_PAD_999.20241230.1`)
    t.equal(missing.statusCode, 404, `${collection}: unknown id`)
  }
  t.same((await get('/features/collections/hotspots/items/leyte_tongonan_20241230_0379')).json().properties.rank, 1)
})

t.test('behind a proxy with BASE_PATH: the description, the links and the next page carry it once', async (t) => {
  const proxied = await buildTestApp(t, { BASE_PATH: '/viewer' })
  const headers = { 'x-forwarded-host': 'gis.example.com', 'x-forwarded-proto': 'https' }
  const landing = (await proxied.inject({ url: '/viewer/features', headers })).json()
  for (const l of landing.links as Link[]) {
    t.match(l.href, /^https:\/\/gis\.example\.com\/viewer\/(features|docs)/, l.rel)
    t.notMatch(l.href, /\/viewer\/viewer/, `${l.rel}: BASE_PATH once`)
  }
  const api = (await proxied.inject({ url: '/viewer/features/api', headers })).json()
  t.same(api.servers, [{ url: 'https://gis.example.com/viewer/features', description: 'This server' }])
  const first = await proxied.inject({ url: `/viewer/features/collections/hotspots/items?${SURVEY}&limit=5`, headers })
  const nextHref = (first.json().links as Link[]).find((l) => l.rel === 'next')!.href
  t.match(
    nextHref,
    /^https:\/\/gis\.example\.com\/viewer\/features\/collections\/hotspots\/items\?site=leyte&sector=tongonan&period=20241230&limit=5&token=/
  )
  const second = await proxied.inject({ url: new URL(nextHref).pathname + new URL(nextHref).search, headers })
  t.equal(second.statusCode, 200)
  t.equal(second.json().features[0].properties.rank, 6, 'the next page starts after the first')
})
