import { Type, type Static } from '@sinclair/typebox'
import { DEFAULT_PALETTE, PALETTES, StringEnum, apiTag } from './common.js'

export const ImagesTag = apiTag('Images', 'Presigned URLs of single optical and thermal images.')

export const ThermalQuerySchema = Type.Object(
  {
    palette: Type.Optional(
      StringEnum(PALETTES, { default: DEFAULT_PALETTE, description: 'Colour map: `medical` (default) or `hotspot_alert`.' })
    )
  },
  { additionalProperties: false }
)
/** The query with its default filled in (validation did it; see `mosaicQuery`). */
export type ThermalQuery = Required<Static<typeof ThermalQuerySchema>>
export function thermalQuery(q: Static<typeof ThermalQuerySchema>): ThermalQuery {
  return { palette: q.palette ?? DEFAULT_PALETTE }
}

export const ThermalImageUrlSchema = Type.Object(
  {
    url: Type.String({ format: 'uri', description: 'Presigned S3 GET URL of the colour-mapped JPEG.' }),
    expires_at: Type.String({ format: 'date-time', description: 'When the URL stops working (ISO 8601, UTC).' }),
    colorbar_url: Type.Union([Type.String({ format: 'uri' }), Type.Null()], {
      description: 'Presigned URL of the palette’s colour-bar PNG, or null when there is none.'
    })
  },
  {
    $id: 'ThermalImageUrl',
    additionalProperties: false,
    examples: [
      {
        url: 'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/colored/leyte/tongonan/20241230/DJI_0381_T_medical.JPG?X-Amz-Signature=...',
        expires_at: '2025-11-22T11:30:45.000Z',
        colorbar_url:
          'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/colored/medical/leyte/tongonan/20241230/DJI_0381_T_colorbar.png?X-Amz-Signature=...'
      }
    ]
  }
)
export type ThermalImageUrl = Static<typeof ThermalImageUrlSchema>
