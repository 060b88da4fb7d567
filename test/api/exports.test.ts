import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { CAMERA_CSV_COLUMNS } from '../../schemas/exports.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { rfc7946Problems } from '../helpers/geojson.js'
import { buildTestApp, padQuery } from '../helpers/app.js'

const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
const dataset = buildDemoDataset()
const SECTOR = 'site=leyte&sector=tongonan'

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

t.test('GET /api/pads?format=geojson: closed counter-clockwise rings, lon/lat, numbers only', async (t) => {
  const list = (await get(`/api/pads?${SECTOR}`)).json()
  const res = await get(`/api/pads?${SECTOR}&format=geojson`)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/geo\+json/)
  t.equal(res.headers['content-disposition'], 'attachment; filename="pads_leyte_tongonan.geojson"')
  const fc = res.json()
  t.same(rfc7946Problems(fc), [], 'valid RFC 7946')
  t.same(
    fc.features.map((f: any) => f.properties),
    list.map((p: any) => ({ pad_id: p.pad_id, pad_name: p.pad_name })),
    'the same pads, in the same order, with no survey figures'
  )
  for (const f of fc.features) {
    const item = dataset.pads.find((p: any) => p.pad_id === f.properties.pad_id) as any
    const stored = new Set<string>(item.geo_location_area.map((p: number[]) => p.join(',')))
    t.ok(
      f.geometry.coordinates[0].every((p: number[]) => stored.has(p.join(','))),
      `${f.properties.pad_id}: the stored [lon, lat] corners`
    )
    t.ok(
      f.geometry.coordinates[0].every(([lon, lat]: number[]) => lon! > 124 && lat! < 12),
      'longitude first (Leyte: 124.6 E, 11.1 N)'
    )
  }
  t.same((await get(`/api/pads?${SECTOR}&format=json`)).json(), list, 'format=json is the default list')
})

t.test('with period: the complete pads, each with the survey’s image count, maximum and worst severity', async (t) => {
  const fc = (await get(`/api/pads?${SECTOR}&period=20241230&format=geojson`)).json()
  t.same(rfc7946Problems(fc), [])
  const summary = (await get(`/api/survey/summary?${SECTOR}&period=20241230`)).json()
  t.same(
    fc.features.map((f: any) => f.properties.pad_id),
    ['leyte_tongonan_PAD_2', 'leyte_tongonan_PAD_10', 'leyte_tongonan_PAD_105']
  )
  for (const f of fc.features) {
    const row = summary.pads.find((p: any) => p.pad_id === f.properties.pad_id)
    t.equal(f.properties.image_count, row.image_count)
    t.equal(f.properties.max_temp, row.max_temp)
    t.equal(f.properties.severity, 'critical', 'each pad has a wellhead frame')
  }
  const unknown = await get(`/api/pads?${SECTOR}&period=20200101&format=geojson`)
  t.equal(unknown.statusCode, 200, 'existing endpoints keep the PRD’s empty lists')
  t.same(unknown.json(), { type: 'FeatureCollection', features: [] })
  t.equal((await get(`/api/pads?${SECTOR}&format=shapefile`)).statusCode, 400)
})

t.test('GET /api/mosaic/cameras?format=csv: the JSON features’ values, one row per shot', async (t) => {
  const json = (await get(`/api/mosaic/cameras?${padQuery()}`)).json()
  const res = await get(`/api/mosaic/cameras?${padQuery()}&format=csv`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="cameras_leyte_tongonan_20241230_leyte_tongonan_PAD_105_optical.csv"')
  const [header, ...rows] = res.body
    .slice(0, -2)
    .split('\r\n')
    .map((l) => l.split(','))
  t.same(header, CAMERA_CSV_COLUMNS)
  t.equal(rows.length, json.features.length)
  const cell = (v: unknown): string => (v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v))
  rows.forEach((row, i) => {
    const f = json.features[i]
    const p = f.properties
    t.same(
      row,
      [
        p.image_id,
        p.filename,
        f.geometry.coordinates[0],
        f.geometry.coordinates[1],
        p.altitude,
        p.yaw,
        p.pitch,
        p.temp_min,
        p.temp_max
      ].map(cell)
    )
  })
  t.ok(
    rows.some((r) => r[0] === ''),
    'unmatched shots have an empty image_id'
  )
})

t.test('format=kml parses as XML with a Placemark per shot, styled by severity', async (t) => {
  for (const [query, shots] of [
    [padQuery(), undefined],
    [padQuery({ mosaic_type: 'medical' }), undefined],
    ['site=upper-rhine&sector=insheim&period=20250629&pad_id=upper-rhine_insheim_PAD_A1', 394]
  ] as const) {
    const json = (await get(`/api/mosaic/cameras?${query}`)).json()
    const res = await get(`/api/mosaic/cameras?${query}&format=kml`)
    t.equal(res.statusCode, 200)
    t.equal(res.headers['content-type'], 'application/vnd.google-earth.kml+xml')
    t.match(res.headers['content-disposition'], /^attachment; filename="cameras_.*\.kml"$/)
    t.equal(XMLValidator.validate(res.body), true, 'well-formed XML')
    const kml = new XMLParser({ ignoreAttributes: false, isArray: (name: string) => name === 'Placemark' || name === 'Style' }).parse(
      res.body
    )
    const placemarks = kml.kml.Document.Placemark as any[]
    t.equal(kml.kml['@_xmlns'], 'http://www.opengis.net/kml/2.2')
    t.equal(placemarks.length, shots ?? json.features.length, 'one Placemark per shot')
    t.same(
      placemarks.map((p) => p.name),
      json.features.map((f: any) => f.properties.image_id ?? f.properties.filename)
    )
    const styles = new Set((kml.kml.Document.Style as any[]).map((s) => `#${s['@_id']}`))
    t.ok(
      placemarks.every((p) => styles.has(p.styleUrl)),
      'every styleUrl names a Style of the document'
    )
    placemarks.forEach((p, i) => {
      const f = json.features[i]
      const [lon, lat] = String(p.Point.coordinates).split(',').map(Number)
      t.same([lon, lat], f.geometry.coordinates.slice(0, 2))
      t.match(p.description, `temp_max: ${f.properties.temp_max === null ? 'unknown' : `${f.properties.temp_max} °C`}`)
    })
  }
  const kml = (await get(`/api/mosaic/cameras?${padQuery()}&format=kml`)).body
  t.match(
    kml,
    /<name>leyte_tongonan_20241230_0379<\/name>\s*<description>[^<]*severity: critical<\/description>\s*<styleUrl>#critical<\/styleUrl>/
  )
  t.match(kml, /<name>DJI_0382_W\.JPG<\/name>[\s\S]*?<styleUrl>#unknown<\/styleUrl>/, 'an unmatched shot: its file name, no severity')
})

t.test('exports keep the default JSON unchanged, and are cacheable like it', async (t) => {
  const plain = await get(`/api/mosaic/cameras?${padQuery()}`)
  t.equal(plain.body, (await get(`/api/mosaic/cameras?${padQuery()}&format=json`)).body)
  t.match(plain.headers['content-type'], /^application\/json/)
  const csv = await get(`/api/hotspots?${SECTOR}&period=20241230&format=csv`)
  t.ok(csv.headers.etag)
  const again = await get(`/api/hotspots?${SECTOR}&period=20241230&format=csv`, { 'if-none-match': csv.headers.etag as string })
  t.equal(again.statusCode, 304)
  t.notOk(
    (await get(`/api/mosaic/cameras?${padQuery({ pad_id: 'leyte_tongonan_PAD_999' })}&format=kml`)).statusCode === 200,
    'no shots.geojson: no KML'
  )
  t.equal((await get(`/api/mosaic/cameras?${padQuery()}&format=gpx`)).statusCode, 400)
})
