import t from 'tap'
import { buildApp } from '../../src/app.js'
import { buildTestApp, testAppOptions } from '../helpers/app.js'

t.test("security headers: the OWASP REST set on the API, helmet's whole set on the Swagger UI pages", async (t) => {
  const app = await buildTestApp(t)
  for (const url of ['/api/sites', '/api/optical/nope', '/no/such/route', '/openapi.json']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url}: nosniff`)
    t.equal(res.headers['x-frame-options'], 'DENY', `${url}: never framed`)
    t.equal(res.headers['content-security-policy'], "frame-ancestors 'none'", `${url}: never framed (CSP)`)
    t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', `${url}: HSTS`)
    t.notOk(res.headers['x-dns-prefetch-control'], `${url}: no document-only headers`)
    t.notOk(res.headers['x-powered-by'])
  }
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-security-policy'], /script-src 'self'/, 'Swagger UI keeps its CSP')
  t.match(docs.headers['content-security-policy'], /frame-ancestors 'self'/)
  t.equal(docs.headers['x-frame-options'], 'SAMEORIGIN', "helmet's value, consistent with the page CSP")
  t.equal(docs.headers['x-dns-prefetch-control'], 'off')
  t.equal(docs.headers['cross-origin-opener-policy'], 'same-origin')
  t.equal(docs.headers['x-content-type-options'], 'nosniff')
})

t.test('rate limit per client IP, one proxy hop trusted, probes exempt', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' })
  const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.250, ${ip}` })
  for (let i = 0; i < 3; i++) {
    const ok = await app.inject({ method: 'GET', url: '/api/sites', headers: from('198.51.100.1') })
    t.equal(ok.statusCode, 200)
    t.equal(ok.headers['x-ratelimit-limit'], '3')
    t.equal(ok.headers['x-ratelimit-remaining'], String(2 - i))
  }
  const limited = await app.inject({ method: 'GET', url: '/api/sites', headers: from('198.51.100.1') })
  t.equal(limited.statusCode, 429)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After')
  t.match(limited.json(), { error: /^rate limit exceeded/ })
  t.same(Object.keys(limited.json()), ['error'])
  t.equal(limited.headers['x-content-type-options'], 'nosniff', 'a 429 carries the security headers')
  t.equal(limited.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')

  // The ALB appends the client address as the last hop; the first (spoofable) entry is ignored.
  const other = await app.inject({ method: 'GET', url: '/api/sites', headers: from('198.51.100.2') })
  t.equal(other.statusCode, 200, 'another client has its own budget')
  for (let i = 0; i < 5; i++) {
    t.equal((await app.inject({ method: 'GET', url: '/health', headers: from('198.51.100.1') })).statusCode, 200)
  }
  t.equal((await app.inject({ method: 'GET', url: '/ready', headers: from('198.51.100.1') })).statusCode, 200)
})

t.test('GET /ready checks DynamoDB and S3', async (t) => {
  const app = await buildTestApp(t)
  app.aws.calls.reset()
  const res = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ready', checks: { dynamodb: { status: 'up' }, s3: { status: 'up' } } })
  t.same(app.aws.calls.snapshot(), { 'DynamoDB.DescribeTable': 2, 'S3.HeadBucket': 1 })
  await app.inject({ method: 'GET', url: '/ready' })
  t.equal(app.aws.calls.total(), 3, 'a second probe within READY_CACHE_MS is served from the cache')
})

t.test('/metrics: request durations per route and status, AWS calls by operation', async (t) => {
  const app = await buildTestApp(t)
  await app.inject({ method: 'GET', url: '/api/sites' })
  await app.inject({ method: 'GET', url: '/api/optical/leyte_tongonan_20241230_0379' })
  await app.inject({ method: 'GET', url: '/api/optical/nope' })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/plain/)
  t.match(res.body, /http_request_duration_seconds_count\{method="GET",route="\/api\/sites",status_code="200"\} 1/)
  t.match(res.body, /http_request_duration_seconds_count\{method="GET",route="\/api\/optical\/:image_id",status_code="404"\} 1/)
  t.match(res.body, /aws_calls_total\{service="DynamoDB",operation="Scan"\} 1/)
  t.match(res.body, /aws_calls_total\{service="DynamoDB",operation="GetItem"\} 2/)
  t.match(res.body, /process_resident_memory_bytes/)
})

t.test('/metrics: pad-level loads running and waiting, as the limit holds them', async (t) => {
  const app = await buildTestApp(t, { PAD_LOAD_CONCURRENCY: '1' })
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.match(await scrape(), /pad_loads\{state="running"\} 0\npad_loads\{state="waiting"\} 0/)
  t.match(await scrape(), /# HELP pad_loads .*at most 1 run at once: PAD_LOAD_CONCURRENCY/)

  const releases: Array<() => void> = []
  const held = () => app.services.padLoads.run(() => new Promise<void>((resolve) => releases.push(resolve)))
  const loads = [held(), held(), held()]
  t.match(await scrape(), /pad_loads\{state="running"\} 1\npad_loads\{state="waiting"\} 2/)
  while (releases.length > 0 || app.services.padLoads.load.running > 0) {
    releases.shift()?.()
    await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(loads)
  t.match(await scrape(), /pad_loads\{state="running"\} 0\npad_loads\{state="waiting"\} 0/)
})

t.test('/metrics can be protected or turned off', async (t) => {
  const token = 'a-long-metrics-scrape-token'
  const guarded = await buildTestApp(t, { METRICS_TOKEN: token })
  t.equal((await guarded.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  t.equal(
    (await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-but-long-token' } })).statusCode,
    401
  )
  t.equal((await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })).statusCode, 200)
  const off = await buildTestApp(t, { METRICS_ENABLED: 'false' })
  t.equal((await off.inject({ method: 'GET', url: '/metrics' })).statusCode, 404)
})

t.test('one JSON log line per request with id, route, status, duration and AWS calls; secrets redacted', async (t) => {
  const lines: Record<string, any>[] = []
  const app = await buildApp({
    ...(await testAppOptions(t, { LOG_LEVEL: 'info' })),
    logStream: { write: (line: string) => void lines.push(JSON.parse(line)) }
  })
  t.teardown(() => app.close())
  await app.ready()
  lines.length = 0
  const secret = 'Bearer super-secret-token-value'
  await app.inject({
    method: 'GET',
    url: '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105',
    headers: { 'x-request-id': 'trace-42', authorization: secret, 'x-api-key': 'also-secret' }
  })
  const done = lines.find((l) => l.msg === 'request completed')
  t.ok(done, 'a completion line')
  t.match(done, {
    reqId: 'trace-42',
    method: 'GET',
    route: '/api/mosaic/cameras',
    status: 200,
    aws: { 'S3.GetObject': 1, 'DynamoDB.Query': 1 }
  })
  t.same(done!.aws, { 'S3.GetObject': 1, 'DynamoDB.Query': 1 }, 'exactly the calls of this request')
  t.type(done!.duration_ms, 'number')

  await app.inject({
    method: 'GET',
    url: '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105',
    headers: { 'x-request-id': 'trace-43' }
  })
  const again = lines.find((l) => l.msg === 'request completed' && l.reqId === 'trace-43')
  t.match(again, { route: '/api/mosaic/cameras', status: 200 })
  t.same(again!.aws, {}, 'a cache hit makes no AWS call')
  const all = JSON.stringify(lines)
  t.notMatch(all, /super-secret-token-value|also-secret/, 'credentials never reach the log')
})

t.test('the redaction paths cover credentials when request headers are logged', async (t) => {
  const lines: string[] = []
  const app = await buildApp({
    ...(await testAppOptions(t, { LOG_LEVEL: 'info' })),
    logStream: { write: (l: string) => void lines.push(l) }
  })
  t.teardown(() => app.close())
  app.log.info(
    { headers: { authorization: 'Bearer xyz-secret', 'x-api-key': 'key-secret', cookie: 'c-secret', accept: 'json' } },
    'headers'
  )
  const line = lines.find((l) => l.includes('"headers"'))!
  t.notMatch(line, /xyz-secret|key-secret|c-secret/)
  t.match(line, /\[redacted\]/)
  t.match(line, /"accept":"json"/)
})

t.test('a blocked event loop sheds API traffic with 503, while probes still answer', async (t) => {
  // under-pressure compares the *mean* delay of a sampling window: one stall is averaged
  // with the window's normal samples, so the threshold is low and the stall long.
  const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '10' })
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  await sleep(1200) // past the start-up grace
  t.equal((await app.inject({ method: 'GET', url: '/api/sites' })).statusCode, 200, 'not under pressure yet')
  // Block the loop for longer than a whole sampling interval, then let one sample land.
  const until = Date.now() + 2000
  while (Date.now() < until) {
    /* busy */
  }
  // The next samples report the stall; poll until one does (bounded), then until it clears.
  let shed: Awaited<ReturnType<typeof app.inject>> | undefined
  const seen: number[] = []
  for (let i = 0; i < 100 && !shed; i++) {
    const res = await app.inject({ method: 'GET', url: '/api/sites' })
    seen.push(res.statusCode)
    if (res.statusCode === 503) shed = res
    else await sleep(20)
  }
  t.ok(shed, `API traffic was shed after the stall (${seen.join(',')})`)
  t.same(shed?.json(), { error: 'server is overloaded; retry later' })
  t.equal(shed?.headers['retry-after'], '5')
  t.equal(shed?.headers['x-frame-options'], 'DENY', 'a shed 503 carries the security headers')
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'liveness probe still answers')
  let recovered = false
  for (let i = 0; i < 100 && !recovered; i++) {
    recovered = (await app.inject({ method: 'GET', url: '/api/sites' })).statusCode === 200
    if (!recovered) await sleep(50)
  }
  t.ok(recovered, 'traffic flows again once the loop is healthy')
})

t.test('TRUST_PROXY by network: a spoofed X-Forwarded-For from an untrusted peer does not escape the limit', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '20', RATE_LIMIT_WINDOW_MS: '60000' })
  const burst = async (remoteAddress: string, xff: (i: number) => string) => {
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) {
      const res = await app.inject({ method: 'GET', url: '/api/sites', remoteAddress, headers: { 'x-forwarded-for': xff(i) } })
      statuses.push(res.statusCode)
    }
    return statuses
  }
  const direct = await burst('203.0.113.9', (i) => `198.51.100.${i}`)
  t.equal(direct.filter((s) => s === 200).length, 20, 'a direct client with a fresh XFF each time: 20 served')
  t.equal(direct.filter((s) => s === 429).length, 10, 'and the rest limited')

  const viaAlb = await burst('10.0.3.7', (i) => `203.0.113.250, 192.0.2.${i}`)
  t.ok(
    viaAlb.every((s) => s === 200),
    'behind a trusted ALB each client address has its own budget, as before'
  )

  const garbage = await burst('10.0.3.8', (i) => `not-an-ip-${i}`)
  t.equal(garbage.filter((s) => s === 200).length, 20, 'non-IP entries are never a client address of their own')
  const long = await burst('10.0.3.9', (i) => [...Array.from({ length: 499 }, (_, j) => `10.9.${j % 256}.${i}`), 'junk'].join(', '))
  t.equal(long.filter((s) => s === 200).length, 20, 'nor is a 500-entry list')
})

t.test('/metrics is rate-limited on the API listener, and on METRICS_PORT it has a listener of its own', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_MAX: '3' })
  const statuses: number[] = []
  for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/metrics' })).statusCode)
  t.same(statuses, [200, 200, 200, 429])

  const { buildMetricsApp } = await import('../../src/app.js')
  const token = 'a-long-metrics-scrape-token'
  const options = await testAppOptions(t, {
    METRICS_PORT: '9464',
    METRICS_TOKEN: token,
    AUTH_MODE: 'api-key',
    API_KEY_HASHES: 'a'.repeat(64)
  })
  const { config } = options
  const split = await buildApp(options)
  t.teardown(() => split.close())
  // An unknown path asks for credentials first under AUTH_MODE (a 404 would tell a stranger which paths exist).
  const onApi = await split.inject({ method: 'GET', url: '/metrics' })
  t.equal(onApi.statusCode, 401, 'not served on the API listener')
  t.notMatch(onApi.body, /http_request_duration_seconds/)
  const metrics = await buildMetricsApp({ config, registry: split.metrics.registry })
  t.teardown(() => metrics.close())
  t.equal((await metrics.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'METRICS_TOKEN still applies')
  for (let i = 0; i < 5; i++) {
    const res = await metrics.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })
    t.equal(res.statusCode, 200)
  }
})
