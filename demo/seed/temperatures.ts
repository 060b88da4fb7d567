import type { Calibration, CalibrationParams as StoredCalibrationParams, ImageRecord, ThermalMetadata } from '../../src/domain/records.js'
import { round } from './geo.js'

/** Radiometric parameters as the demo's calibrations store them: every one set. */
export type CalibrationParams = Required<StoredCalibrationParams>

export interface FrameTemperatures {
  min: number
  max: number
  avg: number
}

/** Frames closer than this (m) to the wellhead see it, and their maximum is the wellhead's. */
const WELLHEAD_VIEW_M = 16

/**
 * Apparent temperatures (°C) of one frame over a pad at `ambient` °C, `dWell` metres
 * from the hot wellhead; `wellheadWarmth` raises the average of frames that see it.
 */
export function frameTemperatures(rnd: () => number, ambient: number, dWell: number, wellheadWarmth: number): FrameTemperatures {
  const seesWellhead = dWell < WELLHEAD_VIEW_M
  const max = seesWellhead ? 96 + rnd() * 38 - dWell : ambient + 14 + rnd() * 22
  const min = ambient - 4.5 + rnd() * 2.5
  const avg = ambient + 0.6 + rnd() * 2.2 + (seesWellhead ? wellheadWarmth : 0)
  return { min, max, avg }
}

/** Camera thermal metadata with DJI's default radiometric parameters. */
export function thermalMetadata(t: FrameTemperatures): ThermalMetadata {
  return {
    temperature_min: round(t.min, 1),
    temperature_max: round(t.max, 1),
    temperature_avg: round(t.avg, 2),
    // DJI's defaults, as written in the R-JPEG EXIF.
    emissivity: 1.0,
    object_distance: 5.0,
    reflected_temperature: 25.0,
    ambient_temperature: 20.0,
    relative_humidity: 70.0
  }
}

/** The camera's temperatures of an image the demo wrote (`thermalMetadata`), for the steps that adjust them. */
export function cameraTemperatures(image: ImageRecord): FrameTemperatures {
  const { temperature_min: min, temperature_max: max, temperature_avg: avg } = image.thermal_metadata ?? {}
  if (min === undefined || max === undefined || avg === undefined) {
    throw new Error(`demo layout drifted: ${image.image_id} lacks the camera's temperatures`)
  }
  return { min, max, avg }
}

/** Radiometric correction of an apparent temperature (°C) for emissivity, reflection and a humid air path. */
function calibrate(tempC: number, p: CalibrationParams): number {
  const K = 273.15
  const tau = Math.exp(-p.distance * (0.0012 + 0.000016 * p.humidity))
  const w = (tempC + K) ** 4
  const wRefl = (p.reflection + K) ** 4
  const wAtm = (p.ambient_temp + K) ** 4
  const wObj = (w - tau * (1 - p.emissivity) * wRefl - (1 - tau) * wAtm) / (tau * p.emissivity)
  return Math.max(wObj, 0) ** 0.25 - K
}

export type CalibrationStatus = 'calibrated' | 'not_calibrated'

/** An image's `calibration` block: params and calibrated temperatures, or only the status. */
export function calibrationBlock(status: CalibrationStatus, params: CalibrationParams, t: FrameTemperatures): Calibration {
  if (status === 'not_calibrated') return { status }
  return {
    status,
    params: { ...params },
    temperature_delta: {
      max_calibrated: round(calibrate(round(t.max, 1), params), 1),
      avg_calibrated: round(calibrate(round(t.avg, 2), params), 2)
    }
  }
}
