import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import type { Config } from '../config.js'
import { UnavailableError } from '../errors.js'
import { IdentityProviderUnavailable, JwksSource } from '../http/jwks-source.js'

/** The key set is refetched when it is this old (Cognito rotates keys rarely, and announces new ones early). */
const JWKS_MAX_AGE_MS = 10 * 60_000
/**
 * While the identity provider fails, the last good key set keeps verifying
 * tokens for at most this long after it was fetched; a key revoked in that
 * window is still accepted until then.
 */
export const JWKS_MAX_STALE_MS = 60 * 60_000

/**
 * Only routes that declare `access: 'api'` ask for credentials, and so does
 * anything unmatched (its 404 must not tell a stranger which paths exist).
 */
function needsCredentials(request: FastifyRequest): boolean {
  const access = request.routeOptions.config.access
  return access === 'api' || access === undefined
}

function deny(reply: FastifyReply, challenge: string, error: string) {
  return reply.code(401).header('www-authenticate', challenge).send({ error })
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

/** Compares the key's digest against every configured digest in constant time. */
export function apiKeyMatches(key: string, hashes: readonly string[]): boolean {
  const digest = Buffer.from(sha256Hex(key), 'hex')
  let ok = false
  for (const hash of hashes) {
    // Digests are all 32 bytes, so timingSafeEqual never throws and every hash is compared.
    ok = timingSafeEqual(digest, Buffer.from(hash, 'hex')) || ok
  }
  return ok
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The token of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: unknown): string | undefined {
  const match = typeof header === 'string' ? /^bearer +([A-Za-z0-9_.~+/-]+=*)$/i.exec(header) : null
  return match?.[1]
}

type Check = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/**
 * Optional authentication (AUTH_MODE). Off by default; with `api-key` an
 * X-API-Key header is checked against SHA-256 digests; with `jwt` a Cognito
 * access or ID token is verified against the pool's JWKS. `/metrics` takes
 * METRICS_TOKEN or, with auth on, the API's own credentials: it is never open
 * while the API is not.
 */
async function auth(app: FastifyInstance, opts: { config: Config }) {
  const settings = opts.config.auth
  const metricsToken = opts.config.metrics.token
  const api: Check | undefined =
    settings.mode === 'api-key' ? apiKeyCheck(settings.keyHashes) : settings.mode === 'jwt' ? jwtCheck(settings) : undefined

  const metrics: Check = async (request, reply) => {
    const token = bearerToken(request.headers.authorization)
    if (metricsToken && token !== undefined && safeEqual(token, metricsToken)) return
    if (api) return api(request, reply)
    if (metricsToken) return deny(reply, 'Bearer realm="metrics"', 'metrics require a bearer token')
  }

  if (!api && !metricsToken) return
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.access === 'metrics') return metrics(request, reply)
    if (!api || !needsCredentials(request)) return
    return api(request, reply)
  })
}

function apiKeyCheck(hashes: readonly string[]): Check {
  const challenge = 'ApiKey realm="thermal-viewer", header="X-API-Key"'
  return async (request, reply) => {
    const key = request.headers['x-api-key']
    if (typeof key !== 'string' || key.length === 0) return deny(reply, challenge, 'missing X-API-Key header')
    if (!apiKeyMatches(key, hashes)) return deny(reply, challenge, 'invalid API key')
  }
}

function jwtCheck(jwt: Extract<Config['auth'], { mode: 'jwt' }>): Check {
  const source = new JwksSource({
    url: jwt.jwksUrl,
    maxAgeMs: JWKS_MAX_AGE_MS,
    maxStaleMs: JWKS_MAX_STALE_MS,
    cooldownMs: jwt.jwksCooldownMs,
    failureCacheMs: jwt.jwksFailureCacheMs,
    timeoutMs: 3000
  })
  const retryAfter = Math.max(1, Math.ceil(jwt.jwksFailureCacheMs / 1000))
  const challenge = (error?: string) => `Bearer realm="thermal-viewer"${error ? `, error="${error}"` : ''}`

  return async (request, reply) => {
    const token = bearerToken(request.headers.authorization)
    if (token === undefined) return deny(reply, challenge(), 'missing bearer token')
    let problem: string | undefined
    try {
      const { payload } = await jwtVerify(token, source.getKey, {
        issuer: jwt.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
        clockTolerance: jwt.clockSkewSeconds
      })
      problem = claimProblem(payload, jwt, Math.floor(Date.now() / 1000))
    } catch (err) {
      if (err instanceof IdentityProviderUnavailable) {
        request.log.error({ err }, 'identity provider unavailable')
        throw new UnavailableError('identity provider unavailable; retry later', retryAfter)
      }
      if (!(err instanceof joseErrors.JOSEError)) throw err
      request.log.info({ code: err.code, claim: (err as { claim?: string }).claim }, 'token rejected')
      problem = joseProblem(err)
    }
    if (problem) return deny(reply, challenge('invalid_token'), problem)
  }
}

function joseProblem(err: InstanceType<typeof joseErrors.JOSEError>): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired'
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'exp') return 'token has no expiry (exp)'
    if (err.claim === 'nbf') return 'token is not valid yet (nbf)'
  }
  return 'invalid token'
}

/** The checks jose leaves to us: issue time, lifetime, and the app client as a plain string. */
export function claimProblem(
  payload: JWTPayload,
  jwt: { clientId?: string; clockSkewSeconds: number; maxLifetimeSeconds: number },
  now: number
): string | undefined {
  const use = payload.token_use
  if (use !== 'access' && use !== 'id') return 'token_use must be access or id'
  if (typeof payload.iat === 'number' && payload.iat > now + jwt.clockSkewSeconds) return 'token is issued in the future (iat)'
  const exp = payload.exp!
  if (exp - (typeof payload.iat === 'number' ? payload.iat : now) > jwt.maxLifetimeSeconds) {
    return `token lifetime exceeds ${jwt.maxLifetimeSeconds} s`
  }
  // Cognito puts the app client in `aud` on ID tokens and in `client_id` on access tokens, always as a string.
  const claim = use === 'id' ? 'aud' : 'client_id'
  const client = payload[claim]
  if (client !== undefined && typeof client !== 'string') return `${claim} must be a string`
  if (jwt.clientId && client !== jwt.clientId) return 'token was issued for another client'
  return undefined
}

export default fp(auth, { name: 'auth', fastify: '5.x', dependencies: ['errors'] })
