import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  PadListSchema,
  PadsQuerySchema,
  PeriodListSchema,
  PeriodsQuerySchema,
  SectorListSchema,
  SectorsQuerySchema,
  SiteListSchema,
  notModifiedResponse,
  DiscoveryTag
} from '../../schemas/index.js'

const { 400: badRequest, ...awsFaults } = awsErrorResponses

const discovery: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sites',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'listSites',
        summary: 'List sites',
        description: 'Every site that has at least one pad, sorted ascending.',
        tags: [DiscoveryTag.name],
        response: { 200: Type.Ref(SiteListSchema), ...notModifiedResponse, ...awsFaults }
      }
    },
    (req) => app.services.discovery.listSites(req.ctx)
  )

  app.get(
    '/api/sectors',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'listSectors',
        summary: 'List sectors of a site',
        description: 'Sectors of the site, sorted ascending. An unknown site gives an empty list.',
        tags: [DiscoveryTag.name],
        querystring: SectorsQuerySchema,
        response: { 200: Type.Ref(SectorListSchema), ...notModifiedResponse, 400: badRequest, ...awsFaults }
      }
    },
    (req) => app.services.discovery.listSectors(req.ctx, req.query.site)
  )

  app.get(
    '/api/periods',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'listPeriods',
        summary: 'List survey periods of a sector',
        description: 'Periods with images in the sector, newest first.',
        tags: [DiscoveryTag.name],
        querystring: PeriodsQuerySchema,
        response: { 200: Type.Ref(PeriodListSchema), ...notModifiedResponse, 400: badRequest, ...awsFaults }
      }
    },
    (req) => app.services.discovery.listPeriods(req.ctx, req.query.site, req.query.sector)
  )

  app.get(
    '/api/pads',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'listPads',
        summary: 'List pads of a sector',
        description:
          'Pads of the sector in natural order of `pad_name`. With `period`, only pads whose optical and medical mosaics are complete for that period.',
        tags: [DiscoveryTag.name],
        querystring: PadsQuerySchema,
        response: { 200: Type.Ref(PadListSchema), ...notModifiedResponse, 400: badRequest, ...awsFaults }
      }
    },
    (req) => app.services.discovery.listPads(req.ctx, req.query.site, req.query.sector, req.query.period)
  )
}

export default discovery
