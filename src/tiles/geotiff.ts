import { inflateSync } from 'node:zlib'
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { GeoTIFF, getDecoder } from 'geotiff'
import { tally } from '../aws/call-counter.js'
import { isMissingObject } from '../aws/s3-errors.js'
import { epsgOfGeoKeys } from '../domain/tiles/crs.js'
import type { Affine } from '../domain/tiles/grid.js'
import type { CallContext } from '../call-context.js'

/**
 * The reader's file access: GeoTIFFs in the bucket, read by byte range through
 * the SDK (so every read is counted, signed with the server's credentials and
 * classified like any AWS fault). geotiff.js parses the header and IFDs from the
 * first 64 KiB (more ranges only when they lie beyond it); blocks are decoded here.
 */

export const HEADER_BYTES = 64 * 1024

/** One image (IFD) of the file: full resolution or a reduced-resolution overview. */
export interface TiffLevel {
  width: number
  height: number
  blockWidth: number
  blockHeight: number
  samples: number
  bitsPerSample: number
  sampleFormat: number
  compression: number
  predictor: number
  planar: number
  photometric: number
  offsets: number[]
  counts: number[]
}

export interface TiffHeader {
  etag: string
  size: number
  /** Full resolution first, then the overviews, finest first; mask IFDs are skipped. */
  levels: TiffLevel[]
  epsg?: number
  affine: Affine
  nodata?: number
  /** Every IFD and block table lay in the first read, as in a cloud-optimised GeoTIFF. */
  headerInPrefix: boolean
}

/** The object is missing. */
export class MissingObjectError extends Error {
  override name = 'MissingObjectError'
}

/** The object is not a GeoTIFF this server can read (no affine, strips of other widths, …). */
export class UnreadableTiffError extends Error {
  override name = 'UnreadableTiffError'
}

type GeoTiffSource = Parameters<typeof GeoTIFF.fromSource>[0]

function numbers(value: unknown): number[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'number') return [value]
  return Array.from(value as ArrayLike<number | bigint>, (v) => Number(v))
}

export class GeoTiffStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string
  ) {}

  /** Bytes [start, end] of the object (inclusive), with its ETag and total size. */
  async readRange(ctx: CallContext, key: string, start: number, end: number): Promise<{ bytes: Uint8Array; etag: string; size: number }> {
    try {
      const out = await this.s3.send(
        tally(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end}` }), 'S3', ctx.calls)
      )
      const bytes = await out.Body!.transformToByteArray()
      const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1]
      return { bytes, etag: out.ETag ?? '', size: total ? Number(total) : bytes.length }
    } catch (err) {
      if (isMissingObject(err)) throw new MissingObjectError(key)
      throw err
    }
  }

  /** The current ETag of the object (one HeadObject), or undefined when it is gone. */
  async etag(ctx: CallContext, key: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(tally(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), 'S3', ctx.calls))
      return out.ETag ?? ''
    } catch (err) {
      if (isMissingObject(err)) return undefined
      throw err
    }
  }

  /** Header and IFDs of every image, with their block tables loaded: one ranged read for a COG-style file. */
  async readHeader(ctx: CallContext, key: string): Promise<TiffHeader> {
    const first = await this.readRange(ctx, key, 0, HEADER_BYTES - 1)
    const prefix = first.bytes
    let headerInPrefix = true
    const source: GeoTiffSource = {
      fileSize: first.size,
      fetch: async (slices: Array<{ offset: number; length: number }>) =>
        Promise.all(
          slices.map(async ({ offset, length }) => {
            if (offset + length <= prefix.length) return prefix.slice(offset, offset + length).buffer
            headerInPrefix = false
            const end = Math.min(first.size, offset + length) - 1
            const more = await this.readRange(ctx, key, offset, end)
            return more.bytes.slice().buffer
          })
        ),
      close: async () => undefined
    } as unknown as GeoTiffSource
    let tiff: GeoTIFF
    try {
      tiff = await GeoTIFF.fromSource(source)
    } catch (err) {
      throw new UnreadableTiffError(`not a TIFF: ${(err as Error).message}`)
    }
    const count = await tiff.getImageCount()
    const levels: TiffLevel[] = []
    let epsg: number | undefined
    let affine: Affine | undefined
    let nodata: number | undefined
    for (let i = 0; i < count; i++) {
      const image = await tiff.getImage(i)
      const fd = image.getFileDirectory()
      const subfile = Number((await fd.loadValue('NewSubfileType')) ?? 0)
      // Bit 2 marks a transparency mask, which is not a picture of the scene.
      if (subfile & 4) continue
      if (i === 0) {
        const keys = image.getGeoKeys() as Record<string, unknown> | null
        epsg = epsgOfGeoKeys(keys)
        try {
          const [ox = 0, oy = 0] = image.getOrigin()
          const [rx = 1, ry = -1] = image.getResolution()
          // Pixel-is-point puts the tie point on the pixel centre.
          const half = keys?.GTRasterTypeGeoKey === 2 ? 0.5 : 0
          affine = { originX: ox - half * rx, originY: oy + half * Math.abs(ry), resX: rx, resY: Math.abs(ry) }
        } catch {
          throw new UnreadableTiffError('the GeoTIFF has no affine georeferencing')
        }
        nodata = image.getGDALNoData() ?? undefined
      }
      const tiled = image.isTiled
      levels.push({
        width: image.getWidth(),
        height: image.getHeight(),
        blockWidth: tiled ? image.getTileWidth() : image.getWidth(),
        blockHeight: tiled ? image.getTileHeight() : Number((await fd.loadValue('RowsPerStrip')) ?? image.getHeight()),
        samples: image.getSamplesPerPixel(),
        bitsPerSample: image.getBitsPerSample(0),
        sampleFormat: Number(image.getSampleFormat(0) ?? 1),
        compression: Number((await fd.loadValue('Compression')) ?? 1),
        predictor: Number((await fd.loadValue('Predictor')) ?? 1),
        planar: image.planarConfiguration,
        photometric: Number((await fd.loadValue('PhotometricInterpretation')) ?? 2),
        offsets: numbers(await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')),
        counts: numbers(await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts'))
      })
    }
    if (levels.length === 0 || affine === undefined) throw new UnreadableTiffError('the GeoTIFF has no image')
    levels.sort((a, b) => b.width - a.width)
    return { etag: first.etag, size: first.size, levels, epsg, affine, nodata, headerInPrefix }
  }
}

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

/** The name of a TIFF compression code, as GDAL calls it. */
export function compressionName(code: number): string {
  return COMPRESSIONS[code] ?? `code ${code}`
}

/** Why a level cannot be decoded here, or undefined when it can: 8-bit unsigned, chunky, 1–4 samples. */
export function unsupportedLayout(level: TiffLevel): string | undefined {
  if (level.bitsPerSample !== 8 || level.sampleFormat !== 1) return `${level.bitsPerSample}-bit samples (format ${level.sampleFormat})`
  if (level.planar !== 1 && level.samples > 1) return 'planar (band-separate) layout'
  if (level.samples < 1 || level.samples > 4) return `${level.samples} samples per pixel`
  if (level.photometric === 6) return 'YCbCr (JPEG) colour'
  return undefined
}

/** Undoes TIFF predictor 2 (horizontal differencing) on 8-bit chunky samples. */
function unpredict(block: Uint8Array, width: number, height: number, samples: number): void {
  const stride = width * samples
  for (let y = 0; y < height; y++) {
    const row = y * stride
    for (let i = samples; i < stride; i++) block[row + i] = (block[row + i]! + block[row + i - samples]!) & 0xff
  }
}

/**
 * One block's samples. DEFLATE goes through Node's zlib (several times faster
 * than geotiff.js's JavaScript inflate); other codecs through geotiff.js.
 */
export async function decodeBlock(level: TiffLevel, compressed: Uint8Array): Promise<Uint8Array> {
  const expected = level.blockWidth * level.blockHeight * level.samples
  let raw: Uint8Array
  if (level.compression === 1) {
    raw = compressed.slice()
  } else if (level.compression === 8 || level.compression === 32946) {
    // One output chunk of the block's size: no chunk list to concatenate, and the
    // result is used where it lies rather than copied (a block is 1 MiB at 512 px).
    const out = inflateSync(compressed, { chunkSize: Math.max(16 * 1024, expected + 1024) })
    raw = new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  } else {
    const decoder = await getDecoder(level.compression, {
      tileWidth: level.blockWidth,
      tileHeight: level.blockHeight,
      planarConfiguration: level.planar,
      bitsPerSample: new Array<number>(level.samples).fill(8),
      predictor: level.predictor
    })
    return new Uint8Array(await decoder.decode(compressed.slice().buffer)).subarray(0, expected)
  }
  if (level.predictor === 2) unpredict(raw, level.blockWidth, Math.floor(raw.length / (level.blockWidth * level.samples)), level.samples)
  if (raw.length >= expected) return raw.subarray(0, expected)
  // A last strip may be short: pad it to the block size.
  const padded = new Uint8Array(expected)
  padded.set(raw)
  return padded
}
