import { Type, type Static } from '@sinclair/typebox'

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
