import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Registry } from 'prom-client'

/**
 * The Prometheus scrape. Its guard is the auth plugin's (`access: 'metrics'`):
 * METRICS_TOKEN, or the API's credentials when AUTH_MODE is on. Registered
 * after the security plugin, so on the API listener it is rate-limited too.
 */
const metrics: FastifyPluginAsyncTypebox<{ registry: Registry }> = async (app, opts) => {
  app.get('/metrics', { config: { access: 'metrics' }, schema: { hide: true, tags: ['Health'] } }, async (_request, reply) =>
    reply.type(opts.registry.contentType).send(await opts.registry.metrics())
  )
}

export default metrics
