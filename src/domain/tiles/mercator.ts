/** Web Mercator (EPSG:3857) and the WebMercatorQuad tile grid, as Leaflet, MapLibre and GDAL use them. */

export const EARTH_RADIUS = 6378137
/** Width of the whole world in EPSG:3857 metres. */
export const WORLD = 2 * Math.PI * EARTH_RADIUS
export const MAX_ZOOM = 24
const DEG = Math.PI / 180

export function lonLatToMercator(lon: number, lat: number): [number, number] {
  return [EARTH_RADIUS * lon * DEG, EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2))]
}

export function mercatorToLonLat(x: number, y: number): [number, number] {
  return [x / EARTH_RADIUS / DEG, (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) / DEG]
}

/** [west, south, east, north] of a tile in EPSG:3857 metres. */
export function tileBounds(z: number, x: number, y: number): [number, number, number, number] {
  const size = WORLD / 2 ** z
  const west = -WORLD / 2 + x * size
  const north = WORLD / 2 - y * size
  return [west, north - size, west + size, north]
}

/** EPSG:3857 metres per pixel of a 256 px tile at zoom z. */
export function mercatorResolution(z: number): number {
  return WORLD / 256 / 2 ** z
}

/**
 * The zoom at which a mercator extent of `extent` metres fits in about one tile:
 * the mosaic's `minzoom`.
 */
export function minZoomFor(extent: number): number {
  return Math.max(0, Math.min(MAX_ZOOM, Math.floor(Math.log2(WORLD / extent))))
}

/** The first zoom whose 256 px tiles are at least as fine as `resolution` (EPSG:3857 metres per pixel). */
export function maxZoomFor(resolution: number): number {
  return Math.max(0, Math.min(MAX_ZOOM, Math.ceil(Math.log2(WORLD / 256 / resolution) - 1e-9)))
}

export interface TileAddress {
  z: number
  x: number
  y: number
}

/** A client mistake in a tile address: the parameter it names, and why. */
export class TileAddressError extends Error {
  override name = 'TileAddressError'
  constructor(
    readonly parameter: 'z' | 'x' | 'y',
    detail: string
  ) {
    super(`invalid path parameter '${parameter}': ${detail}`)
  }
}

/** Checks the ranges the path patterns cannot: z ≤ 24 and x, y < 2^z. */
export function checkTileAddress(z: number, x: number, y: number): TileAddress {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) throw new TileAddressError('z', `must be an integer 0..${MAX_ZOOM}`)
  const n = 2 ** z
  if (!Number.isInteger(x) || x < 0 || x >= n) throw new TileAddressError('x', `must be an integer 0..${n - 1} at zoom ${z}`)
  if (!Number.isInteger(y) || y < 0 || y >= n) throw new TileAddressError('y', `must be an integer 0..${n - 1} at zoom ${z}`)
  return { z, x, y }
}
