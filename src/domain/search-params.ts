import { HttpError } from '../errors.js'
import { bboxOf, positionsOf, type BBox, type Geometry, type Position } from './geometry.js'

/**
 * The STAC API and OGC API – Features filter parameters, parsed from what a
 * client sent (the query string, or a POSTed search body) into values the
 * filters use. Every bad value is a 400 that names the parameter, as the
 * schema validation's own errors do.
 */

export type Where = 'query' | 'body'

export class ParameterError extends HttpError {
  constructor(where: Where, name: string, detail: string) {
    super(400, `invalid ${where} parameter '${name}': ${detail}`)
  }
}

/** A plain decimal number: no hex, no `Infinity`, no blanks, as JSON writes numbers. */
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/

const DATE_TIME_RE = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})(?:\\.\\d{1,9})?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))$'
)

/** The filters of an Item Search, parsed. */
export interface ItemFilter {
  bbox?: BBox
  intersects?: Geometry
  datetime?: TimeRange
  ids?: readonly string[]
  collections?: readonly string[]
}

/** The token's key: site, sector, period, pad name, pad id (empty for a whole survey) and features served of that unit. */
export const TOKEN_SHAPE = ['string', 'string', 'string', 'string', 'string', 'integer'] as const
export type TokenKey = [string, string, string, string, string, number]

/** Inclusive bounds in epoch milliseconds; an open end is undefined. */
export interface TimeRange {
  start?: number
  end?: number
}

/** A bounding box from its 4 or 6 numbers; 3-D boxes keep their horizontal part. */
export function bboxFrom(values: readonly number[], where: Where, name = 'bbox'): BBox {
  if (values.length !== 4 && values.length !== 6) throw new ParameterError(where, name, 'must have 4 or 6 numbers')
  if (!values.every(Number.isFinite)) throw new ParameterError(where, name, 'must be finite numbers')
  const [w, s, e, n] = values.length === 4 ? values : [values[0]!, values[1]!, values[3]!, values[4]!]
  if ([w, e].some((x) => x! < -180 || x! > 180)) throw new ParameterError(where, name, 'longitudes must be within -180..180')
  if ([s, n].some((y) => y! < -90 || y! > 90)) throw new ParameterError(where, name, 'latitudes must be within -90..90')
  if (s! > n!) throw new ParameterError(where, name, 'the south edge must not be north of the north edge')
  // West above east is a box that crosses the antimeridian, which the filters handle.
  return [w!, s!, e!, n!]
}

export function parseBbox(text: string, name = 'bbox'): BBox {
  const parts = text.split(',')
  if (!parts.every((p) => DECIMAL.test(p))) throw new ParameterError('query', name, 'must be 4 or 6 comma-separated decimal numbers')
  return bboxFrom(parts.map(Number), 'query', name)
}

function instant(text: string, where: Where): number {
  const m = DATE_TIME_RE.exec(text)
  if (!m) throw new ParameterError(where, 'datetime', `'${text.slice(0, 40)}' is not an RFC 3339 date-time`)
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const offset = m[7] === undefined ? 0 : Number(m[8]) * 60 + Number(m[9])
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 60 || offset > 23 * 60 + 59) {
    throw new ParameterError(where, 'datetime', `'${text}' is not a valid date-time`)
  }
  return Date.parse(text.toUpperCase())
}

/** `2024-12-30T00:00:00Z`, `2024-01-01T00:00:00Z/2024-12-31T23:59:59Z`, `../2025-01-01T00:00:00Z`, `2024-06-01T00:00:00Z/..`. */
export function parseDatetime(text: string, where: Where): TimeRange {
  const slash = text.indexOf('/')
  if (slash < 0) {
    const at = instant(text, where)
    return { start: at, end: at }
  }
  const [from, to] = [text.slice(0, slash), text.slice(slash + 1)]
  const open = (part: string) => part === '' || part === '..'
  if (open(from) && open(to)) throw new ParameterError(where, 'datetime', 'an interval needs at least one end')
  const range: TimeRange = { start: open(from) ? undefined : instant(from, where), end: open(to) ? undefined : instant(to, where) }
  if (range.start !== undefined && range.end !== undefined && range.start > range.end) {
    throw new ParameterError(where, 'datetime', 'the interval ends before it starts')
  }
  return range
}

export function inRange(time: number, range: TimeRange): boolean {
  return (range.start === undefined || time >= range.start) && (range.end === undefined || time <= range.end)
}

/** Positions a client's geometry may have: enough for a detailed area of interest, bounded in CPU. */
export const MAX_POSITIONS = 10_000
const GEOMETRY_TYPES = ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']

/** A GeoJSON geometry (RFC 7946 §3.1) from untrusted JSON: every position finite, every ring closed. */
export function parseGeometry(value: unknown, where: Where, name = 'intersects'): Geometry {
  let count = 0
  const fail = (detail: string): never => {
    throw new ParameterError(where, name, detail)
  }
  const position = (p: unknown): Position => {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return fail('a position must be 2 or 3 finite numbers')
    }
    if (++count > MAX_POSITIONS) fail(`more than ${MAX_POSITIONS} positions`)
    return p as Position
  }
  const list = (v: unknown, min: number, what: string): Position[] => {
    if (!Array.isArray(v) || v.length < min) return fail(`${what} needs at least ${min} positions`)
    return v.map(position)
  }
  const ring = (v: unknown): Position[] => {
    const r = list(v, 4, 'a linear ring')
    const [a, b] = [r[0]!, r[r.length - 1]!]
    if (a[0] !== b[0] || a[1] !== b[1]) fail('a linear ring must be closed')
    return r
  }
  const array = (v: unknown, what: string): unknown[] => (Array.isArray(v) && v.length > 0 ? v : fail(`${what} must be a non-empty array`))
  const geometry = (g: unknown, depth: number): Geometry => {
    if (typeof g !== 'object' || g === null || Array.isArray(g)) return fail('must be a GeoJSON geometry object')
    const { type, coordinates, geometries } = g as { type?: unknown; coordinates?: unknown; geometries?: unknown }
    if (typeof type !== 'string' || !GEOMETRY_TYPES.includes(type)) return fail(`type must be one of ${GEOMETRY_TYPES.join(', ')}`)
    switch (type) {
      case 'Point':
        return { type, coordinates: position(coordinates) }
      case 'MultiPoint':
        return { type, coordinates: list(coordinates, 1, 'a MultiPoint') }
      case 'LineString':
        return { type, coordinates: list(coordinates, 2, 'a LineString') }
      case 'MultiLineString':
        return { type, coordinates: array(coordinates, 'coordinates').map((l) => list(l, 2, 'a LineString')) }
      case 'Polygon':
        return { type, coordinates: array(coordinates, 'coordinates').map(ring) }
      case 'MultiPolygon':
        return { type, coordinates: array(coordinates, 'coordinates').map((p) => array(p, 'a polygon').map(ring)) }
      default:
        if (depth > 0) return fail('a GeometryCollection must not nest another')
        return { type: 'GeometryCollection', geometries: array(geometries, 'geometries').map((x) => geometry(x, depth + 1)) }
    }
  }
  const parsed = geometry(value, 0)
  const box = bboxOf(positionsOf(parsed))
  if (box && (box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90)) fail('positions must be longitude, latitude in WGS 84')
  return parsed
}

export function parseGeometryText(text: string): Geometry {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ParameterError('query', 'intersects', 'must be a GeoJSON geometry as JSON')
  }
  return parseGeometry(value, 'query')
}

/** A comma-separated list of ids (GET), without empty entries. */
export function parseList(text: string): string[] {
  return text.split(',').filter((s) => s !== '')
}

/**
 * A page token: the sort key of the last result of the page before, so the next
 * page starts after it even if the archive changed in between. Opaque to clients.
 */
export function encodeToken(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/** The key of a token of `length` parts, each a string or a non-negative integer as `shape` says. */
export function decodeToken(token: string, shape: readonly ('string' | 'integer')[], where: Where): (string | number)[] {
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    key = undefined
  }
  const ok =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((v, i) => (shape[i] === 'string' ? typeof v === 'string' && v.length <= 256 : Number.isSafeInteger(v) && (v as number) >= 0))
  if (!ok) throw new ParameterError(where, 'token', 'is not a token this API issued')
  return key as (string | number)[]
}

/** A period as the instant STAC gives it: `20241230` and `20241231-PMSB` are midnight UTC of their day. */
export function periodDatetime(period: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(period)
  if (!m) return undefined
  const iso = `${m[1]}-${m[2]}-${m[3]}T00:00:00Z`
  const t = Date.parse(iso)
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso.slice(0, 10) ? undefined : iso
}

/** `GET /stac/search` (and a Collection's items): the query as validated by its schema. */
export function filterFromQuery(q: {
  bbox?: string
  intersects?: string
  datetime?: string
  ids?: string
  collections?: string
}): ItemFilter {
  if (q.bbox !== undefined && q.intersects !== undefined) throw bothSpatial('query')
  return {
    ...(q.bbox !== undefined ? { bbox: parseBbox(q.bbox) } : {}),
    ...(q.intersects !== undefined ? { intersects: parseGeometryText(q.intersects) } : {}),
    ...(q.datetime !== undefined ? { datetime: parseDatetime(q.datetime, 'query') } : {}),
    ...(q.ids !== undefined ? { ids: parseList(q.ids) } : {}),
    ...(q.collections !== undefined ? { collections: parseList(q.collections) } : {})
  }
}

/** `POST /stac/search`: the body as validated by its schema. */
export function filterFromBody(b: {
  bbox?: number[]
  intersects?: object
  datetime?: string
  ids?: string[]
  collections?: string[]
}): ItemFilter {
  if (b.bbox !== undefined && b.intersects !== undefined) throw bothSpatial('body')
  return {
    ...(b.bbox !== undefined ? { bbox: bboxFrom(b.bbox, 'body') } : {}),
    ...(b.intersects !== undefined ? { intersects: parseGeometry(b.intersects, 'body') } : {}),
    ...(b.datetime !== undefined ? { datetime: parseDatetime(b.datetime, 'body') } : {}),
    ...(b.ids !== undefined ? { ids: b.ids } : {}),
    ...(b.collections !== undefined ? { collections: b.collections } : {})
  }
}

function bothSpatial(where: Where): HttpError {
  return new HttpError(400, `${where} parameter 'bbox' and ${where} parameter 'intersects' cannot be used together`)
}

export function tokenKey(token: string | undefined, where: Where): TokenKey | undefined {
  return token === undefined ? undefined : (decodeToken(token, TOKEN_SHAPE, where) as TokenKey)
}
