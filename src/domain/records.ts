/**
 * The shapes of DynamoDB items as this service reads them. Every attribute is
 * optional: the tables are filled by other pipelines and older items lack
 * fields, so the domain functions must cope with any subset.
 */

interface GpsLocation {
  latitude?: number
  longitude?: number
  altitude?: number
}

interface ThermalMetadata {
  temperature_min?: number
  temperature_max?: number
  temperature_avg?: number
  emissivity?: number
  object_distance?: number
  reflected_temperature?: number
  ambient_temperature?: number
  relative_humidity?: number
}

export interface Calibration {
  status?: string
  params?: {
    emissivity?: number
    distance?: number
    reflection?: number
    ambient_temp?: number
    humidity?: number
  }
  temperature_delta?: {
    max_calibrated?: number
    avg_calibrated?: number
  }
}

export interface ImageRecord {
  image_id: string
  site_id?: string
  sector_id?: string
  period?: string
  pad_id?: string
  sector_period?: string
  optical_filename?: string
  thermal_filename?: string
  optical_s3_key?: string
  thermal_s3_key?: string
  colored_images?: Record<string, string | undefined>
  optical_metadata?: { gps_location?: GpsLocation }
  thermal_metadata?: ThermalMetadata
  calibration?: Calibration
  processing_status?: {
    mosaic_prep?: {
      included_in?: string[]
      mosaic_s3_keys?: Record<string, string | undefined>
    }
    colormapping?: {
      medical?: { temperature_stats?: Record<string, unknown> }
    }
  }
}

export interface PadItem {
  pad_id?: string
  site?: string
  site_id?: string
  sector?: string
  sector_id?: string
  site_sector?: string
  pad_name?: string
  effective_date?: string
  geo_location_area?: unknown
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

export function numberOrNull(v: unknown): number | null {
  return isFiniteNumber(v) ? v : null
}
