import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { DEFAULT_TRUSTED_NETWORKS, parseTrustProxy, type TrustProxy } from './proxy-trust.js'

const TRUST_PROXY_MESSAGE = 'TRUST_PROXY must be a hop count 0..10 or a comma-separated list of IP addresses and CIDR ranges'

/**
 * Every setting the service reads from its environment. This is the only module
 * that looks at `process.env`; everything else receives a `Config`.
 */
/** ΔT thresholds t1 < t2 < t3 of the hot-spot severities (°C): NETA's classes over ambient. */
export const DEFAULT_HOTSPOT_THRESHOLDS_C = [10, 20, 40] as const
export type HotspotThresholds = readonly [number, number, number]

/** Parses `t1,t2,t3`: three finite, strictly increasing numbers. */
export function parseThresholds(text: string): HotspotThresholds | undefined {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined
  const [t1, t2, t3] = parts.map(Number) as [number, number, number]
  if (![t1, t2, t3].every(Number.isFinite) || !(t1 < t2 && t2 < t3)) return undefined
  return [t1, t2, t3]
}

/** Image entries the survey index keeps in all (≈ 1 KB each), evicted by size. */
export const DEFAULT_SURVEY_CACHE_MAX_IMAGES = 50_000

const EnvSchema = Type.Object({
  DATA_SOURCE: Type.Union([Type.Literal('embedded'), Type.Literal('aws')], { default: 'embedded' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5001 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  // Path segments of URL-safe characters: the ALB forwards `/viewer/...` as it is and cannot strip it.
  BASE_PATH: Type.String({ pattern: '^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?$', default: '' }),
  AWS_REGION: Type.String({ minLength: 1, default: 'ap-southeast-1' }),
  S3_BUCKET: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$', default: 'thermal-api-dev-storage-7ecb7171' }),
  IMAGES_TABLE: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,255}$', default: 'thermal-api-dev-images-7ecb7171' }),
  PADS_TABLE: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,255}$', default: 'thermal-api-dev-pads-7ecb7171' }),
  JOBS_TABLE: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,255}$', default: 'thermal-api-dev-jobs-7ecb7171' }),
  MEASUREMENTS_TABLE: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,255}$', default: 'thermal-api-dev-measurements-7ecb7171' }),
  AWS_ENDPOINT_URL_S3: Type.Optional(Type.String({ pattern: '^https?://' })),
  AWS_ENDPOINT_URL_DYNAMODB: Type.Optional(Type.String({ pattern: '^https?://' })),
  S3_FORCE_PATH_STYLE: Type.Optional(Type.Boolean()),
  PRESIGN_EXPIRES_SECONDS: Type.Integer({ minimum: 1, maximum: 604800, default: 3600 }),
  CORS_ORIGINS: Type.String({ minLength: 1, default: '*' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' }
  ),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1 })),
  EMBEDDED_S3_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  EMBEDDED_DYNAMODB_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  EMBEDDED_S3_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$' })),

  AUTH_MODE: Type.Union([Type.Literal('none'), Type.Literal('jwt'), Type.Literal('api-key')], { default: 'none' }),
  COGNITO_REGION: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' })),
  COGNITO_USER_POOL_ID: Type.Optional(Type.String({ pattern: '^[\\w-]+_[0-9A-Za-z]+$' })),
  COGNITO_CLIENT_ID: Type.Optional(Type.String({ pattern: '^[\\w+]+$' })),
  COGNITO_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  COGNITO_JWKS_COOLDOWN_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 30_000 }),
  COGNITO_JWKS_FAILURE_CACHE_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 5000 }),
  JWT_CLOCK_SKEW_SECONDS: Type.Integer({ minimum: 0, maximum: 600, default: 60 }),
  JWT_MAX_LIFETIME_SECONDS: Type.Integer({ minimum: 60, maximum: 604_800, default: 86_400 }),
  API_KEY_HASHES: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$' })),

  // A hop count, or the networks whose X-Forwarded-For is believed (see parseTrustProxy).
  TRUST_PROXY: Type.String({ minLength: 1, default: DEFAULT_TRUSTED_NETWORKS.join(',') }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1200 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  // Node's own socket limits: the whole request (headers and body), and the headers alone.
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  // Defaults depend on DATA_SOURCE (see loadConfig).
  AWS_CONNECT_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
  AWS_REQUEST_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  AWS_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  AWS_MAX_SOCKETS: Type.Integer({ minimum: 1, maximum: 4096, default: 64 }),
  PAD_LOAD_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1024, default: 8 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  READY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000 }),
  // From the signal to a forced exit: longer than the drain plus REQUEST_TIMEOUT_MS, so a request
  // accepted at the end of the drain can still finish.
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 300_000, default: 20_000 }),
  // Default depends on DATA_SOURCE (see loadConfig).
  SHUTDOWN_DRAIN_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 300_000 })),
  METRICS_ENABLED: Type.Boolean({ default: true }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),

  CACHE_TTL_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
  CACHE_MAX_ENTRIES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 5000 }),
  TILE_CACHE_MB: Type.Integer({ minimum: 1, maximum: 65_536, default: 64 }),
  TILE_HEADER_TTL_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
  TILE_MAX_AGE_SECONDS: Type.Integer({ minimum: 0, maximum: 604_800, default: 300 }),
  SURVEY_CACHE_MAX_IMAGES: Type.Integer({ minimum: 0, maximum: 10_000_000, default: DEFAULT_SURVEY_CACHE_MAX_IMAGES }),
  HOTSPOT_THRESHOLDS_C: Type.String({ minLength: 1, default: DEFAULT_HOTSPOT_THRESHOLDS_C.join(',') })
})

type Env = Static<typeof EnvSchema>

export interface Config {
  dataSource: 'embedded' | 'aws'
  host: string
  port: number
  /** `''` or a prefix such as `/viewer` (no trailing slash) that every route is served under. */
  basePath: string
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
  tiles: {
    /** Decoded TIFF blocks and built overviews kept, in MiB, shared by every mosaic. */
    cacheMb: number
    /** How long a GeoTIFF header is used before its object's ETag is checked again. */
    headerTtlSeconds: number
    /** `max-age` of tiles, previews, TileJSON and mosaic info. */
    maxAgeSeconds: number
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Human ranges for the numeric settings, so a bad value fails with a line an operator can act on. */
function describe(key: string, message: string): string {
  const schema = (EnvSchema.properties as Record<string, { type?: string; minimum?: number; maximum?: number }>)[key]
  if (schema?.type === 'integer') return `${key} must be ${schema.minimum}..${schema.maximum}`
  if (key === 'AUTH_MODE') return 'AUTH_MODE must be one of: none, jwt, api-key'
  if (key === 'API_KEY_HASHES') return 'API_KEY_HASHES must be comma-separated SHA-256 hex digests'
  if (key === 'METRICS_ENABLED') return 'METRICS_ENABLED must be true or false'
  if (key === 'DATA_SOURCE') return 'DATA_SOURCE must be one of: embedded, aws'
  if (key === 'LOG_LEVEL') return 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent'
  if (key === 'BASE_PATH') return 'BASE_PATH must be empty or a path such as /viewer (letters, digits, . _ ~ -)'
  if (key === 'HOTSPOT_THRESHOLDS_C') return 'HOTSPOT_THRESHOLDS_C must be three increasing numbers, e.g. 10,20,40'
  if (key === 'S3_FORCE_PATH_STYLE') return 'S3_FORCE_PATH_STYLE must be true or false'
  if (key === 'TRUST_PROXY') return TRUST_PROXY_MESSAGE
  return `${key} ${message}`
}

/**
 * Builds the validated configuration from an environment map. Throws a
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
  const origins = e.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  // Behind a load balancer the instance must keep serving until the balancer has seen /ready fail;
  // the embedded demo has no balancer, and Ctrl-C should stop it at once.
  const shutdownDrainMs = e.SHUTDOWN_DRAIN_MS ?? (embedded ? 0 : 5000)
  if (shutdownDrainMs > 0 && shutdownDrainMs >= e.SHUTDOWN_GRACE_MS) {
    throw new ConfigError(`SHUTDOWN_DRAIN_MS (${shutdownDrainMs}) must be below SHUTDOWN_GRACE_MS (${e.SHUTDOWN_GRACE_MS})`)
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY)
  if (!trustProxy) throw new ConfigError(TRUST_PROXY_MESSAGE)
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    // Node refuses this combination when the server is created; say so before anything starts.
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS')
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT) throw new ConfigError('METRICS_PORT must differ from PORT')

  return {
    dataSource: e.DATA_SOURCE,
    host: e.HOST,
    port: e.PORT,
    basePath: e.BASE_PATH.replace(/\/$/, ''),
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
      s3ForcePathStyle: e.S3_FORCE_PATH_STYLE ?? embedded
    },
    presignExpiresSeconds: e.PRESIGN_EXPIRES_SECONDS,
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
      // The embedded emulators share this process's CPU, so under load they answer
      // far slower than AWS does; real AWS gets tight timeouts.
      connectTimeoutMs: e.AWS_CONNECT_TIMEOUT_MS ?? (embedded ? 5000 : 1000),
      requestTimeoutMs: e.AWS_REQUEST_TIMEOUT_MS ?? (embedded ? 9000 : 3000),
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      maxSockets: e.AWS_MAX_SOCKETS
    },
    readyCacheMs: e.READY_CACHE_MS,
    padLoadConcurrency: e.PAD_LOAD_CONCURRENCY,
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES, surveyMaxImages: e.SURVEY_CACHE_MAX_IMAGES },
    hotspotThresholdsC: thresholds,
    tiles: { cacheMb: e.TILE_CACHE_MB, headerTtlSeconds: e.TILE_HEADER_TTL_SECONDS, maxAgeSeconds: e.TILE_MAX_AGE_SECONDS }
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
