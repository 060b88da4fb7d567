import type { Measurement } from '../../schemas/line-loss.js'

/**
 * The items of the tables this service reads, as the PRD describes them (§5.1,
 * §5.2; the measurements in line-loss-and-reports.md). The demo seed writes
 * these same types. Every attribute but the image's key is optional: the tables
 * are filled by other pipelines and older items lack fields, so the domain
 * functions must cope with any subset and check each value they read.
 *
 * Type aliases rather than interfaces: an item must be assignable to a plain
 * `Record<string, unknown>` (the DocumentClient's writes, the dataset hash).
 */

export type GpsLocation = {
  latitude?: number
  longitude?: number
  altitude?: number
}

/** As the camera wrote it (DJI's R-JPEG EXIF). */
export type ThermalMetadata = {
  temperature_min?: number
  temperature_max?: number
  temperature_avg?: number
  emissivity?: number
  object_distance?: number
  reflected_temperature?: number
  ambient_temperature?: number
  relative_humidity?: number
}

/** The radiometric parameters a calibration applied. */
export type CalibrationParams = {
  emissivity?: number
  distance?: number
  reflection?: number
  ambient_temp?: number
  humidity?: number
}

export type Calibration = {
  /** `calibrated` or `not_calibrated`; only a calibrated image has params and calibrated temperatures. */
  status?: string
  params?: CalibrationParams
  temperature_delta?: {
    max_calibrated?: number
    avg_calibrated?: number
  }
}

/** The span the medical palette was normalised to across a survey (line-loss-and-reports.md). */
export type TemperatureStats = {
  min_temp_c?: number
  max_temp_c?: number
  mean_temp_c?: number
  normalization?: string
  sample_size?: number
}

export type ImageRecord = {
  image_id: string
  site_id?: string
  sector_id?: string
  period?: string
  pad_id?: string
  /** `{sector}#{period}`, the sort key of SiteSectorPeriodIndex. */
  sector_period?: string
  optical_filename?: string
  thermal_filename?: string
  optical_s3_key?: string
  thermal_s3_key?: string
  /** S3 key of each colour-mapped rendering, by palette. */
  colored_images?: Record<string, string | undefined>
  optical_metadata?: { gps_location?: GpsLocation }
  thermal_metadata?: ThermalMetadata
  calibration?: Calibration
  /** Absent on images processed before the mosaic workflow existed. */
  processing_status?: {
    mosaic_prep?: {
      included_in?: string[]
      /** Mosaic prefix (no trailing slash) by mosaic type. */
      mosaic_s3_keys?: Record<string, string | undefined>
    }
    colormapping?: {
      medical?: { temperature_stats?: TemperatureStats }
    }
  }
}

export type PadItem = {
  pad_id?: string
  /** Older items name their site and sector in `site_id` and `sector_id` instead. */
  site?: string
  site_id?: string
  sector?: string
  sector_id?: string
  /** `{site}_{sector}`, the partition key of SiteSectorDateIndex. */
  site_sector?: string
  /** Missing on some items: the name then comes from the id. */
  pad_name?: string
  effective_date?: string
  /** Closed ring of [lon, lat]. */
  geo_location_area?: number[][]
}

/**
 * A PipeMeasure item. Another system writes the measurements table, and the API
 * returns its items whole: the fields it knows are typed, any other attribute passes through.
 */
export type MeasurementItem = Measurement & Record<string, unknown>

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

export function numberOrNull(v: unknown): number | null {
  return isFiniteNumber(v) ? v : null
}
