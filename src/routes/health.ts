import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ApiIndexSchema, guardResponses, HealthSchema, ReadinessSchema } from '../../schemas/index.js'
import { packageVersion, SERVICE_NAME } from '../package-info.js'

const ENDPOINTS = {
  discovery: [
    'GET /api/sites',
    'GET /api/sectors?site={site}',
    'GET /api/periods?site={site}&sector={sector}',
    'GET /api/pads?site={site}&sector={sector}&period={period}'
  ],
  mosaic: [
    'GET /api/mosaic/metadata?site={site}&sector={sector}&period={period}&pad_id={pad_id}&mosaic_type={type}',
    'GET /api/mosaic/orthomosaic?site={site}&sector={sector}&period={period}&pad_id={pad_id}&mosaic_type={type}',
    'GET /api/mosaic/cameras?site={site}&sector={sector}&period={period}&pad_id={pad_id}&mosaic_type={type}'
  ],
  images: ['GET /api/optical/{image_id}', 'GET /api/thermal/{image_id}?palette={palette}'],
  stats: [
    'GET /api/thermal/{image_id}/stats',
    'GET /api/coverage/stats?site={site}&sector={sector}&period={period}&pad_id={pad_id}'
  ]
}

/** The index's paths as a client sends them, under BASE_PATH. */
function prefixed(basePath: string, endpoints: Record<string, string[]>): Record<string, string[]> {
  if (!basePath) return endpoints
  return Object.fromEntries(
    Object.entries(endpoints).map(([group, list]) => [group, list.map((e) => e.replace(/^(\w+) /, `$1 ${basePath}`))])
  )
}

const health: FastifyPluginAsyncTypebox<{ basePath: string }> = async (app, opts) => {
  const index = {
    service: 'Thermal Viewer Backend API',
    version: packageVersion,
    docs: `${opts.basePath}/docs`,
    openapi: `${opts.basePath}/openapi.json`,
    endpoints: prefixed(opts.basePath, ENDPOINTS)
  }

  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness check',
        description: 'Cheap liveness probe for load balancers: answers without touching AWS.',
        tags: ['Health'],
        security: [],
        response: { 200: Type.Ref(HealthSchema, { description: 'The service is up.' }) }
      }
    },
    async () => ({ status: 'healthy' as const, service: SERVICE_NAME, version: packageVersion })
  )

  app.get(
    '/ready',
    {
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness check',
        description:
          'Checks that DynamoDB (DescribeTable on the images and pads tables) and S3 (HeadBucket) answer; cached for a moment so frequent probes stay cheap. 503 names the dependency that failed, or says `draining` from the first SIGTERM on, while the server still serves for SHUTDOWN_DRAIN_MS.',
        tags: ['Health'],
        security: [],
        response: {
          200: Type.Ref(ReadinessSchema, { description: 'Both data stores answer.' }),
          503: Type.Ref(ReadinessSchema, { description: 'At least one data store does not answer, or the server is shutting down.' })
        }
      }
    },
    async (request, reply) => {
      const readiness = await app.services.readiness.check(request.ctx)
      // Shutting down: the load balancer must stop sending work, whatever AWS says.
      if (app.lameDuck.draining) return reply.code(503).send({ ...readiness, status: 'draining' as const })
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness)
    }
  )

  app.get(
    '/',
    {
      schema: {
        operationId: 'getApiIndex',
        summary: 'Endpoint index',
        description: 'Names the service and lists every endpoint by group, with links to the documentation.',
        tags: ['Health'],
        response: { 200: Type.Ref(ApiIndexSchema, { description: 'The endpoint index.' }), ...guardResponses }
      }
    },
    async () => index
  )
}

export default health
