import { HEAT_LOSS_LIMITS, type InputSource } from '../../../schemas/heat-loss.js'
import type { Measurement } from '../../../schemas/line-loss.js'
import { median } from '../hotspots.js'
import { isFiniteNumber, type ImageRecord } from '../records.js'

/** An input of the estimate: its value, where it came from, and which field (or why there is none). */
export interface ResolvedInput<T> {
  value: T
  source: InputSource | null
  detail: string
}

/** The first of the candidates that has a value; `fallback` when none has. */
export function firstKnown<T>(candidates: readonly (ResolvedInput<T> | undefined)[], fallback: ResolvedInput<T>): ResolvedInput<T> {
  return candidates.find((c) => c !== undefined) ?? fallback
}

const inRange = (name: keyof typeof HEAT_LOSS_LIMITS, v: number) =>
  v >= HEAT_LOSS_LIMITS[name].minimum && v <= HEAT_LOSS_LIMITS[name].maximum

/** The median of a field over the images that recorded it (in range), with the field named. */
function medianOf(
  images: readonly ImageRecord[],
  field: string,
  read: (image: ImageRecord) => unknown,
  limit: keyof typeof HEAT_LOSS_LIMITS
): ResolvedInput<number> | undefined {
  const values = images.map(read).filter((v): v is number => isFiniteNumber(v) && inRange(limit, v))
  const value = median(values)
  if (value === null) return undefined
  return { value, source: 'survey', detail: `median ${field} of ${values.length} image${values.length === 1 ? '' : 's'}` }
}

/**
 * The ambient temperature the survey's images recorded: the calibration's, which
 * the operator set on site, else the camera's thermal metadata.
 */
export function recordedAmbient(images: readonly ImageRecord[]): ResolvedInput<number> | undefined {
  return (
    medianOf(images, 'calibration.params.ambient_temp', (i) => i.calibration?.params?.ambient_temp, 'ambient_c') ??
    medianOf(images, 'thermal_metadata.ambient_temperature', (i) => i.thermal_metadata?.ambient_temperature, 'ambient_c')
  )
}

/**
 * The emissivity the pad's calibrations used. The camera's own metadata is not
 * asked: DJI writes 1.0 there unless someone set it, which no surface has.
 */
export function calibrationEmissivity(images: readonly ImageRecord[]): ResolvedInput<number> | undefined {
  return medianOf(images, 'calibration.params.emissivity', (i) => i.calibration?.params?.emissivity, 'emissivity')
}

/** The pipe's outer diameter PipeMeasure stored with the measurement, when it is a diameter at all. */
export function measurementDiameter(m: Measurement): ResolvedInput<number> | undefined {
  const value = m.processing_params?.pipe_outer_diameter_m
  if (!isFiniteNumber(value) || !inRange('pipe_diameter_m', value)) return undefined
  return { value, source: 'measurement', detail: 'processing_params.pipe_outer_diameter_m' }
}

/** Diameters configured by `site` or `site/sector` (the more specific wins). */
export type ConfiguredDiameters = ReadonlyMap<string, number>

export function configuredDiameter(diameters: ConfiguredDiameters, site: string, sector: string): ResolvedInput<number> | undefined {
  for (const key of [`${site}/${sector}`, site]) {
    const value = diameters.get(key)
    if (value !== undefined) return { value, source: 'configuration', detail: `HEAT_LOSS_PIPE_DIAMETERS_M (${key})` }
  }
  return undefined
}

export const fromQuery = <T>(value: T | undefined, name: string): ResolvedInput<T> | undefined =>
  value === undefined ? undefined : { value, source: 'query', detail: name }
