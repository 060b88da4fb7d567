import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { rawExchange } from '../helpers/raw-http.js'

/**
 * Property: whatever a client sends, the answer is < 500, every error has the
 * documented `{ error }` shape, and nothing internal leaks. Successful answers
 * are checked against the OpenAPI document by the test helper as they arrive.
 */
// Rate limiting and load shedding are off here: the generator shares the app's event
// loop and would trip both; each has its own test (observability.test.ts, below).
const app = await buildTestApp(t, { RATE_LIMIT_MAX: '0', MAX_EVENT_LOOP_DELAY_MS: '0' })

const RUNS = 2200
const LEAK = /(\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d|Exception\b|ECONN|\$metadata|TypeError|ReferenceError|Cannot read)/

/** Strings a hostile or careless client sends. */
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('..', '../x', '../../etc/passwd', 'a/../b', '..%2Fx', 'a%2Fb', '%2e%2e%2f', '%00', '%', '%zz', '%E0%A4%A', '\u0000', '\r\nX-Injected: 1', '<script>', "' OR 1=1 --", '{"$ne":null}', '*', '', ' ', 'null', 'undefined', 'NaN', '__proto__', 'constructor', 'leyte#tongonan', 'tongonan#20241230'),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'x'.repeat(n)),
  // Values that pass the allow-lists: the request then reaches the emulators.
  fc.constantFrom('leyte', 'tongonan', '20241230', '20241231-PMSB', 'leyte_tongonan_PAD_105', 'leyte_tongonan_20241230_0379', 'upper-rhine', 'optical', 'medical', 'hotspot_alert'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/)
)

/** Percent-encode, or sometimes send the raw characters (as a broken client would). */
const encode = (value: string, raw: boolean) =>
  raw ? value.replace(/[#?&\s]/g, (c) => encodeURIComponent(c)) : encodeURIComponent(value)

const QUERY_PARAMS = ['site', 'sector', 'period', 'pad_id', 'mosaic_type', 'palette', 'extra']

const queryString = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_PARAMS), hostile, fc.boolean()), { maxLength: 8 })
  .map((pairs) => pairs.map(([k, v, raw]) => `${k}=${encode(v, raw)}`).join('&'))

const routes: fc.Arbitrary<string>[] = [
  fc.constant('/health'),
  fc.constant('/ready'),
  fc.constant('/'),
  queryString.map((q) => `/api/sites?${q}`),
  queryString.map((q) => `/api/sectors?${q}`),
  queryString.map((q) => `/api/periods?${q}`),
  queryString.map((q) => `/api/pads?${q}`),
  ...['metadata', 'orthomosaic', 'cameras'].map((r) => queryString.map((q) => `/api/mosaic/${r}?${q}`)),
  fc.tuple(hostile, fc.boolean()).map(([id, raw]) => `/api/optical/${encode(id, raw)}`),
  fc.tuple(hostile, fc.boolean(), queryString).map(([id, raw, q]) => `/api/thermal/${encode(id, raw)}?${q}`),
  fc.tuple(hostile, fc.boolean()).map(([id, raw]) => `/api/thermal/${encode(id, raw)}/stats`),
  queryString.map((q) => `/api/coverage/stats?${q}`)
]

t.test(`${RUNS} hostile requests across every operation`, async (t) => {
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(fc.oneof(...routes), async (url) => {
      const res = await app.inject({ method: 'GET', url })
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${url}: ${res.body}`)
      if (LEAK.test(res.body)) throw new Error(`internal detail leaked for ${url}: ${res.body.slice(0, 300)}`)
      if (res.statusCode >= 400) {
        const body = res.json()
        if (typeof body.error !== 'string' || Object.keys(body).length !== 1) throw new Error(`bad error body for ${url}: ${res.body}`)
      }
    }),
    { numRuns: RUNS, seed: 20261122, endOnFailure: true }
  )
  const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')
  t.comment(`statuses: ${summary}`)
  t.ok((statuses.get(400) ?? 0) > RUNS / 4, 'most hostile input is rejected with 400')
  t.ok((statuses.get(200) ?? 0) > 50, 'some generated requests are valid and succeed')
  t.equal([...statuses.keys()].filter((s) => s >= 500).length, 0, 'no 5xx at all')
})

t.test('repeated parameters are a 400 naming the parameter', async (t) => {
  for (const url of [
    '/api/sectors?site=leyte&site=leyte',
    '/api/mosaic/cameras?site=leyte&sector=tongonan&period=20241230&pad_id=a&pad_id=b',
    '/api/thermal/leyte_tongonan_20241230_0379?palette=medical&palette=hotspot_alert'
  ]) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().error, /parameter '(site|pad_id|palette)'/)
  }
})

/**
 * The same property over a real socket, for what `inject` cannot send: request
 * smuggling, CR/LF and control bytes in every header the app reads, huge and
 * many headers, bytes that are not UTF-8, methods with bodies, and clients
 * that send slowly. Every answer is < 500, has the `{ error }` shape when it
 * is an error, leaks nothing, and the server still answers at the end.
 */
t.test('raw HTTP: smuggling, header injection, huge and many headers, bad encodings, methods with bodies, slow clients', async (t) => {
  const live = await buildTestApp(t, { RATE_LIMIT_MAX: '0', MAX_EVENT_LOOP_DELAY_MS: '0' })
  await live.listen({ port: 0, host: '127.0.0.1' })
  const port = (live.server.address() as AddressInfo).port

  const READ_HEADERS = ['x-request-id', 'authorization', 'x-api-key', 'origin', 'x-forwarded-for', 'if-none-match', 'accept-encoding', 'access-control-request-method', 'access-control-request-headers', 'host']
  const headerValue = fc.oneof(
    fc.constantFrom('a\rb', 'a\nInjected: 1', '\r\n\r\nGET /health HTTP/1.1', 'a\u0000b', '\u00ff\u00fe', ' leading', 'Bearer \r\n', '%0d%0aSet-Cookie: x=1', '\u001b[31m', 'W/"x"\r', 'br;q=2, *;q=-1', '1.2.3.4, \u0000', '::ffff:999.1.1.1'),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer({ min: 100, max: 9000 }).map((n) => 'h'.repeat(n))
  )
  const path = fc.oneof(
    fc.constantFrom('/api/sites', '/api/optical/leyte_tongonan_20241230_0379', '/health', '/ready', '/', '/metrics', '/docs/', '/openapi.json'),
    fc.constantFrom('/api/optical/%c0%af', '/api/optical/%u0041', '/api/thermal/\u00ff\u00fe/stats', '/api/sectors?site=\u00e9\u00ff', '/%2e%2e/%2e%2e/etc/passwd', '/api/optical/%E0%A4%A', '//api//sites', '/api/sites/../sites', '*', 'http://evil.example/api/sites', '/api/sites#frag', '/\u0000')
  )
  const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'G ET')
  const body = fc.oneof(fc.constant(''), fc.constant('{"site":"leyte"}'), fc.constant('a=1&b=2'), fc.string({ unit: 'binary', maxLength: 200 }), fc.constant('x'.repeat(5000)))
  const framing = fc.constantFrom('content-length', 'chunked', 'cl+te', 'te+cl', 'double-cl', 'bad-chunk', 'none')
  const request = fc.record({ method, path, body, framing, header: fc.constantFrom(...READ_HEADERS), value: headerValue, many: fc.boolean(), slow: fc.boolean() })

  const build = (r: { method: string; path: string; body: string; framing: string; header: string; value: string; many: boolean }) => {
    // Connection: close first, so that even a request cut short by an injected CR LF asks for it.
    const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Connection: close', r.header === 'host' ? `Host: ${r.value}` : 'Host: 127.0.0.1']
    if (r.header !== 'host') lines.push(`${r.header}: ${r.value}`)
    if (r.many) for (let i = 0; i < 300; i++) lines.push(`X-Filler-${i}: ${i}`)
    const len = Buffer.byteLength(r.body, 'latin1')
    const chunked = `${len.toString(16)}\r\n${r.body}\r\n0\r\n\r\n`
    let payload = ''
    if (r.framing === 'content-length') (lines.push(`Content-Length: ${len}`), (payload = r.body))
    if (r.framing === 'chunked') (lines.push('Transfer-Encoding: chunked'), (payload = chunked))
    if (r.framing === 'cl+te') (lines.push(`Content-Length: ${len}`, 'Transfer-Encoding: chunked'), (payload = chunked))
    if (r.framing === 'te+cl') (lines.push('Transfer-Encoding: chunked', 'Content-Length: 3'), (payload = chunked))
    if (r.framing === 'double-cl') (lines.push(`Content-Length: ${len}`, `Content-Length: ${len + 1}`), (payload = r.body))
    if (r.framing === 'bad-chunk') (lines.push('Transfer-Encoding: chunked'), (payload = `zz\r\n${r.body}\r\n0\r\n\r\n`))
    // A request smuggled behind the first must never be answered on its own.
    return `${lines.join('\r\n')}\r\n\r\n${payload}GET /health?smuggled=1 HTTP/1.1\r\nHost: x\r\n\r\n`
  }

  const statuses = new Map<number | string, number>()
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const raw = build(r)
      const res = await rawExchange(
        port,
        (socket) => {
          const bytes = Buffer.from(raw, 'latin1')
          if (!r.slow) return void socket.write(bytes)
          // A slow client: the request in three parts, a little apart.
          const third = Math.ceil(bytes.length / 3)
          socket.write(bytes.subarray(0, third))
          setTimeout(() => socket.write(bytes.subarray(third, 2 * third)), 30)
          setTimeout(() => socket.write(bytes.subarray(2 * third)), 60)
        },
        5000
      )
      const key = res.status ?? 'none'
      statuses.set(key, (statuses.get(key) ?? 0) + 1)
      const label = `${JSON.stringify(raw.slice(0, 160))} → ${res.text.slice(0, 200)}`
      if (!res.status) throw new Error(`no answer: ${label}`)
      if (res.status >= 500) throw new Error(`5xx: ${label}`)
      if (LEAK.test(res.text)) throw new Error(`leak: ${label}`)
      // Each request asks to close the connection: a second response means bytes were read as a request of their own.
      if ((res.text.match(/HTTP\/1\.1 \d{3} /g) ?? []).length > 1) throw new Error(`smuggled request answered: ${label}`)
      if (res.status >= 400 && r.method !== 'HEAD') {
        const parsed = JSON.parse(res.body) as Record<string, unknown>
        if (typeof parsed.error !== 'string' || Object.keys(parsed).length !== 1) throw new Error(`bad error body: ${label}`)
      }
      if (res.headers['x-content-type-options'] !== 'nosniff') throw new Error(`no security headers: ${label}`)
    }),
    { numRuns: 400, seed: 20261201, endOnFailure: true }
  )
  t.comment(`raw statuses: ${[...statuses.entries()].map(([s, n]) => `${s}×${n}`).join(' ')}`)
  const health = await fetch(`http://127.0.0.1:${port}/health`)
  t.equal(health.status, 200, 'still up: no crash')
  t.ok((statuses.get(400) ?? 0) > 20, 'many raw requests are refused by the parser with 400')
})
