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
  EMBEDDED_DYNAMODB_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 0 })
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
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Human ranges for the numeric settings, so a bad value fails with a line an operator can act on. */
const RANGES: Record<string, string> = {
  PORT: '0..65535',
  EMBEDDED_S3_PORT: '0..65535',
  EMBEDDED_DYNAMODB_PORT: '0..65535',
  PRESIGN_EXPIRES_SECONDS: '1..604800'
}

function describe(key: string, message: string): string {
  if (RANGES[key]) return `${key} must be ${RANGES[key]}`
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
    }
  }
}
