import proj4 from 'proj4'
import type { SupportedCrs } from './crs.js'
import type { Affine, ToSource } from './grid.js'
import { lonLatToMercator, maxZoomFor, mercatorToLonLat, minZoomFor } from './mercator.js'

/** Where a raster lies on the web-mercator grid, and how finely: its bounds, zooms and reprojection. */

const WGS84_A = 6378137
const WGS84_E2 = 0.00669437999014

/** What a catalogue says of an orthophoto (STAC's projection extension and media type), from its header alone. */
export interface RasterFacts {
  epsg: number | null
  /** Rows, columns. */
  shape: [number, number]
  /** The affine as GDAL orders it: x resolution, 0, west edge, 0, −y resolution, north edge. */
  transform: [number, number, number, number, number, number]
  isCog: boolean
}

/** A raster's georeferencing: its CRS, affine and full-resolution size. */
export interface Raster {
  epsg?: number
  affine: Affine
  width: number
  height: number
}

export interface Footprint {
  toSource: ToSource
  /** [west, south, east, north] in degrees, from the raster's corners. */
  lonLat: [number, number, number, number]
  /** [west, south, east, north] in EPSG:3857 metres, from its densified edges. */
  mercator: [number, number, number, number]
  minzoom: number
  maxzoom: number
}

function metresPerDegreeLon(lat: number): number {
  const phi = (lat * Math.PI) / 180
  return ((WGS84_A / Math.sqrt(1 - WGS84_E2 * Math.sin(phi) ** 2)) * Math.cos(phi) * Math.PI) / 180
}

/** Ground metres per pixel across (along the parallel at mid-height for EPSG:4326). */
export function resolutionMetres(raster: Raster): number {
  if (raster.epsg !== 4326) return raster.affine.resX
  const lat = raster.affine.originY - (raster.height * raster.affine.resY) / 2
  return raster.affine.resX * metresPerDegreeLon(lat)
}

/** Bounds in the raster's own CRS units: [west, south, east, north]. */
export function nativeBounds(raster: Raster): [number, number, number, number] {
  const { affine } = raster
  return [affine.originX, affine.originY - raster.height * affine.resY, affine.originX + raster.width * affine.resX, affine.originY]
}

export function footprint(raster: Raster, crs: SupportedCrs): Footprint {
  const inverse = crs.geographic ? undefined : proj4(crs.proj4, 'EPSG:4326')
  const forward = crs.geographic ? undefined : proj4('EPSG:4326', crs.proj4)
  const toLonLat = (p: [number, number]): [number, number] => (inverse ? inverse.forward<[number, number]>(p) : p)
  const fromLonLat = forward ? (p: [number, number]) => forward.forward<[number, number]>(p) : undefined
  const toSource: ToSource = (x, y) => {
    const ll = mercatorToLonLat(x, y)
    return fromLonLat ? fromLonLat(ll) : ll
  }
  const { affine } = raster
  const corner = (i: number, j: number) =>
    toLonLat([affine.originX + i * raster.width * affine.resX, affine.originY - j * raster.height * affine.resY])
  const corners = [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)]
  const lonLat: Footprint['lonLat'] = [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1]))
  ]
  const edge: Array<[number, number]> = []
  for (let k = 0; k <= 16; k++) {
    const t = k / 16
    edge.push(corner(t, 0), corner(t, 1), corner(0, t), corner(1, t))
  }
  const merc = edge.map(([lon, lat]) => lonLatToMercator(lon, lat))
  const mercator: Footprint['mercator'] = [
    Math.min(...merc.map((m) => m[0])),
    Math.min(...merc.map((m) => m[1])),
    Math.max(...merc.map((m) => m[0])),
    Math.max(...merc.map((m) => m[1]))
  ]
  const centreLat = (lonLat[1] + lonLat[3]) / 2
  return {
    toSource,
    lonLat,
    mercator,
    minzoom: minZoomFor(Math.max(mercator[2] - mercator[0], mercator[3] - mercator[1])),
    maxzoom: maxZoomFor(resolutionMetres(raster) / Math.cos((centreLat * Math.PI) / 180))
  }
}

/** Whether a web-mercator box ([west, south, east, north]) overlaps the footprint. */
export function overlaps(f: Footprint, bounds: readonly [number, number, number, number]): boolean {
  return !(bounds[0] >= f.mercator[2] || bounds[2] <= f.mercator[0] || bounds[1] >= f.mercator[3] || bounds[3] <= f.mercator[1])
}
