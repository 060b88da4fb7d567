import { mosaicPrefix, orthophotoKey, shotsKey, type MosaicLocation } from '../../src/domain/keys.js'
import type { Calibration, ImageRecord, PadItem } from '../../src/domain/records.js'
import type { MosaicType, Palette } from '../../schemas/common.js'
import { orthophotoTiff } from './assets.js'
import { pad4, type LonLat } from './flight-geometry.js'
import { thermalMetadata, type CalibrationParams, type FrameTemperatures } from './temperatures.js'

/**
 * The items of the pads, images and jobs tables, and the mosaic objects, as both
 * datasets write them. The items have the types the API reads (src/domain/records.ts).
 */

/** An S3 object of a dataset. */
export interface DemoObject {
  key: string
  body: Uint8Array
  contentType: string
}

export const padIdOf = (site: string, sector: string, name: string) => `${site}_${sector}_PAD_${name}`

export const imageIdOf = (loc: MosaicLocation, index: number) => `${loc.site}_${loc.sector}_${loc.period}_${pad4(index)}`

/** How an old pad item differs from the current shape (see PAD_QUIRKS). */
export type PadQuirk = 'site_id' | 'no_pad_name' | 'orphan'

export interface PadDef {
  site: string
  sector: string
  name: string
  effectiveDate: string
  /** Closed polygon [[lon, lat], ...]. */
  polygon: readonly LonLat[]
}

export function padRecord(def: PadDef, quirk?: PadQuirk): PadItem {
  const item: PadItem = { pad_id: padIdOf(def.site, def.sector, def.name) }
  if (quirk === 'site_id') {
    item.site_id = def.site
    item.sector_id = def.sector
  } else if (quirk !== 'orphan') {
    item.site = def.site
    item.sector = def.sector
  }
  item.site_sector = `${def.site}_${def.sector}`
  if (quirk !== 'no_pad_name') item.pad_name = def.name
  item.effective_date = def.effectiveDate
  item.geo_location_area = def.polygon.map(([lon, lat]) => [lon, lat])
  return item
}

/** A polygon the demo wrote (`padRecord`) read back as [lon, lat] points, for the steps that draw on it. */
export function lonLatRing(points: readonly (readonly number[])[], padId = ''): LonLat[] {
  return points.map(([lon, lat]) => {
    if (lon === undefined || lat === undefined) throw new Error(`demo layout drifted: a point of ${padId}'s polygon lacks lon or lat`)
    return [lon, lat]
  })
}

/** Records hold a mosaic's prefix without the trailing slash, as the mosaic workflow writes it. */
export const storedMosaicPrefix = (loc: MosaicLocation, type: MosaicType) => mosaicPrefix(loc, type).slice(0, -1)

export interface ImageKeys {
  optical: string
  thermal: string
  colored: Partial<Record<Palette, string>>
}

export function imageKeys(loc: MosaicLocation, opticalFilename: string, thermalFilename: string, palettes: readonly Palette[]): ImageKeys {
  const folder = `${loc.site}/${loc.sector}/${loc.period}`
  const thermalBase = thermalFilename.replace(/\.jpe?g$/i, '')
  const colored: Partial<Record<Palette, string>> = {}
  for (const palette of palettes) colored[palette] = `colored/${folder}/${thermalBase}_${palette}.JPG`
  return { optical: `images/${folder}/${opticalFilename}`, thermal: `images/${folder}/${thermalFilename}`, colored }
}

export interface ImageRecordArgs {
  loc: MosaicLocation
  imageId: string
  opticalFilename: string
  thermalFilename: string
  keys: ImageKeys
  /** The GPS tag, already rounded as the camera writes it. */
  gps: { lon: number; lat: number; alt: number }
  temps: FrameTemperatures
  calibration: Calibration
  /** Mosaics the image is part of; null for images processed before the mosaic workflow existed. */
  mosaics: readonly MosaicType[] | null
}

export function imageRecord(a: ImageRecordArgs): ImageRecord {
  const item: ImageRecord = {
    image_id: a.imageId,
    site_id: a.loc.site,
    sector_id: a.loc.sector,
    period: a.loc.period,
    pad_id: a.loc.pad_id,
    sector_period: `${a.loc.sector}#${a.loc.period}`,
    optical_filename: a.opticalFilename,
    thermal_filename: a.thermalFilename,
    optical_s3_key: a.keys.optical,
    thermal_s3_key: a.keys.thermal,
    colored_images: a.keys.colored,
    optical_metadata: { gps_location: { latitude: a.gps.lat, longitude: a.gps.lon, altitude: a.gps.alt } },
    thermal_metadata: thermalMetadata(a.temps),
    calibration: a.calibration
  }
  if (a.mosaics) {
    const keys: Record<string, string> = {}
    for (const type of a.mosaics) keys[type] = storedMosaicPrefix(a.loc, type)
    item.processing_status = { mosaic_prep: { included_in: [...a.mosaics], mosaic_s3_keys: keys } }
  }
  return item
}

/** A mosaic's two objects: the orthophoto GeoTIFF and the shots.geojson (given as features or as the file's text). */
export function mosaicObjects(
  loc: MosaicLocation,
  type: MosaicType,
  polygon: readonly LonLat[],
  shots: readonly object[] | string
): DemoObject[] {
  const geojson = typeof shots === 'string' ? shots : JSON.stringify({ type: 'FeatureCollection', features: shots })
  return [
    { key: orthophotoKey(loc, type), body: orthophotoTiff(loc.pad_id, type, polygon), contentType: 'image/tiff' },
    { key: shotsKey(loc, type), body: new TextEncoder().encode(geojson), contentType: 'application/geo+json' }
  ]
}

/**
 * An item of the jobs table. The API does not read that table (the PRD lists it
 * as unused), so its type lives here, with the only code that writes it.
 */
export type JobItem = {
  job_id: string
  job_type: 'mosaic_prep' | 'thermal_calibration'
  status: 'COMPLETED' | 'FAILED'
  site_id: string
  sector_id: string
  period: string
  /** Mosaic jobs only. */
  pad_id?: string
  mosaic_type?: MosaicType
  /** Prefix of the mosaic a completed job wrote. */
  output_s3_prefix?: string
  /** Why a failed job failed. */
  error_message?: string
  /** Calibration jobs only. */
  params?: CalibrationParams
  image_count: number
  created_at: string
  completed_at?: string
}

export interface CalibrationJobArgs {
  site: string
  sector: string
  period: string
  params: CalibrationParams
  imageCount: number
  createdAt: string
  completedAt?: string
}

export function calibrationJob(a: CalibrationJobArgs): JobItem {
  const job: JobItem = {
    job_id: `calibration-${a.site}_${a.sector}-${a.period}`,
    job_type: 'thermal_calibration',
    status: 'COMPLETED',
    site_id: a.site,
    sector_id: a.sector,
    period: a.period,
    params: { ...a.params },
    image_count: a.imageCount,
    created_at: a.createdAt
  }
  if (a.completedAt) job.completed_at = a.completedAt
  return job
}
