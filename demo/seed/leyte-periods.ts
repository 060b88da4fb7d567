import type { MosaicType } from '../../schemas/common.js'
import type { CalibrationParams } from './temperatures.js'

/**
 * The Leyte survey archive: which pads were flown in which period, how large each
 * flight was and which mosaics were built from it. The messy cases live in
 * messy-cases.ts; this table only holds the shape of each survey.
 */

export interface FlightDef {
  /** Pad name within the survey's sector. */
  pad: string
  legs: number
  perLeg: number
  /** Mosaics built for this pad and period (each with odm_orthophoto.tif and shots.geojson). */
  mosaics: readonly MosaicType[]
  /** `mixed`: every fifth frame (the third of each five) was skipped by calibration. */
  calibration: 'calibrated' | 'not_calibrated' | 'mixed'
}

export interface SurveyDef {
  site: string
  sector: string
  period: string
  /** Local take-off time of the first flight, ISO with offset. */
  start: string
  /** Index of the first image id, and number of the first DJI frame. */
  firstIndex: number
  firstDji: number
  ambient: number
  calibrationParams: CalibrationParams
  flights: readonly FlightDef[]
}

export const PRD_CALIBRATION: CalibrationParams = { emissivity: 0.92, distance: 25.0, reflection: 25.0, ambient_temp: 25.0, humidity: 50.0 }

const ALL: readonly MosaicType[] = ['optical', 'medical', 'hotspot_alert']
const VIEWER: readonly MosaicType[] = ['optical', 'medical']

const params = (emissivity: number, distance: number, reflection: number, ambientTemp: number, humidity: number): CalibrationParams => ({
  emissivity,
  distance,
  reflection,
  ambient_temp: ambientTemp,
  humidity
})

const f = (
  pad: string,
  legs: number,
  perLeg: number,
  mosaics: readonly MosaicType[],
  calibration: FlightDef['calibration']
): FlightDef => ({
  pad,
  legs,
  perLeg,
  mosaics,
  calibration
})

/** One survey of the table below; most start at image 1. */
function survey(
  sector: string,
  period: string,
  start: string,
  [firstIndex, firstDji]: [number, number],
  ambient: number,
  calibrationParams: CalibrationParams,
  flights: FlightDef[]
): SurveyDef {
  return { site: 'leyte', sector, period, start, firstIndex, firstDji, ambient, calibrationParams, flights }
}

// Flights: pad, legs, shots per leg, mosaics built, calibration.
// Tongonan 20241231-PMSB is a PipeMeasure survey: only the hotspot_alert mosaic of PAD_105 was built, so that pad
// is not "complete"; in 20241230 only the optical mosaic of tgn-ss1 was built, so it is incomplete for the viewer.
// prettier-ignore
export const LEYTE_SURVEYS: readonly SurveyDef[] = [
  //     sector           period           take-off (local)             [image, DJI]  ambient  calibration params
  survey('tongonan',      '20250228',      '2025-02-28T08:40:00+08:00', [1, 12],      27.5,    params(0.95, 30.0, 27.0, 27.0, 65.0),
    [f('105', 4, 4, ALL, 'mixed'), f('tgn-ss1', 3, 4, VIEWER, 'calibrated')]),
  survey('tongonan',      '20241231-PMSB', '2024-12-31T07:55:00+08:00', [1, 502],     25.8,    PRD_CALIBRATION,
    [f('10', 3, 4, ALL, 'calibrated'), f('105', 2, 5, ['hotspot_alert'], 'calibrated')]),
  survey('tongonan',      '20241230',      '2024-12-30T09:05:00+08:00', [348, 318],   26.4,    PRD_CALIBRATION,
    [f('105', 4, 8, ALL, 'mixed'), f('10', 4, 5, VIEWER, 'calibrated'), f('2', 4, 5, VIEWER, 'mixed'), f('tgn-ss1', 3, 4, ['optical'], 'not_calibrated')]),
  survey('tongonan',      '20241115',      '2024-11-15T10:20:00+08:00', [1, 640],     28.9,    PRD_CALIBRATION,
    [f('105', 3, 4, [], 'not_calibrated'), f('2', 3, 4, VIEWER, 'not_calibrated')]),
  survey('mahanagdong-a', '20250115',      '2025-01-15T08:30:00+08:00', [1, 104],     24.1,    params(0.93, 28.0, 24.0, 24.0, 72.0),
    [f('MG-5D', 3, 4, VIEWER, 'calibrated'), f('MG-22D', 3, 4, ALL, 'mixed')]),
  survey('mahanagdong-a', '20241120',      '2024-11-20T09:10:00+08:00', [1, 880],     27.2,    PRD_CALIBRATION,
    [f('MG-5D', 3, 4, VIEWER, 'not_calibrated')]),
  survey('mahanagdong-b', '20250116',      '2025-01-16T08:15:00+08:00', [1, 220],     23.6,    params(0.93, 28.0, 24.0, 24.0, 75.0),
    [f('MG-14D', 3, 4, VIEWER, 'calibrated')]),
  survey('mahanagdong-b', '20241121',      '2024-11-21T08:50:00+08:00', [1, 910],     26.9,    PRD_CALIBRATION,
    [f('MG-14D', 3, 3, ['optical'], 'not_calibrated')]),
  survey('malitbog',      '20250210',      '2025-02-10T09:00:00+08:00', [1, 1204],    28.3,    params(0.94, 30.0, 28.0, 28.0, 60.0),
    [f('MB-1', 3, 4, VIEWER, 'calibrated'), f('MB-3', 3, 4, ALL, 'mixed')]),
  survey('malitbog',      '20241205',      '2024-12-05T09:40:00+08:00', [1, 310],     27.7,    PRD_CALIBRATION,
    [f('MB-1', 2, 5, ['optical'], 'not_calibrated')])
]
