/** Reduced-resolution levels, averaged as GDAL's `average` overviews are. */

export interface RasterLevel {
  width: number
  height: number
  /** Interleaved samples, row-major, top row first. */
  pixels: Uint8Array
}

/** Halves a level by averaging 2×2 pixels (colour weighted by alpha when `samples` has one), as GDAL's `average`. */
export function halve(level: RasterLevel, samples: number): RasterLevel {
  const width = Math.max(1, Math.ceil(level.width / 2))
  const height = Math.max(1, Math.ceil(level.height / 2))
  const out = new Uint8Array(width * height * samples)
  const alpha = samples === 2 || samples === 4 ? samples - 1 : -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = new Array<number>(samples).fill(0)
      let n = 0
      let weight = 0
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const sx = Math.min(level.width - 1, 2 * x + dx)
          const sy = Math.min(level.height - 1, 2 * y + dy)
          const p = (sy * level.width + sx) * samples
          const a = alpha < 0 ? 255 : level.pixels[p + alpha]!
          for (let c = 0; c < samples; c++) sums[c]! += c === alpha ? a : level.pixels[p + c]! * a
          weight += a
          n++
        }
      }
      const q = (y * width + x) * samples
      for (let c = 0; c < samples; c++) {
        out[q + c] = c === alpha ? Math.round(sums[c]! / n) : weight > 0 ? Math.round(sums[c]! / weight) : 0
      }
    }
  }
  return { width, height, pixels: out }
}

/**
 * A streaming box filter: blocks of a raster go in one at a time, in any order
 * within a band of rows, and each output row is finished (and its accumulator
 * dropped) as soon as every source row it covers has been added. Memory is the
 * output plus the rows in progress, whatever the size of the source.
 */
export class BoxReducer {
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
  private readonly rows = new Map<number, Float64Array>()

  constructor(
    private readonly srcWidth: number,
    private readonly srcHeight: number,
    readonly factor: number
  ) {
    this.width = Math.ceil(srcWidth / factor)
    this.height = Math.ceil(srcHeight / factor)
    this.pixels = new Uint8Array(this.width * this.height * 4)
  }

  /** Adds a decoded block (RGBA by `rgba(block, offset)`) whose top-left source pixel is (x0, y0). */
  add(x0: number, y0: number, w: number, h: number, read: (col: number, row: number, px: Float64Array) => void): void {
    const px = new Float64Array(4)
    const f = this.factor
    for (let r = 0; r < h && y0 + r < this.srcHeight; r++) {
      const oy = Math.floor((y0 + r) / f)
      let acc = this.rows.get(oy)
      if (acc === undefined) {
        acc = new Float64Array(this.width * 5)
        this.rows.set(oy, acc)
      }
      for (let c = 0; c < w && x0 + c < this.srcWidth; c++) {
        read(c, r, px)
        const o = Math.floor((x0 + c) / f) * 5
        const a = px[3]!
        acc[o]! += px[0]! * a
        acc[o + 1]! += px[1]! * a
        acc[o + 2]! += px[2]! * a
        acc[o + 3]! += a
        acc[o + 4]! += 1
      }
    }
  }

  /** Finishes every output row whose source rows all lie above `srcRow`. */
  flush(srcRow: number): void {
    for (const [oy, acc] of this.rows) {
      if (Math.min(this.srcHeight, (oy + 1) * this.factor) > srcRow) continue
      for (let ox = 0; ox < this.width; ox++) {
        const a = acc[ox * 5 + 3]!
        const n = acc[ox * 5 + 4]!
        const o = (oy * this.width + ox) * 4
        if (a <= 0 || n === 0) continue
        this.pixels[o] = Math.round(acc[ox * 5]! / a)
        this.pixels[o + 1] = Math.round(acc[ox * 5 + 1]! / a)
        this.pixels[o + 2] = Math.round(acc[ox * 5 + 2]! / a)
        this.pixels[o + 3] = Math.round(a / n)
      }
      this.rows.delete(oy)
    }
  }

  /** Rows in progress, for tests of the memory bound. */
  get pendingRows(): number {
    return this.rows.size
  }
}
