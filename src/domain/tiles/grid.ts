/**
 * Where the pixels of a picture come from: the source pixel of every output pixel
 * of a web-mercator picture, computed exactly on a coarse grid and interpolated in
 * between (as gdalwarp's approximate transformer does), the blocks of a level it
 * covers, and the level to read. The exact transform carries the UTM grid
 * convergence, so north-up tiles of a grid-north raster come out rotated as they
 * should. Sampling those pixels is the renderer's (src/tiles/render.ts).
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
   * centre of every output pixel of rows [y0, y0 + count), in pixels of a level `scale`
   * times coarser than level 0. A picture is drawn in strips of rows, so the coordinates
   * of a large preview never exist all at once: `into` is reused (its first
   * `width × count` entries) when it is large enough.
   */
  coordinates(scale: readonly [number, number] = [1, 1], into?: Coordinates, y0 = 0, count = this.height - y0): Coordinates {
    const { width, gc, gr, nx } = this
    const n = width * count
    const cols = into !== undefined && into.cols.length >= n ? into.cols.subarray(0, n) : new Float64Array(n)
    const rows = into !== undefined && into.rows.length >= n ? into.rows.subarray(0, n) : new Float64Array(n)
    const [sx, sy] = scale
    const index = this.across.index
    const frac = this.across.frac
    // The grid interpolated down to this output row first (nx values), then across it: bilinear, in two steps.
    const lineC = new Float64Array(nx)
    const lineR = new Float64Array(nx)
    for (let py = y0; py < y0 + count; py++) {
      const j = this.down.index[py]!
      const ty = this.down.frac[py]!
      const top = j * nx
      for (let i = 0; i < nx; i++) {
        lineC[i] = (gc[top + i]! * (1 - ty) + gc[top + nx + i]! * ty) / sx
        lineR[i] = (gr[top + i]! * (1 - ty) + gr[top + nx + i]! * ty) / sy
      }
      const base = (py - y0) * width
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

/** Index of the level to read for an output resolution: the coarsest whose pixels are not coarser than it (GDAL's choice). */
export function pickLevel(levelResolutions: readonly number[], target: number): number {
  let best = 0
  levelResolutions.forEach((res, i) => {
    if (res <= target * 1.0001 && res > levelResolutions[best]!) best = i
  })
  return best
}
