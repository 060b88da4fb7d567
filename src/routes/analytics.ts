import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  AnalyticsTag,
  awsErrorResponses,
  CSV,
  csvExample,
  errorResponse,
  GEOJSON,
  HOTSPOT_CSV_COLUMNS,
  HotspotCollectionSchema,
  HotspotListSchema,
  HotspotsQuerySchema,
  mediaResponse,
  notModifiedResponse,
  PadTrendSchema,
  SUMMARY_CSV_COLUMNS,
  SurveySummaryQuerySchema,
  SurveySummarySchema,
  textBody,
  TrendQuerySchema
} from '../../schemas/index.js'
import { sendExport } from './export-reply.js'

const CSV_MEDIA = CSV.split(';')[0]!

const HOTSPOTS_CSV = csvExample(HOTSPOT_CSV_COLUMNS, [
  {
    rank: 1,
    image_id: 'leyte_tongonan_20241230_0379',
    pad_id: 'leyte_tongonan_PAD_105',
    max_temp: 145.3,
    avg_temp: 28.54,
    delta_t: 116.65,
    severity: 'critical',
    is_calibrated: true,
    lon: 124.635123,
    lat: 11.165456,
    alt: 445.5,
    thermal_filename: 'DJI_0381_T.JPG'
  }
])
const SUMMARY_CSV = csvExample(SUMMARY_CSV_COLUMNS, [
  {
    pad_id: 'leyte_tongonan_PAD_105',
    pad_name: '105',
    image_count: 32,
    max_temp: 145.3,
    avg_temp: 28.75,
    hottest_image_id: 'leyte_tongonan_20241230_0379',
    minor: 0,
    moderate: 10,
    serious: 17,
    critical: 5,
    complete: true,
    coverage_area_m2: 3825224.82,
    excess_heat_loss_kw: 11.641
  }
])

const analytics: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/hotspots',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'listHotspots',
        summary: 'Hot spots of a survey, ranked',
        description:
          'The images of a survey (or of one pad of it) with thermal data, hottest first, each with ΔT against the survey’s reference temperature (the median of its images’ averages) and a severity class. `format=geojson` gives Point features, `format=csv` one row per hot spot.',
        tags: [AnalyticsTag.name],
        querystring: HotspotsQuerySchema,
        response: {
          200: mediaResponse('The hot spots.', {
            'application/json': { schema: Type.Ref(HotspotListSchema) },
            [GEOJSON]: { schema: Type.Ref(HotspotCollectionSchema) },
            [CSV_MEDIA]: textBody('One row per hot spot, with a header row.', HOTSPOTS_CSV)
          }),
          ...notModifiedResponse,
          404: errorResponse(
            'The site, sector or period has no images, or the pad none in the period.',
            "period '20240101' not found in sector 'tongonan'"
          ),
          ...awsErrorResponses
        }
      }
    },
    async (req, reply) => {
      const format = req.query.format
      if (format === 'csv' || format === 'geojson')
        return sendExport(reply, await app.services.exports.hotspots(req.ctx, req.query, format))
      return app.services.analytics.hotspots(req.ctx, req.query)
    }
  )

  app.get(
    '/api/trend',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getPadTrend',
        summary: 'Temperature trend of a pad across surveys',
        description:
          'One entry per period in which the pad has images, oldest first: image count, maximum, mean average and 95th-percentile maximum temperature, hot spots per severity against that survey’s own reference, and the change of the maximum since the entry before.',
        tags: [AnalyticsTag.name],
        querystring: TrendQuerySchema,
        response: {
          200: Type.Ref(PadTrendSchema, { description: 'The pad’s surveys, oldest first.' }),
          ...notModifiedResponse,
          404: errorResponse(
            'The site or sector is unknown, or the pad has no images in any period.',
            "pad_id 'leyte_tongonan_PAD_999' has no images in sector 'tongonan'"
          ),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.analytics.trend(req.ctx, req.query)
  )

  app.get(
    '/api/survey/summary',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getSurveySummary',
        summary: 'Summary of a survey, one row per pad',
        description:
          'For each pad with images in the survey, in natural order: image count, maximum and mean average temperature, the hottest image, hot spots per severity, whether its mosaics are complete (as `GET /api/pads?period=`) and its estimated coverage (as `GET /api/coverage/stats`); plus totals. `format=csv` gives the rows.',
        tags: [AnalyticsTag.name],
        querystring: SurveySummaryQuerySchema,
        response: {
          200: mediaResponse('The summary.', {
            'application/json': { schema: Type.Ref(SurveySummarySchema) },
            [CSV_MEDIA]: textBody('One row per pad, with a header row.', SUMMARY_CSV)
          }),
          ...notModifiedResponse,
          404: errorResponse('The site, sector or period has no images.', "site 'nowhere' not found"),
          ...awsErrorResponses
        }
      }
    },
    async (req, reply) => {
      if (req.query.format === 'csv') return sendExport(reply, await app.services.exports.summaryCsv(req.ctx, req.query))
      return app.services.analytics.summary(req.ctx, req.query)
    }
  )
}

export default analytics
