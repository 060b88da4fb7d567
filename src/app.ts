import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify'
import type { LoggerOptions } from 'pino'
import cors from '@fastify/cors'
import fp from 'fastify-plugin'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { sharedSchemas } from '../schemas/registry.js'
import type { AwsClients } from './aws/clients.js'
import type { Config } from './config.js'
import awsPlugin from './plugins/aws.js'
import docsPlugin from './plugins/docs.js'
import authPlugin from './plugins/auth.js'
import errorsPlugin from './plugins/errors.js'
import httpCachePlugin from './plugins/http-cache.js'
import observabilityPlugin from './plugins/observability.js'
import routeFactsPlugin from './plugins/route-facts.js'
import securityPlugin from './plugins/security.js'
import servicesPlugin from './plugins/services.js'
import discoveryRoutes from './routes/discovery.js'
import healthRoutes from './routes/health.js'
import imagesRoutes from './routes/images.js'
import lineLossRoutes from './routes/line-loss.js'
import mosaicRoutes from './routes/mosaic.js'
import reportsRoutes from './routes/reports.js'
import statsRoutes from './routes/stats.js'

export interface AppOptions {
  config: Config
  /** Pre-built AWS clients; the caller owns and destroys them. */
  clients?: AwsClients
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
  await fastify.register(observabilityPlugin, { config: opts.config })
  if (!opts.contractOnly) {
    await fastify.register(awsPlugin, { config: opts.config, clients: opts.clients })
    await fastify.register(servicesPlugin, { config: opts.config })
  }
  await fastify.register(securityPlugin, { config: opts.config })
  const corsOptions = {
    origin: opts.config.corsOrigins === '*' ? '*' : opts.config.corsOrigins,
    credentials: false,
    exposedHeaders: ['x-request-id', 'content-disposition']
  }
  // POST is allowed for the one route that takes a body, and nowhere else.
  await fastify.register(cors, {
    delegator: (req, callback) => {
      const post = POST_ROUTES.has(req.url.split('?')[0]!)
      callback(null, { ...corsOptions, methods: post ? ['POST', 'OPTIONS'] : ['GET', 'HEAD', 'OPTIONS'] })
    }
  })
  await fastify.register(authPlugin, { config: opts.config })
  await fastify.register(httpCachePlugin, { config: opts.config })
  await fastify.register(docsPlugin)

  // One line per resource group.
  await fastify.register(discoveryRoutes)
  await fastify.register(mosaicRoutes)
  await fastify.register(imagesRoutes)
  await fastify.register(statsRoutes)
  await fastify.register(lineLossRoutes)
  await fastify.register(reportsRoutes)
  await fastify.register(healthRoutes)
}

/** The only routes with a request body (and a CORS preflight that allows POST). */
const POST_ROUTES = new Set(['/api/report/generate'])

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

export async function buildApp(opts: BuildAppOptions) {
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
    ajv: { customOptions: { allErrors: false } },
    // Embedded mode seeds its emulators while the aws plugin loads.
    pluginTimeout: 60_000,
    routerOptions: {
      // Far longer than any valid id (128): an over-long id gets the 400 that names it, not a bare 414.
      // Node's 16 KB header limit bounds the URL anyway.
      maxParamLength: 16_384
    },
    // Behind an ALB the client address is the last hop it appends to X-Forwarded-For.
    trustProxy: (_address: string, hop: number) => hop < opts.config.http.trustProxyHops,
    // Every route but POST /api/report/generate (64 KB, its own limit) is a GET: no body worth accepting.
    bodyLimit: 1024,
    // Above the ALB's 60 s idle timeout, so the ALB closes idle connections first and never hits a closed socket.
    keepAliveTimeout: 65_000,
    // The observability plugin writes one line per request instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Malformed percent-encoding is caught by the router before any error handler runs.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      request.log.info({ code: error.code }, 'rejected by the router')
      void reply.code(400).send({ error: error.code === 'FST_ERR_BAD_URL' ? 'invalid URL encoding' : 'bad request' })
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  // Registered through fastify-plugin (as fastify/demo does) so the app's
  // decorators, hooks and error handler apply to the root instance.
  await fastify.register(fp(app, { name: 'thermal-viewer-app' }), opts)
  return fastify
}
