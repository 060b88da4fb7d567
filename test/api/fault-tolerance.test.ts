import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { startEmbedded } from '../../demo/embedded/emulators.js'
import { loadConfig } from '../../src/config.js'
import { buildTestApp } from '../helpers/app.js'
import { emulatorCredentialsInEnv, seededEmulators } from '../helpers/emulators.js'
import { awsEndpointEnv, freePort } from '../helpers/processes.js'

emulatorCredentialsInEnv()

const LEAKS = /(Exception|ECONNREFUSED|Throttl|Rate exceeded|at .*\(|\.ts:\d)/

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

t.test('emulators stop under a running app, then come back: 503/504, /ready names them, recovery without restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tv-fault-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const ports = { s3Port: await freePort(), dynamodbPort: await freePort() }
  const emulators = await seededEmulators(t, { dataDir, ...ports })

  const deadlineMs = 4000
  const app = await buildTestApp(t, {
    ...awsEndpointEnv(emulators),
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

  // The same ports and data directory: the app's endpoints and the seeded data are as they were.
  const restarted = await startEmbedded({ dataDir, ...ports, bucket: loadConfig({}).aws.bucket })
  t.teardown(() => restarted.close())
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
  const app = await buildTestApp(t, awsEndpointEnv(`http://127.0.0.1:${port}`))
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
    ...awsEndpointEnv(endpoint),
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
    ...awsEndpointEnv(endpoint),
    AWS_REQUEST_TIMEOUT_MS: '5000',
    REQUEST_TIMEOUT_MS: '400'
  })
  const res = await app.inject({ method: 'GET', url: '/api/sites' })
  t.equal(res.statusCode, 504)
  t.same(res.json(), { error: 'request did not complete within 400 ms' })
})
