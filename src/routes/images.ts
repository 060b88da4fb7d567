import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  errorResponse,
  ImageParamsSchema,
  PresignedUrlSchema,
  ThermalImageUrlSchema,
  ThermalQuerySchema,
  type ThermalQuery,
  notModifiedResponse
} from '../../schemas/index.js'

// Validation fills `palette` with its default, so the handler sees the `Required` shape.

const images: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/optical/:image_id',
    {
      schema: {
        operationId: 'getOpticalImageUrl',
        summary: 'Presigned URL of an optical image',
        description: 'Signs a GET URL for the RGB camera JPEG of the image.',
        tags: ['Images'],
        params: ImageParamsSchema,
        response: {
          200: Type.Ref(PresignedUrlSchema),
          ...notModifiedResponse,
          404: errorResponse('No image with this id, or it has no optical file.', "image_id 'leyte_tongonan_20241230_9999' not found"),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.images.opticalUrl(req.ctx, req.params.image_id)
  )

  app.get(
    '/api/thermal/:image_id',
    {
      schema: {
        operationId: 'getThermalImageUrl',
        summary: 'Presigned URL of a colour-mapped thermal image',
        description:
          'Signs a GET URL for the thermal JPEG rendered with the chosen palette, and one for its colour-bar legend when that PNG exists (`colorbar_url`, else null).',
        tags: ['Images'],
        params: ImageParamsSchema,
        querystring: ThermalQuerySchema,
        response: {
          200: Type.Ref(ThermalImageUrlSchema),
          ...notModifiedResponse,
          404: errorResponse('No image with this id, or no rendering in this palette.', "image_id 'leyte_tongonan_20241230_0352' has no thermal image with palette 'hotspot_alert'"),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.images.thermalUrl(req.ctx, req.params.image_id, (req.query as ThermalQuery).palette)
  )
}

export default images
