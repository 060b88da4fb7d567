import type { ImageRecord } from '../../src/domain/records.js'
import type { DemoBuilderStep } from './dataset-builder.js'
import { round } from './geo.js'
import { cameraTemperatures } from './temperatures.js'

/**
 * What the demo data holds for the analytics endpoints, applied on top of the
 * Leyte flights (demo/seed/leyte-surveys.ts):
 *
 * - `warming`: the hottest image of PAD_105 warms by about 6 °C from survey to
 *   survey over its four periods, so `GET /api/trend` shows a steady rise. In
 *   20241230 that image is the PRD's own (145.3 °C calibrated), left as it is.
 * - `coolFrames`: frames of tgn-ss1 in 20241230 that see nothing hot, whose
 *   maximum lies a few degrees over their average: `minor` hot spots, so that
 *   survey has every severity.
 *
 * The flights already mix calibrated and uncalibrated images.
 */
export const ANALYTICS_DEMO = {
  site: 'leyte',
  sector: 'tongonan',
  trendPadId: 'leyte_tongonan_PAD_105',
  /** The hottest image of the trend pad per period (°C, by the temperature rule), oldest first. */
  warming: [
    { period: '20241115', max: 139.2 },
    { period: '20241230', max: 145.3 },
    { period: '20241231-PMSB', max: 151.1 },
    { period: '20250228', max: 157.4 }
  ],
  coolFramesPadId: 'leyte_tongonan_PAD_tgn-ss1',
  coolFramesPeriod: '20241230',
  coolFrameCount: 3
} as const

/** Calibrated maxima of the demo run about 10 % over the camera's apparent ones (the PRD image: 131.6 → 145.3). */
const CALIBRATION_GAIN = 145.3 / 131.6

/** The maximum the temperature rule reads: the calibrated one if the image is calibrated, else the camera's. */
function ruleMax(image: ImageRecord): number {
  if (image.calibration?.status !== 'calibrated') return cameraTemperatures(image).max
  const max = image.calibration.temperature_delta?.max_calibrated
  if (max === undefined) throw new Error(`demo layout drifted: ${image.image_id} is calibrated without a calibrated maximum`)
  return max
}

function setRuleMax(image: ImageRecord, max: number): void {
  const { calibration, thermal_metadata: camera } = image
  if (!camera) throw new Error(`demo layout drifted: ${image.image_id} has no thermal metadata`)
  if (calibration?.status === 'calibrated' && calibration.temperature_delta) {
    calibration.temperature_delta.max_calibrated = max
    camera.temperature_max = round(max / CALIBRATION_GAIN, 1)
  } else {
    camera.temperature_max = max
  }
}

const byId = (a: ImageRecord, b: ImageRecord) => (a.image_id < b.image_id ? -1 : a.image_id > b.image_id ? 1 : 0)

/** The builder step: runs after the Leyte surveys, whose images it adjusts. */
export const analyticsScenario: DemoBuilderStep = (b) => applyAnalyticsScenario(b.images)

export function applyAnalyticsScenario(images: ImageRecord[]): void {
  const of = (padId: string, period: string) => images.filter((i) => i.pad_id === padId && i.period === period).sort(byId)

  for (const { period, max } of ANALYTICS_DEMO.warming) {
    const pad = of(ANALYTICS_DEMO.trendPadId, period)
    const hottest = pad.reduce((a, b) => (ruleMax(b) > ruleMax(a) ? b : a))
    if (ruleMax(hottest) > max) throw new Error(`demo layout drifted: ${hottest.image_id} is hotter than ${max} °C`)
    setRuleMax(hottest, max)
  }

  const cool = of(ANALYTICS_DEMO.coolFramesPadId, ANALYTICS_DEMO.coolFramesPeriod)
    .filter((i) => i.calibration?.status !== 'calibrated' && ruleMax(i) < 80)
    .slice(0, ANALYTICS_DEMO.coolFrameCount)
  if (cool.length < ANALYTICS_DEMO.coolFrameCount) throw new Error('demo layout drifted: too few cool frames')
  for (const image of cool) setRuleMax(image, round(cameraTemperatures(image).avg + 4, 1))
}
