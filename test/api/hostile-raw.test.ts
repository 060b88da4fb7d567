import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { rawExchange } from '../helpers/raw-http.js'

// The hostile-input property of hostile-input.test.ts, over a real socket (its own file, to keep each file short).
const LEAK = /(\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d|Exception\b|ECONN|\$metadata|TypeError|ReferenceError|Cannot read)/

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

  const READ_HEADERS = [
    'x-request-id',
    'authorization',
    'x-api-key',
    'origin',
    'x-forwarded-for',
    'if-none-match',
    'accept-encoding',
    'access-control-request-method',
    'access-control-request-headers',
    'host'
  ]
  const headerValue = fc.oneof(
    fc.constantFrom(
      'a\rb',
      'a\nInjected: 1',
      '\r\n\r\nGET /health HTTP/1.1',
      'a\u0000b',
      '\u00ff\u00fe',
      ' leading',
      'Bearer \r\n',
      '%0d%0aSet-Cookie: x=1',
      '\u001b[31m',
      'W/"x"\r',
      'br;q=2, *;q=-1',
      '1.2.3.4, \u0000',
      '::ffff:999.1.1.1'
    ),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer({ min: 100, max: 9000 }).map((n) => 'h'.repeat(n))
  )
  const path = fc.oneof(
    fc.constantFrom(
      '/api/sites',
      '/api/optical/leyte_tongonan_20241230_0379',
      '/health',
      '/ready',
      '/',
      '/metrics',
      '/docs/',
      '/openapi.json'
    ),
    fc.constantFrom(
      '/api/optical/%c0%af',
      '/api/optical/%u0041',
      '/api/thermal/\u00ff\u00fe/stats',
      '/api/sectors?site=\u00e9\u00ff',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/api/optical/%E0%A4%A',
      '//api//sites',
      '/api/sites/../sites',
      '*',
      'http://evil.example/api/sites',
      '/api/sites#frag',
      '/\u0000'
    )
  )
  const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'get', 'G ET')
  const body = fc.oneof(
    fc.constant(''),
    fc.constant('{"site":"leyte"}'),
    fc.constant('a=1&b=2'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constant('x'.repeat(5000))
  )
  const framing = fc.constantFrom('content-length', 'chunked', 'cl+te', 'te+cl', 'double-cl', 'bad-chunk', 'none')
  const request = fc.record({
    method,
    path,
    body,
    framing,
    header: fc.constantFrom(...READ_HEADERS),
    value: headerValue,
    many: fc.boolean(),
    slow: fc.boolean()
  })

  const build = (r: { method: string; path: string; body: string; framing: string; header: string; value: string; many: boolean }) => {
    // Connection: close first, so that even a request cut short by an injected CR LF asks for it.
    const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Connection: close', r.header === 'host' ? `Host: ${r.value}` : 'Host: 127.0.0.1']
    if (r.header !== 'host') lines.push(`${r.header}: ${r.value}`)
    if (r.many) for (let i = 0; i < 300; i++) lines.push(`X-Filler-${i}: ${i}`)
    const len = Buffer.byteLength(r.body, 'latin1')
    const chunked = `${len.toString(16)}\r\n${r.body}\r\n0\r\n\r\n`
    let payload = ''
    if (r.framing === 'content-length') {
      lines.push(`Content-Length: ${len}`)
      payload = r.body
    }
    if (r.framing === 'chunked') {
      lines.push('Transfer-Encoding: chunked')
      payload = chunked
    }
    if (r.framing === 'cl+te') {
      lines.push(`Content-Length: ${len}`, 'Transfer-Encoding: chunked')
      payload = chunked
    }
    if (r.framing === 'te+cl') {
      lines.push('Transfer-Encoding: chunked', 'Content-Length: 3')
      payload = chunked
    }
    if (r.framing === 'double-cl') {
      lines.push(`Content-Length: ${len}`, `Content-Length: ${len + 1}`)
      payload = r.body
    }
    if (r.framing === 'bad-chunk') {
      lines.push('Transfer-Encoding: chunked')
      payload = `zz\r\n${r.body}\r\n0\r\n\r\n`
    }
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
