import t from 'tap'
import { MAX_RANGE_GAP, mergeRanges, type BlockSpan } from '../../src/tiles/ranges.js'

const span = (index: number, offset: number, length: number): BlockSpan => ({ index, offset, length })
/** The ranges as [start, end, block indexes]. */
const shape = (blocks: BlockSpan[], maxGap?: number) =>
  mergeRanges(blocks, maxGap).map((r) => [r.start, r.end, r.blocks.map((b) => b.index)])

t.test('adjacent blocks are one range; the end is inclusive, as in a Range header', async (t) => {
  t.same(shape([span(0, 100, 50), span(1, 150, 30), span(2, 180, 20)]), [[100, 199, [0, 1, 2]]])
})

t.test("GDAL COG's 4-byte trailer and 4-byte leader between blocks: one range", async (t) => {
  t.same(shape([span(0, 1000, 2060), span(1, 3068, 2137)]), [[1000, 5204, [0, 1]]])
  t.same(
    shape([span(0, 1000, 2060), span(1, 3068, 2137)], 0),
    [
      [1000, 3059, [0]],
      [3068, 5204, [1]]
    ],
    'merged only because of the gap'
  )
})

t.test('a gap of MAX_RANGE_GAP bytes merges; one byte more does not', async (t) => {
  t.equal(MAX_RANGE_GAP, 16 * 1024)
  const end = 99 // first block: bytes 0..99
  t.same(shape([span(0, 0, 100), span(1, end + 1 + MAX_RANGE_GAP - 1, 10)]).length, 1, 'just under')
  t.same(shape([span(0, 0, 100), span(1, end + 1 + MAX_RANGE_GAP, 10)]), [[0, end + 1 + MAX_RANGE_GAP + 9, [0, 1]]], 'at the limit')
  t.same(
    shape([span(0, 0, 100), span(1, end + 1 + MAX_RANGE_GAP + 1, 10)]),
    [
      [0, 99, [0]],
      [end + 2 + MAX_RANGE_GAP, end + 11 + MAX_RANGE_GAP, [1]]
    ],
    'just over'
  )
})

t.test('input in any order comes out in file order; empty blocks are dropped', async (t) => {
  const far = 10 * MAX_RANGE_GAP
  t.same(shape([span(3, far + 50, 10), span(0, 0, 10), span(2, far, 50), span(1, 10, 0), span(4, 18, 2)]), [
    [0, 19, [0, 4]],
    [far, far + 59, [2, 3]]
  ])
  t.same(mergeRanges([]), [])
})

t.test('duplicate and overlapping blocks share one range', async (t) => {
  t.same(shape([span(0, 100, 50), span(0, 100, 50), span(1, 120, 10)]), [[100, 149, [0, 0, 1]]])
})

t.test('every block is cut from its merged range at exactly its bytes', async (t) => {
  // A file whose every byte names its position; blocks of varied sizes and gaps (adjacent, 8 bytes, a few KiB, beyond the limit).
  const file = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff)
  const blocks = [span(5, 150_000, 3000), span(0, 16, 2060), span(1, 2084, 2137), span(2, 4221, 1500), span(3, 9000, 700), span(4, 9700, 1)]
  const ranges = mergeRanges(blocks)
  t.equal(ranges.length, 2)
  for (const range of ranges) {
    const bytes = file.subarray(range.start, range.end + 1)
    for (const b of range.blocks) {
      const slice = bytes.subarray(b.offset - range.start, b.offset - range.start + b.length)
      t.same(slice, file.subarray(b.offset, b.offset + b.length), `block ${b.index}`)
    }
  }
  t.same(ranges.flatMap((r) => r.blocks.map((b) => b.index)).sort(), [0, 1, 2, 3, 4, 5])
})
