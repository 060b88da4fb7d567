import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Registry } from 'prom-client'
import { DurationHistogram } from '../metrics/duration-histogram.js'
import type { CallContext } from '../call-context.js'
import type { LookupObserver } from '../cache/ttl-cache.js'

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
  cacheLookup: LookupObserver
  /** For the AWS clients: one round trip (each retry counts). */
  awsCall(service: string, operation: string): void
}

/**
 * One JSON log line per request (id, route, status, duration, AWS calls made)
 * and the Prometheus registry that /metrics (routes/metrics.ts) serves. Each app has its own registry, so tests
 * can build many apps in one process.
 */
async function observability(app: FastifyInstance) {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })

  const duration = new DurationHistogram(
    'http_request_duration_seconds',
    'HTTP request duration by route and status',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registry
  )
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
    cacheLookup: (name, outcome) => cache.inc({ cache: name, outcome }),
    awsCall: (service: string, operation: string) => awsCalls.inc({ service, operation })
  })

  app.decorateRequest('ctx', null as unknown as CallContext)
  app.addHook('onRequest', (request, reply, done) => {
    // The id every log line of this request carries, for the client to quote.
    reply.header('x-request-id', request.id)
    request.ctx = { log: request.log, calls: {} }
    done()
  })

  // The level is fixed at start-up: below info the access line's object is not even built.
  const accessLog = ['trace', 'debug', 'info'].includes(app.log.level)
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const elapsed = reply.elapsedTime
    duration.observe(request.method, route, reply.statusCode, elapsed / 1000)
    if (!accessLog) return done()
    request.log.info(
      {
        method: request.method,
        url: request.originalUrl,
        route,
        status: reply.statusCode,
        duration_ms: Math.round(elapsed * 10) / 10,
        // Requests the router rejects (frameworkErrors) never ran onRequest.
        aws: request.ctx?.calls ?? {}
      },
      'request completed'
    )
    done()
  })
}

export default fp(observability, { name: 'observability', fastify: '5.x' })
