import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  imageAwsErrorResponses,
  CoverageStatsSchema,
  errorResponse,
  ImageParamsSchema,
  PadQuerySchema,
  ThermalStatsSchema,
  notModifiedResponse,
  StatsTag
} from '../../schemas/index.js'

const stats: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/thermal/:image_id/stats',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getThermalStats',
        summary: 'Temperature statistics of a thermal image',
        description:
          'Minimum, maximum and average temperature. Calibrated images report calibrated maximum and average with `calibration_params`; others report the camera values with `original_params`.',
        tags: [StatsTag.name],
        params: ImageParamsSchema,
        response: {
          200: Type.Ref(ThermalStatsSchema),
          ...notModifiedResponse,
          404: errorResponse('No image with this id.', "image_id 'leyte_tongonan_20241230_9999' not found"),
          ...imageAwsErrorResponses
        }
      }
    },
    (req) => app.services.stats.thermalStats(req.ctx, req.params.image_id)
  )

  app.get(
    '/api/coverage/stats',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getCoverageStats',
        summary: 'Coverage statistics of a pad',
        description:
          'Image count, average altitude and estimated ground coverage (DJI M2EA thermal camera, 60 % overlap). A pad without images gives zeros.',
        tags: [StatsTag.name],
        querystring: PadQuerySchema,
        response: {
          200: Type.Ref(CoverageStatsSchema, { description: 'The coverage estimate.' }),
          ...notModifiedResponse,
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.stats.coverage(req.ctx, req.query)
  )
}

export default stats
