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
  ],
  line_loss: [
    'GET /api/pipemeasure/measurement/{site}/{sector}/{period}/{pad_id}?format={json|geojson}',
    'GET /api/pipemeasure/measurements/{site}/{sector}/{period}'
  ],
  reports: [
    'GET /api/report/{site}/{sector}/{period}',
    'GET /api/report/{site}/{sector}/{period}/line-loss.pdf',
    'GET /api/report/{site}/{sector}/{period}/line-loss.csv',
    'POST /api/report/generate'
  ]
}

const health: FastifyPluginAsyncTypebox = async (app) => {
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
          'Checks that DynamoDB (DescribeTable on the images and pads tables) and S3 (HeadBucket) answer; cached for a moment so frequent probes stay cheap. 503 names the dependency that failed.',
        tags: ['Health'],
        security: [],
        response: {
          200: Type.Ref(ReadinessSchema, { description: 'Both data stores answer.' }),
          503: Type.Ref(ReadinessSchema, { description: 'At least one data store does not answer.' })
        }
      }
    },
    async (request, reply) => {
      const readiness = await app.services.readiness.check(request.ctx)
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
    async () => ({
      service: 'Thermal Viewer Backend API',
      version: packageVersion,
      docs: '/docs',
      openapi: '/openapi.json',
      endpoints: ENDPOINTS
    })
  )
}

export default health
