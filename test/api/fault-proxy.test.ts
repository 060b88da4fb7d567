import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { clientEndpoints, emulatorCredentialsInEnv } from '../helpers/emulators.js'
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { awsEndpointEnv } from '../helpers/processes.js'

emulatorCredentialsInEnv()

const LEAKS = /(Exception|ECONNRESET|Throttl|injected fault|InternalError|at .*\(|\.ts:\d)/

/** The shared demo store, with a fault-injecting proxy in front of each emulator: the faults happen in the proxies, and only the reads they pass reach the store. */
const embedded = await clientEndpoints((await buildTestApp(t)).aws)
const dynamo = await startFaultProxy(embedded.dynamodbEndpoint)
const s3 = await startFaultProxy(embedded.s3Endpoint)
t.teardown(() => Promise.all([dynamo.close(), s3.close()]))

const through = (extra: Record<string, string> = {}) =>
  buildTestApp(t, {
    ...awsEndpointEnv({ s3Endpoint: s3.endpoint, dynamodbEndpoint: dynamo.endpoint }),
    READY_CACHE_MS: '0',
    CACHE_TTL_SECONDS: '0',
    ...extra
  })

const setModes = (mode: FaultProxy['mode']) => {
  dynamo.mode = mode
  s3.mode = mode
}

t.test('through the proxy in pass mode, everything works', async (t) => {
  setModes('pass')
  const app = await through()
  t.equal((await app.inject({ method: 'GET', url: '/api/sites' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/api/optical/leyte_tongonan_20241230_0379' })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200)
})

t.test('fault classes: reset 503 + Retry-After, throttling 503 + Retry-After: 1, 500s 503, a hang 504', async (t) => {
  const app = await through({ AWS_MAX_ATTEMPTS: '1', AWS_REQUEST_TIMEOUT_MS: '300' })
  const expectations: [FaultProxy['mode'], number, string, string | undefined][] = [
    ['reset', 503, 'upstream storage is unavailable; retry later', '5'],
    ['throttle', 503, 'upstream storage is throttling requests; retry later', '1'],
    ['error500', 503, 'upstream storage is unavailable; retry later', '5'],
    ['hang', 504, 'upstream storage did not answer in time', undefined]
  ]
  for (const [mode, status, error, retryAfter] of expectations) {
    setModes(mode)
    // One DynamoDB read and one S3 read per fault class.
    for (const url of [
      '/api/thermal/leyte_tongonan_20241230_0379/stats',
      '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105'
    ]) {
      const res = await app.inject({ method: 'GET', url })
      t.equal(res.statusCode, status, `${mode}: ${url}`)
      t.same(res.json(), { error }, mode)
      t.equal(res.headers['retry-after'], retryAfter, `${mode}: Retry-After`)
      t.equal(res.headers['x-content-type-options'], 'nosniff', `${mode}: security headers`)
      t.notMatch(res.body, LEAKS)
    }
  }
  setModes('pass')
})

t.test('/ready names throttling as throttled, a reset as unreachable', async (t) => {
  const app = await through({ AWS_MAX_ATTEMPTS: '1' })
  dynamo.mode = 'throttle'
  s3.mode = 'pass'
  const throttled = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(throttled.statusCode, 503)
  t.same(throttled.json(), { status: 'unavailable', checks: { dynamodb: { status: 'down', reason: 'throttled' }, s3: { status: 'up' } } })
  dynamo.mode = 'pass'
  s3.mode = 'reset'
  const reset = await app.inject({ method: 'GET', url: '/ready' })
  t.same(reset.json(), { status: 'unavailable', checks: { dynamodb: { status: 'up' }, s3: { status: 'down', reason: 'unreachable' } } })
  setModes('pass')
})

t.test('after a burst of failures and one success, failing calls are retried again (AWS_MAX_ATTEMPTS=3)', async (t) => {
  const app = await through()
  setModes('pass')
  t.equal((await app.inject({ method: 'GET', url: '/api/thermal/leyte_tongonan_20241230_0379/stats' })).statusCode, 200)
  // Enough failing calls, each with its retries, to spend the standard retry quota.
  dynamo.mode = 'reset'
  const burst = Array.from({ length: 60 }, (_, i) => app.inject({ method: 'GET', url: `/api/thermal/burst_${i}/stats` }))
  const statuses = (await Promise.all(burst)).map((r) => r.statusCode)
  t.ok(
    statuses.every((s) => s === 503),
    'the burst is all 503'
  )

  dynamo.mode = 'pass'
  t.equal((await app.inject({ method: 'GET', url: '/api/thermal/leyte_tongonan_20241230_0379/stats' })).statusCode, 200, 'back')

  dynamo.mode = 'reset'
  const before = dynamo.requests
  for (let i = 0; i < 8; i++) {
    t.equal((await app.inject({ method: 'GET', url: `/api/thermal/after_${i}/stats` })).statusCode, 503)
  }
  t.equal(dynamo.requests - before, 24, '8 failing requests made 3 attempts each')
  setModes('pass')
})
