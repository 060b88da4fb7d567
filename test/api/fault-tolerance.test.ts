import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { createAwsClients } from '../../src/aws/clients.js'
import { startEmbedded } from '../../demo/embedded/emulators.js'
import { loadConfig } from '../../src/config.js'
import { buildDemoDataset } from '../../demo/seed/demo-dataset.js'
import { seed } from '../../demo/seed/seeder.js'
import { buildTestApp } from '../helpers/app.js'
import { freePort } from '../helpers/processes.js'

// aws mode takes credentials from the SDK's default chain.
process.env.AWS_ACCESS_KEY_ID ??= 'S3RVER'
process.env.AWS_SECRET_ACCESS_KEY ??= 'S3RVER'

const LEAKS = /(Exception|ECONNREFUSED|Throttl|Rate exceeded|at .*\(|\.ts:\d)/
const names = loadConfig({}).aws

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

t.test('emulators stop under a running app, then come back: 503/504, /ready names them, recovery without restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tv-fault-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const ports = { s3Port: await freePort(), dynamodbPort: await freePort() }
  const start = () => startEmbedded({ dataDir, ...ports, bucket: names.bucket })

  let emulators = await start()
  t.teardown(() => emulators.close())
  const seeding = createAwsClients({
    region: names.region,
    s3Endpoint: emulators.s3Endpoint,
    dynamodbEndpoint: emulators.dynamodbEndpoint,
    s3ForcePathStyle: true,
    credentials: emulators.credentials
  })
  await seed(seeding, names, buildDemoDataset(), { putObjects: (o) => emulators.writeObjects(o) })
  seeding.destroy()

  const deadlineMs = 4000
  const app = await buildTestApp(t, {
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamodbEndpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_CONNECT_TIMEOUT_MS: '300',
    AWS_REQUEST_TIMEOUT_MS: '1000',
    REQUEST_TIMEOUT_MS: String(deadlineMs),
    READY_CACHE_MS: '0'
  })
  const cameras = '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105'
  const urls = ['/api/sites', '/api/periods?site=leyte&sector=tongonan', '/api/optical/leyte_tongonan_20241230_0379', cameras]
  for (const url of urls) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `up: ${url}`)

  await emulators.close()
  // Cached answers would still be served (for CACHE_TTL_SECONDS); the outage path starts from an empty cache.
  app.services.caches.clear()

  for (const url of urls) {
    const started = Date.now()
    const res = await app.inject({ method: 'GET', url })
    const elapsed = Date.now() - started
    t.ok([503, 504].includes(res.statusCode), `down: ${url} → ${res.statusCode}`)
    t.ok(elapsed <= deadlineMs + 1000, `answered within the deadline (${elapsed} ms)`)
    t.match(res.json(), { error: /retry later|did not answer|did not complete/ })
    t.notMatch(res.body, LEAKS)
  }
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), {
    status: 'unavailable',
    checks: { dynamodb: { status: 'down', reason: 'unreachable' }, s3: { status: 'down', reason: 'unreachable' } }
  })
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the process is still up')

  emulators = await start()
  const back = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(back.statusCode, 200, '/ready recovers')
  for (const url of urls) t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, `recovered: ${url}`)
})

t.test('DynamoDB throttling is a 503 with Retry-After', async (t) => {
  let calls = 0
  const peer = createServer((_req, res) => {
    calls++
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' })
    res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' }))
  })
  const port = await listen(peer)
  t.teardown(() => new Promise((resolve) => peer.close(resolve)))
  const app = await buildTestApp(t, {
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
    S3_FORCE_PATH_STYLE: 'true'
  })
  const res = await app.inject({ method: 'GET', url: '/api/sites' })
  t.equal(res.statusCode, 503)
  t.ok(Number(res.headers['retry-after']) >= 1)
  t.same(res.json(), { error: 'upstream storage is throttling requests; retry later' })
  t.equal(calls, 3, 'standard retries: 3 attempts')
  t.notMatch(res.body, LEAKS)
})

/** Accepts connections and never answers: the worst kind of upstream. */
async function silentPeer(t: { teardown(fn: () => unknown): void }) {
  const sockets = new Set<Socket>()
  const server = createTcpServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
  })
  const port = await listen(server)
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    return new Promise((resolve) => server.close(resolve))
  })
  return `http://127.0.0.1:${port}`
}

t.test('an AWS call that times out is a 504', async (t) => {
  const endpoint = await silentPeer(t)
  const app = await buildTestApp(t, {
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_TIMEOUT_MS: '300',
    AWS_MAX_ATTEMPTS: '1'
  })
  const res = await app.inject({ method: 'GET', url: '/api/thermal/leyte_tongonan_20241230_0379/stats' })
  t.equal(res.statusCode, 504)
  t.same(res.json(), { error: 'upstream storage did not answer in time' })
})

t.test('the overall request deadline answers 504 even when AWS calls would take longer', async (t) => {
  const endpoint = await silentPeer(t)
  const app = await buildTestApp(t, {
    DATA_SOURCE: 'aws',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_TIMEOUT_MS: '5000',
    REQUEST_TIMEOUT_MS: '400'
  })
  const res = await app.inject({ method: 'GET', url: '/api/sites' })
  t.equal(res.statusCode, 504)
  t.same(res.json(), { error: 'request did not complete within 400 ms' })
})
