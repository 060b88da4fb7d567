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

