import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { clientEndpoints, emulatorCredentialsInEnv } from '../helpers/emulators.js'
import { awsEndpointEnv, freePort } from '../helpers/processes.js'

emulatorCredentialsInEnv()

const LEAKS = /(Exception|ResourceNotFound|ECONNREFUSED|at .*\(|Requested resource|stack|\.ts:\d)/

t.test('a missing table is a 502 with no AWS text', async (t) => {
  // A second app in aws mode, pointed at the first one's emulators but at a table that does not exist.
  const embedded = await buildTestApp(t)
  const app = await buildTestApp(t, { ...awsEndpointEnv(await clientEndpoints(embedded.aws)), IMAGES_TABLE: 'no-such-table' })
  for (const url of ['/api/thermal/leyte_tongonan_20241230_0379/stats', '/api/periods?site=leyte&sector=tongonan']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 502, url)
    t.same(res.json(), { error: 'upstream storage returned an unexpected error' })
    t.notMatch(res.body, LEAKS)
  }
})

t.test('unreachable AWS endpoints are a 503 with Retry-After', async (t) => {
  // A port that was just free: nothing listens there.
  const port = await freePort()
  const app = await buildTestApp(t, awsEndpointEnv(`http://127.0.0.1:${port}`))
  for (const url of ['/api/sites', '/api/optical/leyte_tongonan_20241230_0379']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 503, url)
    t.ok(Number(res.headers['retry-after']) > 0)
    t.same(res.json(), { error: 'upstream storage is unavailable; retry later' })
    t.notMatch(res.body, LEAKS)
  }
})

t.test(
  'no credentials to sign with (a role endpoint down, an expired token) is a 503 with Retry-After, and /ready says down',
  async (t) => {
    // The SDK's default chain, left with nothing to find: no keys, no profile, no role endpoint.
    const saved = { ...process.env }
    t.teardown(() => {
      process.env = saved
    })
    for (const name of Object.keys(process.env))
      if (/^AWS_(ACCESS|SECRET|SESSION|CONTAINER|WEB_IDENTITY|ROLE)/.test(name)) delete process.env[name]
    Object.assign(process.env, {
      AWS_PROFILE: 'no-such-profile',
      AWS_CONFIG_FILE: '/nonexistent/aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true'
    })
    const app = await buildTestApp(t, { ...awsEndpointEnv('http://127.0.0.1:9'), READY_CACHE_MS: '0' })
    for (const url of ['/api/sites', '/api/optical/leyte_tongonan_20241230_0379']) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(res.statusCode, 503, url)
      t.equal(res.headers['retry-after'], '5', url)
      t.same(res.json(), { error: 'upstream storage is unavailable; retry later' })
      t.notMatch(res.body, /credential|provider/i, 'the SDK text stays in the log')
    }
    const ready = await app.inject({ method: 'GET', url: '/ready' })
    t.equal(ready.statusCode, 503)
    t.match(ready.json(), { status: 'unavailable', checks: { dynamodb: { status: 'down' }, s3: { status: 'down' } } })
  }
)

t.test('an S3 error answer is a 502 with no AWS text', async (t) => {
  // A peer that speaks HTTP but answers every S3 call with AccessDenied.
  const server = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml' })
    res.end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>secret policy text</Message></Error>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const port = (server.address() as AddressInfo).port
  const app = await buildTestApp(t, awsEndpointEnv(`http://127.0.0.1:${port}`))
  const res = await app.inject({
    method: 'GET',
    url: '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105'
  })
  t.ok([502, 503].includes(res.statusCode), String(res.statusCode))
  t.notMatch(res.body, /secret policy text|AccessDenied/)
  t.match(res.json(), { error: /^upstream storage/ })
})
