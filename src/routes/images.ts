import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  imageAwsErrorResponses,
  errorResponse,
  ImageParamsSchema,
  PresignedUrlSchema,
  ThermalImageUrlSchema,
  ThermalQuerySchema,
  thermalQuery,
  notModifiedResponse,
  ImagesTag
} from '../../schemas/index.js'

const images: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/optical/:image_id',
    {
      config: { access: 'api', cache: 'presigned' },
      schema: {
        operationId: 'getOpticalImageUrl',
        summary: 'Presigned URL of an optical image',
        description: 'Signs a GET URL for the RGB camera JPEG of the image.',
        tags: [ImagesTag.name],
        params: ImageParamsSchema,
        response: {
          200: Type.Ref(PresignedUrlSchema, { description: 'A presigned URL of the image.' }),
          ...notModifiedResponse,
          404: errorResponse('No image with this id, or it has no optical file.', "image_id 'leyte_tongonan_20241230_9999' not found"),
          ...imageAwsErrorResponses
        }
      }
    },
    (req) => {
      // Where the URL must point when the embedded S3 is opened from another machine.
      req.ctx.publicHost = req.hostname
      return app.services.images.opticalUrl(req.ctx, req.params.image_id)
    }
  )

  app.get(
    '/api/thermal/:image_id',
    {
      config: { access: 'api', cache: 'presigned' },
      schema: {
        operationId: 'getThermalImageUrl',
        summary: 'Presigned URL of a colour-mapped thermal image',
        description:
          'Signs a GET URL for the thermal JPEG rendered with the chosen palette, and one for its colour-bar legend when that PNG exists (`colorbar_url`, else null).',
        tags: [ImagesTag.name],
        params: ImageParamsSchema,
        querystring: ThermalQuerySchema,
        response: {
          200: Type.Ref(ThermalImageUrlSchema, { description: 'Presigned URLs of the image and its colour bar.' }),
          ...notModifiedResponse,
          404: errorResponse(
            'No image with this id, or no rendering in this palette.',
            "image_id 'leyte_tongonan_20241230_0352' has no thermal image with palette 'hotspot_alert'"
          ),
          ...imageAwsErrorResponses
        }
      }
    },
    (req) => {
      req.ctx.publicHost = req.hostname
      return app.services.images.thermalUrl(req.ctx, req.params.image_id, thermalQuery(req.query).palette)
    }
  )
}

export default images
