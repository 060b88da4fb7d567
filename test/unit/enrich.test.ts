import t from 'tap'
import { enrichShots, indexByFilename, parseShots, recordFilenames } from '../../src/domain/enrich.js'
import type { ImageRecord } from '../../src/domain/records.js'
import { realFlightShots } from '../helpers/fixtures.js'

const record: ImageRecord = {
  image_id: 'leyte_tongonan_20241230_0379',
  optical_filename: 'DJI_0380_W.JPG',
  thermal_filename: 'DJI_0381_T.JPG',
  colored_images: {
    medical: 'colored/leyte/tongonan/20241230/DJI_0381_T_medical.JPG',
    hotspot_alert: 'colored/leyte/tongonan/20241230/DJI_0381_T_hotspot_alert.JPG'
  },
  optical_metadata: { gps_location: { altitude: 445.5 } },
  thermal_metadata: { temperature_min: 22.7, temperature_max: 131.6 }
}

const shot = (filename: string, extra: Record<string, unknown> = {}, coordinates = [124.635123, 11.165456, 440]) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties: { filename, rotation: [Math.PI, 0, 0], ...extra }
})

t.test('a record is known by its optical, thermal and colour-mapped file names', async (t) => {
  t.same(recordFilenames(record), ['DJI_0380_W.JPG', 'DJI_0381_T.JPG', 'DJI_0381_T_medical.JPG', 'DJI_0381_T_hotspot_alert.JPG'])
  const index = indexByFilename([record, { image_id: 'dup', optical_filename: 'DJI_0380_W.JPG' }])
  t.equal(index.get('DJI_0380_W.JPG')?.image_id, record.image_id, 'first record wins on a duplicate name')
})

t.test('optical, thermal and colour-mapped shots all join to the record', async (t) => {
  for (const name of ['DJI_0380_W.JPG', 'DJI_0381_T.JPG', 'DJI_0381_T_medical.JPG', 'DJI_0381_T_hotspot_alert.JPG']) {
    const out = enrichShots(parseShots({ features: [shot(name)] }), [record])
    const p = out.features[0]!.properties
    t.equal(p.image_id, record.image_id, name)
    t.equal(p.thermal_filename, 'DJI_0381_T.JPG')
    t.equal(p.temp_max, 131.6)
    t.equal(p.temp_min, 22.7)
    t.equal(p.altitude, 445.5, 'altitude from the GPS of the record')
    t.equal(p.yaw, 0)
    t.equal(p.pitch, -90)
  }
})

t.test('unmatched shots are kept with their ODM properties and image_id null', async (t) => {
  const out = enrichShots(
    parseShots({ features: [shot('DJI_9999.JPG', { capture_time: 1751203124, focal: 0.78, translation: [1, 2, 3] })] }),
    [record]
  )
  t.equal(out.features.length, 1)
  const p = out.features[0]!.properties
  t.equal(p.image_id, null)
  t.equal(p.thermal_filename, null)
  t.equal(p.temp_max, null)
  t.equal(p.altitude, 440, 'altitude falls back to the point z')
  t.equal(p.capture_time, 1751203124)
  t.equal(p.focal, 0.78)
  t.same(p.translation, [1, 2, 3])
  t.same(p.rotation, [Math.PI, 0, 0])
})

t.test('a 2D point without a record has no altitude', async (t) => {
  const out = enrichShots(parseShots({ features: [shot('X.JPG', {}, [1, 2])] }), [])
  t.equal(out.features[0]!.properties.altitude, null)
})

t.test('a shot without a usable rotation has null yaw and pitch', async (t) => {
  const out = enrichShots(parseShots({ features: [shot('DJI_0380_W.JPG', { rotation: 'x' })] }), [record])
  t.equal(out.features[0]!.properties.yaw, null)
  t.equal(out.features[0]!.properties.pitch, null)
})

t.test('parseShots keeps only Point features with a file name', async (t) => {
  const shots = parseShots({
    type: 'FeatureCollection',
    features: [
      shot('A.JPG'),
      {
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1]
          ]
        },
        properties: { filename: 'B' }
      },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] }, properties: {} },
      { type: 'Feature', geometry: { type: 'Point', coordinates: ['a', 0] }, properties: { filename: 'C' } },
      null
    ]
  })
  t.same(
    shots.map((s) => s.properties.filename),
    ['A.JPG']
  )
  t.throws(() => parseShots({ nope: true }), TypeError)
  t.throws(() => parseShots(null), TypeError)
})

t.test('the real ODM flight: every shot kept, every property passed through, headings in range', async (t) => {
  const body = realFlightShots()
  const shots = parseShots(body)
  t.equal(shots.length, 394)
  const records: ImageRecord[] = shots.slice(0, 100).map((s, i) => ({
    image_id: `img_${i}`,
    optical_filename: s.properties.filename
  }))
  const out = enrichShots(shots, records)
  t.equal(out.features.length, 394)
  t.equal(out.features.filter((f) => f.properties.image_id !== null).length, 100)
  for (const f of out.features) {
    const p = f.properties
    if (!(typeof p.yaw === 'number' && p.yaw >= 0 && p.yaw < 360)) t.fail(`yaw of ${p.filename}: ${p.yaw}`)
    for (const key of ['camera', 'focal', 'width', 'height', 'capture_time', 'translation', 'rotation']) {
      if (!(key in p)) t.fail(`${p.filename} lost ${key}`)
    }
    if (p.altitude !== f.geometry.coordinates[2]) t.fail(`${p.filename} altitude`)
  }
  t.pass('checked 394 features')
})
