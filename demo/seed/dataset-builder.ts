import type { MosaicLocation } from '../../src/domain/keys.js'
import type { ImageRecord, MeasurementItem, PadItem } from '../../src/domain/records.js'
import { PALETTES, type MosaicType } from '../../schemas/common.js'
import { cameraJpegSet, type JpegSet } from './assets.js'
import { hashString } from './geo.js'
import type { DemoObject, ImageKeys, JobItem } from './records.js'

export type { DemoObject }

/** Items as the DynamoDB DocumentClient writes them, plus every S3 object they reference (PRD §5.1–5.4). */
export interface DemoDataset {
  pads: PadItem[]
  images: ImageRecord[]
  jobs: JobItem[]
  /** Absent from datasets without line-loss results (the scale archive). */
  measurements?: MeasurementItem[]
  objects: DemoObject[]
}

/** A mosaic a flight produced: its stored prefix and how many shots its shots.geojson holds. */
export interface FlownMosaic {
  type: MosaicType
  prefix: string
  shots: number
}

/** One pad flown in one survey, as the jobs builder needs it. */
export interface FlownPad {
  loc: MosaicLocation
  /** Take-off, in seconds since the epoch. */
  start: number
  images: number
  mosaics: FlownMosaic[]
}

/**
 * What the demo builders write into. Objects are keyed by S3 key, so a builder
 * that writes a key again replaces the body and keeps the first one's place.
 */
export class DatasetBuilder {
  readonly pads: PadItem[] = []
  readonly images: ImageRecord[] = []
  readonly jobs: JobItem[] = []
  readonly measurements: MeasurementItem[] = []
  readonly flights: FlownPad[] = []
  /** A few camera frames of each kind, reused across many image keys. */
  readonly jpegs: JpegSet = cameraJpegSet(4)
  private readonly objects = new Map<string, DemoObject>()

  addObject(key: string, body: Uint8Array, contentType: string): void {
    this.objects.set(key, { key, body, contentType })
  }

  addObjects(objects: readonly DemoObject[]): void {
    for (const o of objects) this.addObject(o.key, o.body, o.contentType)
  }

  /** An image's camera JPEGs and colour-mapped renderings; its id picks one of the frames. */
  addImageFiles(imageId: string, keys: ImageKeys): void {
    const variant = hashString(imageId) % this.jpegs.optical.length
    this.addObject(keys.optical, this.jpegs.optical[variant]!, 'image/jpeg')
    this.addObject(keys.thermal, this.jpegs.thermal[variant]!, 'image/jpeg')
    for (const palette of PALETTES) {
      const key = keys.colored[palette]
      if (key) this.addObject(key, this.jpegs[palette][variant]!, 'image/jpeg')
    }
  }

  dataset(): DemoDataset {
    return { pads: this.pads, images: this.images, jobs: this.jobs, measurements: this.measurements, objects: [...this.objects.values()] }
  }
}

/** One part of the demo dataset (a site's pads, a survey archive, the jobs, ...). */
export type DemoBuilderStep = (b: DatasetBuilder) => void
