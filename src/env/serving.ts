import { Type } from '@sinclair/typebox'
import { PATH_SEGMENT } from '../public-url.js'
import { ALLOWED } from './keywords.js'

// What the API listens on and how it answers: responses, caches, map tiles and reports.

/** ΔT thresholds t1 < t2 < t3 of the hot-spot severities (°C): NETA's classes over ambient. */
const DEFAULT_HOTSPOT_THRESHOLDS_C = [10, 20, 40] as const

/** Image entries the survey index keeps in all (≈ 1 KB each), evicted by size. */
export const DEFAULT_SURVEY_CACHE_MAX_IMAGES = 50_000

export const listenEnv = {
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5001, description: 'Port of the API.' }),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description:
      'Interface the API listens on (the container image sets `0.0.0.0`). A host that is not loopback also puts the embedded S3 on that interface.'
  }),
  // Path segments of URL-safe characters: the ALB forwards `/viewer/...` as it is and cannot strip it.
  BASE_PATH: Type.String({
    pattern: `^(${PATH_SEGMENT})*/?$`,
    default: '',
    [ALLOWED]: 'empty or a path such as /viewer (letters, digits, . _ ~ -)',
    description:
      'Serve every route under this prefix, e.g. `/viewer` (an ALB forwards the path as it is and cannot strip a prefix); nothing is served outside it. Empty: at the root.'
  }),
  PUBLIC_BASE_URL: Type.Optional(
    Type.String({
      pattern: `^https?://[A-Za-z0-9.:\\[\\]-]+(${PATH_SEGMENT})*/?$`,
      [ALLOWED]: 'http(s)://host[:port] and an optional path, with no query, fragment or user',
      description:
        'The URL clients reach this API at, before BASE_PATH, e.g. `https://thermal.example.com`, or with the path a proxy strips before the request gets here. Every absolute URL the API writes (TileJSON tile templates, the OpenAPI `servers`, STAC and OGC API links) starts with it, followed by BASE_PATH, and no request header changes it; set it behind an ALB or CloudFront. Unset: built from `Host` and, from a trusted proxy (TRUST_PROXY), `X-Forwarded-Proto`, `-Host` and `-Prefix`; those answers vary on these headers and are never `public`-cacheable.'
    })
  )
}

export const responsesEnv = {
  PRESIGN_EXPIRES_SECONDS: Type.Integer({
    minimum: 1,
    maximum: 604800,
    default: 3600,
    description:
      'Lifetime of presigned URLs (`expires_at`). A URL signed with temporary credentials (a task role) ends with them: keep it at most 3600.'
  }),
  CORS_ORIGINS: Type.String({
    minLength: 1,
    default: '*',
    description: 'Comma-separated allow-list of browser origins, or `*`. Credentials are never allowed.'
  }),
  CACHE_TTL_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: 60,
    description:
      'Lifetime of an entry of the in-process caches (and the `max-age` of cacheable JSON, at most 60); `0` turns the caches off.'
  }),
  CACHE_MAX_ENTRIES: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 5000,
    description: 'Entries of each in-process cache; `0` turns the caches off.'
  }),
  SURVEY_CACHE_MAX_IMAGES: Type.Integer({
    minimum: 0,
    maximum: 10_000_000,
    default: DEFAULT_SURVEY_CACHE_MAX_IMAGES,
    description:
      'Image entries the survey index holds in all (about 1 KB each), evicted by size; a survey larger than this is not kept; `0` keeps none.'
  }),
  PAD_LOAD_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 1024,
    default: 8,
    description:
      "Uncached pad-level loads (a survey's Query, a `shots.geojson`: cameras, mosaic metadata, coverage) running at once; the rest wait. Bounds the memory of a cold burst."
  }),
  HOTSPOT_THRESHOLDS_C: Type.String({
    minLength: 1,
    default: DEFAULT_HOTSPOT_THRESHOLDS_C.join(','),
    [ALLOWED]: 'three increasing numbers, e.g. 10,20,40',
    description:
      "ΔT thresholds t1,t2,t3 (°C over the survey's reference) of the hot-spot severities: `minor` below t1, `moderate` from t1, `serious` from t2, `critical` from t3 (NETA's classes)."
  })
}

export const tilesEnv = {
  TILE_CACHE_MB: Type.Integer({
    minimum: 1,
    maximum: 65_536,
    default: 64,
    description: 'One LRU, shared by every mosaic, of decoded GeoTIFF blocks and encoded tiles and previews (MiB).'
  }),
  OVERVIEW_CACHE_MB: Type.Integer({
    minimum: 1,
    maximum: 65_536,
    default: 128,
    description:
      'Overviews built for mosaics that have none (MiB), apart from TILE_CACHE_MB so a tile sweep never evicts them: a few MB per mosaic (its long side at most 2,048 px, and halvings), so the default keeps 15–40 of them.'
  }),
  RENDER_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 2,
    description:
      'Renders (tiles, previews, overview builds) that run at once. Each holds its picture and decoded blocks; more only share the same CPUs. Cache hits never wait.'
  }),
  RENDER_QUEUE: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 64,
    description:
      'Renders that may wait for a slot; beyond them a render is refused with 503 and `Retry-After: 1`. A waiting render whose request times out leaves the queue.'
  }),
  TILE_HEADER_TTL_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 86_400,
    default: 60,
    description: "How long a GeoTIFF's parsed header is used before one HeadObject checks the object's ETag again."
  }),
  TILE_MAX_AGE_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 604_800,
    default: 300,
    description: '`Cache-Control` max-age of tiles, previews, TileJSON and mosaic info.'
  })
}

export const reportsEnv = {
  REPORT_WORKERS: Type.Integer({ minimum: 1, maximum: 64, default: 1, description: 'Worker threads that render PDF reports.' }),
  REPORT_QUEUE_MAX: Type.Integer({ minimum: 0, maximum: 10_000, default: 32, description: 'PDF reports waiting for a thread; then 503.' }),
  REPORT_CLIENT_MAX_COST: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 2000,
    description:
      "Cost of one client IP's posted reports in progress (25 per report plus 1 per row); then 429. One report alone is always admitted."
  })
}
