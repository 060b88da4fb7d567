import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  CSV,
  csvExample,
  errorResponse,
  GEOJSON,
  HEAT_LOSS_CSV_COLUMNS,
  HeatLossCollectionSchema,
  HeatLossQuerySchema,
  HeatLossSchema,
  HeatLossTag,
  mediaResponse,
  notModifiedResponse,
  textBody
} from '../../schemas/index.js'
import { sendExport } from './export-reply.js'

const CSV_MEDIA = CSV.split(';')[0]!

const HEAT_LOSS_CSV = csvExample(HEAT_LOSS_CSV_COLUMNS, [
  {
    pad_id: 'leyte_tongonan_PAD_105',
    region_id: 1,
    length_m: 5.6,
    mean_temp_c: 91.7,
    pipe_diameter_m: 0.6,
    emissivity: 0.92,
    heat_loss_w_per_m: 1617.8,
    heat_loss_w: 9059.5,
    heat_loss_w_low: 8504.7,
    heat_loss_w_high: 11860.3,
    excess_heat_loss_w: 8756.1,
    excess_heat_loss_w_low: 8380.4,
    excess_heat_loss_w_high: 11037,
    note: ''
  }
])

/** The heat loss of the warm pipe the line-loss measurements found. */
const heatLoss: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/heat-loss',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getHeatLoss',
        summary: 'Heat loss of the warm pipe of a survey (W, kW, MWh a year)',
        description:
          "Each line-loss region's heat loss from its mean surface temperature, q′ = π·D·[h·(T_s − T_a) + ε·σ·(T_s⁴ − T_sur⁴)] × length (Churchill–Chu natural convection, Churchill–Bernstein with wind, air from Incropera Table A.4), and the excess over sound insulation; each pad's and the survey's sums in kW and MWh a year; every figure with its range. Every input is echoed with its value and source. A pad without a known pipe diameter has null figures and a reason. `format=csv` gives one row per region, `format=geojson` the regions with their figures. docs/heat-loss.md explains the method and its limits.",
        tags: [HeatLossTag.name],
        querystring: HeatLossQuerySchema,
        response: {
          200: mediaResponse('The estimate.', {
            'application/json': { schema: Type.Ref(HeatLossSchema) },
            [GEOJSON]: { schema: Type.Ref(HeatLossCollectionSchema) },
            [CSV_MEDIA]: textBody('One row per region, with a header row.', HEAT_LOSS_CSV)
          }),
          ...notModifiedResponse,
          ...awsErrorResponses,
          400: errorResponse('A parameter is missing, invalid or out of its range.', "invalid query parameter 'emissivity': must be <= 1"),
          404: errorResponse(
            'The survey has neither images nor measurements, or the pad was not measured in it.',
            "no measurement for pad_id 'leyte_tongonan_PAD_tgn-ss1' in period '20241230' (leyte/tongonan)"
          )
        }
      }
    },
    async (req, reply) => {
      const { format, ...q } = req.query
      if (format === 'csv' || format === 'geojson') return sendExport(reply, await app.services.heatLoss.export(req.ctx, q, format))
      return app.services.heatLoss.estimate(req.ctx, q)
    }
  )
}

export default heatLoss
