import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { halve } from '../../src/domain/tiles/downsample.js'
import { toUtm, utmZone } from '../../demo/seed/geo.js'
import { encodeTiledTiff, type RasterLevel } from '../../demo/seed/tiff-writer.js'

/** A marker: a red disc of `radius` metres centred on a known lon/lat. */
export interface Marker {
  lon: number
  lat: number
}

export interface TestTiff {
  bytes: Uint8Array
  epsg: number
  originX: number
  originY: number
  res: number
  width: number
  height: number
}

/**
 * A grey, opaque UTM GeoTIFF of `size` px at `res` m centred on (lon, lat), with
 * red discs painted at the markers. The markers are placed with the seed's own
 * transverse-Mercator series (demo/seed/geo.ts), not with proj4, so a tile that
 * shows them where Web Mercator says they are checks the server's reprojection
 * against an independent implementation.
 */
export function markerTiff(o: {
  lon: number
  lat: number
  size: number
  res: number
  markers: Marker[]
  radius?: number
  layout: 'cog' | 'odm'
  epsg?: number
}): TestTiff {
  const zone = utmZone(o.lon)
  const epsg = o.epsg ?? (o.lat < 0 ? 32700 : 32600) + zone
  const c = toUtm(o.lon, o.lat, zone)
  const originX = c.easting - (o.size / 2) * o.res
  const originY = c.northing + (o.size / 2) * o.res
  const pixels = new Uint8Array(o.size * o.size * 4)
  for (let i = 0; i < o.size * o.size; i++) pixels.set([120, 128, 120, 255], i * 4)
  const radius = o.radius ?? 1
  for (const m of o.markers) {
    const p = toUtm(m.lon, m.lat, zone)
    const col = (p.easting - originX) / o.res
    const row = (originY - p.northing) / o.res
    const r = radius / o.res
    for (let y = Math.floor(row - r); y <= Math.ceil(row + r); y++) {
      for (let x = Math.floor(col - r); x <= Math.ceil(col + r); x++) {
        if (x < 0 || y < 0 || x >= o.size || y >= o.size) continue
        if (Math.hypot(x + 0.5 - col, y + 0.5 - row) <= r) pixels.set([230, 20, 20, 255], (y * o.size + x) * 4)
      }
    }
  }
  const bytes = rgbaTiff(pixels, o.size, o.layout, { epsg, originX, originY, res: o.res })
  return { bytes, epsg, originX, originY, res: o.res, width: o.size, height: o.size }
}

/**
 * Square RGBA pixels as this project's writer lays them out: a COG (256 px blocks,
 * overviews down to one block) or ODM's default (512 px blocks, no overviews).
 */
export function rgbaTiff(
  pixels: Uint8Array,
  size: number,
  layout: 'cog' | 'odm',
  geo: { epsg: number; originX: number; originY: number; res: number }
): Uint8Array {
  const levels: RasterLevel[] = [{ width: size, height: size, pixels }]
  if (layout === 'cog') while (levels.at(-1)!.width > 256) levels.push(halve(levels.at(-1)!, 4))
  return encodeTiledTiff({
    levels,
    samples: 4,
    blockSize: layout === 'cog' ? 256 : 512,
    geo: { epsg: geo.epsg, originX: geo.originX, originY: geo.originY, pixelWidth: geo.res, pixelHeight: geo.res }
  })
}

/** Where a test orthophoto goes: a site of its own, so no demo object is touched. */
export function testQuery(pad: string, type = 'optical'): string {
  return `site=tiletest&sector=s1&period=20250101&pad_id=${pad}&mosaic_type=${type}`
}

export async function putOrthophoto(s3: S3Client, bucket: string, pad: string, bytes: Uint8Array, type = 'optical') {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `mosaics/tiletest/s1/20250101/${pad}/${type}/viewer/odm_orthophoto.tif`,
      Body: bytes,
      ContentType: 'image/tiff'
    })
  )
}

/** The XYZ tile holding a lon/lat at zoom z, and the pixel (continuous, 256 px tiles) it falls on. */
export function tileOf(lon: number, lat: number, z: number, size = 256) {
  const n = 2 ** z
  const fx = ((lon + 180) / 360) * n
  const phi = (lat * Math.PI) / 180
  const fy = ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n
  const x = Math.floor(fx)
  const y = Math.floor(fy)
  return { x, y, px: (fx - x) * size, py: (fy - y) * size }
}
