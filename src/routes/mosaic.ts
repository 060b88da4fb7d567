import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  CameraCollectionSchema,
  errorResponse,
  MosaicMetadataSchema,
  MosaicQuerySchema,
  PresignedUrlSchema,
  mosaicQuery,
  notModifiedResponse,
  MosaicTag
} from '../../schemas/index.js'

// Validation fills `mosaic_type` with its default, so handlers see the `Required` shape.

const mosaic: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/mosaic/metadata',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getMosaicMetadata',
        summary: 'Mosaic metadata of a pad',
        description: 'Whether the mosaic of this type was built, and how many images the pad has in the period.',
        tags: [MosaicTag.name],
        querystring: MosaicQuerySchema,
        response: { 200: Type.Ref(MosaicMetadataSchema, { description: 'The mosaic metadata.' }), ...notModifiedResponse, ...awsErrorResponses }
      }
    },
    (req) => app.services.mosaic.metadata(req.ctx, mosaicQuery(req.query))
  )

  app.get(
    '/api/mosaic/orthomosaic',
    {
      config: { access: 'api', cache: 'presigned' },
      schema: {
        operationId: 'getOrthomosaicUrl',
        summary: 'Presigned URL of an orthomosaic GeoTIFF',
        description:
          'Signs a GET URL for `odm_orthophoto.tif`. The URL is signed locally without checking that the mosaic exists; use `GET /api/pads?period=` to list pads with complete mosaics.',
        tags: [MosaicTag.name],
        querystring: MosaicQuerySchema,
        response: { 200: Type.Ref(PresignedUrlSchema, { description: 'A presigned URL of the orthophoto GeoTIFF.' }), ...notModifiedResponse, ...awsErrorResponses }
      }
    },
    (req) => app.services.mosaic.orthomosaicUrl(mosaicQuery(req.query))
  )

  app.get(
    '/api/mosaic/cameras',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getCameraPositions',
        summary: 'Camera positions of a mosaic as GeoJSON',
        description:
          'The ODM `shots.geojson` of the mosaic, every shot enriched with its image id, thermal file name, altitude, temperature range, compass yaw and pitch. Shots without an image record are kept with `image_id: null`.',
        tags: [MosaicTag.name],
        querystring: MosaicQuerySchema,
        response: {
          200: Type.Ref(CameraCollectionSchema),
          ...notModifiedResponse,
          404: errorResponse('The mosaic has no shots.geojson.', "no medical shots.geojson for pad_id 'leyte_tongonan_PAD_tgn-ss1' in period '20241230'"),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.mosaic.cameras(req.ctx, mosaicQuery(req.query))
  )
}

export default mosaic
