import { Type, type Static } from '@sinclair/typebox'
import { MosaicTypeSchema, apiTag, surveyEcho } from './common.js'
import { PositionSchema } from './discovery.js'

export const MosaicTag = apiTag('Mosaic', 'Orthomosaics and camera positions of a pad.')

export const MosaicMetadataSchema = Type.Object(
  {
    exists: Type.Boolean({ description: 'Whether the mosaic of this type has been built for the pad.' }),
    image_count: Type.Integer({ minimum: 0, description: 'Number of images of the pad in this period.' }),
    ...surveyEcho,
    pad_id: Type.String(),
    mosaic_type: Type.Ref(MosaicTypeSchema)
  },
  {
    $id: 'MosaicMetadata',
    additionalProperties: false,
    examples: [
      {
        exists: true,
        image_count: 101,
        site: 'leyte',
        sector: 'tongonan',
        period: '20241230',
        pad_id: 'leyte_tongonan_PAD_105',
        mosaic_type: 'optical'
      }
    ]
  }
)
export type MosaicMetadata = Static<typeof MosaicMetadataSchema>

export const PointSchema = Type.Object(
  {
    type: Type.Literal('Point'),
    coordinates: Type.Ref(PositionSchema)
  },
  { $id: 'Point', description: 'GeoJSON Point (RFC 7946 §3.1.2).' }
)
export type Point = Static<typeof PointSchema>

const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })

export const CameraPropertiesSchema = Type.Object(
  {
    filename: Type.String({ description: 'Image file name, from ODM.' }),
    rotation: Type.Optional(
      Type.Array(Type.Number(), {
        minItems: 3,
        maxItems: 3,
        description: 'ODM angle-axis (Rodrigues) vector, world-to-camera, radians.'
      })
    ),
    image_id: Type.Union([Type.String(), Type.Null()], {
      description: 'Image id for `/api/optical` and `/api/thermal`; null when no image record matches the shot.'
    }),
    thermal_filename: Type.Union([Type.String(), Type.Null()]),
    altitude: nullableNumber('Camera altitude in metres: the GPS altitude of the image record, else the point’s z.'),
    temp_max: nullableNumber('Maximum temperature in the thermal image (°C).'),
    temp_min: nullableNumber('Minimum temperature in the thermal image (°C).'),
    yaw: nullableNumber('Compass heading of the top of the image, degrees clockwise from north, [0, 360).'),
    pitch: nullableNumber('Elevation of the optical axis in degrees; −90 is nadir.')
  },
  {
    $id: 'CameraProperties',
    additionalProperties: true,
    description: 'Every property of the ODM shot (`translation`, `capture_time`, `focal`, …) plus the enrichment.'
  }
)
export type CameraProperties = Static<typeof CameraPropertiesSchema>

export const CameraFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Type.Ref(PointSchema),
    properties: Type.Ref(CameraPropertiesSchema)
  },
  { $id: 'CameraFeature', description: 'One camera shot (RFC 7946 Feature).' }
)
export type CameraFeature = Static<typeof CameraFeatureSchema>

export const CameraCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Ref(CameraFeatureSchema))
  },
  {
    $id: 'CameraCollection',
    description: 'Camera positions of a mosaic (RFC 7946 FeatureCollection).',
    examples: [
      {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: [124.635123, 11.165456, 445.5] },
            properties: {
              filename: 'DJI_0380_W.JPG',
              rotation: [3.1416, 0, 0],
              image_id: 'leyte_tongonan_20241230_0379',
              thermal_filename: 'DJI_0381_T.JPG',
              altitude: 445.5,
              temp_max: 131.6,
              temp_min: 22.7,
              yaw: 0,
              pitch: -90
            }
          }
        ]
      }
    ]
  }
)
export type CameraCollection = Static<typeof CameraCollectionSchema>
