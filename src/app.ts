import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { LoggerOptions } from 'pino'
import type { Registry } from 'prom-client'
import cors from '@fastify/cors'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { sharedSchemas } from '../schemas/registry.js'
import type { AwsClients } from './aws/clients.js'
import { stripBasePath } from './base-path.js'
import type { Config } from './config.js'
import { API_SECURITY_HEADERS, clientErrorHandler } from './http/edge-errors.js'
import { buildSerializer } from './http/serializers.js'
import { proxyTrustFunction } from './proxy-trust.js'
import awsPlugin, { type EmbeddedDataSource } from './plugins/aws.js'
import docsPlugin from './plugins/docs.js'
import authPlugin from './plugins/auth.js'
import errorsPlugin from './plugins/errors.js'
import httpCachePlugin from './plugins/http-cache.js'
import lameDuckPlugin from './plugins/lame-duck.js'
import observabilityPlugin from './plugins/observability.js'
import publicUrlPlugin from './plugins/public-url.js'
import routeFactsPlugin from './plugins/route-facts.js'
import securityPlugin from './plugins/security.js'
import servicesPlugin from './plugins/services.js'
import analyticsRoutes from './routes/analytics.js'
import catalogRoutes from './routes/catalog.js'
import discoveryRoutes from './routes/discovery.js'
import featuresRoutes from './routes/features.js'
import healthRoutes from './routes/health.js'
import heatLossRoutes from './routes/heat-loss.js'
import imagesRoutes from './routes/images.js'
import metricsRoutes from './routes/metrics.js'
import lineLossRoutes from './routes/line-loss.js'
import mosaicRoutes from './routes/mosaic.js'
import reportsRoutes from './routes/reports.js'
import stacRoutes from './routes/stac.js'
import statsRoutes from './routes/stats.js'
import tilesRoutes from './routes/tiles.js'
import viewerRoutes from './routes/viewer.js'

export interface AppOptions {
  config: Config
  /** Pre-built AWS clients; the caller owns and destroys them. */
  clients?: AwsClients
  /** Opens the data of DATA_SOURCE=embedded: the demo's emulators, passed in by demo/server.ts. */
  embedded?: EmbeddedDataSource
  /**
   * Register routes and the contract only, with no AWS clients and no emulators.
   * `npm run openapi` uses it to print the document without any I/O.
   */
  contractOnly?: boolean
}

/** The whole application as one plugin: infrastructure first, then one plugin per resource group. */
export async function app(fastify: FastifyInstance, opts: AppOptions) {
  for (const schema of sharedSchemas) fastify.addSchema(schema)

  // Infrastructure, in dependency order: each plugin uses only what is registered above it.
  await fastify.register(routeFactsPlugin)
  await fastify.register(errorsPlugin)
  await fastify.register(observabilityPlugin)
  if (!opts.contractOnly) {
    await fastify.register(awsPlugin, { config: opts.config, clients: opts.clients, embedded: opts.embedded })
    await fastify.register(servicesPlugin, { config: opts.config })
  }
  await fastify.register(securityPlugin, { config: opts.config })
  const corsOptions = {
    origin: opts.config.corsOrigins === '*' ? '*' : opts.config.corsOrigins,
    credentials: false,
    exposedHeaders: ['x-request-id', 'content-disposition']
  }
  // POST is allowed where a route takes a body, and nowhere else; the routes say so by their method.
  const postPaths = new Set<string>()
  fastify.addHook('onRoute', (route) => {
    if ([route.method].flat().includes('POST')) postPaths.add(route.url)
  })
  const getCors = { ...corsOptions, methods: ['GET', 'HEAD', 'OPTIONS'] }
  const postCors = { ...corsOptions, methods: ['POST', 'OPTIONS'] }
  await fastify.register(cors, {
    delegator: (req, callback) => callback(null, postPaths.has(req.url.split('?')[0]!) ? postCors : getCors)
  })
  // After CORS, so that its 503 after the drain carries the CORS headers too.
  await fastify.register(lameDuckPlugin, { config: opts.config })
  await fastify.register(authPlugin, { config: opts.config })
  await fastify.register(publicUrlPlugin, { config: opts.config })
  await fastify.register(httpCachePlugin, { config: opts.config })
  await fastify.register(docsPlugin, { basePath: opts.config.basePath, publicBaseUrl: opts.config.publicBaseUrl })

  // One line per resource group.
  await fastify.register(discoveryRoutes)
  await fastify.register(mosaicRoutes)
  await fastify.register(imagesRoutes)
  await fastify.register(statsRoutes)
  await fastify.register(lineLossRoutes)
  await fastify.register(reportsRoutes)
  await fastify.register(heatLossRoutes)
  await fastify.register(analyticsRoutes)
  await fastify.register(catalogRoutes)
  await fastify.register(tilesRoutes)
  await fastify.register(stacRoutes)
  await fastify.register(featuresRoutes)
  await fastify.register(healthRoutes, { basePath: opts.config.basePath })
  await fastify.register(viewerRoutes, { basePath: opts.config.basePath })
  // After security, so that on the API listener it is rate-limited like the API.
  const { metrics } = opts.config
  if (metrics.enabled && metrics.port === undefined) await fastify.register(metricsRoutes, { registry: fastify.metrics.registry })
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** pino-pretty is a dev dependency: the production image has no copy of it. */
function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

/** Pretty logs for a person at a terminal; JSON lines everywhere else (including `docker run -t`). */
function loggerOptions(config: Config, tty: boolean): LoggerOptions {
  const pretty = tty && config.logLevel !== 'silent' && process.env.NODE_ENV !== 'production' && prettyAvailable()
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        'headers.authorization',
        'headers["x-api-key"]',
        'headers.cookie'
      ],
      censor: '[redacted]'
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {})
  }
}

export interface BuildAppOptions extends AppOptions {
  /** `false` silences logging altogether (the OpenAPI generator). */
  logger?: false
  /** Where log lines go instead of stdout, with the same options (tests read them). */
  logStream?: { write(line: string): void }
}

/**
 * Node's own limits on slow clients: the headers within `socketHeadersTimeoutMs`,
 * the whole request within `socketRequestTimeoutMs`, checked often enough that
 * either bites within a second of its value (Node's default check runs every 30 s).
 */
function serverOptions(http: Config['http']) {
  return {
    requestTimeout: http.socketRequestTimeoutMs,
    headersTimeout: http.socketHeadersTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(http.socketHeadersTimeoutMs / 4))),
    // Above the ALB's 60 s idle timeout, so the ALB closes idle connections first and never hits a closed socket.
    keepAliveTimeout: 65_000
  }
}

export async function buildApp(opts: BuildAppOptions) {
  const { basePath } = opts.config
  const trust = proxyTrustFunction(opts.config.http.trustProxy)
  const fastify = Fastify({
    logger:
      opts.logger === false
        ? false
        : opts.logStream
          ? { ...loggerOptions(opts.config, false), stream: opts.logStream }
          : loggerOptions(opts.config, process.stdout.isTTY === true),
    // Honour a caller's X-Request-Id when it is safe to log; otherwise mint one.
    genReqId: (req) => {
      const header = req.headers['x-request-id']
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID()
    },
    // BASE_PATH is stripped before routing; without one there is nothing to rewrite, at no cost.
    ...(basePath ? { rewriteUrl: (req: { url?: string }) => stripBasePath(basePath, req.url ?? '/') } : {}),
    // `x-not-with`: an annotation (no validation) naming the parameters a parameter excludes, e.g. STAC's bbox and intersects.
    // `x-clamped`: likewise, a maximum that is clamped to rather than enforced (STAC's `limit`).
    ajv: { customOptions: { allErrors: false, keywords: ['x-not-with', 'x-clamped'] } },
    schemaController: { compilersFactory: { buildSerializer } },
    // Embedded mode seeds its emulators while the aws plugin loads.
    pluginTimeout: 60_000,
    routerOptions: {
      // Far longer than any valid id (128): an over-long id gets the 400 that names it, not a bare 414.
      // Node's 16 KB header limit bounds the URL anyway.
      maxParamLength: 16_384
    },
    // Behind an ALB the client address is the last hop it appends to X-Forwarded-For,
    // believed only when the peer is in a trusted network (TRUST_PROXY).
    trustProxy: trust,
    // Every route but POST /api/report/generate and POST /stac/search (64 KB each, their own limits) is a GET: no body worth accepting.
    bodyLimit: 1024,
    serverFactory: (handler) => createServer(serverOptions(opts.config.http), handler),
    clientErrorHandler,
    // Requests that begin after the shutdown drain get the lame-duck plugin's 503, in the API's shape.
    return503OnClosing: false,
    // The observability plugin writes one line per request instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Malformed percent-encoding is caught by the router before any error handler runs.
    // No hook has run yet, so the request id and security headers are set here.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      request.log.info({ code: error.code }, 'rejected by the router')
      void reply
        .code(400)
        .headers(API_SECURITY_HEADERS)
        .header('x-request-id', request.id)
        .send({ error: error.code === 'FST_ERR_BAD_URL' ? 'invalid URL encoding' : 'bad request' })
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Registered through fastify-plugin (as fastify/demo does) so the app's
  // decorators, hooks and error handler apply to the root instance.
  await fastify.register(fp(app, { name: 'thermal-viewer-app' }), opts)
  return fastify
}

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
