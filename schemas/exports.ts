import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { SeveritySchema } from './analytics.js'
import { MosaicQuerySchema, StringEnum } from './common.js'
import { PositionSchema } from './discovery.js'

/** A response in a format other than the default JSON, with the name to save it under. */
export interface Export {
  contentType: string
  filename: string
  body: string | object
}

/** Media types of the exports. */
export const GEOJSON = 'application/geo+json'
export const CSV = 'text/csv; charset=utf-8'
export const KML = 'application/vnd.google-earth.kml+xml'
export const PDF = 'application/pdf'

export const PolygonSchema = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Type.Ref(PositionSchema), { minItems: 4 }), {
      minItems: 1,
      description: 'Linear rings: closed, counter-clockwise exterior (RFC 7946 §3.1.6).'
    })
  },
  { $id: 'Polygon', additionalProperties: false, description: 'GeoJSON Polygon (RFC 7946 §3.1.6).' }
)
export type Polygon = Static<typeof PolygonSchema>

const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })

export const PadFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Type.Union([Type.Ref(PolygonSchema), Type.Null()], { description: 'Null when the pad item has no usable ring.' }),
    properties: Type.Object(
      {
        pad_id: Type.String(),
        pad_name: Type.String(),
        image_count: Type.Optional(Type.Integer({ minimum: 0, description: 'With `period`: images of the pad in that survey.' })),
        max_temp: Type.Optional(nullableNumber('With `period`: the highest maximum temperature of those images (°C).')),
        severity: Type.Optional(
          Type.Union([Type.Ref(SeveritySchema), Type.Null()], { description: 'With `period`: the worst severity of those images.' })
        )
      },
      { additionalProperties: false }
    )
  },
  { $id: 'PadFeature', additionalProperties: false, description: 'A pad boundary (RFC 7946 Feature).' }
)
export type PadFeature = Static<typeof PadFeatureSchema>

export const PadCollectionSchema = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Ref(PadFeatureSchema)) },
  { $id: 'PadCollection', additionalProperties: false, description: 'Pads of a sector as an RFC 7946 FeatureCollection.' }
)
export type PadCollection = Static<typeof PadCollectionSchema>

export const CAMERA_FORMATS = ['json', 'csv', 'kml'] as const
export type CameraFormat = (typeof CAMERA_FORMATS)[number]
/** The header of `format=csv` of GET /api/mosaic/cameras: one row per shot. */
export const CAMERA_CSV_COLUMNS = ['image_id', 'filename', 'lon', 'lat', 'alt', 'yaw', 'pitch', 'temp_min', 'temp_max'] as const

export const CamerasQuerySchema = Type.Object(
  {
    ...MosaicQuerySchema.properties,
    format: Type.Optional(
      StringEnum(CAMERA_FORMATS, {
        default: 'json',
        description: '`json` (GeoJSON, as always), `csv` (one row per shot) or `kml` (a Placemark per shot).'
      })
    )
  },
  { additionalProperties: false }
)
export type CamerasQuery = Static<typeof CamerasQuerySchema>

/** A 200 with one schema per media type; the JSON one comes first, as the default. */
export function mediaResponse(description: string, media: Record<string, { schema: TSchema; example?: unknown }>) {
  return { description, content: media }
}

/** A text body (CSV, KML) as the contract describes it. */
export function textBody(description: string, example: string) {
  return { schema: Type.String({ description }), example }
}

/** An example CSV for the contract: the header, then each row's cells in column order (none needs quoting). */
export function csvExample<C extends string>(columns: readonly C[], rows: ReadonlyArray<Record<C, string | number | boolean>>): string {
  return [columns, ...rows.map((row) => columns.map((c) => row[c]))].map((cells) => cells.join(',') + '\r\n').join('')
}
