import { Type } from '@sinclair/typebox'
import { ALLOWED } from './keywords.js'
import { DEFAULT_TRUSTED_NETWORKS } from '../proxy-trust.js'

// Who may call the API and how its edge guards itself.

export const authEnv = {
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

export const edgeEnv = {
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
