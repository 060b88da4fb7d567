import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { ApiIndexSchema, HealthSchema } from '../../schemas/index.js'
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
    '/',
    {
      schema: {
        operationId: 'getApiIndex',
        summary: 'Endpoint index',
        description: 'Names the service and lists every endpoint by group, with links to the documentation.',
        tags: ['Health'],
        security: [],
        response: { 200: Type.Ref(ApiIndexSchema, { description: 'The endpoint index.' }) }
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
