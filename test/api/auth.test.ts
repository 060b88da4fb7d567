import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { sha256Hex } from '../../src/plugins/auth.js'
import { buildTestApp } from '../helpers/app.js'
import { CLIENT, ISSUER, jwtEnv } from '../helpers/cognito.js'

t.test('AUTH_MODE=api-key', async (t) => {
  const key = 'k3y-for-the-inspection-team'
  const app = await buildTestApp(t, { AUTH_MODE: 'api-key', API_KEY_HASHES: `${sha256Hex('other-key')},${sha256Hex(key)}` })

  const ok = await app.inject({ method: 'GET', url: '/api/sites', headers: { 'x-api-key': key } })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), ['leyte', 'upper-rhine'])

  for (const [headers, message] of [
    [{}, 'missing X-API-Key header'],
    [{ 'x-api-key': 'wrong' }, 'invalid API key'],
    [{ 'x-api-key': key + 'x' }, 'invalid API key'],
    [{ authorization: `Bearer ${key}` }, 'missing X-API-Key header']
  ] as const) {
    const res = await app.inject({ method: 'GET', url: '/api/sites', headers })
    t.equal(res.statusCode, 401)
    t.same(res.json(), { error: message })
    t.match(res.headers['www-authenticate'], /^ApiKey realm="thermal-viewer"/)
  }

  for (const url of ['/health', '/ready', '/openapi.json', '/openapi.yaml', '/docs/']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${url} stays public`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 401, 'the endpoint index is protected')
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/sites',
    headers: { origin: 'https://viewer.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' }
  })
  t.equal(preflight.statusCode, 204, 'CORS preflights need no credentials')
})

t.test('AUTH_MODE=jwt with a Cognito-shaped JWKS on loopback', async (t) => {
  const k1 = await generateKeyPair('RS256', { extractable: true })
  const k2 = await generateKeyPair('RS256', { extractable: true })
  const stranger = await generateKeyPair('RS256', { extractable: true })
  const jwk = async (pair: typeof k1, kid: string): Promise<JWK> => ({
    ...(await exportJWK(pair.publicKey)),
    kid,
    alg: 'RS256',
    use: 'sig'
  })
  let keys: JWK[] = [await jwk(k1, 'kid-1')]
  let fetches = 0
  const server = createServer((req, res) => {
    fetches++
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`

  const app = await buildTestApp(t, {
    ...jwtEnv(jwksUrl, { client: true }),
    COGNITO_JWKS_COOLDOWN_MS: '0'
  })

  const sign = (claims: Record<string, unknown>, opts: { key?: typeof k1; kid?: string; exp?: string | number; iss?: string } = {}) =>
    new SignJWT({ token_use: 'access', client_id: CLIENT, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'kid-1' })
      .setIssuer(opts.iss ?? ISSUER)
      .setSubject('inspector-7')
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '10m')
      .sign((opts.key ?? k1).privateKey)

  const call = (token?: string) =>
    app.inject({ method: 'GET', url: '/api/sites', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })

  const valid = await call(await sign({}))
  t.equal(valid.statusCode, 200, 'a valid access token')
  const idToken = await call(await sign({ token_use: 'id', aud: CLIENT, client_id: undefined }))
  t.equal(idToken.statusCode, 200, 'a valid ID token (audience is the client)')

  const cases: [string, string | undefined, string][] = [
    ['missing header', undefined, 'missing bearer token'],
    ['expired', await sign({}, { exp: Math.floor(Date.now() / 1000) - 60 }), 'token expired'],
    ['wrong issuer', await sign({}, { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }), 'invalid token'],
    ['wrong token_use', await sign({ token_use: 'refresh' }), 'token_use must be access or id'],
    ['other client (access)', await sign({ client_id: 'someone-else' }), 'token was issued for another client'],
    ['other client (id)', await sign({ token_use: 'id', aud: 'someone-else' }), 'token was issued for another client'],
    ['unknown kid', await sign({}, { key: stranger, kid: 'kid-unknown' }), 'invalid token'],
    ['signed by a stranger with a known kid', await sign({}, { key: stranger }), 'invalid token']
  ]
  const good = await sign({})
  const [h, p, sig] = good.split('.')
  const flipped = sig!.slice(0, -2) + (sig!.endsWith('AA') ? 'BB' : 'AA')
  cases.push(['tampered signature', `${h}.${p}.${flipped}`, 'invalid token'])
  const tamperedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin' })).toString(
    'base64url'
  )
  cases.push(['tampered payload', `${h}.${tamperedPayload}.${sig}`, 'invalid token'])
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'kid-1' })).toString('base64url')}.${p}.`
  cases.push(['alg none', none, 'invalid token'])
  const noneWithSig = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'kid-1' })).toString('base64url')}.${p}.${sig}`
  cases.push(['alg none with a signature', noneWithSig, 'invalid token'])
  const hs256 = `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'kid-1' })).toString('base64url')}.${p}.${sig}`
  cases.push(['alg HS256', hs256, 'invalid token'])

  for (const [name, token, message] of cases) {
    const res = await call(token)
    t.equal(res.statusCode, 401, name)
    t.same(res.json(), { error: message }, name)
    t.match(res.headers['www-authenticate'], /^Bearer realm="thermal-viewer"/, name)
  }

  // Key rotation: a token signed with a key the server has not seen yet is accepted
  // once the JWKS publishes it, because an unknown kid triggers a refetch.
  const rotated = await sign({}, { key: k2, kid: 'kid-2' })
  t.equal((await call(rotated)).statusCode, 401, 'kid-2 not published yet')
  keys = [...keys, await jwk(k2, 'kid-2')]
  const before = fetches
  t.equal((await call(rotated)).statusCode, 200, 'kid-2 accepted after the JWKS refresh')
  t.ok(fetches > before, 'the unknown kid caused a refetch')
  const cached = fetches
  t.equal((await call(await sign({}))).statusCode, 200)
  t.equal(fetches, cached, 'known kids are served from the cache')

  for (const url of ['/health', '/ready', '/openapi.json', '/docs/']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `${url} stays public`)
  }
})

t.test('an unreachable JWKS is a 503, not a 401', async (t) => {
  const app = await buildTestApp(t, jwtEnv('http://127.0.0.1:9/.well-known/jwks.json'))
  const k = await generateKeyPair('RS256')
  const token = await new SignJWT({ token_use: 'access' })
    .setProtectedHeader({ alg: 'RS256', kid: 'a' })
    .setIssuer(ISSUER)
    .setExpirationTime('5m')
    .sign(k.privateKey)
  const res = await app.inject({ method: 'GET', url: '/api/sites', headers: { authorization: `Bearer ${token}` } })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { error: 'identity provider unavailable; retry later' })
})
