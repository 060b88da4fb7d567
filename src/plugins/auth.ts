import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose'
import type { Config } from '../config.js'
import { UnavailableError } from '../errors.js'

/**
 * Only routes that declare `access: 'api'` ask for credentials, and so does
 * anything unmatched (its 404 must not tell a stranger which paths exist).
 */
function needsCredentials(request: FastifyRequest): boolean {
  const access = request.routeOptions.config.access
  return access === 'api' || access === undefined
}

const idpUnavailable = () => new UnavailableError('identity provider unavailable; retry later')

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

/**
 * Optional authentication (AUTH_MODE). Off by default; with `api-key` an
 * X-API-Key header is checked against SHA-256 digests; with `jwt` a Cognito
 * access or ID token is verified against the pool's JWKS.
 */
async function auth(app: FastifyInstance, opts: { config: Config }) {
  const settings = opts.config.auth
  if (settings.mode === 'none') return

  if (settings.mode === 'api-key') {
    const challenge = 'ApiKey realm="thermal-viewer", header="X-API-Key"'
    app.addHook('onRequest', async (request, reply) => {
      if (!needsCredentials(request)) return
      const key = request.headers['x-api-key']
      if (typeof key !== 'string' || key.length === 0) return deny(reply, challenge, 'missing X-API-Key header')
      if (!apiKeyMatches(key, settings.keyHashes)) return deny(reply, challenge, 'invalid API key')
    })
    return
  }

  const jwt = settings
  // jose caches the key set and refetches it when a token names an unknown `kid`
  // (at most once per cooldown), which is how Cognito key rotation shows up.
  const jwks = createRemoteJWKSet(new URL(jwt.jwksUrl), {
    cacheMaxAge: 10 * 60_000,
    cooldownDuration: jwt.jwksCooldownMs,
    timeoutDuration: 3000
  })
  const challenge = (error?: string) =>
    `Bearer realm="thermal-viewer"${error ? `, error="${error}"` : ''}`

  async function verify(request: FastifyRequest): Promise<string | undefined> {
    const header = request.headers.authorization
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header) : null
    if (!match) return 'missing bearer token'
    try {
      const { payload } = await jwtVerify(match[1]!, jwks, { issuer: jwt.issuer, algorithms: ['RS256'] })
      const use = payload.token_use
      if (use !== 'access' && use !== 'id') return 'token_use must be access or id'
      if (jwt.clientId) {
        // Cognito puts the app client in `aud` on ID tokens and in `client_id` on access tokens.
        const client = use === 'id' ? payload.aud : payload.client_id
        const ok = Array.isArray(client) ? client.includes(jwt.clientId) : client === jwt.clientId
        if (!ok) return 'token was issued for another client'
      }
      return undefined
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return 'token expired'
      if (err instanceof joseErrors.JWKSTimeout) throw idpUnavailable()
      if (err instanceof joseErrors.JOSEError) {
        request.log.info({ code: err.code }, 'token rejected')
        return 'invalid token'
      }
      // The key set could not be fetched: the caller's token may be fine, so this is not a 401.
      request.log.error({ err }, 'JWKS fetch failed')
      throw idpUnavailable()
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    if (!needsCredentials(request)) return
    const problem = await verify(request)
    if (problem) return deny(reply, challenge(problem === 'missing bearer token' ? undefined : 'invalid_token'), problem)
  })
}

export default fp(auth, { name: 'auth', fastify: '5.x', dependencies: ['errors'] })
