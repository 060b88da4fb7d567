import type { Hotspot, Severity, SeverityCounts } from '../../schemas/analytics.js'
import {
  byMaxDescending,
  countSeverities,
  mean,
  p95NearestRank,
  round2,
  scoreImages,
  severityRank,
  worstSeverity,
  type ScoredImage,
  type Thresholds
} from './hotspots.js'
import type { ImageRecord } from './records.js'
import { isFiniteNumber } from './records.js'
import { padImages, type Survey } from './survey.js'

export interface HotspotFilter {
  padId?: string
  minSeverity?: Severity
  limit: number
}

function location(record: ImageRecord): number[] | null {
  const gps = record.optical_metadata?.gps_location
  if (!isFiniteNumber(gps?.longitude) || !isFiniteNumber(gps?.latitude)) return null
  return isFiniteNumber(gps.altitude) ? [gps.longitude, gps.latitude, gps.altitude] : [gps.longitude, gps.latitude]
}

/** The hottest images of a survey (or of one pad of it, against the survey's reference), ranked 1..n. */
export function rankHotspots(survey: Survey, thresholds: Thresholds, filter: HotspotFilter): { count: number; hotspots: Hotspot[] } {
  const records = filter.padId === undefined ? survey.images : padImages(survey, filter.padId)
  const floor = filter.minSeverity === undefined ? 0 : severityRank(filter.minSeverity)
  const matching = scoreImages(records, survey.reference, thresholds).filter((s) => severityRank(s.severity) >= floor)
  matching.sort(byMaxDescending)
  const hotspots = matching.slice(0, filter.limit).map((s, i): Hotspot => ({
    rank: i + 1,
    image_id: s.record.image_id,
    pad_id: s.record.pad_id ?? null,
    max_temp: s.reading.max,
    avg_temp: s.reading.avg,
    delta_t: s.delta_t,
    severity: s.severity,
    is_calibrated: s.reading.is_calibrated,
    thermal_filename: s.record.thermal_filename ?? null,
    location: location(s.record)
  }))
  return { count: matching.length, hotspots }
}

/** What the summary, the trend and the pad map say about a set of images of one survey. */
export interface PadFigures {
  image_count: number
  max_temp: number | null
  avg_temp: number | null
  p95_max_temp: number | null
  hottest_image_id: string | null
  severity_counts: SeverityCounts
  worst_severity: Severity | null
}

export function padFigures(records: readonly ImageRecord[], reference: number | null, thresholds: Thresholds): PadFigures {
  const scored: ScoredImage[] = scoreImages(records, reference, thresholds).sort(byMaxDescending)
  const hottest = scored[0]
  const avg = mean(scored.map((s) => s.reading.avg))
  return {
    image_count: records.length,
    max_temp: hottest?.reading.max ?? null,
    avg_temp: avg === null ? null : round2(avg),
    p95_max_temp: p95NearestRank(scored.map((s) => s.reading.max)),
    hottest_image_id: hottest?.record.image_id ?? null,
    severity_counts: countSeverities(scored),
    worst_severity: worstSeverity(scored.map((s) => s.severity))
  }
}

export function addCounts(a: SeverityCounts, b: SeverityCounts): SeverityCounts {
  return { minor: a.minor + b.minor, moderate: a.moderate + b.moderate, serious: a.serious + b.serious, critical: a.critical + b.critical }
}
