import { deflateSync } from 'node:zlib'
import type { RasterLevel } from '../../src/domain/tiles/downsample.js'

export type { RasterLevel }

/**
 * A small writer of tiled, DEFLATE-compressed 8-bit GeoTIFFs, as OpenDroneMap
 * and GDAL write them: chunky RGBA (or RGB / grey) with unassociated alpha,
 * horizontal predictor, optional reduced-resolution levels (a COG's overviews).
 * Every IFD is written before the pixel data, so one 64 KiB read at the start of
 * the file holds all the headers, as in a COG.
 */

export interface GeoReference {
  /** EPSG code: a projected CRS (UTM), or 4326 (geographic). */
  epsg: number
  /** Coordinates of the top-left corner of the top-left pixel (pixel-is-area). */
  originX: number
  originY: number
  /** Pixel size in CRS units; both positive (rows go down, i.e. south). */
  pixelWidth: number
  pixelHeight: number
}

export interface TiledTiffOptions {
  /** Full resolution first, then overviews (each about half the previous). */
  levels: RasterLevel[]
  samples: 1 | 2 | 3 | 4
  blockSize: number
  geo: GeoReference
  compression?: 'deflate' | 'none'
  /** DEFLATE level (zlib); 6 by default. */
  deflateLevel?: number
}

const SHORT = 3
const LONG = 4
const DOUBLE = 12
const ASCII = 2
const SIZE: Record<number, number> = { [ASCII]: 1, [SHORT]: 2, [LONG]: 4, [DOUBLE]: 8 }

interface Entry {
  tag: number
  type: number
  values: number[] | string
}

/** Horizontal differencing (TIFF predictor 2) of one block, in place, row by row. */
function predict(block: Uint8Array, width: number, height: number, samples: number): void {
  const stride = width * samples
  for (let y = 0; y < height; y++) {
    const row = y * stride
    for (let i = stride - 1; i >= samples; i--) block[row + i] = (block[row + i]! - block[row + i - samples]!) & 0xff
  }
}

/** One block of a level, padded with zeros to the full block size as TIFF requires. */
function blockOf(level: RasterLevel, samples: number, size: number, bx: number, by: number): Uint8Array {
  const out = new Uint8Array(size * size * samples)
  const x0 = bx * size
  const y0 = by * size
  const w = Math.min(size, level.width - x0)
  const h = Math.min(size, level.height - y0)
  for (let y = 0; y < h; y++) {
    const from = ((y0 + y) * level.width + x0) * samples
    out.set(level.pixels.subarray(from, from + w * samples), y * size * samples)
  }
  return out
}

function geoKeys(geo: GeoReference): Entry[] {
  const geographic = geo.epsg === 4326
  const citation = geographic ? 'WGS 84|' : `WGS 84 / UTM zone ${geo.epsg % 100}${geo.epsg >= 32700 ? 'S' : 'N'}|`
  const keys = [
    1,
    1,
    0,
    4,
    1024,
    0,
    1,
    geographic ? 2 : 1, // GTModelTypeGeoKey
    1025,
    0,
    1,
    1, // GTRasterTypeGeoKey: pixel is area
    geographic ? 2048 : 3072,
    0,
    1,
    geo.epsg, // GeographicTypeGeoKey / ProjectedCSTypeGeoKey
    geographic ? 2049 : 3073,
    34737,
    citation.length,
    0 // citation in GeoAsciiParams
  ]
  return [
    { tag: 33550, type: DOUBLE, values: [geo.pixelWidth, geo.pixelHeight, 0] },
    { tag: 33922, type: DOUBLE, values: [0, 0, 0, geo.originX, geo.originY, 0] },
    { tag: 34735, type: SHORT, values: keys },
    { tag: 34737, type: ASCII, values: `${citation}\0` }
  ]
}

export function encodeTiledTiff(o: TiledTiffOptions): Uint8Array {
  const compression = o.compression ?? 'deflate'
  const size = o.blockSize
  const s = o.samples
  // Compressed blocks of every level, in file order.
  const blocks: Uint8Array[][] = o.levels.map((level) => {
    const out: Uint8Array[] = []
    for (let by = 0; by < Math.ceil(level.height / size); by++) {
      for (let bx = 0; bx < Math.ceil(level.width / size); bx++) {
        const block = blockOf(level, s, size, bx, by)
        if (compression === 'none') {
          out.push(block)
          continue
        }
        predict(block, size, size, s)
        out.push(deflateSync(block, { level: o.deflateLevel ?? 6 }))
      }
    }
    return out
  })

  const ifds: Entry[][] = o.levels.map((level, i) => {
    const entries: Entry[] = [
      { tag: 254, type: LONG, values: [i === 0 ? 0 : 1] }, // NewSubfileType: overview
      { tag: 256, type: LONG, values: [level.width] },
      { tag: 257, type: LONG, values: [level.height] },
      { tag: 258, type: SHORT, values: new Array<number>(s).fill(8) },
      { tag: 259, type: SHORT, values: [compression === 'none' ? 1 : 8] },
      { tag: 262, type: SHORT, values: [s >= 3 ? 2 : 1] }, // RGB or BlackIsZero
      { tag: 277, type: SHORT, values: [s] },
      { tag: 284, type: SHORT, values: [1] },
      { tag: 317, type: SHORT, values: [compression === 'none' ? 1 : 2] },
      { tag: 322, type: SHORT, values: [size] },
      { tag: 323, type: SHORT, values: [size] },
      { tag: 324, type: LONG, values: blocks[i]!.map(() => 0) },
      { tag: 325, type: LONG, values: blocks[i]!.map((b) => b.length) }
    ]
    if (s === 2 || s === 4) entries.push({ tag: 338, type: SHORT, values: [2] }) // ExtraSamples: unassociated alpha
    entries.push({ tag: 339, type: SHORT, values: new Array<number>(s).fill(1) })
    if (i === 0) entries.push(...geoKeys(o.geo))
    return entries.sort((a, b) => a.tag - b.tag)
  })

  // Layout: header, then each IFD followed by its out-of-line values, then the blocks.
  const valueSize = (e: Entry) => (SIZE[e.type] ?? 1) * e.values.length
  let cursor = 8
  const ifdOffsets: number[] = []
  const external = new Map<Entry, number>()
  for (const entries of ifds) {
    cursor += cursor % 2
    ifdOffsets.push(cursor)
    cursor += 2 + entries.length * 12 + 4
    for (const e of entries) {
      if (valueSize(e) > 4) {
        cursor += cursor % 2
        external.set(e, cursor)
        cursor += valueSize(e)
      }
    }
  }
  const blockOffsets = blocks.map((level) =>
    level.map((b) => {
      const at = cursor
      cursor += b.length
      return at
    })
  )
  ifds.forEach((entries, i) => {
    const offsets = entries.find((e) => e.tag === 324)!
    offsets.values = blockOffsets[i]!
  })

  const buf = new Uint8Array(cursor)
  const view = new DataView(buf.buffer)
  buf.set([0x49, 0x49, 42, 0], 0)
  view.setUint32(4, ifdOffsets[0]!, true)
  const write = (e: Entry, at: number) => {
    if (typeof e.values === 'string') {
      for (let i = 0; i < e.values.length; i++) buf[at + i] = e.values.charCodeAt(i)
      return
    }
    e.values.forEach((v, i) => {
      if (e.type === SHORT) view.setUint16(at + i * 2, v, true)
      else if (e.type === LONG) view.setUint32(at + i * 4, v, true)
      else view.setFloat64(at + i * 8, v, true)
    })
  }
  ifds.forEach((entries, i) => {
    const at = ifdOffsets[i]!
    view.setUint16(at, entries.length, true)
    entries.forEach((e, j) => {
      const p = at + 2 + j * 12
      view.setUint16(p, e.tag, true)
      view.setUint16(p + 2, e.type, true)
      view.setUint32(p + 4, e.values.length, true)
      const ext = external.get(e)
      if (ext === undefined) write(e, p + 8)
      else {
        view.setUint32(p + 8, ext, true)
        write(e, ext)
      }
    })
    view.setUint32(at + 2 + entries.length * 12, ifdOffsets[i + 1] ?? 0, true)
  })
  blocks.forEach((level, i) => level.forEach((b, j) => buf.set(b, blockOffsets[i]![j])))
  return buf
}
