import {
  HOTSPOT_CSV_COLUMNS,
  SEVERITIES,
  SUMMARY_CSV_COLUMNS,
  type HotspotCollection,
  type HotspotList,
  type Severity,
  type SurveySummary
} from '../../schemas/analytics.js'
import type { PadList } from '../../schemas/discovery.js'
import { CAMERA_CSV_COLUMNS, type PadCollection, type Polygon } from '../../schemas/exports.js'
import { csvTable } from './csv.js'
import type { EnrichedCollection } from './enrich.js'
import { isFiniteNumber } from './records.js'
import type { PadFigures } from './survey-stats.js'

export function hotspotsCsv(list: HotspotList): string {
  return csvTable(
    HOTSPOT_CSV_COLUMNS,
    list.hotspots.map((h) => [
      h.rank,
      h.image_id,
      h.pad_id,
      h.max_temp,
      h.avg_temp,
      h.delta_t,
      h.severity,
      h.is_calibrated,
      h.location?.[0],
      h.location?.[1],
      h.location?.[2],
      h.thermal_filename
    ])
  )
}

export function hotspotsGeoJson(list: HotspotList): HotspotCollection {
  return {
    type: 'FeatureCollection',
    features: list.hotspots.map(({ location, ...properties }) => ({
      type: 'Feature',
      geometry: location ? { type: 'Point', coordinates: location } : null,
      properties
    }))
  }
}

export function summaryCsv(summary: SurveySummary): string {
  return csvTable(
    SUMMARY_CSV_COLUMNS,
    summary.pads.map((p) => [
      p.pad_id,
      p.pad_name,
      p.image_count,
      p.max_temp,
      p.avg_temp,
      p.hottest_image_id,
      ...SEVERITIES.map((s) => p.severity_counts[s]),
      p.complete,
      p.coverage_area_m2,
      p.excess_heat_loss_kw
    ])
  )
}

/** `alt` is the feature's `altitude` (the record's GPS, else the point's z), as in the JSON. */
export function camerasCsv(collection: EnrichedCollection): string {
  return csvTable(
    CAMERA_CSV_COLUMNS,
    collection.features.map(({ geometry, properties: p }) => [
      p.image_id,
      p.filename,
      geometry.coordinates[0],
      geometry.coordinates[1],
      p.altitude,
      p.yaw,
      p.pitch,
      p.temp_min,
      p.temp_max
    ])
  )
}

/** Characters XML 1.0 does not allow in a document at all, even escaped: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text as XML character data: markup escaped, and what XML forbids dropped, so one stored value cannot break the file. */
export function xml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
}

/** KML colours are aabbggrr. */
const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  minor: 'ff00c800',
  moderate: 'ff00d7ff',
  serious: 'ff0080ff',
  critical: 'ff0000ff'
}
const UNKNOWN_COLOUR = 'ffb4b4b4'

const celsius = (v: number | null) => (v === null ? 'unknown' : `${v} °C`)

/** A Placemark per shot, named by image id (else file name), styled by the severity of its image where known. */
export function camerasKml(collection: EnrichedCollection, title: string, severities: ReadonlyMap<string, Severity>): string {
  const styles = [...Object.entries(SEVERITY_COLOURS), ['unknown', UNKNOWN_COLOUR] as const].map(
    ([name, colour]) =>
      `    <Style id="${name}"><IconStyle><color>${colour}</color><Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle></Style>`
  )
  const placemarks = collection.features.map(({ geometry, properties: p }) => {
    const severity = p.image_id === null ? undefined : severities.get(p.image_id)
    const [lon, lat, z] = geometry.coordinates
    const alt = p.altitude ?? z
    const description = [
      `file: ${p.filename}`,
      `temp_min: ${celsius(p.temp_min)}`,
      `temp_max: ${celsius(p.temp_max)}`,
      ...(severity ? [`severity: ${severity}`] : [])
    ].join('\n')
    return [
      '    <Placemark>',
      `      <name>${xml(p.image_id ?? p.filename)}</name>`,
      `      <description>${xml(description)}</description>`,
      `      <styleUrl>#${severity ?? 'unknown'}</styleUrl>`,
      `      <Point>${isFiniteNumber(alt) ? '<altitudeMode>absolute</altitudeMode>' : ''}<coordinates>${[lon, lat, ...(isFiniteNumber(alt) ? [alt] : [])].join(',')}</coordinates></Point>`,
      '    </Placemark>'
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2">',
    '  <Document>',
    `    <name>${xml(title)}</name>`,
    ...styles,
    ...placemarks,
    '  </Document>',
    '</kml>',
    ''
  ].join('\n')
}

/** Twice the signed area of a ring in lon/lat; positive when counter-clockwise. */
function signedArea(ring: readonly number[][]): number {
  let sum = 0
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return sum
}

/**
 * A pad boundary as an RFC 7946 Polygon: `[lon, lat]` positions, the ring
 * closed and counter-clockwise. Null when fewer than three distinct corners remain.
 */
export function padPolygon(boundary: readonly number[][]): Polygon | null {
  const positions = boundary.filter((p) => p.length >= 2 && p.length <= 3 && p.every(isFiniteNumber)).map((p) => [...p])
  if (positions.length === 0) return null
  const first = positions[0]!
  const last = positions[positions.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) positions.push([...first])
  if (new Set(positions.map((p) => `${p[0]},${p[1]}`)).size < 3) return null
  if (signedArea(positions) < 0) positions.reverse()
  return { type: 'Polygon', coordinates: [positions] }
}

/** Pads as Polygon features; with the figures of a survey, each carries its image count, maximum and worst severity. */
export function padCollection(pads: PadList, figures?: ReadonlyMap<string, PadFigures>): PadCollection {
  return {
    type: 'FeatureCollection',
    features: pads.map((pad) => {
      const f = figures?.get(pad.pad_id)
      return {
        type: 'Feature',
        geometry: padPolygon(pad.geo_location_area),
        properties: {
          pad_id: pad.pad_id,
          pad_name: pad.pad_name,
          ...(figures ? { image_count: f?.image_count ?? 0, max_temp: f?.max_temp ?? null, severity: f?.worst_severity ?? null } : {})
        }
      }
    })
  }
}

/** A file name for Content-Disposition from validated query parts (letters, digits, `_`, `-`, `.`). */
export function exportFilename(parts: ReadonlyArray<string | undefined>, extension: string): string {
  const stem = parts
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_'))
    .join('_')
  return `${stem}.${extension}`
}
