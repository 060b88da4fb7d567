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

export const DatasetTemperatureRangeSchema = Type.Object(
  {
    min_temp_c: Type.Optional(Type.Number()),
    max_temp_c: Type.Optional(Type.Number()),
    mean_temp_c: Type.Optional(Type.Number()),
    normalization: Type.Optional(Type.String({ description: 'How the palette was normalised, e.g. `dataset_min_max`.' })),
    sample_size: Type.Optional(Type.Integer({ minimum: 0, description: 'Images the range was computed over.' }))
  },
  {
    $id: 'DatasetTemperatureRange',
    additionalProperties: false,
    description: 'The temperature span (°C) the medical palette was normalised to across the dataset: what a colour bar shows.'
  }
)
export type DatasetTemperatureRange = Static<typeof DatasetTemperatureRangeSchema>

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

export const ThermalStatsSchema = Type.Object(
  {
    min_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C' }),
    max_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C; calibrated when `is_calibrated`.' }),
    avg_temp: Type.Union([Type.Number(), Type.Null()], { description: '°C; calibrated when `is_calibrated`.' }),
    is_calibrated: Type.Boolean(),
    palette: Type.Ref(PaletteSchema),
    calibration_params: Type.Optional(Type.Ref(RadiometricParamsSchema)),
    original_params: Type.Optional(Type.Ref(RadiometricParamsSchema)),
    dataset_temperature_range: Type.Optional(Type.Ref(DatasetTemperatureRangeSchema))
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
