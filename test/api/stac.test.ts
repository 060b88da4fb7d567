import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import t from 'tap'
import { packageRoot } from '../../src/package-info.js'
import { buildTestApp } from '../helpers/app.js'

/**
 * STAC API 1.0.0 under /stac: the landing page, Collections, Items, Item Search
 * (GET and POST) with the edge cases real APIs get wrong, absolute links behind
 * a proxy, asset redirects, CORS, and every Collection and Item validated
 * offline against the STAC 1.0.0 and extension JSON Schemas.
 */
const app = await buildTestApp(t)
const COLLECTION = 'leyte.tongonan'
const ITEM = 'leyte_tongonan_PAD_105.20241230'
const SURVEY_DAY = '2024-12-30T00:00:00Z'

interface Link {
  rel: string
  href: string
  type?: string
  method?: string
  body?: Record<string, unknown>
}
interface Item {
  id: string
  collection: string
  properties: Record<string, unknown>
  assets: Record<string, { href: string; type?: string; roles?: string[] } & Record<string, unknown>>
  links: Link[]
}
interface Page {
  features: Item[]
  links: Link[]
  numberMatched: number
  numberReturned: number
}

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
const page = async (url: string): Promise<Page> => {
  const res = await get(url)
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json<Page>()
}
const ids = (p: Page) => p.features.map((f) => f.id)
const link = (links: Link[], rel: string) => links.find((l) => l.rel === rel)
/** A URL of this app as inject takes it: the path and query of an absolute link. */
const local = (href: string) => {
  const u = new URL(href)
  return u.pathname + u.search
}

// --- offline validation against the STAC schemas -----------------------------------------------

// Committed copies (test/fixtures/stac-schemas/README.md): the suite needs nothing outside the checkout.
const SCHEMAS = join(packageRoot, 'test', 'fixtures', 'stac-schemas')
function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : []
  })
}
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
// The STAC schemas' IRI formats; a map link's `{z}` template is a valid IRI reference once percent-encoded.
ajv.addFormat('iri', (s: string) => URL.canParse(s))
ajv.addFormat('iri-reference', (s: string) => URL.canParse(s, 'http://base.example/'))
for (const file of [...jsonFiles(join(SCHEMAS, 'v1.0.0')), ...jsonFiles(join(SCHEMAS, 'extensions'))]) {
  ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')))
}
// Schemas the STAC ones refer to on other sites, which no test may fetch: GeoJSON's (a Feature's shape, the
// geometry checked by the item schema's own `geometry` rule) and PROJJSON's (this API writes no proj:projjson).
ajv.addSchema({ $id: 'https://geojson.org/schema/Feature.json', type: 'object', required: ['type', 'geometry', 'properties'] })
ajv.addSchema({ $id: 'https://geojson.org/schema/Geometry.json', type: 'object', required: ['type'] })
ajv.addSchema({ $id: 'https://proj.org/schemas/v0.5/projjson.schema.json', type: 'object' })
const EXTENSIONS: Record<string, string> = {
  'https://stac-extensions.github.io/projection/v1.1.0/schema.json': 'https://stac-extensions.github.io/projection/v1.1.0/schema.json',
  'https://stac-extensions.github.io/web-map-links/v1.2.0/schema.json':
    'https://stac-extensions.github.io/web-map-links/v1.2.0/schema.json#'
}

function validate(
  t: { fail: (message: string) => unknown },
  kind: 'item' | 'collection',
  value: { id: string; stac_extensions?: string[] }
) {
  const core =
    kind === 'item'
      ? 'https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#'
      : 'https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json#'
  for (const id of [core, ...(value.stac_extensions ?? []).map((e) => EXTENSIONS[e] ?? e)]) {
    const check = ajv.getSchema(id)
    if (!check) {
      t.fail(`${value.id}: no schema ${id}`)
      continue
    }
    if (!check(value)) t.fail(`${value.id} against ${id}: ${ajv.errorsText(check.errors)}`)
  }
}

// --- the tests ----------------------------------------------------------------------------------

t.test('the landing page is a Catalog with conformsTo and the links clients look for', async (t) => {
  const res = await get('/stac')
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.type, 'Catalog')
  t.equal(body.stac_version, '1.0.0')
  for (const c of ['core', 'collections', 'ogcapi-features', 'item-search'])
    t.ok(body.conformsTo.includes(`https://api.stacspec.org/v1.0.0/${c}`), c)
  t.ok(body.conformsTo.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'))
  const links = body.links as Link[]
  for (const rel of ['self', 'root', 'service-desc', 'service-doc', 'conformance', 'data']) t.ok(link(links, rel), rel)
  t.match(link(links, 'data')!.href, /\/stac\/collections$/, 'QGIS needs a link ending in /collections')
  t.same(
    links.filter((l) => l.rel === 'search').map((l) => [l.method, l.type]),
    [
      ['GET', 'application/geo+json'],
      ['POST', 'application/geo+json']
    ]
  )
  for (const rel of ['service-desc', 'service-doc', 'conformance', 'data']) {
    const target = await get(local(link(links, rel)!.href))
    t.equal(target.statusCode, 200, `${rel} is served`)
  }
  t.ok(
    links.filter((l) => l.rel === 'child').some((l) => l.href.endsWith(`/stac/collections/${COLLECTION}`)),
    'a child link per Collection'
  )
  t.same((await get('/stac/conformance')).json().conformsTo, body.conformsTo)
})

t.test('Collections: one per site and sector, with the extent of its pads and surveys', async (t) => {
  const list = (await get('/stac/collections')).json()
  t.same(
    list.collections.map((c: { id: string }) => c.id),
    ['leyte.mahanagdong-a', 'leyte.mahanagdong-b', 'leyte.malitbog', 'leyte.tongonan', 'upper-rhine.insheim']
  )
  for (const c of list.collections) validate(t, 'collection', c)
  const one = (await get(`/stac/collections/${COLLECTION}`)).json()
  t.same(one.extent.temporal.interval, [['2024-11-15T00:00:00Z', '2025-02-28T00:00:00Z']])
  const [w, s, e, n] = one.extent.spatial.bbox[0]
  t.ok(w < 124.6352 && e > 124.6352 && s < 11.1655 && n > 11.1655, 'PAD_105 is inside')
  t.equal(link(one.links, 'items')!.type, 'application/geo+json')
  const missing = await get('/stac/collections/leyte.nowhere')
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: "collection 'leyte.nowhere' not found" })
})

t.test('every Item of the archive validates against STAC 1.0.0 and the extensions it declares', async (t) => {
  const all = await page('/stac/search?limit=100')
  t.ok(all.features.length >= 15, `${all.features.length} Items`)
  t.equal(all.numberMatched, all.features.length)
  t.notOk(link(all.links, 'next'), 'one page holds them all')
  for (const item of all.features) validate(t, 'item', item)
  // The validators bite: an Item without its datetime, or with a projection field of the wrong type, fails.
  const item = all.features[0]!
  const core = ajv.getSchema('https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#')!
  t.notOk(core({ ...item, properties: { ...item.properties, datetime: undefined } }), 'no datetime: invalid')
  const proj = ajv.getSchema(Object.keys(EXTENSIONS)[0]!)!
  t.notOk(proj({ ...item, assets: { optical: { ...item.assets.optical, 'proj:epsg': 'EPSG:32651' } } }), 'a string proj:epsg: invalid')
  t.ok(
    all.features.every((i) =>
      (i as unknown as { stac_extensions: string[] }).stac_extensions.includes(EXTENSIONS[Object.keys(EXTENSIONS)[0]!]!)
    ),
    'the projection extension v1.1.0 (proj:epsg), which GDAL 3.6 reads'
  )
})

t.test('an Item: the pad in the survey, its figures, orthophotos with their projection, map links', async (t) => {
  const res = await get(`/stac/collections/${COLLECTION}/items/${ITEM}`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/geo\+json/)
  const item = res.json<Item & { geometry: { type: string }; bbox: number[] }>()
  t.equal(item.geometry.type, 'Polygon')
  t.equal(item.bbox.length, 4)
  t.match(item.properties, {
    datetime: SURVEY_DAY,
    site: 'leyte',
    sector: 'tongonan',
    period: '20241230',
    pad_id: 'leyte_tongonan_PAD_105',
    max_temp: 145.3,
    severity: 'critical',
    line_loss_regions: 3
  })
  t.equal(typeof item.properties.image_count, 'number')
  t.equal(typeof item.properties.hotspots_critical, 'number')
  t.equal(item.assets.optical!.type, 'image/tiff; application=geotiff; profile=cloud-optimized', 'PAD_105 is a COG')
  t.same(item.assets.optical!.roles, ['data', 'visual'])
  t.equal(item.assets.optical!['proj:epsg'], 32651)
  t.equal(item.assets.shots!.type, 'application/geo+json')
  t.same(item.assets.thumbnail!.roles, ['thumbnail'])
  t.equal(item.assets.line_loss_report!.type, 'application/pdf')
  t.same(
    item.links.filter((l) => l.rel === 'xyz').map((l) => new URL(l.href.replace('{z}/{x}/{y}', '0/0/0')).searchParams.get('mosaic_type')),
    ['optical', 'medical', 'hotspot_alert']
  )
  const tilejson = await get(local(link(item.links, 'tilejson')!.href))
  t.equal(tilejson.statusCode, 200, 'the tilejson link is served')
  const thumbnail = await get(local(item.assets.thumbnail!.href))
  t.equal(thumbnail.headers['content-type'], 'image/png', 'the thumbnail is the preview')

  const plain = (await get(`/stac/collections/${COLLECTION}/items/leyte_tongonan_PAD_2.20241230`)).json<Item>()
  t.equal(plain.assets.optical!.type, 'image/tiff; application=geotiff', 'a GeoTIFF that is no COG says so')
  t.notOk(plain.assets.hotspot_alert, 'no asset for a mosaic that was not built')
  const ss1 = (await get(`/stac/collections/${COLLECTION}/items/leyte_tongonan_PAD_tgn-ss1.20241230`)).json<Item>()
  t.same(
    Object.keys(ss1.assets).filter((k) => ['optical', 'medical'].includes(k)),
    ['optical'],
    'a pad with only its optical mosaic'
  )
  t.notOk('line_loss_regions' in ss1.properties, 'no line-loss figures where nothing was measured')

  for (const [url, error] of [
    [
      `/stac/collections/${COLLECTION}/items/leyte_tongonan_PAD_999.20241230`,
      "item 'leyte_tongonan_PAD_999.20241230' not found in collection 'leyte.tongonan'"
    ],
    [`/stac/collections/leyte.nowhere/items/${ITEM}`, "collection 'leyte.nowhere' not found"]
  ]) {
    const res = await get(url!)
    t.equal(res.statusCode, 404)
    t.same(res.json(), { error })
  }
})

t.test('asset hrefs answer 302 to a fresh presigned URL of the file', async (t) => {
  const item = (await get(`/stac/collections/${COLLECTION}/items/${ITEM}`)).json<Item>()
  for (const key of ['optical', 'shots', 'line_loss_report']) {
    const res = await get(local(item.assets[key]!.href))
    t.equal(res.statusCode, 302, key)
    t.match(res.headers.location, /X-Amz-Signature=/, `${key}: presigned`)
    t.equal(res.headers['cache-control'], 'private, no-store', `${key}: never kept`)
    const file = await fetch(res.headers.location as string)
    t.equal(file.status, 200, `${key}: the URL works`)
    const bytes = new Uint8Array(await file.arrayBuffer())
    if (key === 'optical') t.same([...bytes.slice(0, 2)], [0x49, 0x49], 'a little-endian TIFF')
  }
  const none = await get(`/stac/collections/${COLLECTION}/items/leyte_tongonan_PAD_2.20241230/assets/hotspot_alert`)
  t.equal(none.statusCode, 404)
  t.same(none.json(), { error: "item 'leyte_tongonan_PAD_2.20241230' of collection 'leyte.tongonan' has no asset 'hotspot_alert'" })
  const unknown = await get(`/stac/collections/${COLLECTION}/items/${ITEM}/assets/secrets`)
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json().error, /parameter 'assetKey'/)
})

t.test('search: datetime instants, closed and open intervals', async (t) => {
  const day = await page(`/stac/search?collections=${COLLECTION}&datetime=${SURVEY_DAY}`)
  t.same(ids(day).sort(), [
    'leyte_tongonan_PAD_10.20241230',
    'leyte_tongonan_PAD_105.20241230',
    'leyte_tongonan_PAD_2.20241230',
    'leyte_tongonan_PAD_tgn-ss1.20241230'
  ])
  t.ok(day.features.every((f) => f.properties.datetime === SURVEY_DAY))
  const after = await page(`/stac/search?collections=${COLLECTION}&datetime=2024-12-31T00:00:00Z/..&limit=100`)
  t.ok(after.features.length > 0 && after.features.every((f) => String(f.properties.datetime) >= '2024-12-31'), 'open end')
  const before = await page(`/stac/search?collections=${COLLECTION}&datetime=../2024-12-01T00:00:00Z&limit=100`)
  t.same([...new Set(before.features.map((f) => f.properties.period))], ['20241115'], 'open start')
  const emptyStart = await page(`/stac/search?collections=${COLLECTION}&datetime=/2024-12-01T00:00:00Z&limit=100`)
  t.same(ids(emptyStart), ids(before), 'an empty end is open too')
  const closed = await page(`/stac/search?collections=${COLLECTION}&datetime=2024-12-30T00:00:00%2B08:00/2024-12-31T23:59:59Z&limit=100`)
  t.same([...new Set(closed.features.map((f) => f.properties.period))].sort(), ['20241230', '20241231-PMSB'], 'closed, with an offset')
  t.equal(
    after.numberMatched + before.numberMatched + day.numberMatched,
    (await page(`/stac/search?collections=${COLLECTION}`)).numberMatched
  )
  for (const bad of [
    '2024-13-01T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2024-12-30',
    '../..',
    '2025-01-01T00:00:00Z/2024-01-01T00:00:00Z',
    'yesterday'
  ]) {
    const res = await get(`/stac/search?datetime=${encodeURIComponent(bad)}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.json().error, /parameter 'datetime'/, `${bad}: names datetime`)
  }
})

t.test('search: bbox (2-D and 3-D), intersects, and both at once', async (t) => {
  const box = '124.635,11.1650,124.636,11.1665'
  const flat = await page(`/stac/search?bbox=${box}&limit=100`)
  t.ok(flat.features.length > 0 && flat.features.every((f) => f.properties.pad_id === 'leyte_tongonan_PAD_105'), 'PAD_105 only')
  const [w, s, e, n] = box.split(',')
  const cube = await page(`/stac/search?bbox=${[w, s, -100, e, n, 5000].join(',')}&limit=100`)
  t.same(ids(cube), ids(flat), 'a 3-D bbox is its horizontal part')
  const post3d = await app.inject({
    method: 'POST',
    url: '/stac/search',
    payload: { bbox: [w, s, -100, e, n, 5000].map(Number), limit: 100 }
  })
  t.same(ids(post3d.json()), ids(flat), 'in a POST body too')
  const point = encodeURIComponent(JSON.stringify({ type: 'Point', coordinates: [124.6354, 11.1658] }))
  t.same(ids(await page(`/stac/search?intersects=${point}&limit=100`)), ids(flat), 'a point inside the pad')
  const line = encodeURIComponent(
    JSON.stringify({
      type: 'LineString',
      coordinates: [
        [124.63, 11.1658],
        [124.64, 11.1658]
      ]
    })
  )
  t.ok(ids(await page(`/stac/search?intersects=${line}&limit=100`)).includes(ITEM), 'a line across it')
  const far = encodeURIComponent(
    JSON.stringify({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0]
        ]
      ]
    })
  )
  t.same(ids(await page(`/stac/search?intersects=${far}`)), [], 'a polygon elsewhere')
  const both = await get(`/stac/search?bbox=${box}&intersects=${point}`)
  t.equal(both.statusCode, 400)
  t.same(both.json(), { error: "query parameter 'bbox' and query parameter 'intersects' cannot be used together" })
  const bothPost = await app.inject({
    method: 'POST',
    url: '/stac/search',
    payload: { bbox: [1, 2, 3, 4], intersects: { type: 'Point', coordinates: [1, 2] } }
  })
  t.equal(bothPost.statusCode, 400)
  for (const [bad, what] of [
    ['1,2,3', 'three numbers'],
    ['0x10,1,2,3', 'hex'],
    ['Infinity,1,2,3', 'not finite'],
    ['1,95,2,96', 'latitude'],
    ['1,2,3,1', 'south above north'],
    ['1,,2,3', 'empty']
  ] as const) {
    const res = await get(`/stac/search?bbox=${bad}`)
    t.equal(res.statusCode, 400, what)
    t.match(res.json().error, /parameter 'bbox'/, `${what}: names bbox`)
  }
  for (const bad of [
    '{"type":"Point"}',
    '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}',
    '{"type":"Circle","coordinates":[0,0]}',
    '{'
  ]) {
    const res = await get(`/stac/search?intersects=${encodeURIComponent(bad)}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.json().error, /parameter 'intersects'/, `${bad}: names intersects`)
  }
})

t.test('search: ids, collections, limit clamped, next links followed to the end', async (t) => {
  const two = await page(`/stac/search?ids=${ITEM},leyte_tongonan_PAD_2.20241230`)
  t.same(ids(two).sort(), ['leyte_tongonan_PAD_105.20241230', 'leyte_tongonan_PAD_2.20241230'])
  const insheim = await page('/stac/search?collections=upper-rhine.insheim')
  t.ok(insheim.features.every((f) => f.collection === 'upper-rhine.insheim') && insheim.features.length > 0)
  t.same((await page('/stac/search?collections=nowhere.none')).features, [], 'an unknown collection matches nothing')

  const clamped = await page('/stac/search?limit=100000')
  t.equal(clamped.numberReturned, Math.min(100, clamped.numberMatched), 'a limit above the maximum is clamped, not refused')
  const dflt = await page('/stac/search')
  t.equal(dflt.numberReturned, 10, 'ten by default')
  for (const bad of ['0', '-1', '1.5', 'ten']) {
    const res = await get(`/stac/search?limit=${bad}`)
    t.equal(res.statusCode, 400, bad)
    t.match(res.json().error, /parameter 'limit'/)
  }

  const seen: string[] = []
  let url: string | undefined = `/stac/search?collections=${COLLECTION}&limit=4`
  let matched = 0
  while (url) {
    const p = await page(url)
    matched = p.numberMatched
    t.equal(p.numberReturned, p.features.length)
    t.equal(link(p.links, 'self')!.href, `http://localhost:80${url}`, 'self is the request URL')
    seen.push(...ids(p))
    const next = link(p.links, 'next')
    if (next) {
      t.equal(next.type, 'application/geo+json')
      t.match(next.href, /[?&]token=[A-Za-z0-9_-]+/)
      t.match(next.href, /collections=leyte.tongonan/, 'the filters carry over')
    }
    url = next && local(next.href)
  }
  t.equal(seen.length, matched, 'every match once')
  t.equal(new Set(seen).size, seen.length, 'no repeats')
  const token = await get('/stac/search?token=bm90LWEtdG9rZW4')
  t.equal(token.statusCode, 400)
  t.match(token.json().error, /parameter 'token'/)
})

t.test('POST search: the next link says POST and carries the body with its token', async (t) => {
  const body = { collections: [COLLECTION], limit: 3 }
  const first = await app.inject({ method: 'POST', url: '/stac/search', payload: body })
  t.equal(first.statusCode, 200)
  t.match(first.headers['content-type'], /^application\/geo\+json/)
  const p1 = first.json<Page>()
  const next = link(p1.links, 'next')!
  t.equal(next.method, 'POST')
  t.match(next.body, { ...body, token: /.+/ })
  const p2 = (await app.inject({ method: 'POST', url: local(next.href), payload: next.body })).json<Page>()
  const get2 = await page(`/stac/search?collections=${COLLECTION}&limit=6`)
  t.same([...ids(p1), ...ids(p2)], ids(get2), 'the same order as GET')
  for (const [payload, name] of [
    [{ limit: 'ten' }, 'limit'],
    [{ bbox: [1, 2] }, 'bbox'],
    [{ datetime: 'soon' }, 'datetime'],
    [{ intersects: {} }, 'intersects'],
    [{ collections: 'leyte.tongonan' }, 'collections']
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/stac/search', payload })
    t.equal(res.statusCode, 400, name)
    t.match(res.json().error, `parameter '${name}'`)
  }
  const clamped = await app.inject({ method: 'POST', url: '/stac/search', payload: { limit: 5000 } })
  t.equal(clamped.json().numberReturned, Math.min(100, clamped.json().numberMatched), 'clamped in a body too')
  const big = await app.inject({
    method: 'POST',
    url: '/stac/search',
    payload: {
      intersects: {
        type: 'Polygon',
        coordinates: [[...Array.from({ length: 2000 }, (_, i) => [124 + i / 2000, 11 + Math.sin(i) / 10]), [124, 11]]]
      }
    }
  })
  t.equal(big.statusCode, 200, 'a detailed polygon fits the body limit')
})

t.test('links are absolute and right behind a proxy with BASE_PATH, and with PUBLIC_BASE_URL', async (t) => {
  const proxied = await buildTestApp(t, { BASE_PATH: '/viewer' })
  const headers = { 'x-forwarded-host': 'gis.example.com', 'x-forwarded-proto': 'https' }
  const res = await proxied.inject({ url: `/viewer/stac/search?collections=${COLLECTION}&limit=2`, headers, remoteAddress: '127.0.0.1' })
  t.equal(res.statusCode, 200)
  const p = res.json<Page>()
  t.equal(link(p.links, 'self')!.href, `https://gis.example.com/viewer/stac/search?collections=${COLLECTION}&limit=2`)
  t.match(link(p.links, 'next')!.href, /^https:\/\/gis\.example\.com\/viewer\/stac\/search\?collections=leyte\.tongonan&limit=2&token=/)
  t.match(p.features[0]!.assets.optical!.href, /^https:\/\/gis\.example\.com\/viewer\/stac\/collections\//)
  t.match(res.headers.vary, /x-forwarded-host/)
  t.match(res.headers['cache-control'], /private/)
  const next = await proxied.inject({ url: local(link(p.links, 'next')!.href), headers, remoteAddress: '127.0.0.1' })
  t.equal(next.statusCode, 200, 'the next link is served under BASE_PATH')
  t.notMatch(next.body, /\/viewer\/viewer\//, 'BASE_PATH once')

  const fixed = await buildTestApp(t, { PUBLIC_BASE_URL: 'https://thermal.example.org', BASE_PATH: '/viewer' })
  const forged = await fixed.inject({
    url: '/viewer/stac?x=1',
    headers: { 'x-forwarded-host': 'evil.example' },
    remoteAddress: '127.0.0.1'
  })
  for (const l of forged.json().links as Link[]) t.match(l.href, /^https:\/\/thermal\.example\.org\/viewer\//, l.rel)
  const search = (await fixed.inject({ url: '/viewer/stac/search?limit=1' })).json<Page>()
  t.equal(link(search.links, 'next')!.href.split('?')[0], 'https://thermal.example.org/viewer/stac/search')
})

t.test('CORS: a stac-browser-style cross-origin GET and the POST preflight get the headers', async (t) => {
  const origin = 'https://radiantearth.github.io'
  for (const url of ['/stac', `/stac/collections/${COLLECTION}/items?limit=1`, `/stac/search?limit=1`]) {
    const res = await get(url, { origin })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['access-control-allow-origin'], '*', url)
  }
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/stac/search',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], '*')
  t.match(preflight.headers['access-control-allow-methods'], /POST/)
  const post = await app.inject({ method: 'POST', url: '/stac/search', headers: { origin }, payload: { limit: 1 } })
  t.equal(post.headers['access-control-allow-origin'], '*')
})

t.test('a cold search costs the endpoints it draws from; a warm one nothing', async (t) => {
  const url = `/stac/search?collections=${COLLECTION}&datetime=${SURVEY_DAY}`
  app.services.caches.clear()
  app.aws.calls.reset()
  await page(url)
  const cold = app.aws.calls.snapshot()
  app.aws.calls.reset()
  await page(url)
  t.same(app.aws.calls.snapshot(), {}, 'warm: no AWS call')
  // The sector's archive (pads Scan, its pads Query, 4 + 1 period Queries, 4 listings), then the survey's index and
  // measurements Queries and reports listing, and the 8 orthophoto headers of its 4 pads.
  t.same(cold, { 'DynamoDB.Scan': 1, 'DynamoDB.Query': 6 + 2, 'S3.ListObjectsV2': 4 + 1, 'S3.GetObject': 8 })
  t.comment(`cold ${JSON.stringify(cold)}`)
})

t.test('a bad filter of a Collection’s items is a 400 before any AWS call', async (t) => {
  app.services.caches.clear()
  app.aws.calls.reset()
  const res = await get('/stac/collections/leyte.nowhere/items?bbox=1,95,2,96')
  t.equal(res.statusCode, 400)
  t.match(res.json().error, /parameter 'bbox'/)
  t.equal(app.aws.calls.total(), 0)
})
