import type { Palette } from '../../schemas/common.js'
import { thermalStats, type ThermalStatsResult } from '../domain/thermal-stats.js'
import type { ImageRecord } from '../domain/records.js'
import type { ImagesRepository } from '../data/images-repository.js'
import type { MosaicStore, Presigned } from '../data/mosaic-store.js'
import { NotFoundError } from '../errors.js'

export class ImageService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly store: MosaicStore
  ) {}

  private async record(imageId: string): Promise<ImageRecord> {
    const record = await this.images.get(imageId)
    if (!record) throw new NotFoundError(`image_id '${imageId}' not found`)
    return record
  }

  /** Keys come from the stored record, never from the request. */
  async opticalUrl(imageId: string): Promise<Presigned> {
    const record = await this.record(imageId)
    if (!record.optical_s3_key) throw new NotFoundError(`image_id '${imageId}' has no optical image`)
    return this.store.presign(record.optical_s3_key)
  }

  async thermalUrl(imageId: string, palette: Palette): Promise<Presigned> {
    const record = await this.record(imageId)
    const key = record.colored_images?.[palette]
    if (!key) throw new NotFoundError(`image_id '${imageId}' has no thermal image with palette '${palette}'`)
    return this.store.presign(key)
  }

  async thermalStats(imageId: string): Promise<ThermalStatsResult> {
    return thermalStats(await this.record(imageId))
  }
}
