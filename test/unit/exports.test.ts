import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { csvTable } from '../../src/domain/csv.js'
import { camerasKml, exportFilename, padCollection, padPolygon, xml } from '../../src/domain/exports.js'
import { postedReport, reportCsv } from '../../src/domain/line-loss-report.js'
import type { EnrichedCollection } from '../../src/domain/enrich.js'
import { rfc7946Problems } from '../helpers/geojson.js'

t.test('CSV: RFC 4180 quoting, CRLF, formulas defused, numbers as they are', async (t) => {
  t.equal(
    csvTable(
      ['a', 'b'],
      [
        [1, 'x'],
        [-2.5, null]
      ]
    ),
    'a,b\r\n1,x\r\n-2.5,\r\n'
  )
  t.equal(csvTable(['a'], [['say "hi", then\nleave']]), 'a\r\n"say ""hi"", then\nleave"\r\n')
  t.equal(csvTable(['a'], [['=HYPERLINK("x")'], ['@SUM(A1)'], ['+1']]), 'a\r\n"\'=HYPERLINK(""x"")"\r\n\'@SUM(A1)\r\n\'+1\r\n')
  t.equal(csvTable(['a'], [[true], [undefined]]), 'a\r\ntrue\r\n\r\n')
  t.equal(
    csvTable(['a'], [['-2+3'], ['\tcmd'], ['\rcmd'], ['a-b'], [-3]]),
    "a\r\n'-2+3\r\n'\tcmd\r\n\"'\rcmd\"\r\na-b\r\n-3\r\n",
    'a leading -, tab or CR is defused too; a number is not'
  )
})

t.test('the line-loss CSV uses the same escaper', async (t) => {
  const csv = reportCsv(
    postedReport(
      {
        site: '=cmd()',
        sector: 'tongonan',
        rows: [
          { section: '-1+1', length: '1.00' },
          { section: '@x, "y"', length: 'N/A' }
        ]
      },
      '2026-12-06'
    )
  )
  t.equal(
    csv,
    'site,\'=cmd()\r\nsector,tongonan\r\nperiod,\r\ngenerated,2026-12-06\r\n\r\nsection,length_m\r\n\'-1+1,1.00\r\n"\'@x, ""y""",N/A\r\nTotal,1.00\r\n'
  )
})

t.test('pad polygons: closed, counter-clockwise, [lon, lat]; degenerate rings have no geometry', async (t) => {
  const clockwise = [
    [0, 0],
    [0, 1],
    [1, 1],
    [1, 0]
  ]
  const p = padPolygon(clockwise)!
  t.same(
    p.coordinates[0],
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0]
    ],
    'closed and turned counter-clockwise'
  )
  t.same(
    padPolygon([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0]
    ])!.coordinates[0],
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 0]
    ],
    'already closed and CCW: as it is'
  )
  t.same(
    padPolygon([
      [0, 0, 5],
      [1, 0, 5],
      [1, 1, 5]
    ])!.coordinates[0]!.length,
    4,
    'altitudes kept, ring closed'
  )
  t.equal(padPolygon([]), null)
  t.equal(
    padPolygon([
      [0, 0],
      [1, 1],
      [0, 0]
    ]),
    null,
    'two distinct corners are no polygon'
  )
  t.equal(
    padPolygon([
      [0, 0],
      [1, 1]
    ]),
    null
  )
  const fc = padCollection([
    { pad_id: 'a', pad_name: 'a', geo_location_area: clockwise },
    { pad_id: 'b', pad_name: 'b', geo_location_area: [] }
  ])
  t.same(rfc7946Problems(fc), [])
  t.equal(fc.features[1]!.geometry, null)
  t.same(Object.keys(fc.features[0]!.properties), ['pad_id', 'pad_name'], 'no survey figures without a survey')
})

t.test('KML: escaped names and descriptions, a Placemark per shot', async (t) => {
  const collection: EnrichedCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [8.1, 49.1, 120] },
        properties: {
          filename: 'a<&>"\'.JPG',
          image_id: null,
          thermal_filename: null,
          altitude: null,
          temp_max: null,
          temp_min: null,
          yaw: null,
          pitch: null
        }
      },
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [8.2, 49.2] },
        properties: {
          filename: 'b.JPG',
          image_id: 'img-b',
          thermal_filename: 'b_T.JPG',
          altitude: 130,
          temp_max: 80,
          temp_min: 20,
          yaw: 10,
          pitch: -90
        }
      }
    ]
  }
  const kml = camerasKml(collection, 'pad & period', new Map([['img-b', 'serious' as const]]))
  t.equal(XMLValidator.validate(kml), true)
  const doc = new XMLParser({ isArray: (name: string) => name === 'Placemark' }).parse(kml)
  const placemarks = doc.kml.Document.Placemark
  t.equal(doc.kml.Document.name, 'pad & period')
  t.same(
    placemarks.map((p: any) => p.name),
    ['a<&>"\'.JPG', 'img-b']
  )
  t.same(
    placemarks.map((p: any) => p.styleUrl),
    ['#unknown', '#serious']
  )
  t.same(
    placemarks.map((p: any) => String(p.Point.coordinates)),
    ['8.1,49.1,120', '8.2,49.2,130']
  )
  t.match(placemarks[1].description, /temp_max: 80 °C\nseverity: serious/)
})

t.test('export file names come from the validated parts only', async (t) => {
  t.equal(exportFilename(['hotspots', 'leyte', 'tongonan', '20241230', undefined, ''], 'csv'), 'hotspots_leyte_tongonan_20241230.csv')
  t.equal(exportFilename(['x', 'a"b;c'], 'kml'), 'x_a_b_c.kml')
})

t.test('KML: characters XML forbids are dropped, so a stored value cannot break the file', async (t) => {
  t.equal(xml('a\u0000b\u0007c\u001bd\ufffe\uffffe'), 'abcde', 'C0 controls, U+FFFE and U+FFFF')
  t.equal(xml('lone \ud800 surrogate \udc00'), 'lone  surrogate ', 'lone surrogates')
  t.equal(xml('tab\tLF\nCR\r 😀 é <&>'), 'tab\tLF\nCR\r 😀 é &lt;&amp;&gt;', 'what XML allows is kept, markup escaped')
  const collection: EnrichedCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [8.1, 49.1] },
        properties: {
          filename: 'bad\u0000\u0001\u0008name\u000b.JPG',
          image_id: 'img\u001f-a',
          thermal_filename: null,
          altitude: null,
          temp_max: null,
          temp_min: null,
          yaw: null,
          pitch: null
        }
      }
    ]
  }
  const kml = camerasKml(collection, 'title\u0002', new Map())
  t.equal(XMLValidator.validate(kml), true, 'the KML is well-formed XML')
  const doc = new XMLParser({ isArray: (name: string) => name === 'Placemark' }).parse(kml)
  t.equal(doc.kml.Document.name, 'title')
  t.equal(doc.kml.Document.Placemark[0].name, 'img-a')
  t.match(doc.kml.Document.Placemark[0].description, /^file: badname\.JPG$/m)
})
