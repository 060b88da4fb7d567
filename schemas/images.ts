import { Type, type Static } from '@sinclair/typebox'
import { PaletteSchema, PALETTES, StringEnum } from './common.js'

export const ThermalQuerySchema = Type.Object(
  {
    palette: Type.Optional(
      StringEnum(PALETTES, { default: 'medical', description: 'Colour map: `medical` (default) or `hotspot_alert`.' })
    )
  },
  { additionalProperties: false }
)
/** The query after validation: the default `palette` has been filled in. */
export type ThermalQuery = Required<Static<typeof ThermalQuerySchema>>

export const RadiometricParamsSchema = Type.Object(
  {
    emissivity: Type.Union([Type.Number(), Type.Null()]),
    distance: Type.Union([Type.Number(), Type.Null()], { description: 'Object distance (m).' }),
    reflection: Type.Union([Type.Number(), Type.Null()], { description: 'Reflected temperature (°C).' }),
    ambient_temp: Type.Union([Type.Number(), Type.Null()], { description: 'Ambient temperature (°C).' }),
    humidity: Type.Union([Type.Number(), Type.Null()], { description: 'Relative humidity (%).' })
  },
  { $id: 'RadiometricParams', additionalProperties: false, description: 'Environmental parameters of a thermal image.' }
)
export type RadiometricParams = Static<typeof RadiometricParamsSchema>

export const ThermalStatsSchema = Type.Object(
  {
    min_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C' }),
    max_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C; calibrated when `is_calibrated`.' }),
    avg_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C; calibrated when `is_calibrated`.' }),
    is_calibrated: Type.Boolean(),
    palette: Type.Ref(PaletteSchema),
    calibration_params: Type.Optional(Type.Ref(RadiometricParamsSchema)),
    original_params: Type.Optional(Type.Ref(RadiometricParamsSchema))
  },
  {
    $id: 'ThermalStats',
    additionalProperties: false,
    description: 'Temperature statistics: `calibration_params` when calibrated, else `original_params`.',
    examples: [
      {
        min_temp: 22.7,
        max_temp: 145.3,
        avg_temp: 28.54,
        is_calibrated: true,
        palette: 'medical',
        calibration_params: { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 }
      }
    ]
  }
)
export type ThermalStats = Static<typeof ThermalStatsSchema>
