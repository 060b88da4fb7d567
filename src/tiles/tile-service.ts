import { createHash } from 'node:crypto'
import { setImmediate as yieldToOthers } from 'node:timers/promises'
import type { ImageFormat, MosaicInfo, MosaicQuery, TileJson } from '../../schemas/index.js'
import { orthophotoKey } from '../domain/keys.js'
import { crsName, supportedCrs } from '../domain/tiles/crs.js'
import {
  footprint,
  nativeBounds,
  overlaps,
  resolutionMetres,
  type Footprint,
  type Raster,
  type RasterFacts
} from '../domain/tiles/footprint.js'
import { blockRange, CoordinateGrid, pickLevel, type Coordinates, type PixelSource } from '../domain/tiles/grid.js'
import { checkTileAddress, TileAddressError, tileBounds } from '../domain/tiles/mercator.js'
import { matchesEtag } from '../etag.js'
import { HttpError, NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import { compressionName, unsupportedLayout, type TiffHeader } from './geotiff.js'
import { overviewSource, TileReader } from './reader.js'
import { CONTENT_TYPES, encode, sample, type Resampling } from './render.js'
import type { ConcurrencyLimit } from '../services/concurrency-limit.js'

/**
 * Orthomosaics as web-mercator map tiles, TileJSON, a description of the file
 * and a whole-mosaic preview, all read by byte range from ODM's own GeoTIFFs.
 *
 * The tile slice, with its seams named as a tile server names them (titiler's
 * path → reader → render):
 * - path: routes/tiles.ts turns the request into a call here and the result into
 *   the reply (a 304 when the result says the client holds the image);
 * - geometry, pure: domain/tiles/ (the tile grid in mercator.ts, the CRSs in
 *   crs.ts, a mosaic's bounds, zooms and resolution in footprint.ts, a picture's
 *   coordinate grid and the blocks it covers in grid.ts);
 * - reader: reader.ts (header, blocks and built overviews, cached), over
 *   geotiff.ts (the file by ranged GetObject, its header parsed and blocks
 *   decoded) and ranges.ts (block ranges merged across small gaps);
 * - render: render.ts (sampling, nearest or bilinear, and encoding);
 * - this service orchestrates them, and decides the conditional GET: every tile
 *   and preview has one ETag, and a client that holds it gets `notModified`
 *   instead of a body, before anything is drawn.
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

/** What a render draws: a web-mercator box at a size, sampled one way and encoded in one format. */
interface Picture {
  bounds: readonly [number, number, number, number]
  width: number
  height: number
  format: ImageFormat
  resampling: Resampling
}

type BlockRange = NonNullable<ReturnType<typeof blockRange>>

/** A tile or preview: its bytes, or only its ETag when the client's `If-None-Match` holds it (the reply is a 304). */
export type ImageResult = { notModified: false; etag: string; contentType: string; body: Buffer } | { notModified: true; etag: string }

export class UnprocessableError extends HttpError {
  constructor(message: string) {
    super(422, message)
  }
}

/**
 * Output pixels drawn per strip: a 512 px tile is one strip, a 2048 px preview eight.
 * The coordinates of a strip (two Float64Arrays, 4 MiB at this size) are all a render
 * holds besides its output, whatever the picture's size.
 */
const STRIP_PIXELS = 512 * 512

/** Tiled, with overviews, and every IFD in the first read: what GDAL's COG driver writes. */
function isCog(header: TiffHeader): boolean {
  const level = header.levels[0]!
  return header.headerInPrefix && header.levels.length > 1 && level.blockWidth < level.width
}

function rasterOf(header: TiffHeader): Raster {
  const level = header.levels[0]!
  return { epsg: header.epsg, affine: header.affine, width: level.width, height: level.height }
}

export class TileService {
  private readonly footprints = new WeakMap<TiffHeader, Footprint>()
  /**
   * Strip coordinate buffers of finished renders, reused by the next ones: each render
   * would otherwise leave 1–4 MiB of typed arrays for the GC, and garbage outside the
   * heap is collected late, so it showed as RSS (issue 18's 1,000-tile sweep). At most
   * one pair per render slot is ever needed.
   */
  private readonly spare: Coordinates[] = []

  constructor(
    private readonly reader: TileReader,
    /** The render slots (RENDER_CONCURRENCY) and their bounded queue (RENDER_QUEUE). */
    private readonly queue: ConcurrencyLimit
  ) {}

  /** Renders running and waiting now. */
  get renders(): { running: number; waiting: number } {
    return this.queue.load
  }

  private key(q: MosaicQuery) {
    return orthophotoKey(q, q.mosaic_type)
  }

  private header(ctx: CallContext, q: MosaicQuery): Promise<TiffHeader> {
    return this.reader.header(ctx, this.key(q), `${q.mosaic_type} orthophoto for pad_id '${q.pad_id}' in period '${q.period}'`)
  }

  /** The reprojection and bounds of a mosaic; 422 naming its CRS when tiles cannot be made from it. */
  private geometry(header: TiffHeader): Footprint {
    const known = this.footprints.get(header)
    if (known) return known
    const crs = supportedCrs(header.epsg)
    if (!crs) {
      throw new UnprocessableError(
        `the mosaic's CRS ${crsName(header.epsg)} is not supported: tiles need WGS 84 / UTM (EPSG:326xx, EPSG:327xx) or EPSG:4326`
      )
    }
    const layout = unsupportedLayout(header.levels[0]!)
    if (layout) throw new UnprocessableError(`the mosaic's raster layout is not supported: ${layout}`)
    const found = footprint(rasterOf(header), crs)
    this.footprints.set(header, found)
    return found
  }

  async info(ctx: CallContext, q: MosaicQuery): Promise<MosaicInfo> {
    const header = await this.header(ctx, q)
    const level = header.levels[0]!
    const raster = rasterOf(header)
    let bounds: number[]
    try {
      bounds = this.geometry(header).lonLat
    } catch (err) {
      if (!(err instanceof UnprocessableError)) throw err
      // Info still describes a file in another CRS; its bounds stay in that CRS's units.
      bounds = nativeBounds(raster)
    }
    return {
      bounds,
      crs: header.epsg === undefined ? 'unknown' : `EPSG:${header.epsg}`,
      width: level.width,
      height: level.height,
      bands: level.samples,
      dtype: `${level.sampleFormat === 3 ? 'float' : level.sampleFormat === 2 ? 'int' : 'uint'}${level.bitsPerSample}`,
      resolution_m: Math.round(resolutionMetres(raster) * 1e6) / 1e6,
      block_size: [level.blockWidth, level.blockHeight],
      overviews: header.levels.length - 1,
      is_cog: isCog(header),
      compression: compressionName(level.compression)
    }
  }

  /** The orthophoto's grid and CRS: its header (one ranged GetObject when not cached), whatever its CRS. */
  async raster(ctx: CallContext, q: MosaicQuery): Promise<RasterFacts> {
    const header = await this.header(ctx, q)
    const level = header.levels[0]!
    const a = header.affine
    return {
      epsg: header.epsg ?? null,
      shape: [level.height, level.width],
      transform: [a.resX, 0, a.originX, 0, -a.resY, a.originY],
      isCog: isCog(header)
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

  async tile(ctx: CallContext, q: MosaicQuery, t: TileOptions, ifNoneMatch?: string): Promise<ImageResult> {
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
    if (!overlaps(g, bounds)) throw new NotFoundError(`${where} is outside the mosaic's bounds`)
    const size = 256 * t.scale
    const picture = { bounds, width: size, height: size, format: t.format, resampling: t.resampling }
    return this.image(ctx, q, header, g, `${where}|${t.scale}|${t.format}|${t.resampling}`, picture, ifNoneMatch)
  }

  /** The whole mosaic, its long side `maxSize` (one of PREVIEW_SIZES: the route snaps it). */
  async preview(
    ctx: CallContext,
    q: MosaicQuery,
    o: { format: ImageFormat; maxSize: number; resampling: Resampling },
    ifNoneMatch?: string
  ): Promise<ImageResult> {
    const header = await this.header(ctx, q)
    const g = this.geometry(header)
    const [w, s, e, n] = g.mercator
    const long = Math.max(e - w, n - s)
    const width = Math.max(1, Math.round((o.maxSize * (e - w)) / long))
    const height = Math.max(1, Math.round((o.maxSize * (n - s)) / long))
    const picture = { bounds: g.mercator, width, height, format: o.format, resampling: o.resampling }
    return this.image(ctx, q, header, g, `preview|${o.maxSize}|${o.format}|${o.resampling}`, picture, ifNoneMatch)
  }

  /**
   * The conditional GET of tiles and previews, decided here: an image's ETag names
   * it (the object's ETag, what is drawn, the options), so a client whose
   * `If-None-Match` holds it gets `notModified` and nothing is drawn; otherwise its
   * bytes, from the encoded-tile cache or drawn in a render slot (the queue), for
   * as long as some request still waits for them.
   */
  private async image(
    ctx: CallContext,
    q: MosaicQuery,
    header: TiffHeader,
    g: Footprint,
    identity: string,
    picture: Picture,
    ifNoneMatch: string | undefined
  ): Promise<ImageResult> {
    const etag = `"${createHash('sha1').update(`${header.etag}|${identity}`).digest('base64url')}"`
    if (matchesEtag(ifNoneMatch, etag)) return { notModified: true, etag }
    const body = await this.reader.encoded(this.key(q), etag, ctx.signal, (signal) =>
      this.queue.run(async () => {
        const rgba = await this.render(ctx, signal, q, header, g, picture)
        signal.throwIfAborted()
        return encode(rgba, picture.width, picture.height, picture.format)
      }, signal)
    )
    return { notModified: false, etag, contentType: CONTENT_TYPES[picture.format], body }
  }

  /**
   * The RGBA picture of `bounds`: the level is picked by resolution (a file's own
   * overviews, or for a file without any, overviews built once from it), and only
   * the blocks each strip covers are read. Between strips the event loop gets a turn
   * (other clients' requests go on) and `signal` is checked, so a render nobody waits
   * for stops within a strip.
   */
  private async render(
    ctx: CallContext,
    signal: AbortSignal,
    q: MosaicQuery,
    header: TiffHeader,
    g: Footprint,
    p: Picture
  ): Promise<Uint8Array> {
    const { width, height } = p
    const grid = new CoordinateGrid(p.bounds, width, height, g.toSource, header.affine)
    const step = grid.step()
    const level0 = header.levels[0]!
    const key = this.key(q)
    const scaleOf = (level: { width: number; height: number }) => [level0.width / level.width, level0.height / level.height] as const
    let read: (range: BlockRange) => Promise<PixelSource> | PixelSource
    let level: { width: number; height: number; blockWidth: number; blockHeight: number }
    if (header.levels.length === 1 && step >= TileReader.firstOverviewFactor(level0)) {
      const built = await this.reader.builtOverviews(ctx, key, header)
      const overview = built.levels[pickLevel(built.factors, step)]!
      const source = overviewSource(overview)
      level = source
      read = () => source
    } else {
      const i = pickLevel(
        header.levels.map((l) => level0.width / l.width),
        step
      )
      level = header.levels[i]!
      read = (range) => this.reader.level(ctx, key, header, i, range)
    }
    const out = new Uint8Array(width * height * 4)
    const rowsPerStrip = Math.max(1, Math.floor(STRIP_PIXELS / width))
    const buffers = this.spare.pop() ?? { cols: new Float64Array(STRIP_PIXELS), rows: new Float64Array(STRIP_PIXELS) }
    try {
      for (let y0 = 0; y0 < height; y0 += rowsPerStrip) {
        if (y0 > 0) await yieldToOthers()
        signal.throwIfAborted()
        const count = Math.min(rowsPerStrip, height - y0)
        const coords = grid.coordinates(scaleOf(level), buffers, y0, count)
        const range = blockRange(level, coords.cols, coords.rows)
        if (range === undefined) continue
        const source = await read(range)
        signal.throwIfAborted()
        sample(source, coords.cols, coords.rows, p.resampling, out.subarray(y0 * width * 4, (y0 + count) * width * 4))
      }
      return out
    } finally {
      if (this.spare.length < this.queue.limit) this.spare.push(buffers)
    }
  }
}
