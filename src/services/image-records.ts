import type { ServiceCaches } from '../cache/service-caches.js'
import type { CallContext } from '../call-context.js'
import type { ImagesRepository } from '../data/images-repository.js'
import type { ImageRecord } from '../domain/records.js'
import { NotFoundError } from '../errors.js'

/** Image records by id: one GetItem each, cached (`images`), shared by the images and stats groups. */
export class ImageRecords {
  constructor(
    private readonly images: ImagesRepository,
    private readonly caches: ServiceCaches
  ) {}

  /** An unknown id is not cached: it is a 404 every time, and the next lookup asks again. */
  get(ctx: CallContext, imageId: string): Promise<ImageRecord> {
    return this.caches.images.get(`record|${imageId}`, async () => {
      const record = await this.images.get(ctx, imageId)
      if (!record) throw new NotFoundError(`image_id '${imageId}' not found`)
      return record
    })
  }
}
