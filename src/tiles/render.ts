import sharp from 'sharp'
import type { ImageFormat } from '../../schemas/index.js'
import type { PixelSource } from '../domain/tiles/grid.js'

/**
 * The renderer: the RGBA picture sampled from a level's blocks at the source
 * coordinates the coordinate grid gives (nearest or bilinear), and its encoding
 * as png, webp or jpg.
 */
export type Resampling = 'nearest' | 'bilinear'

// The tile service keeps the encoded pictures itself (the reader's LRU). libvips' own operation
// cache (50 MB by default) would only hold copies of raw inputs that are never encoded twice.
sharp.cache(false)

/** RGBA of the source pixel (c, r) into `px`; alpha 0 outside the raster or where nodata says so. */
function pixel(src: PixelSource, c: number, r: number, px: Float64Array): void {
  px[3] = 0
  if (c < 0 || r < 0 || c >= src.width || r >= src.height) return
  const bx = Math.floor(c / src.blockWidth)
  const by = Math.floor(r / src.blockHeight)
  const block = src.block(bx, by)
  if (block === undefined) return
  const s = src.samples
  const o = ((r - by * src.blockHeight) * src.blockWidth + (c - bx * src.blockWidth)) * s
  if (s >= 3) {
    px[0] = block[o]!
    px[1] = block[o + 1]!
    px[2] = block[o + 2]!
  } else {
    px[0] = px[1] = px[2] = block[o]!
  }
  if (s === 4 || s === 2) px[3] = block[o + s - 1]!
  else if (src.nodata !== undefined && block[o] === src.nodata && (s === 1 || (block[o + 1] === src.nodata && block[o + 2] === src.nodata)))
    px[3] = 0
  else px[3] = 255
}

/** A block's pixels as whole RGBA words, where its bytes are 4-aligned (decoded blocks and built overviews are). */
const words = new WeakMap<Uint8Array, Uint32Array>()
function wordsOf(block: Uint8Array): Uint32Array | undefined {
  if (block.byteOffset % 4 !== 0 || block.byteLength % 4 !== 0) return undefined
  let w = words.get(block)
  if (!w) words.set(block, (w = new Uint32Array(block.buffer, block.byteOffset, block.byteLength / 4)))
  return w
}

/**
 * Nearest: the pixel the centre falls in. Neighbouring output pixels almost always
 * read the same block, so the block is looked up again only when the pixel leaves
 * it. From RGBA (ODM's layout) each output pixel is one 32-bit copy of the source
 * pixel (byte order is kept whatever the platform's), skipped where its alpha is 0.
 */
function sampleNearest(src: PixelSource, cols: Float64Array, rows: Float64Array, out: Uint8Array): Uint8Array {
  const out32 = new Uint32Array(out.buffer, out.byteOffset, cols.length)
  const { width, height, blockWidth, blockHeight, samples: s, nodata } = src
  // The current block's first column and row; -2 × the block size so that no pixel is in it at first.
  let c0 = -2 * blockWidth
  let r0 = -2 * blockHeight
  let block: Uint8Array | undefined
  let block32: Uint32Array | undefined
  for (let i = 0; i < cols.length; i++) {
    const cf = cols[i]!
    const rf = rows[i]!
    if (!(cf >= 0 && rf >= 0 && cf < width && rf < height)) continue
    // Non-negative and below the size: truncation is the floor.
    const c = cf | 0
    const r = rf | 0
    let dc = c - c0
    let dr = r - r0
    if (dc < 0 || dc >= blockWidth || dr < 0 || dr >= blockHeight) {
      const bx = Math.floor(c / blockWidth)
      const by = Math.floor(r / blockHeight)
      block = src.block(bx, by)
      block32 = s === 4 && block ? wordsOf(block) : undefined
      c0 = bx * blockWidth
      r0 = by * blockHeight
      dc = c - c0
      dr = r - r0
    }
    if (block === undefined) continue
    const p = dr * blockWidth + dc
    if (s === 4) {
      if (block[p * 4 + 3] === 0) continue
      if (block32 !== undefined) out32[i] = block32[p]!
      else out.set(block.subarray(p * 4, p * 4 + 4), i * 4)
      continue
    }
    const o = p * s
    let alpha = 255
    if (s === 2) alpha = block[o + 1]!
    else if (nodata !== undefined && block[o] === nodata && (s === 1 || (block[o + 1] === nodata && block[o + 2] === nodata))) alpha = 0
    if (alpha === 0) continue
    const j = i * 4
    if (s >= 3) {
      out[j] = block[o]!
      out[j + 1] = block[o + 1]!
      out[j + 2] = block[o + 2]!
    } else {
      out[j] = out[j + 1] = out[j + 2] = block[o]!
    }
    out[j + 3] = alpha
  }
  return out
}

/**
 * The RGBA pixels at these coordinates, into `out` (4-byte aligned, `4 × cols.length`
 * bytes, zero where nothing is drawn) or a new array: nearest takes the pixel the
 * centre falls in, bilinear blends the four around it by alpha.
 */
export function sample(
  src: PixelSource,
  cols: Float64Array,
  rows: Float64Array,
  resampling: Resampling,
  out = new Uint8Array(cols.length * 4)
): Uint8Array {
  if (resampling === 'nearest') return sampleNearest(src, cols, rows, out)
  const px = new Float64Array(4)
  for (let i = 0; i < cols.length; i++) {
    const col = cols[i]!
    const row = rows[i]!
    const x = col - 0.5
    const y = row - 0.5
    const c0 = Math.floor(x)
    const r0 = Math.floor(y)
    const fx = x - c0
    const fy = y - r0
    let a = 0
    let rr = 0
    let gg = 0
    let bb = 0
    for (let k = 0; k < 4; k++) {
      const w = (k & 1 ? fx : 1 - fx) * (k & 2 ? fy : 1 - fy)
      if (w === 0) continue
      pixel(src, c0 + (k & 1), r0 + (k >> 1), px)
      const wa = w * px[3]!
      a += wa
      rr += wa * px[0]!
      gg += wa * px[1]!
      bb += wa * px[2]!
    }
    if (a < 0.5) continue
    out[i * 4] = Math.round(rr / a)
    out[i * 4 + 1] = Math.round(gg / a)
    out[i * 4 + 2] = Math.round(bb / a)
    out[i * 4 + 3] = Math.round(a)
  }
  return out
}

export const CONTENT_TYPES: Readonly<Record<ImageFormat, string>> = { png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' }

export async function encode(rgba: Uint8Array, width: number, height: number, format: ImageFormat): Promise<Buffer> {
  const image = sharp(rgba, { raw: { width, height, channels: 4 } })
  if (format === 'png') return image.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer()
  if (format === 'webp') return image.webp({ quality: 85, alphaQuality: 100, effort: 2 }).toBuffer()
  return image.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer()
}
