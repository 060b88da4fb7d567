import type { IncomingMessage, ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { CancelledError, UnavailableError } from '../errors.js'
import { API_SECURITY_HEADERS } from '../http/edge-errors.js'
import { clientAddress } from '../proxy-trust.js'
import { VIEWER_PREFIX } from '../routes/viewer.js'
import { DOCS_PREFIX } from './docs.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by security: this request's entry among the deadlines in flight. */
    deadline: Pending | null
  }
}

/** Probes the load balancer sends (`access: 'probe'`) must never be rate-limited or shed away. */
const isProbe = (request: FastifyRequest) => request.routeOptions.config.access === 'probe'

/**
 * The headers helmet sets with these options, found once by running its
 * middleware against a recorder. Without a CSP (and so without nonces) they
 * are the same on every response; @fastify/helmet instead rebuilds the
 * middleware on every request.
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    }
  }
  let completed = false
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet failed to compute its headers')
    completed = true
  })
  // A helmet release that reads the request or answers asynchronously would make the recording wrong.
  if (!completed) throw new Error('helmet did not complete synchronously')
  return headers
}

interface Pending {
  at: number
  reply: FastifyReply
  /** Aborted when the deadline passes, so the work the request started stops (CallContext.signal). */
  controller: AbortController
}

/**
 * The requests in flight, each with its deadline. All share one timeout, so the
 * insertion order of the set is the order of the deadlines and one timer, armed
 * for the oldest, serves them all: a request costs a set insertion and removal,
 * not a timer and a 'close' listener of its own.
 */
export class Deadlines {
  // Monotonic time: a wall-clock step would break the ordering the sweep relies on.
  private readonly pending = new Set<Pending>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly timeoutMs: number,
    private readonly expire: (reply: FastifyReply) => void
  ) {}

  add(reply: FastifyReply): Pending {
    const entry = { at: performance.now() + this.timeoutMs, reply, controller: new AbortController() }
    this.pending.add(entry)
    if (this.timer === undefined) this.arm(entry.at)
    return entry
  }

  delete(entry: Pending): void {
    this.pending.delete(entry)
  }

  get size(): number {
    return this.pending.size
  }

  close(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending.clear()
  }

  private arm(at: number): void {
    this.timer = setTimeout(this.sweep, Math.max(0, at - performance.now()))
    this.timer.unref()
  }

  private readonly sweep = () => {
    this.timer = undefined
    const now = performance.now()
    for (const entry of this.pending) {
      if (entry.at > now) return this.arm(entry.at)
      this.pending.delete(entry)
      // Sent, or its client went away (no onResponse then): nothing to answer.
      if (!entry.reply.sent && !entry.reply.raw.destroyed) this.expire(entry.reply)
      entry.controller.abort(new CancelledError(`request deadline of ${this.timeoutMs} ms exceeded`))
    }
  }
}

/**
 * Response headers, per-IP rate limiting, load shedding and a per-request
 * deadline. Each answers with the one `{ error }` body shape.
 */
async function security(app: FastifyInstance, opts: { config: Config }) {
  const { http } = opts.config

  // An overall deadline per request: whatever AWS does, the client gets an answer in time.
  const deadlines = new Deadlines(http.requestTimeoutMs, (reply) => {
    reply.log.warn({ timeout_ms: http.requestTimeoutMs }, 'request deadline exceeded')
    // A body still arriving is the client's slowness, not ours: 408, and the connection goes.
    const raw = reply.request.raw
    const declaresBody = raw.headers['content-length'] !== undefined || raw.headers['transfer-encoding'] !== undefined
    if (declaresBody && !raw.complete) {
      void reply.code(408).header('connection', 'close').send({ error: 'request body did not arrive in time' })
      return
    }
    void reply.code(504).send({ error: `request did not complete within ${http.requestTimeoutMs} ms` })
  })
  app.decorateRequest('deadline', null)
  // One hook for the headers and the deadline (each hook Fastify runs costs every request a little),
  // ahead of rate limiting and load shedding so their 429 and 503 carry the headers too. Requests
  // after the shutdown drain are answered by the lame-duck plugin, which runs after CORS.
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(API_SECURITY_HEADERS)
    request.deadline = deadlines.add(reply)
    request.ctx.signal = request.deadline.controller.signal
    done()
  })
  // The Swagger UI pages and the web viewer are HTML: helmet's whole set, with the CSP
  // that @fastify/swagger-ui sets on them (staticCSP), or the viewer's own, in place of the API's.
  const documentHeaders = helmetHeaders({ contentSecurityPolicy: false })
  const applyDocumentHeaders = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    reply.headers(documentHeaders)
    done()
  }
  // A handler still running when its deadline answered 504 has had its signal aborted: what it
  // finishes with (a late result, or the CancelledError of work that stopped) has no one to go to.
  app.addHook('onRoute', (route) => {
    const handler = route.handler
    route.handler = function afterDeadline(this: FastifyInstance, request, reply) {
      const result: unknown = handler.call(this, request, reply)
      // Handlers that answer through `reply` and return nothing (static files) are left as they are.
      if (!(result instanceof Promise)) return result
      const expired = () => reply.sent && request.ctx.signal?.aborted === true
      return result.then(
        (value: unknown) => (expired() ? undefined : value),
        (err: unknown) => {
          if (!expired()) throw err
          request.log.info({ err: { name: (err as Error).name, message: (err as Error).message } }, 'work stopped after the deadline')
          return undefined
        }
      )
    }
  })
  app.addHook('onRoute', (route) => {
    const under = (prefix: string) => route.url === prefix || route.url.startsWith(`${prefix}/`)
    if (!under(DOCS_PREFIX) && !under(VIEWER_PREFIX)) return
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
    route.onRequest = [...own, applyDocumentHeaders]
  })

  if (http.rateLimitMax > 0) {
    await app.register(rateLimit, {
      global: true,
      max: http.rateLimitMax,
      timeWindow: http.rateLimitWindowMs,
      allowList: isProbe,
      // The address TRUST_PROXY lets us believe, never a forged X-Forwarded-For entry.
      keyGenerator: (request) => clientAddress(request.ips, request.ip),
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error(`rate limit exceeded: ${context.max} requests per ${context.after}; retry later`), {
          statusCode: 429
        })
    })
  }

  if (http.maxEventLoopDelayMs > 0) {
    const sampleInterval = 500
    // Start-up (schema compilation, seeding) blocks the loop for whole sampling
    // intervals; under-pressure reads an interval with no sample as an infinite
    // delay. Readings from before the app was ready say nothing about load.
    let readyAt = Number.POSITIVE_INFINITY
    app.addHook('onReady', async () => {
      readyAt = Date.now()
    })
    await app.register(underPressure, {
      maxEventLoopDelay: http.maxEventLoopDelayMs,
      sampleInterval,
      retryAfter: 5,
      // Probes still answer under load: an overloaded but live target should keep its
      // place in the target group while it sheds the API traffic.
      // A rejected promise reaches the error handler like any other 503.
      pressureHandler: (request) => {
        if (isProbe(request)) return undefined
        if (Date.now() - readyAt < 2 * sampleInterval) return undefined
        return Promise.reject(new UnavailableError('server is overloaded; retry later'))
      }
    })
  }

  app.addHook('onResponse', (request, _reply, done) => {
    if (request.deadline) deadlines.delete(request.deadline)
    request.deadline = null
    done()
  })
  app.addHook('onClose', async () => deadlines.close())
}

export default fp(security, { name: 'security', fastify: '5.x', dependencies: ['errors', 'observability'] })
