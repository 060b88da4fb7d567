import t from 'tap'
import type { PixelSource } from '../../src/domain/tiles/grid.js'
import { sample } from '../../src/tiles/render.js'

/** A 6 × 4 raster in 4 × 2 blocks; the block at (1, 1) was not loaded. Values name their pixel. */
function raster(samples: number, nodata?: number): PixelSource {
  const width = 6
  const height = 4
  const blocks = new Map<string, Uint8Array>()
  const loaded: [number, number][] = [
    [0, 0],
    [1, 0],
    [0, 1]
  ]
  for (const [bx, by] of loaded) {
    const block = new Uint8Array(4 * 2 * samples)
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 4; c++) {
        const value = 10 * (by * 2 + r) + (bx * 4 + c) + 1
        for (let k = 0; k < samples; k++)
          block[(r * 4 + c) * samples + k] = k === 3 || (samples === 2 && k === 1) ? (value % 3 ? 255 : 0) : value
      }
    }
    blocks.set(`${bx},${by}`, block)
  }
  return { width, height, samples, blockWidth: 4, blockHeight: 2, nodata, block: (bx, by) => blocks.get(`${bx},${by}`) }
}

t.test('nearest takes the pixel the centre falls in, across block edges', async (t) => {
  const src = raster(3)
  const cols = Float64Array.from([0.5, 3.99, 4.0, 5.5, 0.2, 4.5, -0.1, 6.0, 2.5, Number.NaN])
  const rows = Float64Array.from([0.5, 1.2, 0.0, 1.9, 2.5, 2.5, 1.0, 1.0, 4.0, 1.0])
  const out = sample(src, cols, rows, 'nearest')
  const rgba = (i: number) => Array.from(out.subarray(i * 4, i * 4 + 4))
  t.same(rgba(0), [1, 1, 1, 255], '(0, 0)')
  t.same(rgba(1), [14, 14, 14, 255], '(3, 1): the last column of the first block')
  t.same(rgba(2), [5, 5, 5, 255], '(4, 0): the first of the next block')
  t.same(rgba(3), [16, 16, 16, 255], '(5, 1)')
  t.same(rgba(4), [21, 21, 21, 255], '(0, 2): the block below')
  t.same(rgba(5), [0, 0, 0, 0], 'a block not loaded is transparent')
  for (const i of [6, 7, 8, 9]) t.same(rgba(i), [0, 0, 0, 0], `outside the raster (or no coordinate) is transparent: ${i}`)
})

t.test('alpha from the file, and nodata without it', async (t) => {
  const withAlpha = sample(raster(4), Float64Array.from([0.5, 2.5]), Float64Array.from([0.5, 0.5]), 'nearest')
  t.same(Array.from(withAlpha.subarray(0, 4)), [1, 1, 1, 255])
  t.same(Array.from(withAlpha.subarray(4, 8)), [0, 0, 0, 0], 'alpha 0 leaves the pixel empty, colour too')
  const gray = sample(raster(2), Float64Array.from([0.5]), Float64Array.from([0.5]), 'nearest')
  t.same(Array.from(gray), [1, 1, 1, 255], 'grey and alpha')
  const masked = sample(raster(3, 14), Float64Array.from([3.5, 2.5]), Float64Array.from([1.5, 1.5]), 'nearest')
  t.same(Array.from(masked.subarray(0, 4)), [0, 0, 0, 0], 'GDAL_NODATA in every band is transparent')
  t.same(Array.from(masked.subarray(4, 8)), [13, 13, 13, 255])
})

t.test('nearest from RGBA copies whole pixels: the same as pixel by pixel, aligned or not, alpha 0 left empty', async (t) => {
  // A 37 × 29 RGBA raster in 16 × 8 blocks (ragged at the edges), pseudo-random, every 5th pixel transparent.
  const width = 37
  const height = 29
  const bw = 16
  const bh = 8
  let seed = 7
  // xorshift32: integer arithmetic only, so every bit of the bytes varies.
  const next = () => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) % 256
  }
  const blocks = new Map<string, Uint8Array>()
  for (let by = 0; by * bh < height; by++) {
    for (let bx = 0; bx * bw < width; bx++) {
      const block = new Uint8Array(bw * bh * 4)
      for (let p = 0; p < bw * bh; p++) {
        // A transparent pixel keeps a colour in the file, which the tile must not show.
        for (let k = 0; k < 3; k++) block[p * 4 + k] = next() || 1
        block[p * 4 + 3] = p % 5 === 0 ? 0 : next() || 1
      }
      blocks.set(`${bx},${by}`, block)
    }
  }
  // The same bytes at an odd offset: no 32-bit view is possible, the byte path runs.
  const unaligned = new Map([...blocks].map(([k, b]) => [k, new Uint8Array(b.length + 1).fill(9).subarray(1)] as const))
  for (const [k, b] of blocks) unaligned.get(k)!.set(b)
  const source = (m: Map<string, Uint8Array>): PixelSource => ({
    width,
    height,
    samples: 4,
    blockWidth: bw,
    blockHeight: bh,
    block: (bx, by) => m.get(`${bx},${by}`)
  })
  const n = 4000
  const cols = new Float64Array(n)
  const rows = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    cols[i] = (next() / 255) * (width + 4) - 2
    rows[i] = (next() / 255) * (height + 4) - 2
  }
  cols[0] = Number.NaN
  cols[1] = width - 1e-9
  rows[1] = height - 1e-9
  const expected = new Uint8Array(n * 4)
  for (let i = 0; i < n; i++) {
    const c = Math.floor(cols[i]!)
    const r = Math.floor(rows[i]!)
    if (!(c >= 0 && r >= 0 && c < width && r < height)) continue
    const block = blocks.get(`${Math.floor(c / bw)},${Math.floor(r / bh)}`)!
    const o = ((r % bh) * bw + (c % bw)) * 4
    if (block[o + 3] === 0) continue
    expected.set(block.subarray(o, o + 4), i * 4)
  }
  t.same(sample(source(blocks), cols, rows, 'nearest'), expected, 'aligned blocks (32-bit copies)')
  t.same(sample(source(unaligned), cols, rows, 'nearest'), expected, 'unaligned blocks (byte copies)')
  t.ok(
    expected.some((v) => v !== 0),
    'the picture is not empty'
  )
})
