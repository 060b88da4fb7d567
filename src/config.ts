import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * Every setting the service reads from its environment. This is the only module
 * that looks at `process.env`; everything else receives a `Config`.
 */
const EnvSchema = Type.Object({
  DATA_SOURCE: Type.Union([Type.Literal('embedded'), Type.Literal('aws')], { default: 'embedded' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5001 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
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

  AUTH_MODE: Type.Union([Type.Literal('none'), Type.Literal('jwt'), Type.Literal('api-key')], { default: 'none' }),
  COGNITO_REGION: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' })),
  COGNITO_USER_POOL_ID: Type.Optional(Type.String({ pattern: '^[\\w-]+_[0-9A-Za-z]+$' })),
  COGNITO_CLIENT_ID: Type.Optional(Type.String({ pattern: '^[\\w+]+$' })),
  COGNITO_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  COGNITO_JWKS_COOLDOWN_MS: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 30_000 }),
  API_KEY_HASHES: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$' })),

  TRUST_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 1200 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  // Defaults depend on DATA_SOURCE (see loadConfig).
  AWS_CONNECT_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000 })),
  AWS_REQUEST_TIMEOUT_MS: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
  AWS_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
  AWS_MAX_SOCKETS: Type.Integer({ minimum: 1, maximum: 4096, default: 64 }),
  PAD_LOAD_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1024, default: 8 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 1000 }),
  READY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000 }),
  // Longer than REQUEST_TIMEOUT_MS, so a request accepted just before SIGTERM can still finish.
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, maximum: 300_000, default: 15_000 }),
  METRICS_ENABLED: Type.Boolean({ default: true }),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),

  CACHE_TTL_SECONDS: Type.Integer({ minimum: 0, maximum: 86_400, default: 60 }),
  CACHE_MAX_ENTRIES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 5000 })
})

type Env = Static<typeof EnvSchema>

export interface Config {
  dataSource: 'embedded' | 'aws'
  host: string
  port: number
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
  }
  auth:
    | { mode: 'none' }
    | { mode: 'api-key'; keyHashes: string[] }
    | { mode: 'jwt'; issuer: string; jwksUrl: string; clientId?: string; jwksCooldownMs: number }
  http: {
    trustProxyHops: number
    /** Requests per window per client IP; 0 turns rate limiting off. */
    rateLimitMax: number
    rateLimitWindowMs: number
    requestTimeoutMs: number
    maxEventLoopDelayMs: number
    shutdownGraceMs: number
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
  metrics: { enabled: boolean; token?: string }
  cache: { ttlSeconds: number; maxEntries: number }
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
  if (key === 'S3_FORCE_PATH_STYLE') return 'S3_FORCE_PATH_STYLE must be true or false'
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
  const origins = e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)

  return {
    dataSource: e.DATA_SOURCE,
    host: e.HOST,
    port: e.PORT,
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
      dynamodbPort: e.EMBEDDED_DYNAMODB_PORT
    },
    auth,
    http: {
      trustProxyHops: e.TRUST_PROXY_HOPS,
      rateLimitMax: e.RATE_LIMIT_MAX,
      rateLimitWindowMs: e.RATE_LIMIT_WINDOW_MS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS
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
    metrics: { enabled: e.METRICS_ENABLED, token: e.METRICS_TOKEN },
    cache: { ttlSeconds: e.CACHE_TTL_SECONDS, maxEntries: e.CACHE_MAX_ENTRIES }
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
      jwksCooldownMs: e.COGNITO_JWKS_COOLDOWN_MS
    }
  }
  return { mode: 'none' }
}
