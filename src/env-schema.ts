import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { DEFAULT_TRUSTED_NETWORKS } from './proxy-trust.js'

/** ΔT thresholds t1 < t2 < t3 of the hot-spot severities (°C): NETA's classes over ambient. */
const DEFAULT_HOTSPOT_THRESHOLDS_C = [10, 20, 40] as const

/** Image entries the survey index keeps in all (≈ 1 KB each), evicted by size. */
export const DEFAULT_SURVEY_CACHE_MAX_IMAGES = 50_000

/**
 * Schema keywords of our own, read by loadConfig and by scripts/generate-config-docs.ts, so a
 * default or a rule is written once: `x-allowed` is the allowed values in words (the error
 * message and the docs), `x-default-by-data-source` a default that depends on DATA_SOURCE.
 */
export const ALLOWED = 'x-allowed'
export const DEFAULT_BY_DATA_SOURCE = 'x-default-by-data-source'

/**
 * Defaults that depend on DATA_SOURCE. The embedded emulators share the server's CPU, so under
 * load they answer far slower than AWS does; real AWS gets tight timeouts. Behind a load balancer
 * the instance must keep serving until the balancer has seen /ready fail; the embedded demo has
 * no balancer, and Ctrl-C should stop it at once. The emulators want path-style S3 addressing.
 */
export const BY_DATA_SOURCE = {
  AWS_CONNECT_TIMEOUT_MS: { aws: 1000, embedded: 5000 },
  AWS_REQUEST_TIMEOUT_MS: { aws: 3000, embedded: 9000 },
  SHUTDOWN_DRAIN_MS: { aws: 5000, embedded: 0 },
  S3_FORCE_PATH_STYLE: { aws: false, embedded: true }
} as const

const TABLE_NAME = '^[A-Za-z0-9_.-]{3,255}$'

// Every variable carries its description, default and range: docs/configuration.md and
// .env.example are generated from these groups (npm run config-docs), in this order.

const dataSourceEnv = {
  DATA_SOURCE: Type.Union([Type.Literal('embedded'), Type.Literal('aws')], {
    default: 'embedded',
    description:
      "`embedded`: in-process DynamoDB and S3 emulators (dynalite, s3rver) seeded with the demo dataset, as `npm start` runs. `aws`: the AWS SDK's normal endpoint and credential chain, as the container image runs."
  }),
  DATA_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "With `embedded`: keep the emulators' data in this directory, seeded on the first start only. One process at a time: `embedded.lock` holds its pid and a second start exits naming it (pids do not cross containers, so containers sharing a volume are not told apart). Unset: a fresh temporary store on every start."
    })
  ),
  EMBEDDED_S3_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'Port of the embedded S3 emulator; `0` takes any free port.'
  }),
  EMBEDDED_DYNAMODB_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'Port of the embedded DynamoDB emulator; `0` takes any free port.'
  }),
  EMBEDDED_S3_PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^/?#\\s]+(/[^?#\\s]*)?$',
      description:
        "Where browsers open the embedded S3's presigned URLs (e.g. behind a tunnel). Unset: the host the request came in on, with the emulator's port."
    })
  )
}

const listenEnv = {
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5001, description: 'Port of the API.' }),
  HOST: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description:
      'Interface the API listens on (the container image sets `0.0.0.0`). A host that is not loopback also puts the embedded S3 on that interface.'
  }),
  // Path segments of URL-safe characters: the ALB forwards `/viewer/...` as it is and cannot strip it.
  BASE_PATH: Type.String({
    pattern: '^(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?$',
    default: '',
    [ALLOWED]: 'empty or a path such as /viewer (letters, digits, . _ ~ -)',
    description:
      'Serve every route under this prefix, e.g. `/viewer` (an ALB forwards the path as it is and cannot strip a prefix); nothing is served outside it. Empty: at the root.'
  })
}

const awsEnv = {
  AWS_REGION: Type.String({ minLength: 1, default: 'ap-southeast-1', description: 'Region of the tables and the bucket.' }),
  S3_BUCKET: Type.String({
    pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
    default: 'thermal-api-dev-storage-7ecb7171',
    description: 'The bucket: OpenDroneMap outputs, camera JPEGs, colour bars and line-loss reports.'
  }),
  IMAGES_TABLE: Type.String({ pattern: TABLE_NAME, default: 'thermal-api-dev-images-7ecb7171', description: 'Image records.' }),
  PADS_TABLE: Type.String({ pattern: TABLE_NAME, default: 'thermal-api-dev-pads-7ecb7171', description: 'Pad records.' }),
  JOBS_TABLE: Type.String({
    pattern: TABLE_NAME,
    default: 'thermal-api-dev-jobs-7ecb7171',
    description: 'Processing jobs: written by `npm run seed`, not read by the API.'
  }),
  MEASUREMENTS_TABLE: Type.String({
    pattern: TABLE_NAME,
    default: 'thermal-api-dev-measurements-7ecb7171',
    description: 'PipeMeasure line-loss measurements.'
  }),
  AWS_ENDPOINT_URL_S3: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'With `aws`: S3 endpoint, e.g. LocalStack `http://localhost:4566`. Unset: AWS.' })
  ),
  AWS_ENDPOINT_URL_DYNAMODB: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'With `aws`: DynamoDB endpoint, e.g. LocalStack `http://localhost:4566`. Unset: AWS.'
    })
  ),
  S3_FORCE_PATH_STYLE: Type.Optional(
    Type.Boolean({
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.S3_FORCE_PATH_STYLE,
      description: 'Path-style S3 addressing (LocalStack and the emulators need it).'
    })
  )
}

const awsClientEnv = {
  AWS_CONNECT_TIMEOUT_MS: Type.Optional(
    Type.Integer({
      minimum: 50,
      maximum: 60_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.AWS_CONNECT_TIMEOUT_MS,
      description: "Connection timeout of an AWS call; longer when embedded, where the emulators share the server's CPU."
    })
  ),
  AWS_REQUEST_TIMEOUT_MS: Type.Optional(
    Type.Integer({
      minimum: 100,
      maximum: 120_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.AWS_REQUEST_TIMEOUT_MS,
      description: 'Response timeout of an AWS call attempt; longer when embedded. A call that times out is a 504.'
    })
  ),
  AWS_MAX_ATTEMPTS: Type.Integer({
    minimum: 1,
    maximum: 10,
    default: 3,
    description:
      "Attempts of an AWS call in all (the SDK's standard retries); the retry quota starts afresh once AWS answers again (docs/security.md)."
  }),
  AWS_MAX_SOCKETS: Type.Integer({ minimum: 1, maximum: 4096, default: 64, description: 'Keep-alive sockets per AWS client.' })
}

const responsesEnv = {
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

const tilesEnv = {
  TILE_CACHE_MB: Type.Integer({
    minimum: 1,
    maximum: 65_536,
    default: 64,
    description: 'One LRU, shared by every mosaic, of decoded GeoTIFF blocks, built overviews and encoded tiles and previews (MiB).'
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

const viewerEnv = {
  VIEWER_BASEMAP_STYLE_URL: Type.Optional(
    Type.String({
      pattern: '^https://\\S+$',
      description:
        'A MapLibre style under the orthomosaics of the web viewer (`/app/`), for deployments with internet; its page then also allows images and requests to any `https:` host. Unset: no basemap, and the viewer asks no other host for anything.'
    })
  ),
  VIEWER_DIR: Type.Optional(
    Type.String({ minLength: 1, description: 'The built web viewer: index.html and assets/. Unset: `dist-viewer/` (`npm run build`).' })
  )
}

const authEnv = {
  AUTH_MODE: Type.Union([Type.Literal('none'), Type.Literal('jwt'), Type.Literal('api-key')], {
    default: 'none',
    description:
      '`none`; `api-key` (an `X-API-Key` header); or `jwt` (Cognito bearer tokens). `/health`, `/ready`, `/docs` and `/openapi.*` stay public.'
  }),
  API_KEY_HASHES: Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F]{64}(,[0-9a-fA-F]{64})*$',
      [ALLOWED]: 'comma-separated SHA-256 hex digests',
      description: "With `api-key` (required): the SHA-256 hex digests of the accepted keys (`printf %s 'the-key' | sha256sum`)."
    })
  ),
  COGNITO_USER_POOL_ID: Type.Optional(
    Type.String({ pattern: '^[\\w-]+_[0-9A-Za-z]+$', description: 'With `jwt` (required): the user pool, e.g. `ap-southeast-1_AbC123`.' })
  ),
  COGNITO_REGION: Type.Optional(
    Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', description: "With `jwt`: the pool's region. Unset: the pool id's prefix." })
  ),
  COGNITO_CLIENT_ID: Type.Optional(
    Type.String({
      pattern: '^[\\w+]+$',
      description: 'With `jwt`: the app client tokens must name (`aud` of ID tokens, `client_id` of access tokens).'
    })
  ),
  COGNITO_JWKS_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: "With `jwt`: the key set's URL. Unset: the pool's `/.well-known/jwks.json`." })
  ),
  COGNITO_JWKS_COOLDOWN_MS: Type.Integer({
    minimum: 0,
    maximum: 3_600_000,
    default: 30_000,
    description: 'Minimum time between key set fetches for a token naming an unknown `kid`.'
  }),
  COGNITO_JWKS_FAILURE_CACHE_MS: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    default: 5000,
    description:
      'After a failed key set fetch no other is tried for this long (requests get 503 meanwhile, unless a good key set is cached).'
  }),
  JWT_CLOCK_SKEW_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 600,
    default: 60,
    description: 'How far `iat` and `nbf` may lie in the future, and `exp` in the past.'
  }),
  JWT_MAX_LIFETIME_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 604_800,
    default: 86_400,
    description: "Tokens whose `exp − iat` is longer are refused (Cognito's longest is one day)."
  })
}

const edgeEnv = {
  TRUST_PROXY: Type.String({
    minLength: 1,
    default: DEFAULT_TRUSTED_NETWORKS.join(','),
    [ALLOWED]: 'a hop count 0..10 or a comma-separated list of IP addresses and CIDR ranges',
    description:
      "Whose `X-Forwarded-For` is believed: a list of networks (narrow it to your VPC's subnets), or a hop count such as `1`, which believes any peer."
  }),
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 1200,
    description: 'Requests per client IP per window; `0` turns the limit off. Probes are exempt.'
  }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, maximum: 3_600_000, default: 60_000, description: "The rate limit's window." }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 10_000,
    description: 'Deadline of a request in the handlers; then 504 (408 when its body is still arriving).'
  }),
  HTTP_REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 30_000,
    description: "Node's `requestTimeout`: headers and body must have arrived by then, else 408 and the connection closes."
  }),
  HTTP_HEADERS_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description: "Node's `headersTimeout`: the headers must have arrived by then; at most `HTTP_REQUEST_TIMEOUT_MS`."
  }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({
    minimum: 0,
    maximum: 60_000,
    default: 1000,
    description: 'Shed API traffic with 503 above this mean event-loop delay; `0` turns it off. Probes are exempt.'
  })
}

const operationsEnv = {
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'pino level; `silent` mutes the log.' }
  ),
  READY_CACHE_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000, description: 'How long a `/ready` result is reused.' }),
  SHUTDOWN_DRAIN_MS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 300_000,
      [DEFAULT_BY_DATA_SOURCE]: BY_DATA_SOURCE.SHUTDOWN_DRAIN_MS,
      description:
        'After the first SIGTERM or SIGINT `/ready` answers 503 at once, but the server keeps accepting and serving this long, so the load balancer stops sending work first. Below `SHUTDOWN_GRACE_MS`.'
    })
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    maximum: 300_000,
    default: 20_000,
    description:
      'From the first signal to a forced exit (code 1). Keep it above `SHUTDOWN_DRAIN_MS` + `REQUEST_TIMEOUT_MS`, so a request accepted at the end of the drain can finish, and below the ALB deregistration delay.'
  }),
  METRICS_ENABLED: Type.Boolean({ default: true, description: 'Serve Prometheus metrics at `/metrics`.' }),
  METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        "A bearer token `/metrics` accepts. With `AUTH_MODE` other than `none` the API's credentials work too, and `/metrics` is never open."
    })
  ),
  METRICS_PORT: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 65535,
      description:
        "Serve `/metrics` on a port of its own (same `HOST`, not `PORT`) instead of the API's; keep that port out of the load balancer."
    })
  )
}

/** The variables by group, in the order docs/configuration.md and .env.example list them. */
export const ENV_GROUPS: readonly { title: string; variables: Record<string, TSchema> }[] = [
  { title: 'Data source', variables: dataSourceEnv },
  { title: 'Listening', variables: listenEnv },
  { title: 'AWS resources', variables: awsEnv },
  { title: 'AWS client', variables: awsClientEnv },
  { title: 'Responses and caches', variables: responsesEnv },
  { title: 'Map tiles', variables: tilesEnv },
  { title: 'Web viewer', variables: viewerEnv },
  { title: 'Authentication', variables: authEnv },
  { title: 'HTTP edge', variables: edgeEnv },
  { title: 'Operations', variables: operationsEnv }
]

/** Every setting the service reads from its environment; loadConfig (config.ts) validates it into a `Config`. */
export const EnvSchema = Type.Object({
  ...dataSourceEnv,
  ...listenEnv,
  ...awsEnv,
  ...awsClientEnv,
  ...responsesEnv,
  ...tilesEnv,
  ...viewerEnv,
  ...authEnv,
  ...edgeEnv,
  ...operationsEnv
})

export type Env = Static<typeof EnvSchema>
