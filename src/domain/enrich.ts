import { orientationFromRotation, roundAngle } from './orientation.js'
import type { ImageRecord } from './records.js'
import { isFiniteNumber, numberOrNull } from './records.js'

export interface ShotFeature {
  type: 'Feature'
  geometry: { type: 'Point'; coordinates: number[] }
  properties: Record<string, unknown> & { filename: string }
}

interface EnrichedFeature {
  type: 'Feature'
  geometry: { type: 'Point'; coordinates: number[] }
  properties: Record<string, unknown> & {
    filename: string
    image_id: string | null
    thermal_filename: string | null
    altitude: number | null
    temp_max: number | null
    temp_min: number | null
    yaw: number | null
    pitch: number | null
  }
}

export interface EnrichedCollection {
  type: 'FeatureCollection'
  features: EnrichedFeature[]
}

function basename(key: string): string {
  const i = key.lastIndexOf('/')
  return i >= 0 ? key.slice(i + 1) : key
}

/**
 * Every file name an image record is known by. Optical mosaics are built from
 * the RGB frames, thermal ones from the radiometric or colour-mapped frames, so
 * a shot may carry any of them.
 */
export function recordFilenames(record: ImageRecord): string[] {
  const names: string[] = []
  if (record.optical_filename) names.push(record.optical_filename)
  if (record.thermal_filename) names.push(record.thermal_filename)
  for (const key of Object.values(record.colored_images ?? {})) {
    if (typeof key === 'string' && key) names.push(basename(key))
  }
  return names
}

export function indexByFilename(records: Iterable<ImageRecord>): Map<string, ImageRecord> {
  const index = new Map<string, ImageRecord>()
  for (const record of records) {
    for (const name of recordFilenames(record)) {
      // First record wins, so a duplicate name in the table cannot silently reassign a shot.
      if (!index.has(name)) index.set(name, record)
    }
  }
  return index
}

/** A feature as it may come from the file: anything can be missing or of the wrong type. */
interface RawFeature {
  type?: unknown
  geometry?: { type?: unknown; coordinates?: unknown } | null
  properties?: (Record<string, unknown> & { filename?: unknown }) | null
}

/** Parses a `shots.geojson` body, keeping only well-formed Point features with a file name. */
export function parseShots(body: unknown): ShotFeature[] {
  const features = (body as { features?: unknown } | null)?.features
  if (!Array.isArray(features)) throw new TypeError('shots.geojson is not a FeatureCollection')
  const shots: ShotFeature[] = []
  for (const f of features as (RawFeature | null)[]) {
    const props = f?.properties
    const coords = f?.geometry?.coordinates
    if (
      f?.type === 'Feature' &&
      f.geometry?.type === 'Point' &&
      Array.isArray(coords) &&
      coords.length >= 2 &&
      coords.length <= 3 &&
      coords.every(isFiniteNumber) &&
      props &&
      typeof props.filename === 'string'
    ) {
      shots.push({ type: 'Feature', geometry: { type: 'Point', coordinates: coords }, properties: { ...props, filename: props.filename } })
    }
  }
  return shots
}

/**
 * Joins ODM shots with image records. Unmatched shots are kept (with
 * `image_id: null`) so the map still shows every camera position.
 */
export function enrichShots(shots: readonly ShotFeature[], records: Iterable<ImageRecord>): EnrichedCollection {
  const index = indexByFilename(records)
  const features = shots.map((shot): EnrichedFeature => {
    const record = index.get(shot.properties.filename)
    const rotation = shot.properties.rotation
    const orientation =
      Array.isArray(rotation) && rotation.length === 3 && rotation.every(isFiniteNumber) ? orientationFromRotation(rotation) : null
    const gpsAltitude = record?.optical_metadata?.gps_location?.altitude
    return {
      type: 'Feature',
      geometry: shot.geometry,
      properties: {
        ...shot.properties,
        image_id: record?.image_id ?? null,
        thermal_filename: record?.thermal_filename ?? null,
        altitude: isFiniteNumber(gpsAltitude) ? gpsAltitude : numberOrNull(shot.geometry.coordinates[2]),
        temp_max: numberOrNull(record?.thermal_metadata?.temperature_max),
        temp_min: numberOrNull(record?.thermal_metadata?.temperature_min),
        yaw: orientation ? roundAngle(orientation.yaw) : null,
        pitch: orientation ? roundAngle(orientation.pitch) : null
      }
    }
  })
  return { type: 'FeatureCollection', features }
}
