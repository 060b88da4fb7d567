/**
 * Byte ranges of TIFF blocks, merged when they touch or lie close, so the blocks
 * a tile needs come in as few ranged reads as the file's layout allows.
 */

/**
 * Ranges at most this many bytes apart are read as one, the bytes between them
 * read and dropped. A ranged GetObject costs a round trip to S3 (~10–30 ms
 * before its first byte, and a request billed) whatever its length, while one
 * connection streams 50–100 MB/s, so a round trip is worth hundreds of KiB: 16
 * KiB between two blocks costs well under a millisecond. It covers GDAL's COG
 * layout (a 4-byte leader and a 4-byte trailer around every block, so
 * neighbouring blocks are 8 bytes apart) and a few small skipped blocks (a
 * transparent 256 px block compresses to a few hundred bytes), but never a
 * photographic block (tens to hundreds of KiB), so a read of two rows of blocks
 * does not carry the rest of the first row with it.
 */
export const MAX_RANGE_GAP = 16 * 1024

export interface BlockSpan {
  index: number
  offset: number
  length: number
}

export interface MergedRange {
  start: number
  /** Inclusive, as in an HTTP Range header. */
  end: number
  /** In file order; block `b` is bytes `b.offset - start` to `b.offset - start + b.length` of the range. */
  blocks: BlockSpan[]
}

/** Merges block spans (in any order; empty ones dropped) whose gap is at most `maxGap` bytes. */
export function mergeRanges(blocks: readonly BlockSpan[], maxGap = MAX_RANGE_GAP): MergedRange[] {
  const sorted = blocks.filter((b) => b.length > 0).sort((a, b) => a.offset - b.offset)
  const out: MergedRange[] = []
  for (const b of sorted) {
    const last = out.at(-1)
    if (last !== undefined && b.offset - (last.end + 1) <= maxGap) {
      last.end = Math.max(last.end, b.offset + b.length - 1)
      last.blocks.push(b)
    } else {
      out.push({ start: b.offset, end: b.offset + b.length - 1, blocks: [b] })
    }
  }
  return out
}
