import { timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client'
import type { CallContext } from '../call-context.js'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics
  }
  interface FastifyRequest {
    /** What the services are handed: this request's logger and the tally of its AWS calls. */
    ctx: CallContext
  }
}

interface Metrics {
  registry: Registry
  /** For caches: one hit or miss of the named cache. */
  cacheLookup(cache: string, outcome: 'hit' | 'miss'): void
  /** For the AWS clients: one round trip (each retry counts). */
  awsCall(service: string, operation: string): void
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * One JSON log line per request (id, route, status, duration, AWS calls made)
 * and Prometheus metrics at /metrics. Each app has its own registry, so tests
 * can build many apps in one process.
 */
async function observability(app: FastifyInstance, opts: { config: Config }) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const awsCalls = new Counter({
    name: 'aws_calls_total',
    help: 'AWS round trips by service and operation (each retry counts)',
    labelNames: ['service', 'operation'] as const,
    registers: [registry]
  })
  const cache = new Counter({
    name: 'cache_lookups_total',
    help: 'In-process cache lookups by cache and outcome',
    labelNames: ['cache', 'outcome'] as const,
    registers: [registry]
  })

  app.decorate('metrics', {
    registry,
    cacheLookup: (name: string, outcome: 'hit' | 'miss') => cache.inc({ cache: name, outcome }),
    awsCall: (service: string, operation: string) => awsCalls.inc({ service, operation })
  })

  app.decorateRequest('ctx', null as unknown as CallContext)
  app.addHook('onRequest', (request, reply, done) => {
    // The id every log line of this request carries, for the client to quote.
    reply.header('x-request-id', request.id)
    request.ctx = { log: request.log, calls: {} }
    done()
  })

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    request.log.info(
      {
        method: request.method,
        url: request.url,
        route,
        status: reply.statusCode,
        duration_ms: Math.round(reply.elapsedTime * 10) / 10,
        // Requests the router rejects (frameworkErrors) never ran onRequest.
        aws: request.ctx?.calls ?? {}
      },
      'request completed'
    )
    done()
  })

  const { metrics } = opts.config
  if (!metrics.enabled) return
  app.get('/metrics', { config: { access: 'metrics' }, schema: { hide: true, tags: ['Health'] } }, async (request, reply) => {
    if (metrics.token) {
      const header = request.headers.authorization ?? ''
      if (!safeEqual(header, `Bearer ${metrics.token}`)) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'metrics require a bearer token' })
      }
    }
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}

export default fp(observability, { name: 'observability', fastify: '5.x' })
