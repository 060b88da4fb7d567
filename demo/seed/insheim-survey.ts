import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MosaicType } from '../../schemas/common.js'
import { packageRoot } from '../../src/package-info.js'
import type { DatasetBuilder } from './dataset-builder.js'
import type { LonLat } from './flight-geometry.js'
import { hashString, metresPerDegree, offsetLonLat, prng, round } from './geo.js'
import { imageIdOf, imageKeys, imageRecord, mosaicObjects, padRecord } from './records.js'
import { calibrationBlock, type CalibrationParams } from './temperatures.js'

/**
 * Upper Rhine / Insheim: a real ODM shots.geojson (394 shots), each shot with an
 * image record, and the pad drawn around the flight.
 */

export const INSHEIM = {
  site: 'upper-rhine',
  sector: 'insheim',
  period: '20250629',
  padId: 'upper-rhine_insheim_PAD_A1'
} as const

const PARAMS: CalibrationParams = { emissivity: 0.95, distance: 35.0, reflection: 30.0, ambient_temp: 29.0, humidity: 45.0 }
const MOSAICS: readonly MosaicType[] = ['optical', 'medical']
const LOC = { site: INSHEIM.site, sector: INSHEIM.sector, period: INSHEIM.period, pad_id: INSHEIM.padId }

/** The real ODM flight behind the demo's `upper-rhine_insheim_PAD_A1`. */
export function insheimShotsPath(): string {
  return join(packageRoot, 'demo', 'seed', 'data', 'insheim-shots.geojson')
}

interface InsheimFeature {
  type: 'Feature'
  properties: { filename: string; capture_time: number; translation: number[]; rotation: number[] } & Record<string, unknown>
  geometry: { type: 'Point'; coordinates: number[] }
}

const thermalName = (f: string) => f.replace(/\.(jpe?g)$/i, '_T.$1')

/** The flight's bounding box plus 15 m on every side, and the pad polygon drawn on it. */
function surveyArea(features: readonly InsheimFeature[]): { center: LonLat; polygon: LonLat[] } {
  const lons = features.map((f) => f.geometry.coordinates[0]!)
  const lats = features.map((f) => f.geometry.coordinates[1]!)
  const [west, south] = offsetLonLat(Math.min(...lons), Math.min(...lats), -15, -15)
  const [east, north] = offsetLonLat(Math.max(...lons), Math.max(...lats), 15, 15)
  const corner = (lon: number, lat: number): LonLat => [round(lon, 6), round(lat, 6)]
  return {
    center: [(west + east) / 2, (south + north) / 2],
    polygon: [corner(west, south), corner(east, south), corner(east, north), corner(west, north), corner(west, south)]
  }
}

function insheimImage(b: DatasetBuilder, f: InsheimFeature, hot: LonLat, m: { lon: number; lat: number }): void {
  const filename = f.properties.filename
  const number = Number(/(\d+)/.exec(filename)?.[1] ?? NaN)
  if (!Number.isFinite(number)) throw new Error(`unexpected Insheim filename ${filename}`)
  const [lon = 0, lat = 0] = f.geometry.coordinates
  const rnd = prng(hashString(filename))
  const d = Math.hypot((lon - hot[0]) * m.lon, (lat - hot[1]) * m.lat)
  const max = d < 25 ? 78 + rnd() * 16 - d * 0.4 : 44 + rnd() * 18
  const temps = { min: 20.5 + rnd() * 4, max, avg: 31 + rnd() * 5 }
  const keys = imageKeys(LOC, filename, thermalName(filename), ['medical', 'hotspot_alert'])
  const imageId = imageIdOf(LOC, number)
  b.addImageFiles(imageId, keys)
  b.images.push(
    imageRecord({
      loc: LOC,
      imageId,
      opticalFilename: filename,
      thermalFilename: thermalName(filename),
      keys,
      gps: { lon: round(lon, 7), lat: round(lat, 7), alt: round(f.properties.translation[2] ?? 0, 1) },
      temps,
      calibration: calibrationBlock(number % 3 === 0 ? 'not_calibrated' : 'calibrated', PARAMS, temps),
      mosaics: MOSAICS
    })
  )
}

export function insheimSurvey(b: DatasetBuilder): void {
  const raw = readFileSync(insheimShotsPath(), 'utf8')
  const shots = JSON.parse(raw) as { type: string; features: InsheimFeature[] }
  const { center, polygon } = surveyArea(shots.features)
  b.pads.push(padRecord({ site: INSHEIM.site, sector: INSHEIM.sector, name: 'A1', effectiveDate: '20230101', polygon }))

  // A warm spot (a buried brine line) near the middle of the survey.
  const m = metresPerDegree(center[1])
  for (const f of shots.features) insheimImage(b, f, center, m)

  // The optical shots.geojson is the real file, byte for byte; the medical one has the thermal names.
  b.addObjects(mosaicObjects(LOC, 'optical', polygon, raw))
  const thermal = shots.features.map((f) => ({ ...f, properties: { ...f.properties, filename: thermalName(f.properties.filename) } }))
  b.addObjects(mosaicObjects(LOC, 'medical', polygon, thermal))
}
