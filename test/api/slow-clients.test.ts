import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import t from 'tap'
import { buildTestApp } from '../helpers/app.js'
import { rawExchange, trickle, type RawResponse } from '../helpers/raw-http.js'

/**
 * Node's socket limits, set short through config, against a real listener:
 * slow and idle clients are cut within about a second of the limit, with the
 * API's error shape when nothing has been answered yet, and others are served meanwhile.
 */
const HEADERS_MS = 800
const REQUEST_MS = 1500
const SLACK_MS = 1000 + 700 // Node's check interval, plus a loaded machine
const app = await buildTestApp(t, {
  HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
  HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
  REQUEST_TIMEOUT_MS: '5000',
  RATE_LIMIT_MAX: '0'
})
await app.listen({ port: 0, host: '127.0.0.1' })
const port = (app.server.address() as AddressInfo).port

function assertErrorShape(t: Test, res: RawResponse, status: number) {
  t.equal(res.status, status, `status ${status} (got ${res.status})`)
  t.same(Object.keys(JSON.parse(res.body) as object), ['error'], 'the { error } body')
  t.match(res.headers['x-request-id'], /^[0-9a-f-]{36}$/, 'a request id')
  t.equal(res.headers['x-content-type-options'], 'nosniff', 'security headers')
  t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
}

/** While a slow client is held, a normal one is answered. */
async function othersServed(t: Test) {
  const res = await fetch(`http://127.0.0.1:${port}/api/sites`)
  t.equal(res.status, 200, 'another client is served meanwhile')
  await res.arrayBuffer()
}

t.test('a header slowloris gets 408 within about a second of HTTP_HEADERS_TIMEOUT_MS', async (t) => {
  const pending = rawExchange(
    port,
    (socket) => {
      socket.write('GET /api/sites HTTP/1.1\r\nHost: x\r\n')
      trickle(
        socket,
        Array.from({ length: 100 }, (_, i) => `X-Slow-${i}: y\r\n`),
        100
      )
    },
    HEADERS_MS + SLACK_MS + 2000
  )
  await othersServed(t)
  const res = await pending
  t.ok(res.closed, `closed after ${res.elapsedMs} ms`)
  t.ok(res.elapsedMs >= HEADERS_MS - 50 && res.elapsedMs <= HEADERS_MS + SLACK_MS, `within the limit (${res.elapsedMs} ms)`)
  assertErrorShape(t, res, 408)
})

t.test('a body that never arrives is answered 408 and closed within HTTP_REQUEST_TIMEOUT_MS', async (t) => {
  const pending = rawExchange(
    port,
    (socket) => {
      socket.write('POST /api/sites HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n')
      trickle(
        socket,
        Array.from({ length: 100 }, () => ' '),
        100
      )
    },
    REQUEST_MS + SLACK_MS + 2000
  )
  await othersServed(t)
  const res = await pending
  t.ok(res.closed, `closed after ${res.elapsedMs} ms`)
  t.ok(res.elapsedMs <= REQUEST_MS + SLACK_MS, `within the limit (${res.elapsedMs} ms)`)
  assertErrorShape(t, res, 408)
})

t.test('a GET that declares a body and trickles it is closed within HTTP_REQUEST_TIMEOUT_MS', async (t) => {
  const res = await rawExchange(
    port,
    (socket) => {
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
      trickle(
        socket,
        Array.from({ length: 100 }, () => 'x'),
        100
      )
    },
    REQUEST_MS + SLACK_MS + 2000
  )
  t.ok(res.closed, `closed after ${res.elapsedMs} ms`)
  t.ok(res.elapsedMs <= REQUEST_MS + SLACK_MS, `within the limit (${res.elapsedMs} ms)`)
  t.equal(res.status, 200, 'the GET itself was answered (it needs no body)')
})

t.test('an idle connection that never sends a request is closed within HTTP_HEADERS_TIMEOUT_MS', async (t) => {
  const pending = rawExchange(port, () => {}, HEADERS_MS + SLACK_MS + 2000)
  await othersServed(t)
  const res = await pending
  t.ok(res.closed, `closed after ${res.elapsedMs} ms`)
  t.ok(res.elapsedMs <= HEADERS_MS + SLACK_MS, `within the limit (${res.elapsedMs} ms)`)
})

t.test('malformed requests, oversized headers and smuggling attempts get the { error } shape from the parser', async (t) => {
  const cases: [string, string, number][] = [
    ['not HTTP', 'GARBAGE\r\n\r\n', 400],
    ['headers over 16 KB', `GET /api/sites HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    [
      'Content-Length and Transfer-Encoding',
      'POST /api/sites HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400
    ],
    ['two Content-Lengths', 'POST /api/sites HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd', 400],
    ['bare LF in a header', 'GET /api/sites HTTP/1.1\r\nHost: x\r\nX-A: b\nX-Injected: 1\r\n\r\n', 400],
    ['a space before the colon', 'GET /api/sites HTTP/1.1\r\nHost : x\r\n\r\n', 400]
  ]
  for (const [name, raw, status] of cases) {
    const res = await rawExchange(port, (socket) => socket.write(raw), 3000)
    t.ok(res.closed, `${name}: closed`)
    assertErrorShape(t, res, status)
  }
  // Node reads a Transfer-Encoding that does not end in `chunked` as no body at all: nothing is smuggled behind it.
  const obfuscated = await rawExchange(
    port,
    (s) =>
      s.write(
        'POST /api/sites HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nConnection: close\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n'
      ),
    3000
  )
  t.ok([400, 404].includes(obfuscated.status ?? 0), `obfuscated Transfer-Encoding: ${obfuscated.status}`)
  t.notMatch(obfuscated.text, /"status":"healthy"/, 'the request hidden in its body is never served')
})

// The 503 for requests that begin after the shutdown drain, in the { error } shape, is test/deploy/lame-duck.test.ts's.
t.test('a request whose headers began before close() is still served in full', async (t) => {
  let release!: () => void
  const started = new Promise<void>((resolve) => (release = resolve))
  const pending = rawExchange(
    port,
    (socket) => {
      // Mid-headers when close() begins: not an idle connection, so it is left to finish its request.
      socket.write('GET /api/sites HTTP/1.1\r\nHost: x\r\n')
      release()
      setTimeout(() => socket.write('\r\n'), 300)
    },
    5000
  )
  await started
  await new Promise((resolve) => setTimeout(resolve, 100))
  const closed = app.close()
  const res = await pending
  await closed
  t.equal(res.status, 200)
  t.same(JSON.parse(res.body), ['leyte', 'upper-rhine'])
})
