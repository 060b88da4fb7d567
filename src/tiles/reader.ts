import { TtlCache, type LookupObserver } from '../cache/ttl-cache.js'
import { decodeBlock, MissingObjectError, type GeoTiffStore, type TiffHeader, type TiffLevel } from './geotiff.js'
import { BoxReducer, halve } from '../domain/tiles/downsample.js'
import type { PixelSource } from '../domain/tiles/grid.js'
import { CancelledError, NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import { mergeRanges, type BlockSpan } from './ranges.js'
import { SharedWork } from './shared-work.js'

/**
 * The reader: what the tile service reads of a GeoTIFF, cached. The header
 * (rechecked against the object's ETag once it is older than the header TTL),
 * decoded blocks fetched by merged byte ranges (ranges.ts) into one byte-bounded
 * LRU shared by every mosaic, and, for a file without overviews, the overviews
 * built from it in one streaming pass, kept in a budget of their own: a sweep of
 * native tiles fills the block LRU, and must not push out what took a whole pass
 * over a file to build. Concurrent requests for the same header, block, overview or
 * encoded tile share one load; an encoded tile nobody waits for any more stops
 * being drawn (SharedWork).
 */

/** The long side of the first built overview at most; further ones halve it down to one 256 px tile. */
const OVERVIEW_MAX_SIDE = 2048
const DAY_MS = 86_400_000
/**
 * The smallest entry the block cache is sized for: a decoded 64 × 64 RGBA block.
 * lru-cache preallocates seven arrays of its entry bound; a bound of a million
 * entries cost 50 MB of heap before anything was cached. Files with smaller
 * blocks fill the entry bound before the byte bound, and simply cache less.
 */
const MIN_BLOCK_BYTES = 64 * 64 * 4

export interface RasterOptions {
  cacheBytes: number
  /** The budget of built overviews (OVERVIEW_CACHE_MB), apart from `cacheBytes`. */
  overviewCacheBytes: number
  headerTtlMs: number
  now?: () => number
  onLookup?: LookupObserver
  /** Where the caches are also emptied from (ServiceCaches.clear). */
  attachTo?: { attach(cache: { clear(): void }): void }
}

interface HeaderEntry {
  header: TiffHeader
  checkedAt: number
}

/** Overviews built from a file without any: RGBA, each a single block. */
export interface BuiltOverviews {
  /** Level-0 pixels per overview pixel, per level (4, 8, …). */
  factors: number[]
  levels: Array<{ width: number; height: number; pixels: Uint8Array }>
}

const overviewBytes = (v: BuiltOverviews) => v.levels.reduce((a, l) => a + l.pixels.byteLength, 0)

export class TileReader {
  private readonly headers: TtlCache<HeaderEntry>
  /** Decoded blocks and encoded tiles: one LRU, one byte budget (TILE_CACHE_MB). */
  private readonly blocks: TtlCache<Uint8Array>
  private readonly overviews: TtlCache<BuiltOverviews>
  private readonly drawing = new SharedWork()
  private readonly headerTtlMs: number
  private readonly now: () => number

  constructor(
    private readonly store: GeoTiffStore,
    opts: RasterOptions
  ) {
    this.headerTtlMs = opts.headerTtlMs
    this.now = opts.now ?? Date.now
    this.headers = new TtlCache({ name: 'tile_headers', ttlMs: DAY_MS, maxEntries: 1000, onLookup: opts.onLookup })
    this.blocks = new TtlCache<Uint8Array>({
      name: 'tile_blocks',
      ttlMs: DAY_MS,
      maxEntries: Math.max(16, Math.ceil(opts.cacheBytes / MIN_BLOCK_BYTES)),
      maxBytes: opts.cacheBytes,
      sizeOf: (v) => v.byteLength,
      onLookup: opts.onLookup
    })
    this.overviews = new TtlCache<BuiltOverviews>({
      name: 'tile_overviews',
      ttlMs: DAY_MS,
      maxEntries: 1000,
      maxBytes: opts.overviewCacheBytes,
      sizeOf: overviewBytes,
      onLookup: opts.onLookup
    })
    opts.attachTo?.attach(this.headers)
    opts.attachTo?.attach(this.blocks)
    opts.attachTo?.attach(this.overviews)
  }

  /** The header of `key`; after the TTL one HeadObject checks that it is still the same object. */
  async header(ctx: CallContext, key: string, what: string): Promise<TiffHeader> {
    const load = async (): Promise<HeaderEntry> => {
      try {
        return { header: await this.store.readHeader(ctx, key), checkedAt: this.now() }
      } catch (err) {
        if (err instanceof MissingObjectError) throw new NotFoundError(`no ${what}`)
        throw err
      }
    }
    const entry = await this.headers.get(key, load)
    if (this.now() - entry.checkedAt < this.headerTtlMs) return entry.header
    const etag = await this.store.etag(ctx, key)
    if (etag === entry.header.etag) {
      entry.checkedAt = this.now()
      return entry.header
    }
    // A rebuilt (or deleted) mosaic: its blocks are keyed by the old ETag and age out of the LRU.
    this.headers.delete(key)
    return (await this.headers.get(key, load)).header
  }

  /**
   * A level of the file with the blocks in [bx0..bx1] × [by0..by1] loaded: cached
   * ones from the LRU, the rest in as few ranged reads as their byte ranges allow
   * (mergeRanges: at most MAX_RANGE_GAP bytes apart is one read).
   */
  async level(
    ctx: CallContext,
    key: string,
    header: TiffHeader,
    index: number,
    range: { bx0: number; by0: number; bx1: number; by1: number }
  ): Promise<PixelSource> {
    const level = header.levels[index]!
    const across = Math.ceil(level.width / level.blockWidth)
    const id = (b: number) => `${key}|${header.etag}|${index}|${b}`
    const wanted: number[] = []
    for (let by = range.by0; by <= range.by1; by++) for (let bx = range.bx0; bx <= range.bx1; bx++) wanted.push(by * across + bx)
    const missing = wanted.filter((b) => !this.blocks.has(id(b)) && (level.counts[b] ?? 0) > 0)
    const spans: BlockSpan[] = missing.map((b) => ({ index: b, offset: level.offsets[b]!, length: level.counts[b]! }))
    const decoded = new Map<number, Uint8Array>()
    for (const group of mergeRanges(spans)) {
      const fetched = this.store.readRange(ctx, key, group.start, group.end).then(({ bytes }) => bytes)
      for (const b of group.blocks) {
        // Registered now, so a concurrent request for the same block waits for this read.
        void this.blocks
          .get(id(b.index), async () => {
            const bytes = await fetched
            return decodeBlock(level, bytes.subarray(b.offset - group.start, b.offset - group.start + b.length))
          })
          .catch(() => undefined)
      }
    }
    await Promise.all(
      wanted.map(async (b) => {
        if ((level.counts[b] ?? 0) === 0) return
        const block = await this.blocks.get(id(b), async () => {
          // Evicted between the check and now (a tiny cache): read it alone.
          const { bytes } = await this.store.readRange(ctx, key, level.offsets[b]!, level.offsets[b]! + level.counts[b]! - 1)
          return decodeBlock(level, bytes)
        })
        decoded.set(b, block)
      })
    )
    return {
      width: level.width,
      height: level.height,
      samples: level.samples,
      blockWidth: level.blockWidth,
      blockHeight: level.blockHeight,
      nodata: header.nodata,
      block: (bx, by) => decoded.get(by * across + bx)
    }
  }

  /**
   * An encoded tile or preview, kept in the same byte budget as the blocks: a map
   * pans back over tiles it has drawn, and several viewers open the same survey,
   * so a repeated tile costs a lookup instead of a render and an encode (an encode
   * alone is 4–8 ms of CPU with sharp). `tag` is the response's ETag, which names
   * the object version, the address and the options; concurrent requests for one
   * tile render it once, and `make` gets a signal that aborts when every request
   * waiting for it has given up (`signal`: the caller's).
   */
  async encoded(
    key: string,
    tag: string,
    signal: AbortSignal | undefined,
    make: (signal: AbortSignal) => Promise<Buffer>
  ): Promise<Buffer> {
    const id = `${key}|${tag}`
    const draw = () => this.drawing.run(id, signal, (shared) => this.blocks.get(id, () => make(shared)))
    try {
      return await draw()
    } catch (err) {
      // Joined a draw that its own waiters had all given up on, just before it stopped: draw it again.
      if (err instanceof CancelledError && signal?.aborted !== true) return draw()
      throw err
    }
  }

  /**
   * The overviews of a file that has none, built once per object version (single flight) and
   * kept in their own budget. A build is not cancelled with the request that started it: it is
   * the mosaic's, every later preview and low-zoom tile reads it, and one stopped at each deadline
   * would start again from nothing on the next request.
   */
  builtOverviews(ctx: CallContext, key: string, header: TiffHeader): Promise<BuiltOverviews> {
    return this.overviews.get(`${key}|${header.etag}`, () => this.buildOverviews(ctx, key, header))
  }

  /** The first built overview's level-0 pixels per pixel. */
  static firstOverviewFactor(level: TiffLevel): number {
    return Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(level.width, level.height) / OVERVIEW_MAX_SIDE)))
  }

  /**
   * One pass over the file, a row of blocks at a time (one ranged read per run of
   * blocks merged by mergeRanges), each block decoded and folded into a box-filtered overview,
   * then dropped. Nothing of the pass goes into the block cache.
   */
  private async buildOverviews(ctx: CallContext, key: string, header: TiffHeader): Promise<BuiltOverviews> {
    const level = header.levels[0]!
    const factor = TileReader.firstOverviewFactor(level)
    const reducer = new BoxReducer(level.width, level.height, factor)
    const across = Math.ceil(level.width / level.blockWidth)
    const down = Math.ceil(level.height / level.blockHeight)
    const s = level.samples
    for (let by = 0; by < down; by++) {
      const spans: BlockSpan[] = []
      for (let bx = 0; bx < across; bx++) {
        const b = by * across + bx
        spans.push({ index: b, offset: level.offsets[b]!, length: level.counts[b]! })
      }
      for (const group of mergeRanges(spans)) {
        const { bytes } = await this.store.readRange(ctx, key, group.start, group.end)
        for (const span of group.blocks) {
          const block = await decodeBlock(level, bytes.subarray(span.offset - group.start, span.offset - group.start + span.length))
          const bx = span.index % across
          reducer.add(bx * level.blockWidth, by * level.blockHeight, level.blockWidth, level.blockHeight, (c, r, px) => {
            const o = (r * level.blockWidth + c) * s
            px[0] = block[o]!
            px[1] = s >= 3 ? block[o + 1]! : block[o]!
            px[2] = s >= 3 ? block[o + 2]! : block[o]!
            px[3] = s === 4 || s === 2 ? block[o + s - 1]! : header.nodata !== undefined && block[o] === header.nodata ? 0 : 255
          })
        }
      }
      reducer.flush((by + 1) * level.blockHeight)
    }
    reducer.flush(Infinity)
    const levels = [{ width: reducer.width, height: reducer.height, pixels: reducer.pixels }]
    const factors = [factor]
    while (Math.max(levels.at(-1)!.width, levels.at(-1)!.height) > 256) {
      levels.push(halve(levels.at(-1)!, 4))
      factors.push(factors.at(-1)! * 2)
    }
    ctx.log.info({ key, factor, levels: levels.length }, 'built overviews of a mosaic without any')
    return { factors, levels }
  }
}

/** A built overview level as a pixel source: one RGBA block. */
export function overviewSource(level: { width: number; height: number; pixels: Uint8Array }): PixelSource {
  return {
    width: level.width,
    height: level.height,
    samples: 4,
    blockWidth: level.width,
    blockHeight: level.height,
    block: () => level.pixels
  }
}
