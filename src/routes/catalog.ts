import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  CatalogQuerySchema,
  CatalogSchema,
  DiscoveryTag,
  errorResponse,
  notModifiedResponse
} from '../../schemas/index.js'

const catalog: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/catalog',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'getCatalog',
        summary: 'The whole catalog in one call',
        description:
          'Sites → sectors → periods → the pads with complete mosaics in each period, in one response instead of four levels of requests. Sites and sectors ascending, periods newest first, pads in natural order.',
        tags: [DiscoveryTag.name],
        querystring: CatalogQuerySchema,
        response: {
          200: Type.Ref(CatalogSchema, { description: 'The catalog.' }),
          ...notModifiedResponse,
          404: errorResponse('The site has no pads.', "site 'nowhere' not found"),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.catalog.catalog(req.ctx, req.query.site)
  )
}

export default catalog
