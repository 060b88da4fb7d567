import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { exportJWK, generateKeyPair, SignJWT, jwtVerify } from 'jose'
import { IdentityProviderUnavailable, JwksSource } from '../../src/http/jwks-source.js'

t.test('JwksSource: the last good key set serves until maxStaleMs, failures are remembered for failureCacheMs', async (t) => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  const keys = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k', alg: 'RS256' }] })
  let failing = false
  const server = createServer((_req, res) => {
    if (failing) res.writeHead(500).end()
    else res.writeHead(200, { 'content-type': 'application/json' }).end(keys)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  })
  let now = 1_000_000
  const source = new JwksSource({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    maxAgeMs: 600_000,
    maxStaleMs: 3_600_000,
    cooldownMs: 0,
    failureCacheMs: 5000,
    timeoutMs: 2000,
    now: () => now
  })
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setExpirationTime('1h').sign(pair.privateKey)
  const verify = () => jwtVerify(token, source.getKey)

  await verify()
  t.equal(source.fetches, 1)
  failing = true
  now += 600_001 // stale: a refresh is due, and fails
  await verify()
  t.equal(source.fetches, 2, 'the refresh was tried')
  now += 1000
  await verify()
  t.equal(source.fetches, 2, 'within the failure window no other fetch is tried; the last good set serves')
  now += 5000
  await verify()
  t.equal(source.fetches, 3, 'after the window, one more try')
  now = 1_000_000 + 3_600_001 // past the staleness bound
  now += 5000
  await t.rejects(verify(), IdentityProviderUnavailable, 'a key set older than maxStaleMs is no longer trusted')
  failing = false
  now += 5001
  await verify()
  t.equal(source.fetches, 5, 'the provider is back: fetched and served again')
})
