import { join } from 'node:path'
import { HEAT_LOSS_LIMITS } from '../schemas/heat-loss.js'
import type { TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ALLOWED, BY_DATA_SOURCE, EnvSchema, type Env } from './env-schema.js'
import { packageRoot, VIEWER_BUILD_DIR } from './package-info.js'
import { validHost } from './public-url.js'
import { parseTrustProxy, type TrustProxy } from './proxy-trust.js'

export type HotspotThresholds = readonly [number, number, number]

/** Parses `t1,t2,t3`: three finite, strictly increasing numbers. */
export function parseThresholds(text: string): HotspotThresholds | undefined {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined
  const [t1, t2, t3] = parts.map(Number) as [number, number, number]
  if (![t1, t2, t3].every(Number.isFinite) || !(t1 < t2 && t2 < t3)) return undefined
  return [t1, t2, t3]
}

/** Parses HEAT_LOSS_PIPE_DIAMETERS_M (`site=0.6,site/sector=0.4`): every diameter within the API's bounds, no key twice. */
export function parsePipeDiameters(text: string | undefined): Map<string, number> | undefined {
  const { minimum, maximum } = HEAT_LOSS_LIMITS.pipe_diameter_m
  const map = new Map<string, number>()
  for (const entry of text ? text.split(',') : []) {
    const [key, metres] = entry.split('=') as [string, string]
    const value = Number(metres)
    if (map.has(key) || !(value >= minimum && value <= maximum)) return undefined
    map.set(key, value)
  }
  return map
}

export interface Config {
  dataSource: 'embedded' | 'aws'
  host: string
  port: number
  /** `''` or a prefix such as `/viewer` (no trailing slash) that every route is served under. */
  basePath: string
  /** PUBLIC_BASE_URL without its trailing slash: the origin and path in front of `basePath` in every absolute URL. */
  publicBaseUrl?: string
  logLevel: Env['LOG_LEVEL']
  aws: {
    region: string
    bucket: string
    imagesTable: string
    padsTable: string
    jobsTable: string
    measurementsTable: string
    s3Endpoint?: string
    dynamodbEndpoint?: string
    s3ForcePathStyle: boolean
  }
  presignExpiresSeconds: number
  /** The web viewer served at /app/. */
  viewer: {
    /** The built app: index.html and assets/. */
    dir: string
    basemapStyleUrl?: string
  }
  /** `'*'` or an explicit allow-list of origins. */
  corsOrigins: '*' | string[]
  embedded: {
    dataDir?: string
    s3Port: number
    dynamodbPort: number
    /** Where browsers open the embedded S3's presigned URLs; by default the request's host. */
    s3PublicUrl?: string
  }
  auth:
    | { mode: 'none' }
    | { mode: 'api-key'; keyHashes: string[] }
    | {
        mode: 'jwt'
        issuer: string
        jwksUrl: string
        clientId?: string
        jwksCooldownMs: number
        /** After a failed JWKS fetch, no other fetch is tried for this long. */
        jwksFailureCacheMs: number
        clockSkewSeconds: number
        maxLifetimeSeconds: number
      }
  http: {
    trustProxy: TrustProxy
    /** Requests per window per client IP; 0 turns rate limiting off. */
    rateLimitMax: number
    rateLimitWindowMs: number
    requestTimeoutMs: number
    /** Node's requestTimeout and headersTimeout, for slow clients (408). */
    socketRequestTimeoutMs: number
    socketHeadersTimeoutMs: number
    maxEventLoopDelayMs: number
    shutdownGraceMs: number
    /** After the first signal: not ready, but still accepting and serving, for this long. */
    shutdownDrainMs: number
  }
  awsHttp: {
    connectTimeoutMs: number
    requestTimeoutMs: number
    maxAttempts: number
    maxSockets: number
  }
  readyCacheMs: number
  /** Uncached pad-level loads (cameras, mosaic metadata, coverage) running at once. */
  padLoadConcurrency: number
  /** With a port, /metrics is served on its own listener instead of the API's. */
  metrics: { enabled: boolean; token?: string; port?: number }
  cache: { ttlSeconds: number; maxEntries: number; surveyMaxImages: number }
  /** ΔT severity thresholds t1 < t2 < t3 (°C). */
  hotspotThresholdsC: HotspotThresholds
  /** Pipe outer diameters (m) by `site` or `site/sector`, for the heat loss. */
  pipeDiametersM: ReadonlyMap<string, number>
  /** HEAT_LOSS_AMBIENT_C and HEAT_LOSS_EMISSIVITY: the heat loss's fallbacks where the survey has none. */
  heatLossFallbacks: { ambient_c?: number; emissivity?: number }
  tiles: {
    /** Decoded TIFF blocks and encoded tiles kept, in MiB, shared by every mosaic. */
    cacheMb: number
    /** Overviews built for mosaics without any, in MiB, a budget of their own. */
    overviewCacheMb: number
    /** Renders running at once, and waiting, at most. */
    renderConcurrency: number
    renderQueue: number
    /** How long a GeoTIFF header is used before its object's ETag is checked again. */
    headerTtlSeconds: number
    /** `max-age` of tiles, previews, TileJSON and mosaic info. */
    maxAgeSeconds: number
  }
  /** PDF rendering: the worker pool, and each client's share of it for posted reports. */
  reports: { workers: number; queueMax: number; clientMaxCost: number }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The schema of one variable, with our own keywords. */
function schemaOf(key: string): (TSchema & { [ALLOWED]?: string; anyOf?: { const?: unknown }[] }) | undefined {
  return (EnvSchema.properties as Record<string, TSchema>)[key]
}

/**
 * PUBLIC_BASE_URL as a URL prefix. Its path is what a proxy strips before the request arrives; BASE_PATH
 * follows it. One that already ends in BASE_PATH would write the prefix twice in every link, so it is refused.
 */
function publicBase(value: string | undefined, basePath: string): string | undefined {
  if (value === undefined) return undefined
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (!url || url.username || url.password || validHost(url.host) === undefined) throw new ConfigError(describe('PUBLIC_BASE_URL', ''))
  const path = url.pathname.replace(/\/$/, '')
  if (basePath && path.endsWith(basePath)) {
    throw new ConfigError(`PUBLIC_BASE_URL must not end with BASE_PATH (${basePath}): links add BASE_PATH after it`)
  }
  return `${url.protocol}//${url.host}${path}`
}

/** What a variable may be, in words, so a bad value fails with a line an operator can act on. */
function describe(key: string, message: string): string {
  const schema = schemaOf(key)
  if (schema?.[ALLOWED]) return `${key} must be ${schema[ALLOWED]}`
  if (schema?.type === 'integer') return `${key} must be ${schema.minimum}..${schema.maximum}`
  if (schema?.type === 'boolean') return `${key} must be true or false`
  if (schema?.anyOf) return `${key} must be one of: ${schema.anyOf.map((s) => String(s.const)).join(', ')}`
  return `${key} ${message}`
}

/**
 * Builds the validated configuration from an environment map. This is the only module
 * that looks at `process.env`; everything else receives a `Config`. Throws a
 * ConfigError whose message is one line naming the bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key]
    // An empty variable means "not set", as it does for most twelve-factor tools.
    if (value !== undefined && value !== '') raw[key] = value
  }
  const withDefaults = Value.Default(EnvSchema, raw)
  const converted = Value.Convert(EnvSchema, withDefaults)
  const first = Value.Errors(EnvSchema, converted).First()
  if (first) {
    const key = first.path.replace(/^\//, '') || 'environment'
    throw new ConfigError(describe(key, first.message.toLowerCase()))
  }
  const e = converted as Env
  const embedded = e.DATA_SOURCE === 'embedded'
  const auth = authConfig(e)
  const thresholds = parseThresholds(e.HOTSPOT_THRESHOLDS_C)
  if (!thresholds) throw new ConfigError(describe('HOTSPOT_THRESHOLDS_C', ''))
  const pipeDiametersM = parsePipeDiameters(e.HEAT_LOSS_PIPE_DIAMETERS_M)
  if (!pipeDiametersM) throw new ConfigError(describe('HEAT_LOSS_PIPE_DIAMETERS_M', ''))
  const origins = e.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  const shutdownDrainMs = e.SHUTDOWN_DRAIN_MS ?? BY_DATA_SOURCE.SHUTDOWN_DRAIN_MS[e.DATA_SOURCE]
  if (shutdownDrainMs > 0 && shutdownDrainMs >= e.SHUTDOWN_GRACE_MS) {
    throw new ConfigError(`SHUTDOWN_DRAIN_MS (${shutdownDrainMs}) must be below SHUTDOWN_GRACE_MS (${e.SHUTDOWN_GRACE_MS})`)
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY)
  if (!trustProxy) throw new ConfigError(describe('TRUST_PROXY', ''))
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    // Node refuses this combination when the server is created; say so before anything starts.
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS')
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) throw new ConfigError('METRICS_PORT must differ from PORT')
  const basePath = e.BASE_PATH.replace(/\/$/, '')
  const publicBaseUrl = publicBase(e.PUBLIC_BASE_URL, basePath)

  return {
    dataSource: e.DATA_SOURCE,
    host: e.HOST,
    port: e.PORT,
    basePath,
    publicBaseUrl,
    logLevel: e.LOG_LEVEL,
    aws: {
      region: e.AWS_REGION,
      bucket: e.S3_BUCKET,
      imagesTable: e.IMAGES_TABLE,
      padsTable: e.PADS_TABLE,
      jobsTable: e.JOBS_TABLE,
      measurementsTable: e.MEASUREMENTS_TABLE,
      // The embedded emulators choose their own endpoints at start-up.
      s3Endpoint: embedded ? undefined : e.AWS_ENDPOINT_URL_S3,
      dynamodbEndpoint: embedded ? undefined : e.AWS_ENDPOINT_URL_DYNAMODB,
      s3ForcePathStyle: e.S3_FORCE_PATH_STYLE ?? BY_DATA_SOURCE.S3_FORCE_PATH_STYLE[e.DATA_SOURCE]
    },
    presignExpiresSeconds: e.PRESIGN_EXPIRES_SECONDS,
    viewer: { dir: e.VIEWER_DIR ?? join(packageRoot, VIEWER_BUILD_DIR), basemapStyleUrl: e.VIEWER_BASEMAP_STYLE_URL },
    corsOrigins: origins.length === 0 || origins.includes('*') ? '*' : origins,
    embedded: {
      dataDir: e.DATA_DIR,
      s3Port: e.EMBEDDED_S3_PORT,
      dynamodbPort: e.EMBEDDED_DYNAMODB_PORT,
      s3PublicUrl: e.EMBEDDED_S3_PUBLIC_URL?.replace(/\/$/, '')
    },
    auth,
    http: {
      trustProxy,
      rateLimitMax: e.RATE_LIMIT_MAX,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      socketRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      socketHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      shutdownDrainMs
    },
    awsHttp: {
      connectTimeoutMs: e.AWS_CONNECT_TIMEOUT_MS ?? BY_DATA_SOURCE.AWS_CONNECT_TIMEOUT_MS[e.DATA_SOURCE],
      requestTimeoutMs: e.AWS_REQUEST_TIMEOUT_MS ?? BY_DATA_SOURCE.AWS_REQUEST_TIMEOUT_MS[e.DATA_SOURCE],
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      maxSockets: e.AWS_MAX_SOCKETS
    },
    readyCacheMs: e.READY_CACHE_MS,
    padLoadConcurrency: e.PAD_LOAD_CONCURRENCY,
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES, surveyMaxImages: e.SURVEY_CACHE_MAX_IMAGES },
    hotspotThresholdsC: thresholds,
    pipeDiametersM,
    heatLossFallbacks: { ambient_c: e.HEAT_LOSS_AMBIENT_C, emissivity: e.HEAT_LOSS_EMISSIVITY },
    tiles: {
      cacheMb: e.TILE_CACHE_MB,
      overviewCacheMb: e.OVERVIEW_CACHE_MB,
      renderConcurrency: e.RENDER_CONCURRENCY,
      renderQueue: e.RENDER_QUEUE,
      headerTtlSeconds: e.TILE_HEADER_TTL_SECONDS,
      maxAgeSeconds: e.TILE_MAX_AGE_SECONDS
    },
    reports: { workers: e.REPORT_WORKERS, queueMax: e.REPORT_QUEUE_MAX, clientMaxCost: e.REPORT_CLIENT_MAX_COST }
  }
}

function authConfig(e: Env): Config['auth'] {
  if (e.AUTH_MODE === 'api-key') {
    if (!e.API_KEY_HASHES) throw new ConfigError('API_KEY_HASHES is required when AUTH_MODE=api-key')
    return { mode: 'api-key', keyHashes: e.API_KEY_HASHES.split(',').map((h) => h.toLowerCase()) }
  }
  if (e.AUTH_MODE === 'jwt') {
    if (!e.COGNITO_USER_POOL_ID) throw new ConfigError('COGNITO_USER_POOL_ID is required when AUTH_MODE=jwt')
    // The pool id starts with its region (ap-southeast-1_AbC123); COGNITO_REGION may say it explicitly.
    const region = e.COGNITO_REGION ?? e.COGNITO_USER_POOL_ID.split('_')[0]!
    const issuer = `https://cognito-idp.${region}.amazonaws.com/${e.COGNITO_USER_POOL_ID}`
    return {
      mode: 'jwt',
      issuer,
      jwksUrl: e.COGNITO_JWKS_URL ?? `${issuer}/.well-known/jwks.json`,
      clientId: e.COGNITO_CLIENT_ID,
      jwksCooldownMs: e.COGNITO_JWKS_COOLDOWN_MS,
      jwksFailureCacheMs: e.COGNITO_JWKS_FAILURE_CACHE_MS,
      clockSkewSeconds: e.JWT_CLOCK_SKEW_SECONDS,
      maxLifetimeSeconds: e.JWT_MAX_LIFETIME_SECONDS
    }
  }
  return { mode: 'none' }
}
