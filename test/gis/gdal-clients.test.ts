/**
 * The STAC API and OGC API – Features read by the clients GIS users run: GDAL's
 * OAPIF driver (what QGIS's OGR layers and ogr2ogr use), /vsicurl/ through an
 * asset's redirect, and the STACIT driver over a search. The app listens on a
 * loopback port over the run's shared demo store; GDAL reaches the presigned
 * URLs at the store's own S3 emulator.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'

const exec = promisify(execFile)
const app = await buildTestApp(t)
await app.listen({ port: 0, host: '127.0.0.1' })
/** The URLs GDAL asked for, to see which filters it left to the server. */
const requested: string[] = []
app.server.on('request', (req: { url?: string }) => requested.push(req.url ?? ''))
const address = app.server.address()
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
const dir = mkdtempSync(join(tmpdir(), 'gdal-clients-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

/** GDAL's tools, with no cache between runs and no config file of the machine's. */
async function gdal(tool: string, args: string[]): Promise<string> {
  const { stdout } = await exec(tool, args, {
    timeout: 30_000,
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, GDAL_HTTP_TIMEOUT: '20', CPL_VSIL_CURL_CACHE_SIZE: '0', GDAL_DISABLE_READDIR_ON_OPEN: 'EMPTY_DIR' }
  })
  return stdout
}

const SURVEY = { site: 'leyte', sector: 'tongonan', period: '20241230' }

t.test('ogrinfo lists the four layers of OAPIF:…/features', async (t) => {
  const out = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${base}/features`])
  const layers = [...out.matchAll(/^\d+: (\S+)/gm)].map((m) => m[1])
  t.same(layers, ['pads', 'hotspots', 'cameras', 'line-loss-regions'])
  t.comment(out.trim())
})

t.test('the hot spots of a survey through OGR are /api/hotspots?format=geojson, in order, filtered by the server', async (t) => {
  requested.length = 0
  const where = `site = '${SURVEY.site}' AND sector = '${SURVEY.sector}' AND period = '${SURVEY.period}'`
  type Collection = { features: { geometry: { coordinates: number[] } | null; properties: Record<string, unknown> }[] }
  const ogr = JSON.parse(
    await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', `OAPIF:${base}/features`, 'hotspots', '-where', where])
  ) as Collection
  const api = await app.inject({
    method: 'GET',
    url: `/api/hotspots?${new URLSearchParams({ ...SURVEY, limit: '500', format: 'geojson' })}`
  })
  const expected = api.json<Collection>()
  t.ok(expected.features.length > 20, `the survey has ${expected.features.length} hot spots`)
  // OGR adds the feature's id and the queryables as fields; the export's properties and geometry must be the same.
  const round = (g: { coordinates: number[] } | null) => g && g.coordinates.map((c) => Math.round(c * 1e9) / 1e9)
  const asApi = ogr.features.map((f) => ({
    properties: Object.fromEntries(Object.keys(expected.features[0]!.properties).map((k) => [k, f.properties[k]])),
    at: round(f.geometry)
  }))
  t.same(
    asApi,
    expected.features.map((f) => ({ properties: f.properties, at: round(f.geometry) })),
    'the same features in the same order'
  )
  t.ok(
    ogr.features.every(
      (f) => f.properties.site === SURVEY.site && f.properties.sector === SURVEY.sector && f.properties.period === SURVEY.period
    ),
    'every feature carries the queryables it was filtered on'
  )
  const items = requested.filter((u) => u.startsWith('/features/collections/hotspots/items'))
  // The first request samples the layer's fields (unfiltered, one page); every page after it carries the filter.
  t.same(items[0], '/features/collections/hotspots/items?limit=10', 'the sample of the fields')
  t.ok(
    items.slice(1).every((u) => u.includes('site=leyte') && u.includes('sector=tongonan') && u.includes('period=20241230')),
    `the filter went to the server: ${items.slice(1).join(' ')}`
  )
  t.equal(items.length, 1 + Math.ceil(expected.features.length / 10), 'the sample, then one request per page of 10')
})

t.test('ogr2ogr writes a GeoPackage of the pads of a bounding box', async (t) => {
  const bbox = ['124.630', '11.160', '124.640', '11.172']
  const gpkg = join(dir, 'pads.gpkg')
  requested.length = 0
  await gdal('ogr2ogr', ['-f', 'GPKG', gpkg, `OAPIF:${base}/features`, 'pads', '-spat', ...bbox])
  const info = await gdal('ogrinfo', ['-ro', '-al', '-so', gpkg])
  const count = Number(/Feature Count: (\d+)/.exec(info)?.[1])
  const api = (await app.inject({ method: 'GET', url: `/features/collections/pads/items?bbox=${bbox.join(',')}&limit=100` })).json()
  t.ok(count > 0, `${count} pads`)
  t.equal(count, api.numberMatched, 'the pads the API matches for that bbox')
  t.match(info, /Geometry: Polygon/)
  t.match(info, /pad_id: String/)
  t.ok(
    requested.some((u) => u.startsWith('/features/collections/pads/items') && u.includes('bbox=')),
    'the bbox went to the server'
  )
})

t.test('gdalinfo opens an orthophoto through an Item asset href (the 302 to a presigned URL)', async (t) => {
  // Over the listening socket, so that the hrefs name the host GDAL reaches.
  const item = await (await fetch(`${base}/stac/collections/leyte.tongonan/items/leyte_tongonan_PAD_105.20241230`)).json()
  const optical = item.assets.optical
  t.equal(optical.type, 'image/tiff; application=geotiff; profile=cloud-optimized', 'PAD_105 is a COG')
  const info = JSON.parse(await gdal('gdalinfo', ['-json', `/vsicurl/${optical.href}`]))
  t.same([info.size[1], info.size[0]], optical['proj:shape'], 'proj:shape is rows, columns')
  const [a, , c, , e, f] = optical['proj:transform']
  t.same(info.geoTransform, [c, a, 0, f, 0, e], 'proj:transform is the file’s affine')
  t.match(info.coordinateSystem.wkt, /ID\["EPSG",32651\]\]$/, 'proj:epsg is the file’s CRS')
})

t.test('the STACIT driver opens a search of one survey', async (t) => {
  const search = `${base}/stac/search?collections=leyte.tongonan&datetime=2024-12-30T00:00:00Z`
  const info = JSON.parse(await gdal('gdalinfo', ['-json', `STACIT:"${search}":asset=optical`]))
  t.match(info.driverShortName, /^(STACIT|VRT)$/)
  t.match(info.coordinateSystem.wkt, /ID\["EPSG",32651\]\]$/)
  const items = (await app.inject({ method: 'GET', url: search.slice(base.length) })).json()
  t.ok(items.numberMatched >= 2, `${items.numberMatched} pads in the mosaic`)
  const files = info.files as string[]
  t.equal(files.filter((f) => f.includes('/assets/optical')).length, items.numberMatched, 'one source per Item')
})
