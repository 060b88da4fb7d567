import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { UnavailableError } from '../errors.js'

/** Probes the load balancer sends; they must never be rate-limited away. */
export const PROBE_ROUTES = new Set(['/health', '/ready'])

/**
 * Response headers, per-IP rate limiting, load shedding and a per-request
 * deadline. Each answers with the one `{ error }` body shape.
 */
async function security(app: FastifyInstance, opts: { config: Config }) {
  const { http } = opts.config

  // A JSON API needs no CSP; Swagger UI sets its own on /docs (staticCSP).
  await app.register(helmet, { global: true, contentSecurityPolicy: false })

  if (http.rateLimitMax > 0) {
    await app.register(rateLimit, {
      global: true,
      max: http.rateLimitMax,
      timeWindow: http.rateLimitWindowMs,
      allowList: (request) => PROBE_ROUTES.has(request.routeOptions.url ?? ''),
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
        if (PROBE_ROUTES.has(request.routeOptions.url ?? '')) return undefined
        if (Date.now() - readyAt < 2 * sampleInterval) return undefined
        return Promise.reject(new UnavailableError('server is overloaded; retry later'))
      }
    })
  }

  // An overall deadline per request: whatever AWS does, the client gets an answer in time.
  app.addHook('onRequest', async (request, reply) => {
    const timer = setTimeout(() => {
      if (reply.sent) return
      request.log.warn({ timeout_ms: http.requestTimeoutMs }, 'request deadline exceeded')
      reply.code(504).send({ error: `request did not complete within ${http.requestTimeoutMs} ms` })
    }, http.requestTimeoutMs)
    timer.unref()
    reply.raw.once('close', () => clearTimeout(timer))
  })
}

export default fp(security, { name: 'security', fastify: '5.x', dependencies: ['errors'] })
