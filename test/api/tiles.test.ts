/**
 * Map tiles, TileJSON, mosaic info and previews through app.inject against the
 * embedded S3, with pixel checks: markers painted at known lon/lat positions
 * must land within 1 px of where Web Mercator puts them, at native zoom and two
 * coarser ones, for a UTM-north and a UTM-south file.
 */
import proj4 from 'proj4'
import sharp from 'sharp'
import t from 'tap'
import { loadConfig } from '../../src/config.js'
import { buildTestApp } from '../helpers/app.js'
import { ownDemoStore } from '../helpers/demo-store.js'
import { GDAL_COG, gdalCogBytes, gdalCogPixels } from '../helpers/gdal-cog.js'
import { markerTiff, putOrthophoto, rgbaTiff, testQuery, tileOf, type Marker } from '../helpers/geotiffs.js'
import { offsetLonLat } from '../../demo/seed/geo.js'

const bucket = loadConfig({}).aws.bucket
// No load shedding: the pictures built here take the event loop for a while on a shared machine.
// A store of its own: the tests put orthophotos of their own, and replace them.
const app = await buildTestApp(t, { TILE_HEADER_TTL_SECONDS: '1', MAX_EVENT_LOOP_DELAY_MS: '0' }, await ownDemoStore(t))
const s3 = app.aws.s3

/** Bytes of every GetObject body, counted as the SDK receives them. */
let bytesRead = 0
s3.middlewareStack.add(
  (next, context) => async (args) => {
    const out = await next(args)
    const length = (out.output as { ContentLength?: number } | undefined)?.ContentLength
    if (context.commandName === 'GetObjectCommand' && typeof length === 'number') bytesRead += length
    return out
  },
  { step: 'initialize', name: 'testByteTally' }
)

function measure() {
  app.aws.calls.reset()
  bytesRead = 0
  return () => ({ calls: app.aws.calls.snapshot(), bytes: bytesRead })
}

async function decode(body: Buffer) {
  const { data, info } = await sharp(body).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return { data, width: info.width, height: info.height }
}

/** Centroid of the red (marker) pixels of a decoded tile within `window` px of (cx, cy), weighted by redness. */
function redCentroid(img: { data: Buffer; width: number; height: number }, cx: number, cy: number, window: number) {
  let sx = 0
  let sy = 0
  let w = 0
  for (let y = Math.max(0, Math.floor(cy - window)); y < Math.min(img.height, cy + window); y++) {
    for (let x = Math.max(0, Math.floor(cx - window)); x < Math.min(img.width, cx + window); x++) {
      const o = (y * img.width + x) * 4
      const red = Math.max(0, img.data[o]! - img.data[o + 1]! - 40) * (img.data[o + 3]! / 255)
      sx += red * (x + 0.5)
      sy += red * (y + 0.5)
      w += red
    }
  }
  return w > 0 ? { x: sx / w, y: sy / w } : undefined
}

const tileJson = async (q: string) => {
  const res = await app.inject(`/api/tiles/tilejson.json?${q}`)
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json<{ minzoom: number; maxzoom: number; bounds: number[]; tiles: string[] }>()
}

const SITES = [
  // Leyte, UTM 51N, a COG; the markers near the corners sit 1.6° from the zone's central meridian.
  { name: 'UTM north (EPSG:32651, COG)', pad: 'north', lon: 124.6355, lat: 11.1658, layout: 'cog' as const, epsg: 32651 },
  // Santiago de Chile, UTM 19S, ODM's default layout (no overviews).
  { name: 'UTM south (EPSG:32719, no overviews)', pad: 'south', lon: -70.66, lat: -33.45, layout: 'odm' as const, epsg: 32719 }
]

for (const site of SITES) {
  t.test(`markers land within 1 px at native zoom and two coarser ones: ${site.name}`, async (t) => {
    const markers: Marker[] = [
      [0, 0],
      [-40, 40],
      [40, 40],
      [40, -40],
      [-40, -40],
      [25, -10]
    ].map(([e, n]) => {
      const [lon, lat] = offsetLonLat(site.lon, site.lat, e!, n!)
      return { lon, lat }
    })
    const tiff = markerTiff({ lon: site.lon, lat: site.lat, size: 2048, res: 0.05, markers, layout: site.layout, radius: 1 })
    t.equal(tiff.epsg, site.epsg)
    await putOrthophoto(s3, bucket, site.pad, tiff.bytes)
    const q = testQuery(site.pad)
    const tj = await tileJson(q)
    t.equal(tj.maxzoom, 22, 'native 5 cm rounds up to zoom 22')
    for (const z of [tj.maxzoom, tj.maxzoom - 2, tj.maxzoom - 4]) {
      for (const m of markers) {
        const tile = tileOf(m.lon, m.lat, z)
        const res = await app.inject(`/api/tiles/${z}/${tile.x}/${tile.y}.png?${q}`)
        t.equal(res.statusCode, 200)
        // The marker's radius in tile pixels (1 m; ~0.037 m per pixel at z22), and a window twice as wide.
        const radius = 1 / (0.0373 * 2 ** (22 - z) * Math.cos((m.lat * Math.PI) / 180))
        const found = redCentroid(await decode(res.rawPayload), tile.px, tile.py, 2 * radius + 2)
        // A marker near a tile edge is partly in the next tile; its centroid is checked where it is whole.
        const margin = radius + 2
        if (tile.px < margin || tile.py < margin || tile.px > 256 - margin || tile.py > 256 - margin) continue
        t.ok(found, `marker in tile ${z}/${tile.x}/${tile.y}`)
        const error = Math.hypot(found!.x - tile.px, found!.y - tile.py)
        t.ok(
          error <= 1,
          `z${z} marker at (${tile.px.toFixed(2)}, ${tile.py.toFixed(2)}) found at (${found!.x.toFixed(2)}, ${found!.y.toFixed(2)}): ${error.toFixed(2)} px`
        )
      }
    }
  })
}

t.test('tilejson bounds are the file corners reprojected, to 1e-6°; info describes the file', async (t) => {
  const tiff = markerTiff({ lon: 124.6355, lat: 11.1658, size: 1000, res: 0.04, markers: [], layout: 'cog' })
  await putOrthophoto(s3, bucket, 'bounds', tiff.bytes)
  const utm = proj4('+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs', 'EPSG:4326')
  const corners = [
    [tiff.originX, tiff.originY],
    [tiff.originX + 1000 * 0.04, tiff.originY],
    [tiff.originX, tiff.originY - 1000 * 0.04],
    [tiff.originX + 1000 * 0.04, tiff.originY - 1000 * 0.04]
  ].map((p) => utm.forward(p as [number, number]))
  const expected = [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1]))
  ]
  const tj = await tileJson(testQuery('bounds'))
  tj.bounds.forEach((v, i) => t.ok(Math.abs(v - expected[i]!) < 1e-6, `bounds[${i}] ${v} vs ${expected[i]}`))
  t.match(
    tj.tiles[0],
    /^http:\/\/localhost(:\d+)?\/api\/tiles\/\{z\}\/\{x\}\/\{y\}\.png\?site=tiletest&sector=s1&period=20250101&pad_id=bounds&mosaic_type=optical&resampling=nearest$/
  )
  const prefixed = await app.inject({
    url: `/api/tiles/tilejson.json?${testQuery('bounds')}&format=webp`,
    headers: { 'x-forwarded-prefix': '/viewer' }
  })
  t.match(prefixed.json<{ tiles: string[] }>().tiles[0], /\/viewer\/api\/tiles\/\{z\}\/\{x\}\/\{y\}\.webp\?/, 'keeps the base path')

  const info = await app.inject(`/api/mosaic/info?${testQuery('bounds')}`)
  t.equal(info.statusCode, 200)
  const body = info.json<Record<string, unknown>>()
  t.match(body, {
    crs: 'EPSG:32651',
    width: 1000,
    height: 1000,
    bands: 4,
    dtype: 'uint8',
    resolution_m: 0.04,
    block_size: [256, 256],
    overviews: 2,
    is_cog: true,
    compression: 'deflate'
  })
  ;(body.bounds as number[]).forEach((v, i) => t.ok(Math.abs(v - expected[i]!) < 1e-6))
})

t.test('outside the bounds and below minzoom are 404; above maxzoom is upsampled; edges are transparent', async (t) => {
  const q = testQuery('bounds')
  const tj = await tileJson(q)
  const [w, s, e, n] = tj.bounds as [number, number, number, number]
  const inside = tileOf((w + e) / 2, (s + n) / 2, tj.minzoom)
  const ok = await app.inject(`/api/tiles/${tj.minzoom}/${inside.x}/${inside.y}.png?${q}`)
  t.equal(ok.statusCode, 200)
  const below = tileOf((w + e) / 2, (s + n) / 2, tj.minzoom - 1)
  const res = await app.inject(`/api/tiles/${tj.minzoom - 1}/${below.x}/${below.y}.png?${q}`)
  t.equal(res.statusCode, 404)
  t.match(res.json(), { error: `tile ${tj.minzoom - 1}/${below.x}/${below.y} is below the mosaic's minzoom ${tj.minzoom}` })
  const far = tileOf(e + 0.01, n, 20)
  const outside = await app.inject(`/api/tiles/20/${far.x}/${far.y}.png?${q}`)
  t.equal(outside.statusCode, 404)
  t.match(outside.json(), { error: /is outside the mosaic's bounds/ })

  const up = tileOf((w + e) / 2, (s + n) / 2, 24)
  const above = await app.inject(`/api/tiles/24/${up.x}/${up.y}.png?${q}`)
  t.equal(above.statusCode, 200, 'above maxzoom, up to 24, is served upsampled')

  // The corner tile at native zoom holds both the mosaic and the transparent world beyond it.
  const corner = tileOf(w, n, tj.maxzoom)
  const edge = await decode((await app.inject(`/api/tiles/${tj.maxzoom}/${corner.x}/${corner.y}.png?${q}`)).rawPayload)
  let clear = 0
  let opaque = 0
  for (let i = 3; i < edge.data.length; i += 4)
    if (edge.data[i] === 0) clear++
    else opaque++
  t.ok(clear > 1000 && opaque > 1000, `transparent padding at the edge (${clear} clear, ${opaque} opaque)`)
  const jpg = await app.inject(`/api/tiles/${tj.maxzoom}/${corner.x}/${corner.y}.jpg?${q}`)
  t.equal(jpg.headers['content-type'], 'image/jpeg')
  const filled = await decode(jpg.rawPayload)
  const c = (corner.py < 128 ? 0 : 255 * 256) + (corner.px < 128 ? 0 : 255)
  t.ok(Math.min(filled.data[c * 4]!, filled.data[c * 4 + 1]!, filled.data[c * 4 + 2]!) > 240, 'jpg is white outside the mosaic')
})

t.test('a cold native tile over 4 blocks costs ≤ 3 ranged reads and the byte bound; warm it costs 0', async (t) => {
  const tiff = markerTiff({ lon: 124.6355, lat: 11.1658, size: 1024, res: 0.05, markers: [], layout: 'cog' })
  await putOrthophoto(s3, bucket, 'cold', tiff.bytes)
  const utm = proj4('+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs', 'EPSG:4326')
  // The tile holding the corner shared by blocks (0,0), (1,0), (0,1), (1,1); a 256 px tile spans ~190 source px.
  const [lon, lat] = utm.forward([tiff.originX + 256 * 0.05, tiff.originY - 256 * 0.05])
  const tile = tileOf(lon, lat, 22)
  const q = testQuery('cold')
  const done = measure()
  const res = await app.inject(`/api/tiles/22/${tile.x}/${tile.y}.webp?${q}`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'image/webp')
  const cold = done()
  t.ok((cold.calls['S3.GetObject'] ?? 0) <= 3, `cold: ${JSON.stringify(cold.calls)}`)
  t.same(Object.keys(cold.calls), ['S3.GetObject'])
  t.ok(cold.bytes <= 64 * 1024 + 4 * Math.max(256 * 256 * 4, 64 * 1024), `cold: ${cold.bytes} bytes`)
  const warm = measure()
  t.equal((await app.inject(`/api/tiles/22/${tile.x}/${tile.y}.png?${q}`)).statusCode, 200)
  t.same(warm(), { calls: {}, bytes: 0 }, 'warm: no call at all')
})

t.test('a file without overviews builds them once; the next 10 low-zoom tiles read 0 bytes', async (t) => {
  const tiff = markerTiff({ lon: 8.214, lat: 49.149, size: 3000, res: 0.05, markers: [{ lon: 8.214, lat: 49.149 }], layout: 'odm' })
  await putOrthophoto(s3, bucket, 'noov', tiff.bytes)
  const q = testQuery('noov')
  const tj = await tileJson(q)
  const centre = tileOf(8.214, 49.149, tj.minzoom)
  const done = measure()
  // Three at once: one streaming pass between them.
  const first = await Promise.all([0, 1, 2].map(() => app.inject(`/api/tiles/${tj.minzoom}/${centre.x}/${centre.y}.png?${q}`)))
  first.forEach((r) => t.equal(r.statusCode, 200))
  const built = done()
  // One read per row of 512 px blocks (6 rows; adjacent blocks merged); the header came with the TileJSON.
  t.same(built.calls, { 'S3.GetObject': 6 }, `built once: ${JSON.stringify(built.calls)}`)
  t.ok(built.bytes <= tiff.bytes.length + 64 * 1024)
  const later = measure()
  let served = 0
  // Zooms where a tile pixel spans 4 or more file pixels (0.78 and 0.39 m here, against 5 cm).
  for (const z of [tj.minzoom, tj.minzoom + 1]) {
    const c = tileOf(8.214, 49.149, z)
    for (let i = 0; i < 9 && served < 10; i++) {
      const res = await app.inject(`/api/tiles/${z}/${c.x + (i % 3) - 1}/${c.y + Math.floor(i / 3) - 1}.png?${q}`)
      if (res.statusCode === 200) served++
    }
  }
  const preview = await app.inject(`/api/mosaic/preview.webp?${q}&max_size=512`)
  t.equal(preview.statusCode, 200)
  t.equal(served, 10)
  const after = later()
  t.equal(after.bytes, 0, '10 low-zoom tiles and a preview from the built overviews read 0 bytes')
  // The header TTL here is 1 s, so on a slow machine its ETag may be rechecked once (a HeadObject, no body).
  t.equal(after.calls['S3.GetObject'], undefined, JSON.stringify(after.calls))
})

t.test('hostile z/x/y give 400 naming the parameter', async (t) => {
  const q = testQuery('bounds')
  const cases: Array<[string, string]> = [
    ['-1/0/0', 'z'],
    ['25/0/0', 'z'],
    ['abc/0/0', 'z'],
    ['99999999999/0/0', 'z'],
    ['3/8/0', 'x'],
    ['3/-1/0', 'x'],
    ['3/1.5/0', 'x'],
    ['3/0/8', 'y'],
    ['3/0/99999999999', 'y'],
    ['3/0/1@3x', 'y'],
    ['3/0/0x', 'y']
  ]
  for (const [path, param] of cases) {
    const res = await app.inject(`/api/tiles/${path}.png?${q}`)
    t.equal(res.statusCode, 400, path)
    t.match(res.json<{ error: string }>().error, new RegExp(`'${param}'`), `${path} names ${param}`)
  }
  const format = await app.inject(`/api/tiles/3/0/0.gif?${q}`)
  t.equal(format.statusCode, 400)
  t.match(format.json<{ error: string }>().error, /'format'/)
  const resampling = await app.inject(`/api/tiles/3/0/0.png?${q}&resampling=cubic`)
  t.match(resampling.json<{ error: string }>().error, /'resampling'/)
  for (const size of ['63', '2049', 'big']) {
    const res = await app.inject(`/api/mosaic/preview.png?${q}&max_size=${size}`)
    t.equal(res.statusCode, 400)
    t.match(res.json<{ error: string }>().error, /'max_size'/)
  }
  const bad = await app.inject('/api/tiles/3/0/0.png?site=../x&sector=s1&period=20250101&pad_id=p')
  t.match(bad.json<{ error: string }>().error, /'site'/)
})

t.test('another CRS: 422 naming it on tiles, TileJSON and preview; info still describes the file', async (t) => {
  const tiff = markerTiff({ lon: 2.35, lat: 48.85, size: 300, res: 0.05, markers: [], layout: 'odm', epsg: 2154 })
  await putOrthophoto(s3, bucket, 'lambert', tiff.bytes)
  const q = testQuery('lambert')
  for (const url of [`/api/tiles/18/132800/90200.png?${q}`, `/api/tiles/tilejson.json?${q}`, `/api/mosaic/preview.png?${q}`]) {
    const res = await app.inject(url)
    t.equal(res.statusCode, 422, url)
    t.match(res.json<{ error: string }>().error, /EPSG:2154/)
  }
  const info = await app.inject(`/api/mosaic/info?${q}`)
  t.equal(info.statusCode, 200)
  t.match(info.json(), { crs: 'EPSG:2154', width: 300, overviews: 0, is_cog: false, block_size: [512, 512] })
})

t.test('a missing mosaic is 404 naming it', async (t) => {
  for (const url of ['/api/mosaic/info', '/api/tiles/tilejson.json', '/api/mosaic/preview.png', '/api/tiles/20/1/1.png']) {
    const res = await app.inject(`${url}?${testQuery('nothing-here')}`)
    t.equal(res.statusCode, 404, url)
    t.match(res.json(), { error: "no optical orthophoto for pad_id 'nothing-here' in period '20250101'" })
  }
})

t.test('formats, @2x, bilinear, ETag/304, Cache-Control and CORS', async (t) => {
  const q = testQuery('bounds')
  const tj = await tileJson(q)
  const [w, s, e, n] = tj.bounds as [number, number, number, number]
  const c = tileOf((w + e) / 2, (s + n) / 2, tj.maxzoom - 1)
  const base = `/api/tiles/${tj.maxzoom - 1}/${c.x}/${c.y}`
  const magic: Record<string, [string, number[]]> = {
    png: ['image/png', [0x89, 0x50, 0x4e, 0x47]],
    webp: ['image/webp', [0x52, 0x49, 0x46, 0x46]],
    jpg: ['image/jpeg', [0xff, 0xd8, 0xff]]
  }
  for (const [format, [type, bytes]] of Object.entries(magic)) {
    const res = await app.inject({ url: `${base}.${format}?${q}`, headers: { origin: 'https://maps.example.com' } })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], type)
    t.same([...res.rawPayload.subarray(0, bytes.length)], bytes, `${format} magic`)
    t.equal(res.headers['access-control-allow-origin'], '*')
    t.equal(res.headers['cache-control'], 'public, max-age=300')
    const etag = res.headers.etag as string
    t.match(etag, /^"[\w-]+"$/)
    const again = await app.inject({ url: `${base}.${format}?${q}`, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304)
    t.equal(again.rawPayload.length, 0)
    t.equal(again.headers.etag, etag)
  }
  const big = await decode((await app.inject(`${base}@2x.png?${q}`)).rawPayload)
  t.same([big.width, big.height], [512, 512])
  const nearest = await app.inject(`${base}.png?${q}`)
  const bilinear = await app.inject(`${base}.png?${q}&resampling=bilinear`)
  t.equal(bilinear.statusCode, 200)
  t.not(bilinear.headers.etag, nearest.headers.etag, 'the options are part of the ETag')
  const preview = await app.inject(`/api/mosaic/preview.png?${q}&max_size=200`)
  const p = await decode(preview.rawPayload)
  t.equal(Math.max(p.width, p.height), 128, 'max_size is snapped down to one of the preview sizes')
  const nearby = await app.inject(`/api/mosaic/preview.png?${q}&max_size=255`)
  t.equal(nearby.headers.etag, preview.headers.etag, 'every max_size of 128–255 is the same picture, drawn once')
  t.same(nearby.rawPayload, preview.rawPayload)
  const info = await app.inject(`/api/mosaic/info?${q}`)
  const notModified = await app.inject({ url: `/api/mosaic/info?${q}`, headers: { 'if-none-match': info.headers.etag as string } })
  t.equal(notModified.statusCode, 304)
})

/** Lookups of the tiles' LRU (blocks, built overviews and encoded tiles) so far, from /metrics. */
async function tileCacheLookups(): Promise<{ hit: number; miss: number }> {
  const body = (await app.inject('/metrics')).body
  const count = (outcome: string) =>
    Number(new RegExp(`cache_lookups_total\\{cache="tile_blocks",outcome="${outcome}"\\} (\\d+)`).exec(body)?.[1] ?? 0)
  return { hit: count('hit'), miss: count('miss') }
}

t.test('a repeated tile is not rendered again: it comes from the encoded-tile cache, and concurrent ones render once', async (t) => {
  const q = testQuery('bounds')
  const tj = await tileJson(q)
  const [w, s, e, n] = tj.bounds as [number, number, number, number]
  const c = tileOf((w + e) / 2, (s + n) / 2, tj.maxzoom)
  const url = (format: string, dx = 0) => `/api/tiles/${tj.maxzoom}/${c.x + dx}/${c.y}.${format}?${q}`
  const first = await app.inject(url('png'))
  t.equal(first.statusCode, 200)

  let before = await tileCacheLookups()
  const done = measure()
  const again = await app.inject(url('png'))
  let after = await tileCacheLookups()
  t.same(again.rawPayload, first.rawPayload, 'the same bytes')
  t.equal(again.headers.etag, first.headers.etag)
  t.same(done(), { calls: {}, bytes: 0 })
  t.same(
    { hit: after.hit - before.hit, miss: after.miss - before.miss },
    { hit: 1, miss: 0 },
    'one lookup, the encoded tile: no block was read to render it'
  )

  // Another format of the same address is its own entry, rendered from the cached blocks.
  before = after
  const webp = await app.inject(url('webp'))
  after = await tileCacheLookups()
  t.equal(webp.statusCode, 200)
  t.equal(after.miss - before.miss, 1, 'the webp tile is a miss')
  t.ok(after.hit - before.hit >= 1, `its blocks are hits (${after.hit - before.hit})`)

  // Eight concurrent requests of a tile not drawn yet: one render, the others join it.
  const neighbour = (await app.inject(url('jpg', 1))).statusCode === 200 ? 1 : -1
  before = await tileCacheLookups()
  const burst = await Promise.all(Array.from({ length: 8 }, () => app.inject(url('png', neighbour))))
  after = await tileCacheLookups()
  t.same(
    burst.map((r) => r.statusCode),
    Array(8).fill(200)
  )
  t.ok(
    burst.every((r) => r.rawPayload.equals(burst[0]!.rawPayload)),
    'identical bodies'
  )
  const blockLookups = after.hit - before.hit - 7
  t.equal(after.miss - before.miss, 1, 'one miss: the tile, rendered once (its blocks were cached by the jpg)')
  t.ok(blockLookups >= 1, `the one render looked its blocks up (${blockLookups})`)
})

t.test('a revalidation that will be a 304 reads the header only: the tile (or preview) is not rendered again', async (t) => {
  const tiff = markerTiff({ lon: 124.6355, lat: 11.1658, size: 1024, res: 0.05, markers: [], layout: 'cog' })
  await putOrthophoto(s3, bucket, 'revalidate', tiff.bytes)
  const q = testQuery('revalidate')
  const tj = await tileJson(q)
  const [w, s, e, n] = tj.bounds as [number, number, number, number]
  const c = tileOf((w + e) / 2, (s + n) / 2, tj.maxzoom)
  const url = `/api/tiles/${tj.maxzoom}/${c.x}/${c.y}.webp?${q}`
  const first = await app.inject(url)
  t.equal(first.statusCode, 200)
  const etag = first.headers.etag as string
  // Every cache emptied, as after a restart or an eviction: only the header may be read again.
  app.services.caches.clear()
  const done = measure()
  const again = await app.inject({ url, headers: { 'if-none-match': etag } })
  const cost = done()
  t.equal(again.statusCode, 304)
  t.equal(again.headers.etag, etag)
  t.equal(again.rawPayload.length, 0)
  t.same(cost.calls, { 'S3.GetObject': 1 }, 'the header, and no block')
  t.ok(cost.bytes <= 64 * 1024, `${cost.bytes} bytes: the header's read only`)
  // Another ETag (or none) still gets the tile, the same bytes as before.
  const other = await app.inject({ url, headers: { 'if-none-match': '"something-else"' } })
  t.equal(other.statusCode, 200)
  t.same(other.rawPayload, first.rawPayload)

  // So for a preview: the whole mosaic is not drawn again to say "not modified".
  const previewUrl = `/api/mosaic/preview.png?${q}&max_size=512`
  const preview = await app.inject(previewUrl)
  t.equal(preview.statusCode, 200)
  app.services.caches.clear()
  const previewDone = measure()
  const revalidated = await app.inject({ url: previewUrl, headers: { 'if-none-match': preview.headers.etag as string } })
  t.equal(revalidated.statusCode, 304)
  t.same(previewDone().calls, { 'S3.GetObject': 1 }, 'the preview revalidation reads the header only')
})

t.test('a rebuilt mosaic is picked up: its ETag is checked once the header TTL has passed', async (t) => {
  const q = testQuery('rebuilt')
  await putOrthophoto(
    s3,
    bucket,
    'rebuilt',
    markerTiff({ lon: 124.6355, lat: 11.1658, size: 600, res: 0.05, markers: [], layout: 'odm' }).bytes
  )
  const first = await app.inject(`/api/mosaic/info?${q}`)
  t.match(first.json(), { width: 600 })
  await putOrthophoto(
    s3,
    bucket,
    'rebuilt',
    markerTiff({ lon: 124.6355, lat: 11.1658, size: 700, res: 0.05, markers: [], layout: 'odm' }).bytes
  )
  const cached = measure()
  t.match((await app.inject(`/api/mosaic/info?${q}`)).json(), { width: 600 }, 'within the header TTL (1 s here) the header is reused')
  t.same(cached().calls, {})
  // The TTL is wall-clock time in the service; waiting it out is the only way through HTTP.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const done = measure()
  const second = await app.inject(`/api/mosaic/info?${q}`)
  t.match(second.json(), { width: 700 })
  t.same(done().calls, { 'S3.HeadObject': 1, 'S3.GetObject': 1 }, 'one HeadObject finds the new ETag, one read its header')
  t.not(second.headers.etag, first.headers.etag)
})

t.test('the demo orthophotos: a COG and an ODM default, UTM, RGBA, 2000–4000 px at 3–5 cm', async (t) => {
  const demo = 'site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105'
  const cog = (await app.inject(`/api/mosaic/info?${demo}&mosaic_type=medical`)).json<
    Record<string, number | boolean | string | number[]>
  >()
  t.match(cog, { crs: 'EPSG:32651', bands: 4, block_size: [256, 256], is_cog: true, compression: 'deflate' })
  t.ok((cog.overviews as number) >= 3)
  const odm = (await app.inject('/api/mosaic/info?site=upper-rhine&sector=insheim&period=20250629&pad_id=upper-rhine_insheim_PAD_A1')).json<
    Record<string, number | boolean | string | number[]>
  >()
  t.match(odm, { crs: 'EPSG:32632', bands: 4, block_size: [512, 512], overviews: 0, is_cog: false })
  for (const info of [cog, odm]) {
    t.ok(Math.max(info.width as number, info.height as number) >= 2000 && Math.max(info.width as number, info.height as number) <= 4000)
    t.ok((info.resolution_m as number) >= 0.03 && (info.resolution_m as number) <= 0.05)
  }
})

t.test(
  'a COG written by GDAL (8 bytes between blocks): a cold native tile over 4 blocks costs ≤ 3 ranged reads, same pixels',
  async (t) => {
    const { epsg, originX, originY, res, size, blockSize } = GDAL_COG
    await putOrthophoto(s3, bucket, 'gdal', gdalCogBytes())
    // The same pixels as this project's writer lays them out, without gaps between blocks.
    await putOrthophoto(s3, bucket, 'gdal-pixels', rgbaTiff(gdalCogPixels(), size, 'cog', { epsg, originX, originY, res }))
    const utm = proj4('+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs', 'EPSG:4326')
    // The corner shared by blocks (0,0), (1,0), (0,1), (1,1), where the fixture's red disc is centred.
    const [lon, lat] = utm.forward([originX + blockSize * res, originY - blockSize * res])
    const tile = tileOf(lon, lat, 22)
    const path = `/api/tiles/22/${tile.x}/${tile.y}.png`
    const done = measure()
    const gdal = await app.inject(`${path}?${testQuery('gdal')}`)
    t.equal(gdal.statusCode, 200)
    const cold = done()
    t.ok((cold.calls['S3.GetObject'] ?? 0) <= 3, `cold: ${JSON.stringify(cold.calls)}`)
    t.same(Object.keys(cold.calls), ['S3.GetObject'])
    const ours = await app.inject(`${path}?${testQuery('gdal-pixels')}`)
    const picture = await decode(gdal.rawPayload)
    t.ok(picture.data.equals((await decode(ours.rawPayload)).data), 'the same pixels as from the file without gaps')
    const disc = redCentroid(picture, tile.px, tile.py, 70)
    t.ok(disc && Math.hypot(disc.x - tile.px, disc.y - tile.py) <= 1, `the disc at the blocks' corner: ${JSON.stringify(disc)}`)
  }
)

t.test("a tile's and a preview's 304 are their routes' own: GET and HEAD, the 200's ETag and Cache-Control, no body", async (t) => {
  await putOrthophoto(s3, bucket, 'gdal-304', gdalCogBytes())
  const q = testQuery('gdal-304')
  const c = tileOf(124.6355, 11.1658, 20)
  for (const url of [`/api/tiles/20/${c.x}/${c.y}.png?${q}`, `/api/mosaic/preview.webp?${q}&max_size=128`]) {
    const first = await app.inject(url)
    t.equal(first.statusCode, 200, url)
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url, headers: { 'if-none-match': first.headers.etag as string } })
      t.equal(res.statusCode, 304, `${method} ${url}`)
      t.equal(res.headers.etag, first.headers.etag)
      t.equal(res.headers['cache-control'], first.headers['cache-control'])
      t.equal(res.headers['content-type'], undefined)
      t.equal(res.rawPayload.length, 0)
    }
  }
})
