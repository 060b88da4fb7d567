import { SEVERITIES, type Severity, type SeverityCounts } from '../../schemas/analytics.js'
import type { HotspotThresholds } from '../config.js'
import type { ImageRecord } from './records.js'
import { isFiniteNumber, numberOrNull } from './records.js'

/**
 * ΔT thresholds t1 < t2 < t3 (°C), as config.ts parses them from HOTSPOT_THRESHOLDS_C.
 * Defined there: config.ts is shared by every layer and may not import the domain.
 */
export type Thresholds = HotspotThresholds

/** Maximum and average temperature of an image by the one rule; either may be unknown. */
export interface RuleTemperatures {
  max: number | null
  avg: number | null
  is_calibrated: boolean
}

/** An image's temperatures when it has thermal data, i.e. both a maximum and an average. */
export interface ThermalReading {
  max: number
  avg: number
  is_calibrated: boolean
}

/**
 * The temperature rule every endpoint uses: a calibrated image reports the
 * calibrated maximum and average, any other the camera's own values.
 */
export function ruleTemperatures(record: ImageRecord): RuleTemperatures {
  const cal = record.calibration
  if (cal?.status === 'calibrated') {
    return {
      max: numberOrNull(cal.temperature_delta?.max_calibrated),
      avg: numberOrNull(cal.temperature_delta?.avg_calibrated),
      is_calibrated: true
    }
  }
  const tm = record.thermal_metadata
  return { max: numberOrNull(tm?.temperature_max), avg: numberOrNull(tm?.temperature_avg), is_calibrated: false }
}

export function thermalReading(record: ImageRecord): ThermalReading | undefined {
  const t = ruleTemperatures(record)
  return t.max !== null && t.avg !== null ? { max: t.max, avg: t.avg, is_calibrated: t.is_calibrated } : undefined
}

export const round2 = (n: number) => Math.round(n * 100) / 100

/** Median of the values (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter(isFiniteNumber).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The reference temperature of a survey: the median of its images' average temperatures. */
export function referenceTemperature(records: Iterable<ImageRecord>): number | null {
  const avgs: number[] = []
  for (const record of records) {
    const reading = thermalReading(record)
    if (reading) avgs.push(reading.avg)
  }
  const m = median(avgs)
  return m === null ? null : round2(m)
}

/** ΔT = max − reference, to the hundredth, so that a class edge is met exactly when the figures shown meet it. */
export function deltaT(max: number, reference: number): number {
  return round2(max - reference)
}

export function severityOf(delta: number, [t1, t2, t3]: Thresholds): Severity {
  if (delta < t1) return 'minor'
  if (delta < t2) return 'moderate'
  if (delta < t3) return 'serious'
  return 'critical'
}

export const severityRank = (s: Severity) => SEVERITIES.indexOf(s)

export function worstSeverity(severities: Iterable<Severity>): Severity | null {
  let worst: Severity | null = null
  for (const s of severities) if (worst === null || severityRank(s) > severityRank(worst)) worst = s
  return worst
}

export const noSeverities = () => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts

/** One image with thermal data, scored against a survey's reference temperature. */
export interface ScoredImage {
  record: ImageRecord
  reading: ThermalReading
  delta_t: number
  severity: Severity
}

/** Images with thermal data, scored; an image without is left out. */
export function scoreImages(records: Iterable<ImageRecord>, reference: number | null, thresholds: Thresholds): ScoredImage[] {
  const scored: ScoredImage[] = []
  if (reference === null) return scored
  for (const record of records) {
    const reading = thermalReading(record)
    if (!reading) continue
    const delta = deltaT(reading.max, reference)
    scored.push({ record, reading, delta_t: delta, severity: severityOf(delta, thresholds) })
  }
  return scored
}

/** Hottest first; equal maxima by image id in code-point order, so the order never depends on the table's. */
export function byMaxDescending(a: ScoredImage, b: ScoredImage): number {
  return b.reading.max - a.reading.max || (a.record.image_id < b.record.image_id ? -1 : a.record.image_id > b.record.image_id ? 1 : 0)
}

export function countSeverities(scored: Iterable<ScoredImage>): SeverityCounts {
  const counts = noSeverities()
  for (const s of scored) counts[s.severity]++
  return counts
}

/** The 95th percentile by nearest rank: the smallest value with at least 95 % of the values at or below it. */
export function p95NearestRank(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length
}
