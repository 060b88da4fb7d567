import type { PadQuirk } from './records.js'

/**
 * The messy cases of the demo dataset: each one is here because a real archive has
 * it and the API (or the viewer) must cope with it. The builders look them up by
 * name; DEMO in demo-dataset.ts hands their ids to tests and docs.
 */

/** The PRD's example image record, value for value: the API examples and the viewer's smoke test read it back. */
export const PRD_EXAMPLE_IMAGE = {
  imageId: 'leyte_tongonan_20241230_0379',
  padId: 'leyte_tongonan_PAD_105',
  opticalFilename: 'DJI_0380_W.JPG',
  thermalFilename: 'DJI_0381_T.JPG',
  gps: { lon: 124.635123, lat: 11.165456, alt: 445.5 },
  temps: { min: 22.7, max: 131.6, avg: 27.89 },
  temperatureDelta: { max_calibrated: 145.3, avg_calibrated: 28.54 }
} as const

/**
 * A frame that calibration skipped inside a calibrated survey (every fifth frame of a
 * `mixed` flight): thermal stats must report `not_calibrated` without params.
 */
export const UNCALIBRATED_IMAGE_ID = 'leyte_tongonan_20241230_0350'

/** An image whose hotspot_alert rendering was never made: that palette is a 404, not a presigned URL of nothing. */
export const NO_HOTSPOT_IMAGE_ID = 'leyte_tongonan_20241230_0352'

/**
 * Two re-flown frames over the wellhead that ODM used but that never reached the images
 * table: the cameras endpoint must list shots that match no image record.
 */
export const REFLOWN_SHOTS = {
  padId: 'leyte_tongonan_PAD_105',
  period: '20241230',
  filenames: ['DJI_0382_W.JPG', 'DJI_0384_W.JPG']
} as const

/** Images processed before the mosaic workflow existed carry no processing_status at all. */
export const LEGACY_IMAGES = { padId: 'leyte_tongonan_PAD_105', period: '20241115' } as const

/** A mosaic ODM could not build: the jobs table records the failure, and the pad stays incomplete for the viewer. */
export const FAILED_MOSAIC_JOB = {
  padId: 'leyte_tongonan_PAD_tgn-ss1',
  period: '20241230',
  type: 'medical',
  error: 'ODM: not enough overlapping thermal frames to reconstruct (12 images)'
} as const

/** Pad items in older shapes; the pads service must read each one or skip it with a warning, never fail. */
export const PAD_QUIRKS: readonly { padId: string; quirk: PadQuirk; why: string }[] = [
  { padId: 'leyte_tongonan_PAD_10', quirk: 'site_id', why: 'older items name their site and sector in site_id/sector_id' },
  { padId: 'leyte_tongonan_PAD_2', quirk: 'no_pad_name', why: 'an item without pad_name: the name comes from the id' },
  { padId: 'leyte_tongonan_PAD_orphan', quirk: 'orphan', why: 'neither site attribute, but in the GSI partition: skipped' }
]

export const padQuirk = (padId: string) => PAD_QUIRKS.find((q) => q.padId === padId)?.quirk
