import t from 'tap'
import { bboxesIntersect, intersectsPolygon, segmentsMeet, type Geometry } from '../../src/domain/geometry.js'
import {
  decodeToken,
  encodeToken,
  filterFromBody,
  filterFromQuery,
  inRange,
  parseBbox,
  parseDatetime,
  parseGeometry,
  periodDatetime,
  TOKEN_SHAPE
} from '../../src/domain/search-params.js'
import { featuresApiDocument } from '../../src/domain/features-documents.js'
import { splitCollectionId, splitItemId } from '../../src/domain/stac-items.js'

const PAD = [
  [
    [10, 10],
    [11, 10],
    [11, 11],
    [10, 11],
    [10, 10]
  ]
]
const error = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return (err as Error).message
  }
  return undefined
}

t.test('bbox: 2-D, 3-D (its horizontal part), and every malformed form named', async (t) => {
  t.same(parseBbox('1,2,3,4'), [1, 2, 3, 4])
  t.same(parseBbox('1,2,-50,3,4,900'), [1, 2, 3, 4])
  t.same(parseBbox('-1.5e1,.5,179.,90'), [-15, 0.5, 179, 90])
  t.same(parseBbox('170,-10,-170,10'), [170, -10, -170, 10], 'west above east crosses the antimeridian')
  for (const bad of ['1,2,3', '1,2,3,4,5', '0x1,2,3,4', 'Infinity,2,3,4', ' 1,2,3,4', '1,2,3,4,', 'NaN,1,2,3', '1e999,1,2,3']) {
    t.match(
      error(() => parseBbox(bad)),
      /^invalid query parameter 'bbox': /,
      bad
    )
  }
  t.match(
    error(() => parseBbox('1,-91,2,3')),
    /latitudes/
  )
  t.match(
    error(() => parseBbox('-181,1,2,3')),
    /longitudes/
  )
  t.match(
    error(() => parseBbox('1,5,2,4')),
    /south edge/
  )
})

t.test('datetime: instants, closed and open intervals, calendar checks', async (t) => {
  const at = Date.parse('2024-12-30T00:00:00Z')
  t.same(parseDatetime('2024-12-30T00:00:00Z', 'query'), { start: at, end: at })
  t.same(parseDatetime('2024-12-30t08:00:00+08:00', 'query'), { start: at, end: at }, 'lower-case t and an offset')
  t.same(parseDatetime('2024-12-30T00:00:00Z/..', 'query'), { start: at, end: undefined })
  t.same(parseDatetime('../2024-12-30T00:00:00Z', 'query'), { start: undefined, end: at })
  t.same(parseDatetime('/2024-12-30T00:00:00Z', 'query'), { start: undefined, end: at })
  t.same(parseDatetime('2024-12-30T00:00:00.123Z/2024-12-31T00:00:00Z', 'body'), {
    start: at + 123,
    end: Date.parse('2024-12-31T00:00:00Z')
  })
  t.ok(inRange(at, { start: at }) && inRange(at, { end: at }) && !inRange(at - 1, { start: at }))
  for (const bad of ['2024-12-30', '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-12-30T24:00:00Z', '../..', '/', 'x/..']) {
    t.match(
      error(() => parseDatetime(bad, 'query')),
      /^invalid query parameter 'datetime'/,
      bad
    )
  }
  t.match(
    error(() => parseDatetime('2025-01-01T00:00:00Z/2024-01-01T00:00:00Z', 'body')),
    /^invalid body parameter 'datetime': the interval ends/
  )
  t.equal(parseDatetime('2024-02-29T00:00:00Z', 'query').start, Date.parse('2024-02-29T00:00:00Z'), 'a leap day')
})

t.test('geometry: any GeoJSON type, positions checked, rings closed, bounded', async (t) => {
  for (const g of [
    { type: 'Point', coordinates: [1, 2] },
    { type: 'MultiPoint', coordinates: [[1, 2]] },
    {
      type: 'LineString',
      coordinates: [
        [1, 2],
        [3, 4]
      ]
    },
    {
      type: 'MultiLineString',
      coordinates: [
        [
          [1, 2],
          [3, 4]
        ]
      ]
    },
    { type: 'Polygon', coordinates: PAD },
    { type: 'MultiPolygon', coordinates: [PAD] },
    { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2, 3] }] }
  ]) {
    t.same(parseGeometry(g, 'query'), g, g.type)
  }
  for (const [bad, why] of [
    [{ type: 'Point' }, /2 or 3 finite numbers/],
    [{ type: 'Point', coordinates: [1, 'x'] }, /2 or 3 finite numbers/],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1]
          ]
        ]
      },
      /closed/
    ],
    [
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0]
          ]
        ]
      },
      /at least 4/
    ],
    [{ type: 'Circle', coordinates: [0, 0] }, /type must be one of/],
    [{ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [] }] }, /nest/],
    [{ type: 'Point', coordinates: [200, 0] }, /WGS 84/],
    [{ type: 'MultiPoint', coordinates: Array.from({ length: 10_001 }, () => [0, 0]) }, /more than 10000 positions/],
    [[1, 2], /geometry object/]
  ] as const) {
    t.match(
      error(() => parseGeometry(bad, 'body')),
      why,
      JSON.stringify(bad).slice(0, 60)
    )
  }
})

t.test('intersections: points, lines and polygons against a pad', async (t) => {
  const meets = (g: Geometry) => intersectsPolygon(g, PAD)
  t.ok(meets({ type: 'Point', coordinates: [10.5, 10.5] }), 'a point inside')
  t.notOk(meets({ type: 'Point', coordinates: [12, 10.5] }), 'a point outside')
  t.ok(
    meets({
      type: 'LineString',
      coordinates: [
        [9, 10.5],
        [12, 10.5]
      ]
    }),
    'a line across, no vertex inside'
  )
  t.ok(
    meets({
      type: 'LineString',
      coordinates: [
        [9, 9],
        [10, 10]
      ]
    }),
    'a line touching a corner'
  )
  t.notOk(
    meets({
      type: 'LineString',
      coordinates: [
        [9, 9],
        [9.5, 12]
      ]
    }),
    'a line beside it'
  )
  const around = {
    type: 'Polygon' as const,
    coordinates: [
      [
        [0, 0],
        [20, 0],
        [20, 20],
        [0, 20],
        [0, 0]
      ]
    ]
  }
  t.ok(meets(around), 'a polygon around it')
  const withHole = {
    type: 'Polygon' as const,
    coordinates: [
      ...around.coordinates,
      [
        [5, 5],
        [15, 5],
        [15, 15],
        [5, 15],
        [5, 5]
      ]
    ]
  }
  t.notOk(meets(withHole), 'inside a hole of the area')
  t.ok(
    meets({
      type: 'GeometryCollection',
      geometries: [
        { type: 'Point', coordinates: [0, 0] },
        { type: 'Point', coordinates: [10.2, 10.2] }
      ]
    })
  )
  t.ok(segmentsMeet([0, 0], [2, 0], [1, 0], [3, 0]), 'collinear overlap')
  t.notOk(segmentsMeet([0, 0], [1, 0], [2, 0], [3, 0]), 'collinear apart')
  t.ok(bboxesIntersect([170, -10, -170, 10], [175, 0, 176, 1]), 'across the antimeridian')
  t.ok(bboxesIntersect([170, -10, -170, 10], [-175, 0, -174, 1]))
  t.notOk(bboxesIntersect([170, -10, -170, 10], [0, 0, 1, 1]))
})

t.test('filters from a query and a body; bbox with intersects refused', async (t) => {
  t.same(filterFromQuery({ bbox: '1,2,3,4', ids: 'a.20240101,b.20240101', collections: 'x.y' }), {
    bbox: [1, 2, 3, 4],
    ids: ['a.20240101', 'b.20240101'],
    collections: ['x.y']
  })
  t.equal(
    error(() => filterFromQuery({ bbox: '1,2,3,4', intersects: '{"type":"Point","coordinates":[1,2]}' })),
    "query parameter 'bbox' and query parameter 'intersects' cannot be used together"
  )
  t.equal(
    error(() => filterFromBody({ bbox: [1, 2, 3, 4], intersects: { type: 'Point', coordinates: [1, 2] } })),
    "body parameter 'bbox' and body parameter 'intersects' cannot be used together"
  )
  t.match(
    error(() => filterFromQuery({ intersects: '{' })),
    /parameter 'intersects': must be a GeoJSON geometry as JSON/
  )
  t.same(filterFromBody({ bbox: [1, 2, 0, 3, 4, 9] }), { bbox: [1, 2, 3, 4] })
})

t.test('tokens: the sort key of a page, and nothing else', async (t) => {
  const key = ['leyte', 'tongonan', '20241230', '105', 'leyte_tongonan_PAD_105', 3]
  const token = encodeToken(key)
  t.match(token, /^[A-Za-z0-9_-]+$/)
  t.same(decodeToken(token, TOKEN_SHAPE, 'query'), key)
  for (const bad of ['', 'not-a-token', encodeToken(['a']), encodeToken([1, 2, 3, 4, 5, 6]), encodeToken(['a', 'b', 'c', 'd', 'e', -1])]) {
    t.equal(
      error(() => decodeToken(bad, TOKEN_SHAPE, 'body')),
      "invalid body parameter 'token': is not a token this API issued"
    )
  }
})

t.test('ids and periods as STAC writes them', async (t) => {
  t.equal(periodDatetime('20241230'), '2024-12-30T00:00:00Z')
  t.equal(periodDatetime('20241231-PMSB'), '2024-12-31T00:00:00Z', 'the suffix stays in the properties')
  t.equal(periodDatetime('20241332'), undefined)
  t.same(splitItemId('site_x_PAD_1.5.20241230-A'), { padId: 'site_x_PAD_1.5', period: '20241230-A' }, 'a dot in the pad id')
  t.same(splitCollectionId('upper-rhine.insheim'), { site: 'upper-rhine', sector: 'insheim' })
})

t.test('the OGC API description: the /features operations, relative to /features', async (t) => {
  const doc = {
    openapi: '3.1.0',
    paths: { '/features': { get: {} }, '/features/collections/{collectionId}/items': { get: {} }, '/api/sites': { get: {} } },
    components: {}
  }
  const out = featuresApiDocument(doc, 'https://x.example/viewer')
  t.same(Object.keys(out.paths as object), ['/', '/collections/{collectionId}/items'])
  t.same(out.servers, [{ url: 'https://x.example/viewer/features', description: 'This server' }])
  t.equal(out.openapi, '3.1.0')
})
