/**
 * The little planar geometry the STAC and OGC API filters need, in lon/lat:
 * bounding boxes, and whether a client's GeoJSON geometry meets a pad polygon.
 * Pads are a few hundred metres across, so planar tests on lon/lat are exact
 * enough; a bounding box that crosses the antimeridian (west > east) is two.
 */

/** `[west, south, east, north]`. */
export type BBox = [number, number, number, number]

export type Position = number[]

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: Geometry[] }

/** The bounding box of some positions; undefined for none. */
export function bboxOf(positions: Iterable<Position>): BBox | undefined {
  let box: BBox | undefined
  for (const [x, y] of positions) {
    if (x === undefined || y === undefined) continue
    if (!box) box = [x, y, x, y]
    else box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)]
  }
  return box
}

/** The box around some boxes (each with west ≤ east, as bboxOf makes them); undefined for none. */
export function unionOf(boxes: readonly BBox[]): BBox | undefined {
  return bboxOf(
    boxes.flatMap((b) => [
      [b[0], b[1]],
      [b[2], b[3]]
    ])
  )
}

/** The boxes of a bbox that may cross the antimeridian, each with west ≤ east. */
function unwrap(b: BBox): BBox[] {
  return b[0] <= b[2]
    ? [b]
    : [
        [b[0], b[1], 180, b[3]],
        [-180, b[1], b[2], b[3]]
      ]
}

export function bboxesIntersect(a: BBox, b: BBox): boolean {
  return unwrap(a).some((x) => unwrap(b).some((y) => x[0] <= y[2] && y[0] <= x[2] && x[1] <= y[3] && y[1] <= x[3]))
}

/** A bbox as a geometry the polygon test takes; one that crosses the antimeridian is two boxes. */
export function bboxGeometry([w, s, e, n]: BBox): Geometry {
  const box = (a: number, b: number) => [
    [
      [a, s],
      [b, s],
      [b, n],
      [a, n],
      [a, s]
    ]
  ]
  return w <= e ? { type: 'Polygon', coordinates: box(w, e) } : { type: 'MultiPolygon', coordinates: [box(w, 180), box(-180, e)] }
}

/** Every position of a geometry, collections included. */
export function* positionsOf(g: Geometry): Generator<Position> {
  switch (g.type) {
    case 'Point':
      yield g.coordinates
      break
    case 'MultiPoint':
    case 'LineString':
      yield* g.coordinates
      break
    case 'MultiLineString':
    case 'Polygon':
      for (const line of g.coordinates) yield* line
      break
    case 'MultiPolygon':
      for (const polygon of g.coordinates) for (const ring of polygon) yield* ring
      break
    case 'GeometryCollection':
      for (const part of g.geometries) yield* positionsOf(part)
  }
}

/** Its parts: the points, the line strings (rings included) and the polygons (rings, the first the exterior). */
function parts(g: Geometry, out = { points: [] as Position[], lines: [] as Position[][], polygons: [] as Position[][][] }) {
  switch (g.type) {
    case 'Point':
      out.points.push(g.coordinates)
      break
    case 'MultiPoint':
      out.points.push(...g.coordinates)
      break
    case 'LineString':
      out.lines.push(g.coordinates)
      break
    case 'MultiLineString':
      out.lines.push(...g.coordinates)
      break
    case 'Polygon':
      out.polygons.push(g.coordinates)
      out.lines.push(...g.coordinates)
      break
    case 'MultiPolygon':
      for (const polygon of g.coordinates) {
        out.polygons.push(polygon)
        out.lines.push(...polygon)
      }
      break
    case 'GeometryCollection':
      for (const part of g.geometries) parts(part, out)
  }
  return out
}

/** Ray casting; a point on the boundary may go either way, which the edge test then settles. */
function inRing(p: Position, ring: readonly Position[]): boolean {
  const [x, y] = p as [number, number]
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function inPolygon(p: Position, polygon: readonly Position[][]): boolean {
  const [outer, ...holes] = polygon
  return outer !== undefined && inRing(p, outer) && !holes.some((hole) => inRing(p, hole))
}

const cross = (o: Position, a: Position, b: Position) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!)
const onSegment = (p: Position, a: Position, b: Position) =>
  Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!) && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!)

/** Whether segments ab and cd share a point, touching and collinear overlap included. */
export function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true
  return (
    (d1 === 0 && onSegment(a, c, d)) ||
    (d2 === 0 && onSegment(b, c, d)) ||
    (d3 === 0 && onSegment(c, a, b)) ||
    (d4 === 0 && onSegment(d, a, b))
  )
}

function linesMeet(a: readonly Position[], b: readonly Position[]): boolean {
  for (let i = 0; i + 1 < a.length; i++) {
    for (let j = 0; j + 1 < b.length; j++) if (segmentsMeet(a[i]!, a[i + 1]!, b[j]!, b[j + 1]!)) return true
  }
  return false
}

/**
 * Whether `g` and a polygon share any point: a point of either inside the
 * other, or an edge of one crossing or touching an edge of the other. Cheap
 * boxes first, so a client's large polygon costs only the pads near it.
 */
export function intersectsPolygon(g: Geometry, polygon: readonly Position[][], gBox = bboxOf(positionsOf(g))): boolean {
  const pBox = bboxOf(polygon[0] ?? [])
  if (!gBox || !pBox || !bboxesIntersect(gBox, pBox)) return false
  const { points, lines, polygons } = parts(g)
  if (points.some((p) => inPolygon(p, polygon))) return true
  if (lines.some((line) => line.some((p) => inPolygon(p, polygon)))) return true
  if (lines.some((line) => polygon.some((ring) => linesMeet(line, ring)))) return true
  return polygons.some((other) => (polygon[0] ?? []).some((p) => inPolygon(p, other)))
}
