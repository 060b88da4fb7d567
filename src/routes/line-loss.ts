import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  errorResponse,
  GEOJSON,
  MeasurementListSchema,
  MeasurementParamsSchema,
  MeasurementQuerySchema,
  MeasurementSchema,
  notModifiedResponse,
  RegionCollectionSchema,
  SurveyParamsSchema,
  LineLossTag
} from '../../schemas/index.js'

/** Line-loss measurements (PipeMeasure), on the original service's paths. */
const lineLoss: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/pipemeasure/measurement/:site/:sector/:period/:pad_id',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getPadMeasurement',
        summary: 'Line-loss measurement of a pad',
        description:
          'The stored PipeMeasure item of one pad in one period: aggregate statistics and the anomalous regions of pipe, with numbers as numbers and unknown attributes passed through. With `format=geojson`, the regions as a FeatureCollection of Polygons (a Point at the centroid for a region without a polygon), as `application/geo+json`.',
        tags: [LineLossTag.name],
        params: MeasurementParamsSchema,
        querystring: MeasurementQuerySchema,
        response: {
          200: {
            description: 'The measurement, or its regions as GeoJSON.',
            content: {
              'application/json': { schema: Type.Ref(MeasurementSchema) },
              [GEOJSON]: { schema: Type.Ref(RegionCollectionSchema) }
            }
          },
          ...notModifiedResponse,
          404: errorResponse(
            'The pad has not been measured in this period.',
            "no measurement for pad_id 'leyte_tongonan_PAD_tgn-ss1' in period '20241230' (leyte/tongonan)"
          ),
          ...awsErrorResponses
        }
      }
    },
    async (req, reply) => {
      if (req.query.format === 'geojson') {
        const regions = await app.services.lineLoss.regions(req.ctx, req.params)
        return reply.type(GEOJSON).send(regions)
      }
      return app.services.lineLoss.measurement(req.ctx, req.params)
    }
  )

  app.get(
    '/api/pipemeasure/measurements/:site/:sector/:period',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'listSurveyMeasurements',
        summary: 'Line-loss measurements of a survey',
        description:
          'Every measured pad of the survey, in natural pad order. A survey without measurements, known or not, gives `count: 0` (the original contract).',
        tags: [LineLossTag.name],
        params: SurveyParamsSchema,
        response: { 200: Type.Ref(MeasurementListSchema), ...notModifiedResponse, ...awsErrorResponses }
      }
    },
    (req) => app.services.lineLoss.survey(req.ctx, req.params)
  )
}

export default lineLoss
