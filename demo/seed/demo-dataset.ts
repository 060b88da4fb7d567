import type { ImageRecord } from '../../src/domain/records.js'
import { analyticsScenario } from './analytics-scenario.js'
import { DatasetBuilder, type DemoBuilderStep, type DemoDataset } from './dataset-builder.js'
import { demoJobs } from './demo-jobs.js'
import { demoOrthophotoStep } from './demo-orthophotos.js'
import { INSHEIM, insheimSurvey } from './insheim-survey.js'
import { leytePads } from './leyte-pads.js'
import { leyteSurveys } from './leyte-surveys.js'
import { lineLossDemo } from './line-loss-demo.js'
import { NO_HOTSPOT_IMAGE_ID, PAD_QUIRKS, PRD_EXAMPLE_IMAGE, REFLOWN_SHOTS, UNCALIBRATED_IMAGE_ID } from './messy-cases.js'

export type { DemoDataset, DemoObject } from './dataset-builder.js'
export { insheimShotsPath } from './insheim-survey.js'

/**
 * The demo dataset that docs/demo-dataset.md documents: Leyte (Philippines),
 * synthetic but realistic, and Upper Rhine / Insheim around a real ODM flight.
 * Deterministic: the same call always returns the same items and bytes.
 */

/** Ids worth knowing in tests and demos. */
export const DEMO = {
  sites: ['leyte', 'upper-rhine'],
  sectors: {
    leyte: ['mahanagdong-a', 'mahanagdong-b', 'malitbog', 'tongonan'],
    'upper-rhine': ['insheim']
  },
  /** The PRD's example image: calibrated, in PAD_105 / 20241230, optical DJI_0380_W.JPG, thermal DJI_0381_T.JPG. */
  prdImageId: PRD_EXAMPLE_IMAGE.imageId,
  /** Calibration status `not_calibrated` (no params / temperature_delta). */
  uncalibratedImageId: UNCALIBRATED_IMAGE_ID,
  /** colored_images has no `hotspot_alert`, and that object does not exist. */
  noHotspotImageId: NO_HOTSPOT_IMAGE_ID,
  /** Frames in PAD_105 / 20241230 optical shots.geojson that match no image record (a re-flight). */
  unmatchedShotFilenames: REFLOWN_SHOTS.filenames,
  /** A pad item that has neither `site` nor `site_id` (but sits in the leyte_tongonan GSI partition). */
  orphanPadId: PAD_QUIRKS.find((q) => q.quirk === 'orphan')!.padId,
  insheimPadId: INSHEIM.padId,
  insheimPeriod: INSHEIM.period
} as const

/**
 * The parts of the dataset, in the order they are written. A new part (say, line-loss
 * measurements) is a file demo/seed/<part>.ts exporting a `DemoBuilderStep`, plus one
 * line here; a step may read what the steps before it wrote (the jobs read the flights).
 */
const STEPS: readonly DemoBuilderStep[] = [
  leytePads,
  leyteSurveys,
  analyticsScenario,
  insheimSurvey,
  demoJobs,
  lineLossDemo,
  demoOrthophotoStep
]

export function buildDemoDataset(): DemoDataset {
  const b = new DatasetBuilder()
  for (const step of STEPS) step(b)
  checkMessyCases(b)
  return b.dataset()
}

/** Image ids are unique, and the named cases came out as their names say. */
function checkMessyCases(b: DatasetBuilder): void {
  const byId = new Map<string, ImageRecord>()
  for (const image of b.images) {
    const id = image.image_id
    if (byId.has(id)) throw new Error(`duplicate image id ${id}`)
    byId.set(id, image)
  }
  const status = (id: string) => byId.get(id)?.calibration?.status
  if (status(UNCALIBRATED_IMAGE_ID) !== 'not_calibrated') throw new Error(`demo layout drifted: ${UNCALIBRATED_IMAGE_ID} is calibrated`)
  if (status(PRD_EXAMPLE_IMAGE.imageId) !== 'calibrated') throw new Error(`demo layout drifted: no ${PRD_EXAMPLE_IMAGE.imageId}`)
  const colored = byId.get(NO_HOTSPOT_IMAGE_ID)?.colored_images
  if (!colored || 'hotspot_alert' in colored) throw new Error(`demo layout drifted: ${NO_HOTSPOT_IMAGE_ID} has a hotspot_alert`)
}
