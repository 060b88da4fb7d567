import Fastify from 'fastify'
import type { Registry } from 'prom-client'
import type { Config } from './config.js'
import authPlugin from './plugins/auth.js'
import errorsPlugin from './plugins/errors.js'
import metricsRoutes from './routes/metrics.js'

/**
 * `/metrics` alone, for METRICS_PORT: a listener the load balancer never
 * routes to, so scrapes neither share the API's rate limit nor reach the
 * internet. METRICS_TOKEN still applies when it is set.
 */
export async function buildMetricsApp(opts: { config: Config; registry: Registry }) {
  const app = Fastify({ logger: false })
  await app.register(errorsPlugin)
  // Only the token guards this listener: the API's credentials belong to the API's listener.
  await app.register(authPlugin, { config: { ...opts.config, auth: { mode: 'none' } } })
  await app.register(metricsRoutes, { registry: opts.registry })
  return app
}
