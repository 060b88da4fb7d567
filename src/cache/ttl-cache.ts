import { LRUCache } from 'lru-cache'

export type CacheOutcome = 'hit' | 'miss'

/** Called once per lookup: a hit (including a request that joined a load in flight) or a miss. */
export type LookupObserver = (cache: string, outcome: CacheOutcome) => void

interface TtlCacheOptions<V> {
  /** Label of the cache in metrics. */
  name: string
  /** Entry lifetime; 0 turns the cache off. */
  ttlMs: number
  /** Entries kept; 0 turns the cache off. */
  maxEntries: number
  /** Upper bound of the summed `sizeOf` of the entries (roughly bytes); none when unset. */
  maxBytes?: number
  sizeOf?: (value: V) => number
  /** Clock of the entry lifetimes (ms); tests pass a controllable one. */
  now?: () => number
  onLookup?: LookupObserver
}

/** How long one entry may live, given its value; ≤ 0 means "do not keep it". */
type EntryTtl<V> = number | ((value: V) => number)

/**
 * An in-process TTL + LRU cache of promises' results with single flight:
 * concurrent misses on one key share one load, so N identical cold requests make
 * the AWS calls of one. Failed loads are not kept; the next lookup tries again.
 * With a TTL or size of 0 every lookup loads (and nothing is shared).
 */
export class TtlCache<V extends object | string | number | boolean> {
  readonly name: string
  private readonly lru?: LRUCache<string, V>
  private readonly inflight = new Map<string, Promise<V>>()
  private readonly ttlMs: number
  private readonly onLookup?: LookupObserver
  /** Bumped by clear(), so a load that started before it does not refill the cache. */
  private generation = 0

  constructor(opts: TtlCacheOptions<V>) {
    this.name = opts.name
    this.ttlMs = opts.ttlMs
    this.onLookup = opts.onLookup
    if (opts.ttlMs > 0 && opts.maxEntries > 0) {
      const sized = opts.maxBytes !== undefined && opts.sizeOf !== undefined
      this.lru = new LRUCache<string, V>({
        max: opts.maxEntries,
        ttl: opts.ttlMs,
        ...(sized ? { maxSize: opts.maxBytes, sizeCalculation: (v: V) => Math.max(1, Math.ceil(opts.sizeOf!(v))) } : {}),
        // A controllable clock must be read on every check, not once per millisecond.
        ...(opts.now ? { perf: { now: opts.now }, ttlResolution: 0 } : {})
      })
    }
  }

  get enabled(): boolean {
    return this.lru !== undefined
  }

  /** Entries currently kept (expired ones may still count until they are looked up). */
  get size(): number {
    return this.lru?.size ?? 0
  }

  /**
   * The cached value of `key`, or the result of `load()` (shared by concurrent
   * callers and kept for `ttl`, at most the cache's TTL).
   */
  get<T extends V>(key: string, load: () => Promise<T>, ttl?: EntryTtl<T>): Promise<T> {
    const lru = this.lru
    if (!lru) return load()
    // A key always holds the same kind of value, so the casts below are what the caller stored.
    const hit = lru.get(key) as T | undefined
    if (hit !== undefined) {
      this.onLookup?.(this.name, 'hit')
      return Promise.resolve(hit)
    }
    const pending = this.inflight.get(key) as Promise<T> | undefined
    if (pending) {
      this.onLookup?.(this.name, 'hit')
      return pending
    }
    this.onLookup?.(this.name, 'miss')

    const generation = this.generation
    let loading: Promise<T>
    try {
      loading = load()
    } catch (err) {
      loading = Promise.reject(err instanceof Error ? err : new Error(String(err)))
    }
    const shared: Promise<T> = loading
      .then((value) => {
        if (generation === this.generation) {
          const ms = Math.min(this.ttlMs, typeof ttl === 'function' ? ttl(value) : (ttl ?? this.ttlMs))
          if (ms > 0) lru.set(key, value, { ttl: ms })
        }
        return value
      })
      .finally(() => {
        if (this.inflight.get(key) === shared) this.inflight.delete(key)
      })
    this.inflight.set(key, shared)
    return shared
  }

  clear(): void {
    this.generation++
    this.inflight.clear()
    this.lru?.clear()
  }
}
