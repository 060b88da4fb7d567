import t from 'tap'
import { sample, type PixelSource } from '../../src/domain/tiles/warp.js'

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
