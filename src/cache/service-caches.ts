import { DEFAULT_SURVEY_CACHE_MAX_IMAGES } from '../env-schema.js'
import { TtlCache, type LookupObserver } from './ttl-cache.js'

interface CacheSettings {
  /** Entry lifetime; 0 turns caching off. */
  ttlSeconds: number
  /** Entries per cache; 0 turns caching off. */
  maxEntries: number
  /** Image entries the survey index holds in all (SURVEY_CACHE_MAX_IMAGES); 0 keeps no survey. */
  surveyMaxImages?: number
}

interface CacheWiring extends CacheSettings {
  onLookup?: LookupObserver
  /** Clock of the entry lifetimes (ms), for tests. */
  now?: () => number
}

/**
 * Rough retained size of one enriched camera collection: the parsed features plus
 * the serialised and compressed copies the HTTP layer keeps beside it.
 */
const BYTES_PER_CAMERA_FEATURE = 1536
/**
 * Camera collections are the only large entries (≈ 0.6 MB for a 400-shot flight),
 * so they also have a byte budget: ~100 such flights, whatever CACHE_MAX_ENTRIES says.
 */
const CAMERAS_MAX_BYTES = 64 * 1024 * 1024

/**
 * The in-process caches of the services, one per kind of result, each labelled in
 * the `cache_lookups_total` metric:
 *
 * - `discovery`: the pads-table scan, the site, sector, period and pad lists, the catalog
 * - `surveys`: the survey index, every image of a (site, sector, period), bounded by image count
 * - `analytics`: hot spots, trends and survey summaries computed from it
 * - `pad-images`: mosaic metadata and coverage statistics of a pad in a period
 * - `cameras`: enriched camera collections (also bounded by bytes)
 * - `images`: image records by id, and their thermal statistics
 * - `presigned`: presigned URLs by S3 key, kept only while more than half their life is left
 * - `line-loss`: measurements of a pad or a survey, report listings and generated reports
 *
 * Off (every lookup loads) when built without a TTL and a size.
 */
export class ServiceCaches {
  readonly discovery: TtlCache<object>
  readonly padImages: TtlCache<object>
  readonly surveys: TtlCache<{ images: readonly unknown[] }>
  readonly analytics: TtlCache<object>
  readonly cameras: TtlCache<{ features: readonly unknown[] }>
  readonly images: TtlCache<object>
  readonly presigned: TtlCache<{ url: string; expires_at: string }>
  readonly lineLoss: TtlCache<object>
  readonly enabled: boolean

  /** Without settings every cache is off: each lookup loads (unit tests of the services). */
  constructor(settings: CacheWiring = { ttlSeconds: 0, maxEntries: 0 }) {
    this.enabled = settings.ttlSeconds > 0 && settings.maxEntries > 0
    const base = {
      ttlMs: settings.ttlSeconds * 1000,
      maxEntries: settings.maxEntries,
      now: settings.now,
      onLookup: settings.onLookup
    }
    this.discovery = new TtlCache({ ...base, name: 'discovery' })
    this.padImages = new TtlCache({ ...base, name: 'pad-images' })
    const surveyMaxImages = settings.surveyMaxImages ?? DEFAULT_SURVEY_CACHE_MAX_IMAGES
    this.surveys = new TtlCache({
      ...base,
      maxEntries: surveyMaxImages > 0 ? settings.maxEntries : 0,
      name: 'surveys',
      maxBytes: Math.max(1, surveyMaxImages),
      sizeOf: (s) => Math.max(1, s.images.length)
    })
    this.analytics = new TtlCache({ ...base, name: 'analytics' })
    this.cameras = new TtlCache({
      ...base,
      name: 'cameras',
      maxBytes: CAMERAS_MAX_BYTES,
      sizeOf: (c) => 1024 + c.features.length * BYTES_PER_CAMERA_FEATURE
    })
    this.images = new TtlCache({ ...base, name: 'images' })
    this.presigned = new TtlCache({ ...base, name: 'presigned' })
    this.lineLoss = new TtlCache({ ...base, name: 'line-loss' })
  }

  private readonly attached: Array<{ clear(): void }> = []

  /** Another service's caches (the tile blocks), emptied with these: "cold" means cold everywhere. */
  attach(cache: { clear(): void }): void {
    this.attached.push(cache)
  }

  clear(): void {
    for (const cache of [
      this.discovery,
      this.padImages,
      this.surveys,
      this.analytics,
      this.cameras,
      this.images,
      this.presigned,
      this.lineLoss,
      ...this.attached
    ]) {
      cache.clear()
    }
  }
}
