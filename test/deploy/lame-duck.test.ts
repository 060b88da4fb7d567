import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type AddressInfo, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { ENV_FILE_FLAG, npmStartFlags } from '../../scripts/start-command.js'
import { seededEmulators } from '../helpers/emulators.js'
import { awsModeEnv, childEnv, freePort, tcpSockets } from '../helpers/processes.js'

/**
 * Shutdown as it happens in production: the real server process with
 * DATA_SOURCE=aws and NODE_ENV=production, against DynamoDB and S3 emulators
 * started separately (here, in the test process), each case with a fresh
 * process and so cold caches. The load balancer's side is played by pooled
 * keep-alive clients (undici, which is also what global fetch uses).
 */

t.setTimeout(300_000)

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DRAIN_MS = 2000
/** How soon after the drain window and the last response the process must be gone. */
const EXIT_SLACK_MS = 2000
const CONCURRENCY = 40
const FEATURES = 394
const CAMERAS = '/api/mosaic/cameras?site=upper-rhine&sector=insheim&period=20250629&pad_id=upper-rhine_insheim_PAD_A1'
const NAMES = {
  bucket: 'lame-duck-bucket',
  imagesTable: 'lame-duck-images',
  padsTable: 'lame-duck-pads',
  jobsTable: 'lame-duck-jobs',
  measurementsTable: 'lame-duck-measurements'
}
const REGION = 'eu-central-1'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A TCP proxy in front of an emulator that can hold what clients send, to keep a request in flight on purpose. */
async function gatedProxy(target: string) {
  const { hostname, port } = new URL(target)
  let open = true
  const held: Array<() => void> = []
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => undefined)
      s.on('close', () => sockets.delete(s))
    }
    upstream.pipe(client)
    client.on('data', (chunk: Buffer) => {
      if (open) upstream.write(chunk)
      else {
        client.pause()
        held.push(() => {
          upstream.write(chunk)
          client.resume()
        })
      }
    })
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => (open = false),
    release: () => {
      open = true
      for (const f of held.splice(0)) f()
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      server.close()
      await once(server, 'close')
    }
  }
}

const emulators = await seededEmulators(t, { names: NAMES, region: REGION })
const s3 = await gatedProxy(emulators.s3Endpoint)
t.teardown(() => s3.close())

interface Server {
  port: number
  child: ChildProcess
  exited: Promise<[number | null, NodeJS.Signals | null]>
  /** Date.now() at exit. */
  exitedAt: () => number | undefined
  output: () => string
}

/**
 * The production process (`npm start`'s node flags, DATA_SOURCE=aws, NODE_ENV=production), up and
 * answering /health. Not the checkout's `.env`: this test says all the environment it wants.
 */
async function startServer(t: Test, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort()
  const noAwsFiles = `${ROOT}no-such-aws-config`
  const child = spawn(process.execPath, [...npmStartFlags(ROOT).filter((f) => f !== ENV_FILE_FLAG), '--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...childEnv(),
      ...awsModeEnv({
        region: REGION,
        names: NAMES,
        s3Endpoint: s3.endpoint,
        dynamodbEndpoint: emulators.dynamodbEndpoint,
        credentials: emulators.credentials,
        noAwsFiles
      }),
      HOST: '127.0.0.1',
      PORT: String(port),
      // The emulators share this test process with the clients, on a small machine.
      AWS_REQUEST_TIMEOUT_MS: '30000',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      ...env
    }
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s))
  let exitedAt: number | undefined
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  exited.then(
    () => (exitedAt = Date.now()),
    () => undefined
  )
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT')
      child.kill('SIGKILL')
      await exited.catch(() => undefined)
    }
  })
  const started = Date.now()
  while (Date.now() - started < 60_000 && child.exitCode === null) {
    const status = await rawGet(port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n').then(
      (r) => r.status,
      () => 0
    )
    if (status === 200) return { port, child, exited, exitedAt: () => exitedAt, output: () => output.slice(-4000) }
    await sleep(100)
  }
  throw new Error(`the server did not come up: ${output.slice(-4000)}`)
}

interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Reads one response from a socket the server closes after it (every response of a draining server). */
function readResponse(socket: Socket): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.once('error', reject)
    socket.once('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const [head = '', ...rest] = text.split('\r\n\r\n')
      const [statusLine = '', ...lines] = head.split('\r\n')
      const headers: Record<string, string> = {}
      for (const line of lines) {
        const i = line.indexOf(':')
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
      }
      if (!statusLine) reject(new Error('connection closed without a response'))
      else resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
  })
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port })
  await once(socket, 'connect')
  return socket
}

async function rawGet(port: number, request: string): Promise<RawResponse> {
  const socket = await openSocket(port)
  const response = readResponse(socket)
  socket.write(request)
  return response
}

/** Whether a new TCP connection is refused (the listener is closed). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'))
  })
}

/** Connections waiting in the accept queue of a listening port (Linux), or undefined elsewhere. */
function acceptQueue(port: number): number | undefined {
  return tcpSockets(port)?.find((row) => row.state === '0A')?.rxQueue
}

interface Outcome {
  status?: number
  features?: number
  connection?: string | null
  error?: string
  at?: number
}

/** `count` cameras requests at once through global fetch: undici's pooled keep-alive client. */
function burst(port: number, count = CONCURRENCY): Promise<Outcome>[] {
  return Array.from({ length: count }, async (_, i): Promise<Outcome> => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${CAMERAS}`, { headers: { 'x-request-id': `burst-${i}` } })
      const body = (await res.json()) as { features?: unknown[] }
      return { status: res.status, features: body.features?.length, connection: res.headers.get('connection'), at: Date.now() }
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause
      return { error: cause?.code ?? String(err), at: Date.now() }
    }
  })
}

async function checkBurst(t: Test, server: Server, outcomes: Outcome[], sigtermAt: number) {
  const bad = outcomes.filter((o) => o.status !== 200 || o.features !== FEATURES)
  t.same(bad, [], `all ${CONCURRENCY} requests got a complete 200 with ${FEATURES} features`)
  const [code, signal] = await server.exited
  t.equal(signal, null, 'the process handled SIGTERM')
  t.equal(code, 0, 'exit code 0', { output: server.output() })
  const lastResponse = Math.max(...outcomes.map((o) => o.at ?? 0))
  const exitedAt = server.exitedAt() ?? Date.now()
  const bound = Math.max(lastResponse, sigtermAt + DRAIN_MS) + EXIT_SLACK_MS
  t.ok(
    exitedAt <= bound,
    `exit ${exitedAt - sigtermAt} ms after SIGTERM, last response at ${lastResponse - sigtermAt} ms (drain ${DRAIN_MS} ms)`
  )
  t.ok(exitedAt >= sigtermAt + DRAIN_MS, 'not before the drain window has passed')
  const closing = outcomes.filter((o) => (o.at ?? 0) > sigtermAt && o.connection === 'close').length
  t.comment(`exit ${exitedAt - sigtermAt} ms after SIGTERM; ${closing} responses after it carried Connection: close`)
}

t.test(`${CONCURRENCY} pooled keep-alive requests, SIGTERM 30 ms later: all answered, exit 0`, async (t) => {
  const server = await startServer(t)
  const pending = burst(server.port)
  await sleep(30)
  const sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  await checkBurst(t, server, await Promise.all(pending), sigtermAt)
})

t.test(`${CONCURRENCY} connections waiting in the accept queue at SIGTERM (SIGSTOP / SIGCONT): all answered`, async (t) => {
  // The stopped process misses every event-loop sample: load shedding would read that as overload.
  const server = await startServer(t, { MAX_EVENT_LOOP_DELAY_MS: '0' })
  server.child.kill('SIGSTOP')
  const pending = burst(server.port)
  const until = Date.now() + 20_000
  let queued = acceptQueue(server.port)
  while (queued !== undefined && queued < CONCURRENCY && Date.now() < until) {
    await sleep(20)
    queued = acceptQueue(server.port)
  }
  if (queued === undefined) {
    t.comment('/proc/net/tcp is not available: waiting 1 s for the connections instead')
    await sleep(1000)
  } else t.equal(queued, CONCURRENCY, `all ${CONCURRENCY} connections wait in the accept queue`)
  const sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  server.child.kill('SIGCONT')
  await checkBurst(t, server, await Promise.all(pending), sigtermAt)
})

t.test('during the drain: /ready 503, /health 200, Connection: close; an idle keep-alive connection is closed at once', async (t) => {
  // A longer window here: both probes must land inside it, and /ready asks the emulators, which share this busy process.
  const drainMs = 8000
  const server = await startServer(t, { SHUTDOWN_DRAIN_MS: String(drainMs) })
  const idle = await openSocket(server.port)
  const first = new Promise<string>((resolve) => idle.once('data', (c: Buffer) => resolve(c.toString('utf8'))))
  idle.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
  t.match(await first, /^HTTP\/1\.1 200 .*\r\nconnection: keep-alive\r\n/is, 'before the signal: keep-alive')
  const idleClosed = once(idle, 'close').then(() => Date.now())

  const sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  const closedAt = await idleClosed
  t.ok(closedAt - sigtermAt < drainMs / 2, `the idle keep-alive connection is closed ${closedAt - sigtermAt} ms after SIGTERM`)

  const [ready, health] = await Promise.all([
    rawGet(server.port, 'GET /ready HTTP/1.1\r\nHost: x\r\n\r\n'),
    rawGet(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n')
  ])
  t.equal(ready.status, 503, '/ready is 503 while draining')
  t.match(JSON.parse(ready.body), { status: 'draining' })
  t.equal(ready.headers.connection, 'close', 'with Connection: close')
  t.equal(health.status, 200, '/health is 200 while draining (a keep-alive request, a new connection)')
  t.equal(health.headers.connection, 'close', 'with Connection: close')
  t.ok(Date.now() - sigtermAt < drainMs, 'both answered inside the drain window')

  const [code] = await server.exited
  t.equal(code, 0, 'exit code 0', { output: server.output() })
  const exitMs = (server.exitedAt() ?? Date.now()) - sigtermAt
  t.ok(
    exitMs < drainMs + EXIT_SLACK_MS,
    `exit ${exitMs} ms after SIGTERM: the idle connection did not hold it up (keep-alive timeout 65 s)`
  )
})

t.test('after the drain: a request on an open connection gets the API 503; one begun during the drain is served', async (t) => {
  const server = await startServer(t, { CORS_ORIGINS: 'https://viewer.example' })
  // A cold cameras request whose S3 GetObject is held, so the process stays up past the drain.
  s3.hold()
  t.teardown(() => s3.release())
  const [slow] = burst(server.port, 1)
  await sleep(300)

  const sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  await sleep(100)
  const fresh = await openSocket(server.port) // opened during the drain, says nothing until after it
  const begun = await openSocket(server.port) // its request begins during the drain
  begun.write('GET /health HTTP/1.1\r\nHost: x\r\n')
  const until = Date.now() + DRAIN_MS + 5000
  while (!(await refused(server.port)) && Date.now() < until) await sleep(50)
  t.ok(Date.now() - sigtermAt >= DRAIN_MS, `the listener closed after the drain window (${Date.now() - sigtermAt} ms)`)

  const late = readResponse(fresh)
  fresh.write('GET /api/sites HTTP/1.1\r\nHost: x\r\nOrigin: https://viewer.example\r\nX-Request-Id: after-drain\r\n\r\n')
  const res = await late
  t.equal(res.status, 503, 'a request that arrives after the drain gets a 503')
  t.same(JSON.parse(res.body), { error: 'the server is shutting down; retry the request' }, "in the API's { error } shape")
  t.equal(res.headers['retry-after'], '1', 'with Retry-After')
  t.equal(res.headers['x-request-id'], 'after-drain', 'with the request id')
  t.equal(res.headers['x-content-type-options'], 'nosniff', 'with the security headers')
  t.equal(res.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains')
  t.equal(res.headers['access-control-allow-origin'], 'https://viewer.example', 'with the CORS headers')
  t.equal(res.headers.connection, 'close', 'and Connection: close')

  const served = readResponse(begun)
  begun.write('\r\n')
  const begunRes = await served
  t.equal(begunRes.status, 200, 'the request whose headers began during the drain is served')
  t.equal(begunRes.headers.connection, 'close')

  s3.release()
  const outcome = await slow!
  t.equal(outcome.status, 200, 'the request in flight through the drain completes')
  t.equal(outcome.features, FEATURES)
  t.equal(outcome.connection, 'close', 'with Connection: close')
  const [code] = await server.exited
  t.equal(code, 0, 'exit code 0', { output: server.output() })
  t.ok((server.exitedAt() ?? Date.now()) - (outcome.at ?? 0) < EXIT_SLACK_MS, 'exit right after that last response')
})

t.test('a second signal exits at once', async (t) => {
  const server = await startServer(t)
  const sigtermAt = Date.now()
  server.child.kill('SIGTERM')
  await sleep(200)
  server.child.kill('SIGINT')
  const [code, signal] = await server.exited
  t.equal(signal, null)
  t.equal(code, 1, 'exit code 1: the drain was cut short')
  t.ok((server.exitedAt() ?? Date.now()) - sigtermAt < DRAIN_MS, 'before the drain window was over')
})
