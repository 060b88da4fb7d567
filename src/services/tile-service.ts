import { createHash } from 'node:crypto'
import proj4 from 'proj4'
import sharp from 'sharp'
import type { ImageFormat, MosaicInfo, MosaicQuery, TileJson } from '../../schemas/index.js'
import { unsupportedLayout, type TiffHeader } from '../data/geotiff-source.js'
import { crsName, supportedCrs } from '../domain/tiles/crs.js'
import { orthophotoKey } from '../domain/keys.js'
import {
  checkTileAddress,
  lonLatToMercator,
  maxZoomFor,
  mercatorToLonLat,
  minZoomFor,
  TileAddressError,
  tileBounds
} from '../domain/tiles/mercator.js'
import {
  blockRange,
  CoordinateGrid,
  pickLevel,
  type Coordinates,
  sample,
  type PixelSource,
  type Resampling,
  type ToSource
} from '../domain/tiles/warp.js'
import { HttpError, NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import { overviewSource, TileRaster, UnprocessableError } from './tile-raster.js'

/**
 * Orthomosaics as web-mercator map tiles, TileJSON, a description of the file
 * and a whole-mosaic preview, all read by byte range from ODM's own GeoTIFFs.
 */

export interface TileOptions {
  z: number
  x: number
  y: number
  /** 1 for 256 px tiles, 2 for 512 px (`@2x`). */
  scale: 1 | 2
  format: ImageFormat
  resampling: Resampling
}

export interface EncodedImage {
  body: Buffer
  contentType: string
  etag: string
}

const NOTHING = Buffer.alloc(0)
const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' }
const COMPRESSIONS: Readonly<Record<number, string>> = {
  1: 'none',
  5: 'lzw',
  7: 'jpeg',
  8: 'deflate',
  32773: 'packbits',
  32946: 'deflate',
  34887: 'lerc',
  50000: 'zstd',
  50001: 'webp'
}
const WGS84_A = 6378137
const WGS84_E2 = 0.00669437999014

/** Where a mosaic lies and how finely, derived once per header. */
interface Geometry {
  toSource: ToSource
  /** [west, south, east, north] in degrees, from the file's corners. */
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

export async function encode(rgba: Uint8Array, width: number, height: number, format: ImageFormat): Promise<Buffer> {
  const image = sharp(rgba, { raw: { width, height, channels: 4 } })
  if (format === 'png') return image.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer()
  if (format === 'webp') return image.webp({ quality: 85, alphaQuality: 100, effort: 2 }).toBuffer()
  return image.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer()
}

/** Coordinate buffers kept for reuse, per picture size: a 256 px tile's pair is 1 MiB. */
const SPARE_COORDINATES = 8

export class TileService {
  private readonly geometries = new WeakMap<TiffHeader, Geometry>()
  /**
   * Coordinate buffers of finished tiles, reused by the next ones: each tile would
   * otherwise leave 1–4 MiB of typed arrays for the GC, and garbage outside the
   * heap is collected late, so it showed as RSS (issue 18's 1,000-tile sweep).
   */
  private readonly spare = new Map<number, Coordinates[]>()

  constructor(private readonly raster: TileRaster) {}

  private key(q: MosaicQuery) {
    return orthophotoKey(q, q.mosaic_type)
  }

  private header(ctx: CallContext, q: MosaicQuery): Promise<TiffHeader> {
    return this.raster.header(ctx, this.key(q), `${q.mosaic_type} orthophoto for pad_id '${q.pad_id}' in period '${q.period}'`)
  }

  /** The reprojection and bounds of a mosaic; 422 naming its CRS when tiles cannot be made from it. */
  private geometry(header: TiffHeader): Geometry {
    const known = this.geometries.get(header)
    if (known) return known
    const crs = supportedCrs(header.epsg)
    if (!crs) {
      throw new UnprocessableError(
        `the mosaic's CRS ${crsName(header.epsg)} is not supported: tiles need WGS 84 / UTM (EPSG:326xx, EPSG:327xx) or EPSG:4326`
      )
    }
    const layout = unsupportedLayout(header.levels[0]!)
    if (layout) throw new UnprocessableError(`the mosaic's raster layout is not supported: ${layout}`)
    const inverse = crs.geographic ? undefined : proj4(crs.proj4, 'EPSG:4326')
    const forward = crs.geographic ? undefined : proj4('EPSG:4326', crs.proj4)
    const toLonLat = (p: [number, number]): [number, number] => (inverse ? inverse.forward<[number, number]>(p) : p)
    const fromLonLat = forward ? (p: [number, number]) => forward.forward<[number, number]>(p) : undefined
    const toSource: ToSource = (x, y) => {
      const ll = mercatorToLonLat(x, y)
      return fromLonLat ? fromLonLat(ll) : ll
    }
    const { affine } = header
    const level = header.levels[0]!
    const corner = (i: number, j: number) =>
      toLonLat([affine.originX + i * level.width * affine.resX, affine.originY - j * level.height * affine.resY])
    const corners = [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)]
    const lonLat: Geometry['lonLat'] = [
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
    const mercator: Geometry['mercator'] = [
      Math.min(...merc.map((m) => m[0])),
      Math.min(...merc.map((m) => m[1])),
      Math.max(...merc.map((m) => m[0])),
      Math.max(...merc.map((m) => m[1]))
    ]
    const centreLat = (lonLat[1] + lonLat[3]) / 2
    const metres = this.resolutionMetres(header)
    const geometry: Geometry = {
      toSource,
      lonLat,
      mercator,
      minzoom: minZoomFor(Math.max(mercator[2] - mercator[0], mercator[3] - mercator[1])),
      maxzoom: maxZoomFor(metres / Math.cos((centreLat * Math.PI) / 180))
    }
    this.geometries.set(header, geometry)
    return geometry
  }

  private resolutionMetres(header: TiffHeader): number {
    if (header.epsg !== 4326) return header.affine.resX
    const lat = header.affine.originY - (header.levels[0]!.height * header.affine.resY) / 2
    return header.affine.resX * metresPerDegreeLon(lat)
  }

  async info(ctx: CallContext, q: MosaicQuery): Promise<MosaicInfo> {
    const header = await this.header(ctx, q)
    const level = header.levels[0]!
    let bounds: number[]
    try {
      bounds = this.geometry(header).lonLat
    } catch (err) {
      if (!(err instanceof UnprocessableError)) throw err
      // Info still describes a file in another CRS; its bounds stay in that CRS's units.
      const { affine } = header
      bounds = [affine.originX, affine.originY - level.height * affine.resY, affine.originX + level.width * affine.resX, affine.originY]
    }
    return {
      bounds,
      crs: header.epsg === undefined ? 'unknown' : `EPSG:${header.epsg}`,
      width: level.width,
      height: level.height,
      bands: level.samples,
      dtype: `${level.sampleFormat === 3 ? 'float' : level.sampleFormat === 2 ? 'int' : 'uint'}${level.bitsPerSample}`,
      resolution_m: Math.round(this.resolutionMetres(header) * 1e6) / 1e6,
      block_size: [level.blockWidth, level.blockHeight],
      overviews: header.levels.length - 1,
      is_cog: header.headerInPrefix && header.levels.length > 1 && level.blockWidth < level.width,
      compression: COMPRESSIONS[level.compression] ?? `code ${level.compression}`
    }
  }

  async tileJson(ctx: CallContext, q: MosaicQuery, template: string): Promise<TileJson> {
    const g = this.geometry(await this.header(ctx, q))
    const round = (v: number) => Math.round(v * 1e9) / 1e9
    return {
      tilejson: '3.0.0',
      name: `${q.pad_id} ${q.mosaic_type} ${q.period}`,
      tiles: [template],
      scheme: 'xyz',
      minzoom: g.minzoom,
      maxzoom: g.maxzoom,
      bounds: g.lonLat.map(round),
      center: [round((g.lonLat[0] + g.lonLat[2]) / 2), round((g.lonLat[1] + g.lonLat[3]) / 2), g.minzoom]
    }
  }

  /**
   * `unchanged(etag)` says the client already holds the tile with that ETag: the
   * answer is a 304, so nothing is rendered and the body is empty (so for previews).
   */
  async tile(ctx: CallContext, q: MosaicQuery, t: TileOptions, unchanged?: (etag: string) => boolean): Promise<EncodedImage> {
    try {
      checkTileAddress(t.z, t.x, t.y)
    } catch (err) {
      if (err instanceof TileAddressError) throw new HttpError(400, err.message)
      throw err
    }
    const header = await this.header(ctx, q)
    const g = this.geometry(header)
    const where = `tile ${t.z}/${t.x}/${t.y}`
    if (t.z < g.minzoom) throw new NotFoundError(`${where} is below the mosaic's minzoom ${g.minzoom}`)
    const bounds = tileBounds(t.z, t.x, t.y)
    if (bounds[0] >= g.mercator[2] || bounds[2] <= g.mercator[0] || bounds[1] >= g.mercator[3] || bounds[3] <= g.mercator[1]) {
      throw new NotFoundError(`${where} is outside the mosaic's bounds`)
    }
    const size = 256 * t.scale
    return this.image(q, `${header.etag}|${where}|${t.scale}|${t.format}|${t.resampling}`, t.format, unchanged, async () =>
      encode(await this.render(ctx, q, header, g, bounds, size, size, t.resampling), size, size, t.format)
    )
  }

  async preview(
    ctx: CallContext,
    q: MosaicQuery,
    o: { format: ImageFormat; maxSize: number; resampling: Resampling },
    unchanged?: (etag: string) => boolean
  ): Promise<EncodedImage> {
    const header = await this.header(ctx, q)
    const g = this.geometry(header)
    const [w, s, e, n] = g.mercator
    const long = Math.max(e - w, n - s)
    const width = Math.max(1, Math.round((o.maxSize * (e - w)) / long))
    const height = Math.max(1, Math.round((o.maxSize * (n - s)) / long))
    return this.image(q, `${header.etag}|preview|${o.maxSize}|${o.format}|${o.resampling}`, o.format, unchanged, async () =>
      encode(await this.render(ctx, q, header, g, g.mercator, width, height, o.resampling), width, height, o.format)
    )
  }

  /**
   * A tile or preview by its identity (the object's ETag, what is drawn, the options):
   * its ETag, and its bytes from the encoded-tile cache or `draw`; no bytes when the
   * client already holds them.
   */
  private async image(
    q: MosaicQuery,
    identity: string,
    format: ImageFormat,
    unchanged: ((etag: string) => boolean) | undefined,
    draw: () => Promise<Buffer>
  ): Promise<EncodedImage> {
    const etag = `"${createHash('sha1').update(identity).digest('base64url')}"`
    const contentType = CONTENT_TYPES[format]
    if (unchanged?.(etag)) return { body: NOTHING, contentType, etag }
    return { body: await this.raster.encoded(this.key(q), etag, draw), contentType, etag }
  }

  /**
   * The RGBA picture of `bounds`: the level is picked by resolution (a file's own
   * overviews, or for a file without any, overviews built once from it), and only
   * the blocks the picture covers are read.
   */
  private async render(
    ctx: CallContext,
    q: MosaicQuery,
    header: TiffHeader,
    g: Geometry,
    bounds: readonly [number, number, number, number],
    width: number,
    height: number,
    resampling: Resampling
  ): Promise<Uint8Array> {
    const grid = new CoordinateGrid(bounds, width, height, g.toSource, header.affine)
    const step = grid.step()
    const level0 = header.levels[0]!
    const key = this.key(q)
    const scaleOf = (level: { width: number; height: number }) => [level0.width / level.width, level0.height / level.height] as const
    const size = width * height
    const spare = this.spare.get(size)?.pop()
    let coords: Coordinates | undefined
    try {
      if (header.levels.length === 1 && step >= TileRaster.firstOverviewFactor(level0)) {
        const built = await this.raster.builtOverviews(ctx, key, header)
        const level = built.levels[pickLevel(built.factors, step)]!
        coords = grid.coordinates(scaleOf(level), spare)
        return sample(overviewSource(level), coords.cols, coords.rows, resampling)
      }
      const i = pickLevel(
        header.levels.map((l) => level0.width / l.width),
        step
      )
      const level = header.levels[i]!
      coords = grid.coordinates(scaleOf(level), spare)
      const range = blockRange(level, coords.cols, coords.rows)
      if (range === undefined) return new Uint8Array(size * 4)
      const source: PixelSource = await this.raster.level(ctx, key, header, i, range)
      return sample(source, coords.cols, coords.rows, resampling)
    } finally {
      const back = coords ?? spare
      // Tiles (256 and 512 px) only: previews come in any size and are rare.
      if (back && (size === 256 * 256 || size === 512 * 512)) this.release(size, back)
    }
  }

  private release(size: number, coords: Coordinates) {
    let list = this.spare.get(size)
    if (!list) this.spare.set(size, (list = []))
    if (list.length < SPARE_COORDINATES) list.push(coords)
  }
}
