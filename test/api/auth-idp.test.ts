import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { sha256Hex } from '../../src/plugins/auth.js'
import { buildTestApp } from '../helpers/app.js'
import { CLIENT, ISSUER, jwtEnv } from '../helpers/cognito.js'

// The identity provider failing, strict claims and /metrics under auth (split from auth.test.ts to keep each file short).

/** Every way the JWKS endpoint below can fail. */
const JWKS_FAILURES = ['500', '503', 'redirect', 'garbage', 'empty', 'hang'] as const

/** A JWKS endpoint on loopback whose behaviour a test switches between good and every kind of failure. */
async function jwksServer(t: { teardown(fn: () => unknown): void }) {
  const pair = await generateKeyPair('RS256', { extractable: true })
  const good = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'kid-1', alg: 'RS256', use: 'sig' }] })
  const state = { mode: 'good' as 'good' | (typeof JWKS_FAILURES)[number], fetches: 0 }
  const server = createServer((_req, res) => {
    state.fetches++
    if (state.mode === 'hang') return
    if (state.mode === '500' || state.mode === '503') {
      res.writeHead(Number(state.mode)).end('upstream error')
    } else if (state.mode === 'redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end()
    } else {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(state.mode === 'garbage' ? '<html>not json' : state.mode === 'empty' ? '{"keys":[]}' : good)
    }
  })
  server.keepAliveTimeout = 1
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
  const sign = (claims: Record<string, unknown> = {}, edit?: (jwt: SignJWT) => SignJWT) => {
    const jwt = new SignJWT({ token_use: 'access', client_id: CLIENT, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'kid-1' })
      .setIssuer(ISSUER)
      .setSubject('inspector-7')
    return (edit ? edit(jwt) : jwt.setIssuedAt().setExpirationTime('10m')).sign(pair.privateKey)
  }
  return { state, url, sign }
}

t.test('a JWKS that fails in any way is a 503 with Retry-After, never a 401; one fetch per failure window', async (t) => {
  const jwks = await jwksServer(t)
  const app = await buildTestApp(t, {
    ...jwtEnv(jwks.url, { client: true }),
    COGNITO_JWKS_FAILURE_CACHE_MS: '200'
  })
  const token = await jwks.sign()
  const call = () => app.inject({ method: 'GET', url: '/api/sites', headers: { authorization: `Bearer ${token}` } })
  for (const mode of JWKS_FAILURES) {
    jwks.state.mode = mode
    await new Promise((resolve) => setTimeout(resolve, 250)) // past the failure window of the previous mode
    const res = await call()
    t.equal(res.statusCode, 503, `${mode}: 503`)
    t.same(res.json(), { error: 'identity provider unavailable; retry later' }, mode)
    t.equal(res.headers['retry-after'], '1', `${mode}: Retry-After`)
  }
  jwks.state.mode = '500'
  await new Promise((resolve) => setTimeout(resolve, 250))
  const before = jwks.state.fetches
  const storm = await Promise.all(Array.from({ length: 50 }, call))
  t.ok(
    storm.every((r) => r.statusCode === 503),
    'a storm of 50 requests: all 503'
  )
  t.equal(jwks.state.fetches - before, 1, 'and one JWKS fetch')

  jwks.state.mode = 'good'
  await new Promise((resolve) => setTimeout(resolve, 250))
  t.equal((await call()).statusCode, 200, 'the identity provider is back')
  const fetched = jwks.state.fetches
  for (let i = 0; i < 20; i++) await call()
  t.equal(jwks.state.fetches, fetched, 'the good key set is cached: no fetch per request')
})

t.test('the last good key set keeps serving while refreshes fail (unknown kids get 503, not 401)', async (t) => {
  const jwks = await jwksServer(t)
  const app = await buildTestApp(t, {
    ...jwtEnv(jwks.url),
    COGNITO_JWKS_COOLDOWN_MS: '0'
  })
  const token = await jwks.sign()
  t.equal((await app.inject({ method: 'GET', url: '/api/sites', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  jwks.state.mode = '500'
  // A token naming a kid the cached set lacks triggers a refresh, which fails: the kid may be a new, valid one.
  const stranger = await generateKeyPair('RS256')
  const rotated = await new SignJWT({ token_use: 'access' })
    .setProtectedHeader({ alg: 'RS256', kid: 'kid-new' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(stranger.privateKey)
  t.equal((await app.inject({ method: 'GET', url: '/api/sites', headers: { authorization: `Bearer ${rotated}` } })).statusCode, 503)
  t.equal(
    (await app.inject({ method: 'GET', url: '/api/sites', headers: { authorization: `Bearer ${token}` } })).statusCode,
    200,
    'a token signed with a cached key still verifies'
  )
})

t.test('strict claims, each with a token minted by jose against the local JWKS', async (t) => {
  const jwks = await jwksServer(t)
  const app = await buildTestApp(t, {
    ...jwtEnv(jwks.url, { client: true }),
    JWT_CLOCK_SKEW_SECONDS: '60',
    JWT_MAX_LIFETIME_SECONDS: '86400'
  })
  const now = Math.floor(Date.now() / 1000)
  const call = (authorization: string) => app.inject({ method: 'GET', url: '/api/sites', headers: { authorization } })
  const refused: [string, string, string][] = [
    ['no exp', await jwks.sign({}, (j) => j.setIssuedAt()), 'token has no expiry (exp)'],
    [
      'iat a day in the future',
      await jwks.sign({}, (j) => j.setIssuedAt(now + 86_400).setExpirationTime(now + 90_000)),
      'token is issued in the future (iat)'
    ],
    [
      'nbf beyond the skew',
      await jwks.sign({}, (j) =>
        j
          .setIssuedAt()
          .setNotBefore(now + 600)
          .setExpirationTime('20m')
      ),
      'token is not valid yet (nbf)'
    ],
    [
      'exp in the year 2300',
      await jwks.sign({}, (j) => j.setIssuedAt().setExpirationTime(10_413_792_000)),
      'token lifetime exceeds 86400 s'
    ],
    ['client_id as an array', await jwks.sign({ client_id: [CLIENT] }), 'client_id must be a string'],
    ['aud as an array (ID token)', await jwks.sign({ token_use: 'id', client_id: undefined, aud: [CLIENT] }), 'aud must be a string']
  ]
  for (const [name, token, message] of refused) {
    const res = await call(`Bearer ${token}`)
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), { error: message }, name)
  }
  const allowed: [string, string][] = [
    ['iat within the skew', await jwks.sign({}, (j) => j.setIssuedAt(now + 30).setExpirationTime('10m'))],
    [
      'nbf within the skew',
      await jwks.sign({}, (j) =>
        j
          .setIssuedAt()
          .setNotBefore(now + 30)
          .setExpirationTime('10m')
      )
    ],
    ['a 24 h lifetime', await jwks.sign({}, (j) => j.setIssuedAt(now).setExpirationTime(now + 86_400))]
  ]
  for (const [name, token] of allowed) t.equal((await call(`Bearer ${token}`)).statusCode, 200, name)
  const token = await jwks.sign()
  for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
    t.equal((await call(`${scheme} ${token}`)).statusCode, 200, `scheme ${scheme}`)
  }
})

t.test('/metrics is never open while the API is not: METRICS_TOKEN or the API credentials', async (t) => {
  const key = 'k3y-for-the-inspection-team'
  const open = await buildTestApp(t, { AUTH_MODE: 'api-key', API_KEY_HASHES: sha256Hex(key) })
  t.equal((await open.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'api-key mode, no METRICS_TOKEN: not public')
  const withKey = await open.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': key } })
  t.equal(withKey.statusCode, 200, 'the API key opens it')
  t.match(withKey.body, /http_request_duration_seconds/)

  const token = 'a-long-metrics-scrape-token'
  const both = await buildTestApp(t, { AUTH_MODE: 'api-key', API_KEY_HASHES: sha256Hex(key), METRICS_TOKEN: token })
  t.equal(
    (await both.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode,
    200,
    'the metrics token'
  )
  t.equal((await both.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': key } })).statusCode, 200, 'or the API key')
  const denied = await both.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer not-the-token-at-all' } })
  t.equal(denied.statusCode, 401)
  t.same(Object.keys(denied.json()), ['error'])
})
