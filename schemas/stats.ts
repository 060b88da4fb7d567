import { Type, type Static } from '@sinclair/typebox'
import { apiTag, PaletteSchema } from './common.js'

export const StatsTag = apiTag('Stats', 'Temperature and coverage statistics.')

export const CoverageStatsSchema = Type.Object(
  {
    total_images: Type.Integer({ minimum: 0 }),
    coverage_area_m2: Type.Number({ minimum: 0, description: 'Estimated ground area covered (m²), assuming 60 % overlap.' }),
    avg_altitude_m: Type.Number({ description: 'Average camera altitude (m).' }),
    camera_fov_deg: Type.Number({ description: 'Horizontal field of view of the thermal camera (DJI M2EA: 68.9°).' })
  },
  {
    $id: 'CoverageStats',
    additionalProperties: false,
    examples: [{ total_images: 101, coverage_area_m2: 32891.45, avg_altitude_m: 445.4, camera_fov_deg: 68.9 }]
  }
)
export type CoverageStats = Static<typeof CoverageStatsSchema>

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
