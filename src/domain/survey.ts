import { referenceTemperature } from './hotspots.js'
import type { ImageRecord } from './records.js'

/** One survey, a (site, sector, period): its images, by pad too, and its reference temperature. */
export interface Survey {
  images: readonly ImageRecord[]
  byPad: ReadonlyMap<string, readonly ImageRecord[]>
  /** Median of the images' average temperatures; null when no image has thermal data. */
  reference: number | null
}

const NONE: readonly ImageRecord[] = []

export function buildSurvey(records: readonly ImageRecord[]): Survey {
  const byPad = new Map<string, ImageRecord[]>()
  for (const record of records) {
    if (typeof record.pad_id !== 'string') continue
    let list = byPad.get(record.pad_id)
    if (!list) byPad.set(record.pad_id, (list = []))
    list.push(record)
  }
  return { images: records, byPad, reference: referenceTemperature(records) }
}

export function padImages(survey: Survey, padId: string): readonly ImageRecord[] {
  return survey.byPad.get(padId) ?? NONE
}
