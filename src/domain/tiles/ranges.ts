/** Byte ranges of TIFF blocks, merged when they touch, so a row of adjacent blocks is one ranged read. */

export interface BlockSpan {
  index: number
  offset: number
  length: number
}

export interface MergedRange {
  start: number
  /** Inclusive, as in an HTTP Range header. */
  end: number
  blocks: BlockSpan[]
}

export function mergeRanges(blocks: readonly BlockSpan[], maxGap = 0): MergedRange[] {
  const sorted = blocks.filter((b) => b.length > 0).sort((a, b) => a.offset - b.offset)
  const out: MergedRange[] = []
  for (const b of sorted) {
    const last = out.at(-1)
    if (last !== undefined && b.offset <= last.end + 1 + maxGap) {
      last.end = Math.max(last.end, b.offset + b.length - 1)
      last.blocks.push(b)
    } else {
      out.push({ start: b.offset, end: b.offset + b.length - 1, blocks: [b] })
    }
  }
  return out
}
