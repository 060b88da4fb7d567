/**
 * Reprojection of a raster onto a web-mercator tile: the source pixel of every
 * output pixel, computed exactly on a coarse grid and interpolated in between
 * (as gdalwarp's approximate transformer does), then sampled nearest or bilinear.
 * The exact transform carries the UTM grid convergence, so north-up tiles of a
 * grid-north raster come out rotated as they should.
 */

/** Coordinates of the top-left corner of the top-left pixel and the pixel size (rows go south). */
export interface Affine {
  originX: number
  originY: number
  resX: number
  resY: number
}

/** Maps EPSG:3857 metres to the raster's CRS. */
export type ToSource = (x: number, y: number) => [number, number]

/** Grid step in output pixels; the transform's curvature over 16 px of a tile is far below a pixel. */
const STEP = 16

export interface Coordinates {
  cols: Float64Array
  rows: Float64Array
}

/**
 * The exact transform on a coarse grid over a `width` × `height` picture with
 * EPSG:3857 bounds `bounds`, in level-0 pixels of the affine. Its step (the level
 * to read) is known before any per-pixel coordinate exists, so the coordinates are
 * computed once, straight in the pixels of the level picked.
 */
export class CoordinateGrid {
  private readonly west: number
  private readonly north: number
  private readonly resX: number
  private readonly resY: number
  private readonly nx: number
  private readonly gc: Float64Array
  private readonly gr: Float64Array
  private readonly across: { index: Int32Array; frac: Float64Array }
  private readonly down: { index: Int32Array; frac: Float64Array }

  constructor(
    bounds: readonly [number, number, number, number],
    readonly width: number,
    readonly height: number,
    private readonly toSource: ToSource,
    private readonly affine: Affine
  ) {
    const [west, , east, north] = bounds
    this.west = west
    this.north = north
    this.resX = (east - west) / width
    this.resY = (north - bounds[1]) / height
    const nx = Math.ceil(width / STEP) + 1
    const ny = Math.ceil(height / STEP) + 1
    this.nx = nx
    this.gc = new Float64Array(nx * ny)
    this.gr = new Float64Array(nx * ny)
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const [c, r] = this.exact(Math.min(width, i * STEP), Math.min(height, j * STEP))
        this.gc[j * nx + i] = c
        this.gr[j * nx + i] = r
      }
    }
    // Per output column and row: its grid cell and where in it the pixel centre lies (the same for every row or column).
    const cellOf = (n: number, cells: number) => {
      const index = new Int32Array(n)
      const frac = new Float64Array(n)
      for (let p = 0; p < n; p++) {
        const k = Math.min(cells - 2, Math.floor((p + 0.5) / STEP))
        index[p] = k
        frac[p] = (p + 0.5 - k * STEP) / (Math.min(n, (k + 1) * STEP) - k * STEP)
      }
      return { index, frac }
    }
    this.across = cellOf(width, nx)
    this.down = cellOf(height, ny)
  }

  /** Level-0 pixel coordinates of the output point (x, y), exactly. */
  private exact(x: number, y: number): [number, number] {
    const [sx, sy] = this.toSource(this.west + x * this.resX, this.north - y * this.resY)
    return [(sx - this.affine.originX) / this.affine.resX, (this.affine.originY - sy) / this.affine.resY]
  }

  /** The source coordinates of the output pixel centre (px, py), interpolated (exact where the grid failed). */
  private at(px: number, py: number): [number, number] {
    const { gc, gr, nx } = this
    const j = this.down.index[py]!
    const ty = this.down.frac[py]!
    const tx = this.across.frac[px]!
    const a = j * nx + this.across.index[px]!
    const b = a + 1
    const c = a + nx
    const d = c + 1
    const col = (gc[a]! * (1 - tx) + gc[b]! * tx) * (1 - ty) + (gc[c]! * (1 - tx) + gc[d]! * tx) * ty
    const row = (gr[a]! * (1 - tx) + gr[b]! * tx) * (1 - ty) + (gr[c]! * (1 - tx) + gr[d]! * tx) * ty
    // Far outside a UTM zone the transform can fail; such a cell falls back to the exact one.
    return Number.isFinite(col) && Number.isFinite(row) ? [col, row] : this.exact(px + 0.5, py + 0.5)
  }

  /** Level-0 pixels per output pixel, at the centre of the picture. */
  step(): number {
    const px = Math.min(this.width - 2, Math.floor(this.width / 2))
    const py = Math.floor(this.height / 2)
    const [c0, r0] = this.at(Math.max(0, px), py)
    const [c1, r1] = this.at(Math.max(0, px) + 1, py)
    return Math.hypot(c1 - c0, r1 - r0)
  }

  /**
   * Continuous source pixel coordinates (column, row; pixel k covers [k, k+1)) of the
   * centre of every output pixel, in pixels of a level `scale` times coarser than level 0.
   */
  coordinates(scale: readonly [number, number] = [1, 1], into?: Coordinates): Coordinates {
    const { width, height, gc, gr, nx } = this
    const n = width * height
    const cols = into?.cols.length === n ? into.cols : new Float64Array(n)
    const rows = into?.rows.length === n ? into.rows : new Float64Array(n)
    const [sx, sy] = scale
    const index = this.across.index
    const frac = this.across.frac
    // The grid interpolated down to this output row first (nx values), then across it: bilinear, in two steps.
    const lineC = new Float64Array(nx)
    const lineR = new Float64Array(nx)
    for (let py = 0; py < height; py++) {
      const j = this.down.index[py]!
      const ty = this.down.frac[py]!
      const top = j * nx
      for (let i = 0; i < nx; i++) {
        lineC[i] = (gc[top + i]! * (1 - ty) + gc[top + nx + i]! * ty) / sx
        lineR[i] = (gr[top + i]! * (1 - ty) + gr[top + nx + i]! * ty) / sy
      }
      const base = py * width
      for (let px = 0; px < width; px++) {
        const k = index[px]!
        const tx = frac[px]!
        const col = lineC[k]! * (1 - tx) + lineC[k + 1]! * tx
        const row = lineR[k]! * (1 - tx) + lineR[k + 1]! * tx
        if (Number.isFinite(col) && Number.isFinite(row)) {
          cols[base + px] = col
          rows[base + px] = row
        } else {
          // Far outside a UTM zone the transform can fail; such a cell falls back to the exact one.
          const [c, r] = this.exact(px + 0.5, py + 0.5)
          cols[base + px] = c / sx
          rows[base + px] = r / sy
        }
      }
    }
    return { cols, rows }
  }
}

/** Pixels of one level, by block (a built overview is one block). */
export interface PixelSource {
  width: number
  height: number
  samples: number
  blockWidth: number
  blockHeight: number
  /** Decoded block at (bx, by), chunky 8-bit samples; undefined when it was not loaded. */
  block(bx: number, by: number): Uint8Array | undefined
  /** A value that means "no data" in every band (GDAL_NODATA), when the file has no alpha. */
  nodata?: number
}

/** The blocks a tile needs: the range its source coordinates cover, one pixel wider for bilinear. */
export function blockRange(
  src: Pick<PixelSource, 'width' | 'height' | 'blockWidth' | 'blockHeight'>,
  cols: Float64Array,
  rows: Float64Array
): { bx0: number; by0: number; bx1: number; by1: number } | undefined {
  let c0 = Infinity
  let c1 = -Infinity
  let r0 = Infinity
  let r1 = -Infinity
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!
    const r = rows[i]!
    if (c < -1 || r < -1 || c > src.width + 1 || r > src.height + 1) continue
    if (c < c0) c0 = c
    if (c > c1) c1 = c
    if (r < r0) r0 = r
    if (r > r1) r1 = r
  }
  if (c0 > c1) return undefined
  const clampC = (c: number) => Math.max(0, Math.min(src.width - 1, Math.floor(c)))
  const clampR = (r: number) => Math.max(0, Math.min(src.height - 1, Math.floor(r)))
  return {
    bx0: Math.floor(clampC(c0 - 1) / src.blockWidth),
    bx1: Math.floor(clampC(c1 + 1) / src.blockWidth),
    by0: Math.floor(clampR(r0 - 1) / src.blockHeight),
    by1: Math.floor(clampR(r1 + 1) / src.blockHeight)
  }
}

export type Resampling = 'nearest' | 'bilinear'

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
function sampleNearest(src: PixelSource, cols: Float64Array, rows: Float64Array): Uint8Array {
  const out = new Uint8Array(cols.length * 4)
  const out32 = new Uint32Array(out.buffer)
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

/** The RGBA tile: nearest takes the pixel the centre falls in, bilinear blends the four around it by alpha. */
export function sample(src: PixelSource, cols: Float64Array, rows: Float64Array, resampling: Resampling): Uint8Array {
  if (resampling === 'nearest') return sampleNearest(src, cols, rows)
  const out = new Uint8Array(cols.length * 4)
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

/** Index of the level to read for an output resolution: the coarsest whose pixels are not coarser than it (GDAL's choice). */
export function pickLevel(levelResolutions: readonly number[], target: number): number {
  let best = 0
  levelResolutions.forEach((res, i) => {
    if (res <= target * 1.0001 && res > levelResolutions[best]!) best = i
  })
  return best
}
