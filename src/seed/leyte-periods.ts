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

type Survey = Omit<SurveyDef, 'site' | 'firstIndex' | 'calibrationParams'> & Partial<Pick<SurveyDef, 'firstIndex' | 'calibrationParams'>>

/** Most surveys start at image 1 and use the PRD's calibration parameters. */
const survey = (s: Survey): SurveyDef => ({ site: 'leyte', firstIndex: 1, calibrationParams: PRD_CALIBRATION, ...s })

export const LEYTE_SURVEYS: readonly SurveyDef[] = [
  survey({
    sector: 'tongonan',
    period: '20250228',
    start: '2025-02-28T08:40:00+08:00',
    firstDji: 12,
    ambient: 27.5,
    calibrationParams: { emissivity: 0.95, distance: 30.0, reflection: 27.0, ambient_temp: 27.0, humidity: 65.0 },
    flights: [
      { pad: '105', legs: 4, perLeg: 4, mosaics: ALL, calibration: 'mixed' },
      { pad: 'tgn-ss1', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' }
    ]
  }),
  survey({
    sector: 'tongonan',
    period: '20241231-PMSB',
    start: '2024-12-31T07:55:00+08:00',
    firstDji: 502,
    ambient: 25.8,
    flights: [
      { pad: '10', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'calibrated' },
      // PipeMeasure survey: only the hotspot_alert mosaic was built, so the pad is not "complete".
      { pad: '105', legs: 2, perLeg: 5, mosaics: ['hotspot_alert'], calibration: 'calibrated' }
    ]
  }),
  survey({
    sector: 'tongonan',
    period: '20241230',
    start: '2024-12-30T09:05:00+08:00',
    firstIndex: 348,
    firstDji: 318,
    ambient: 26.4,
    flights: [
      { pad: '105', legs: 4, perLeg: 8, mosaics: ALL, calibration: 'mixed' },
      { pad: '10', legs: 4, perLeg: 5, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: '2', legs: 4, perLeg: 5, mosaics: VIEWER, calibration: 'mixed' },
      // Only the optical mosaic was built: incomplete for the viewer.
      { pad: 'tgn-ss1', legs: 3, perLeg: 4, mosaics: ['optical'], calibration: 'not_calibrated' }
    ]
  }),
  survey({
    sector: 'tongonan',
    period: '20241115',
    start: '2024-11-15T10:20:00+08:00',
    firstDji: 640,
    ambient: 28.9,
    flights: [
      { pad: '105', legs: 3, perLeg: 4, mosaics: [], calibration: 'not_calibrated' },
      { pad: '2', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'not_calibrated' }
    ]
  }),
  survey({
    sector: 'mahanagdong-a',
    period: '20250115',
    start: '2025-01-15T08:30:00+08:00',
    firstDji: 104,
    ambient: 24.1,
    calibrationParams: { emissivity: 0.93, distance: 28.0, reflection: 24.0, ambient_temp: 24.0, humidity: 72.0 },
    flights: [
      { pad: 'MG-5D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: 'MG-22D', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'mixed' }
    ]
  }),
  survey({
    sector: 'mahanagdong-a',
    period: '20241120',
    start: '2024-11-20T09:10:00+08:00',
    firstDji: 880,
    ambient: 27.2,
    flights: [{ pad: 'MG-5D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'not_calibrated' }]
  }),
  survey({
    sector: 'mahanagdong-b',
    period: '20250116',
    start: '2025-01-16T08:15:00+08:00',
    firstDji: 220,
    ambient: 23.6,
    calibrationParams: { emissivity: 0.93, distance: 28.0, reflection: 24.0, ambient_temp: 24.0, humidity: 75.0 },
    flights: [{ pad: 'MG-14D', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' }]
  }),
  survey({
    sector: 'mahanagdong-b',
    period: '20241121',
    start: '2024-11-21T08:50:00+08:00',
    firstDji: 910,
    ambient: 26.9,
    flights: [{ pad: 'MG-14D', legs: 3, perLeg: 3, mosaics: ['optical'], calibration: 'not_calibrated' }]
  }),
  survey({
    sector: 'malitbog',
    period: '20250210',
    start: '2025-02-10T09:00:00+08:00',
    firstDji: 1204,
    ambient: 28.3,
    calibrationParams: { emissivity: 0.94, distance: 30.0, reflection: 28.0, ambient_temp: 28.0, humidity: 60.0 },
    flights: [
      { pad: 'MB-1', legs: 3, perLeg: 4, mosaics: VIEWER, calibration: 'calibrated' },
      { pad: 'MB-3', legs: 3, perLeg: 4, mosaics: ALL, calibration: 'mixed' }
    ]
  }),
  survey({
    sector: 'malitbog',
    period: '20241205',
    start: '2024-12-05T09:40:00+08:00',
    firstDji: 310,
    ambient: 27.7,
    flights: [{ pad: 'MB-1', legs: 2, perLeg: 5, mosaics: ['optical'], calibration: 'not_calibrated' }]
  })
]
