import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  CAMERA_CSV_COLUMNS,
  CameraCollectionSchema,
  CamerasQuerySchema,
  CSV,
  csvExample,
  KML,
  mediaResponse,
  textBody,
  errorResponse,
  MosaicMetadataSchema,
  MosaicQuerySchema,
  PresignedUrlSchema,
  mosaicQuery,
  notModifiedResponse,
  MosaicTag
} from '../../schemas/index.js'
import { sendExport } from './export-reply.js'

const CAMERAS_CSV = csvExample(CAMERA_CSV_COLUMNS, [
  {
    image_id: 'leyte_tongonan_20241230_0379',
    filename: 'DJI_0380_W.JPG',
    lon: 124.635123,
    lat: 11.165456,
    alt: 445.5,
    yaw: 0,
    pitch: -90,
    temp_min: 22.7,
    temp_max: 131.6
  }
])
const CAMERAS_KML = `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>leyte_tongonan_PAD_105 20241230 optical</name>
    <Placemark>
      <name>leyte_tongonan_20241230_0379</name>
      <description>file: DJI_0380_W.JPG
temp_min: 22.7 °C
temp_max: 131.6 °C
severity: critical</description>
      <styleUrl>#critical</styleUrl>
      <Point><altitudeMode>absolute</altitudeMode><coordinates>124.635123,11.165456,445.5</coordinates></Point>
    </Placemark>
  </Document>
</kml>
`

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
        response: {
          200: Type.Ref(MosaicMetadataSchema, { description: 'The mosaic metadata.' }),
          ...notModifiedResponse,
          ...awsErrorResponses
        }
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
        response: {
          200: Type.Ref(PresignedUrlSchema, { description: 'A presigned URL of the orthophoto GeoTIFF.' }),
          ...notModifiedResponse,
          ...awsErrorResponses
        }
      }
    },
    (req) => {
      // Where the URL must point when the embedded S3 is opened from another machine.
      req.ctx.publicHost = req.hostname
      return app.services.mosaic.orthomosaicUrl(req.ctx, mosaicQuery(req.query))
    }
  )

  app.get(
    '/api/mosaic/cameras',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getCameraPositions',
        summary: 'Camera positions of a mosaic as GeoJSON',
        description:
          'The ODM `shots.geojson` of the mosaic, every shot enriched with its image id, thermal file name, altitude, temperature range, compass yaw and pitch. Shots without an image record are kept with `image_id: null`. `format=csv` exports the same values one row per shot; `format=kml` a Placemark per shot, styled by the severity of its image.',
        tags: [MosaicTag.name],
        querystring: CamerasQuerySchema,
        response: {
          200: mediaResponse('The camera positions.', {
            'application/json': { schema: Type.Ref(CameraCollectionSchema) },
            [CSV.split(';')[0]!]: textBody('One row per shot, with a header row.', CAMERAS_CSV),
            [KML]: textBody('A KML 2.2 document with a Placemark per shot.', CAMERAS_KML)
          }),
          ...notModifiedResponse,
          404: errorResponse(
            'The mosaic has no shots.geojson.',
            "no medical shots.geojson for pad_id 'leyte_tongonan_PAD_tgn-ss1' in period '20241230'"
          ),
          ...awsErrorResponses
        }
      }
    },
    async (req, reply) => {
      const { format, ...query } = req.query
      if (format === 'csv' || format === 'kml')
        return sendExport(reply, await app.services.exports.cameras(req.ctx, mosaicQuery(query), format))
      return app.services.mosaic.cameras(req.ctx, mosaicQuery(query))
    }
  )
}

export default mosaic
