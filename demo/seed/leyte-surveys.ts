import type { MosaicLocation } from '../../src/domain/keys.js'
import type { Calibration } from '../../src/domain/records.js'
import type { MosaicType, Palette } from '../../schemas/common.js'
import type { DatasetBuilder } from './dataset-builder.js'
import {
  AGL,
  captureTime,
  flightSeconds,
  gaussianOf,
  lawnmower,
  nadirShot,
  odmPose,
  opticalCamera,
  pad4,
  padFrame,
  SHOT_INTERVAL_S,
  thermalCamera,
  TRANSIT_S,
  type LonLat,
  type LonLatAlt,
  type PadFrame,
  type ShotFeature
} from './flight-geometry.js'
import { hashString, offsetLonLat, prng, round } from './geo.js'
import { leytePad, leytePadId, type LeytePad } from './leyte-pads.js'
import { LEYTE_SURVEYS, PRD_CALIBRATION, type FlightDef, type SurveyDef } from './leyte-periods.js'
import { LEGACY_IMAGES, NO_HOTSPOT_IMAGE_ID, PRD_EXAMPLE_IMAGE, REFLOWN_SHOTS } from './messy-cases.js'
import { imageIdOf, imageKeys, imageRecord, mosaicObjects, storedMosaicPrefix } from './records.js'
import { calibrationBlock, frameTemperatures, type CalibrationStatus, type FrameTemperatures } from './temperatures.js'

/**
 * The Leyte surveys (synthetic but realistic): lawnmower flights of a DJI M2EA over
 * each pad, ODM-style shots.geojson with UTM 51N translations and nadir angle-axis
 * rotations, the image records with their JPEGs, and the mosaics of each flight.
 */

const OPTICAL_CAMERA = opticalCamera(0.6704)
const THERMAL_CAMERA = thermalCamera(1.1684)
/** Frames that see the wellhead are this much warmer on average (°C). */
const WELLHEAD_WARMTH = 1.2

/** Where a flight starts: the next image index, DJI frame number and take-off time (s). */
interface FlightStart {
  index: number
  dji: number
  clock: number
}

interface Flight {
  survey: SurveyDef
  flight: FlightDef
  def: LeytePad
  loc: MosaicLocation
  start: FlightStart
  frame: PadFrame
  /** The hot wellhead sits near the pad centre: frames that see it have a high maximum. */
  wellhead: LonLat
  rnd: () => number
  gauss: () => number
  shots: Record<MosaicType, ShotFeature[]>
}

/** One frame as the camera tagged it, before the messy cases have their say. */
interface Frame {
  imageId: string
  opticalFilename: string
  thermalFilename: string
  time: number
  heading: number
  gps: { lon: number; lat: number; alt: number }
  temps: FrameTemperatures
  status: CalibrationStatus
}

export function leyteSurveys(b: DatasetBuilder): void {
  for (const survey of LEYTE_SURVEYS) {
    const start: FlightStart = { index: survey.firstIndex, dji: survey.firstDji, clock: Date.parse(survey.start) / 1000 }
    for (const flight of survey.flights) {
      const total = flyPad(b, survey, flight, { ...start })
      start.index += total
      start.dji += 2 * total + 8 // a few frames taken in transit between pads
      start.clock += flightSeconds(total, flight.legs) + TRANSIT_S
    }
  }
}

function flyPad(b: DatasetBuilder, survey: SurveyDef, flight: FlightDef, start: FlightStart): number {
  const def = leytePad(survey.sector, flight.pad)
  const loc = { site: def.site, sector: def.sector, period: survey.period, pad_id: leytePadId(def) }
  const rnd = prng(hashString(`${loc.pad_id}/${loc.period}`))
  const frame = padFrame(def.polygon, def.axis)
  const wellhead = offsetLonLat(frame.center[0], frame.center[1], (rnd() - 0.5) * 10, (rnd() - 0.5) * 10)
  const shots: Flight['shots'] = { optical: [], medical: [], hotspot_alert: [] }
  const f: Flight = { survey, flight, def, loc, start, frame, wellhead, rnd, gauss: gaussianOf(rnd), shots }
  const total = flight.legs * flight.perLeg
  for (let j = 0; j < total; j++) flyShot(b, f, j)
  shots.optical.push(...reflownShots(f, total))
  for (const type of flight.mosaics) b.addObjects(mosaicObjects(loc, type, def.polygon, shots[type]))
  b.flights.push({
    loc,
    start: start.clock,
    images: total,
    mosaics: flight.mosaics.map((type) => ({ type, prefix: storedMosaicPrefix(loc, type), shots: shots[type].length }))
  })
  return total
}

function cameraFrame(f: Flight, j: number): Frame {
  const { def, flight, start, frame } = f
  const w = lawnmower(j, flight.legs, flight.perLeg, frame.halfLength, frame.halfWidth)
  const [lon, lat] = frame.at(w)
  const heading = (def.axis + (w.forward ? 0 : 180) + f.gauss() * 3) % 360
  const alt = def.ground + AGL + f.gauss()
  const dji = start.dji + 2 * j
  const temps = frameTemperatures(f.rnd, f.survey.ambient, frame.distance([lon, lat], f.wellhead), WELLHEAD_WARMTH)
  const skipped = flight.calibration === 'mixed' ? j % 5 === 2 : flight.calibration === 'not_calibrated'
  return {
    imageId: imageIdOf(f.loc, start.index + j),
    opticalFilename: `DJI_${pad4(dji)}_W.JPG`,
    thermalFilename: `DJI_${pad4(dji + 1)}_T.JPG`,
    time: captureTime(start.clock, j, w.leg),
    heading,
    gps: { lon: round(lon, 7), lat: round(lat, 7), alt: round(alt, 1) },
    temps,
    status: skipped ? 'not_calibrated' : 'calibrated'
  }
}

/** The PRD's example record keeps the PRD's values, whatever the flight would have made of it. */
function pinPrdExample(f: Flight, frame: Frame): Frame {
  const prd = PRD_EXAMPLE_IMAGE
  if (frame.imageId !== prd.imageId) return frame
  if (frame.opticalFilename !== prd.opticalFilename || frame.thermalFilename !== prd.thermalFilename || f.loc.pad_id !== prd.padId) {
    throw new Error(`demo layout drifted: ${frame.imageId} is ${frame.opticalFilename}/${frame.thermalFilename} in ${f.loc.pad_id}`)
  }
  return { ...frame, gps: { ...prd.gps }, temps: { ...prd.temps }, status: 'calibrated' }
}

function calibrationOf(f: Flight, frame: Frame): Calibration {
  if (frame.imageId !== PRD_EXAMPLE_IMAGE.imageId) return calibrationBlock(frame.status, f.survey.calibrationParams, frame.temps)
  return { status: frame.status, params: { ...PRD_CALIBRATION }, temperature_delta: { ...PRD_EXAMPLE_IMAGE.temperatureDelta } }
}

function flyShot(b: DatasetBuilder, f: Flight, j: number): void {
  const frame = pinPrdExample(f, cameraFrame(f, j))
  const lacksHotspot = frame.imageId === NO_HOTSPOT_IMAGE_ID
  const legacy = f.loc.pad_id === LEGACY_IMAGES.padId && f.loc.period === LEGACY_IMAGES.period
  const mosaics = legacy ? null : f.flight.mosaics.filter((type) => !(lacksHotspot && type === 'hotspot_alert'))
  const palettes: Palette[] = lacksHotspot ? ['medical'] : ['medical', 'hotspot_alert']
  const keys = imageKeys(f.loc, frame.opticalFilename, frame.thermalFilename, palettes)
  b.addImageFiles(frame.imageId, keys)
  b.images.push(imageRecord({ ...frame, loc: f.loc, keys, calibration: calibrationOf(f, frame), mosaics }))

  // The PRD's example shot sits exactly on its GPS tag.
  const { lon, lat, alt } = frame.gps
  const pose = (): LonLatAlt => (frame.imageId === PRD_EXAMPLE_IMAGE.imageId ? [lon, lat, alt] : odmPose(lon, lat, alt, f.gauss))
  f.shots.optical.push(nadirShot(frame.opticalFilename, OPTICAL_CAMERA, frame.time, pose(), frame.heading, f.gauss))
  if (mosaics?.includes('medical') || mosaics?.includes('hotspot_alert')) {
    const thermal = nadirShot(frame.thermalFilename, THERMAL_CAMERA, frame.time, pose(), frame.heading, f.gauss)
    if (mosaics.includes('medical')) f.shots.medical.push(thermal)
    if (mosaics.includes('hotspot_alert')) f.shots.hotspot_alert.push(thermal)
  }
}

/** The re-flown frames of REFLOWN_SHOTS, after the last regular frame of their flight. */
function reflownShots(f: Flight, total: number): ShotFeature[] {
  if (f.loc.pad_id !== REFLOWN_SHOTS.padId || f.loc.period !== REFLOWN_SHOTS.period) return []
  const last = f.start.dji + 2 * (total - 1)
  return REFLOWN_SHOTS.filenames.map((filename, i) => {
    if (filename !== `DJI_${pad4(last + 2 + 2 * i)}_W.JPG`) throw new Error(`demo layout drifted: ${filename}`)
    const [lon, lat] = offsetLonLat(f.wellhead[0], f.wellhead[1], (i - 0.5) * 8, 3)
    const time = f.start.clock + flightSeconds(total, f.flight.legs) + 40 + i * SHOT_INTERVAL_S
    const pose: LonLatAlt = [lon, lat, f.def.ground + AGL + 0.4]
    return nadirShot(filename, OPTICAL_CAMERA, time, pose, f.def.axis + 180, f.gauss)
  })
}
