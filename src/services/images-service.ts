import type { Palette, PresignedUrl } from '../../schemas/common.js'
import { NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import type { ImageRecords } from './image-records.js'
import type { CachedPresigner } from './presigner.js'

/** Presigned URLs of single images; keys come from the stored record, never from the request. */
export class ImagesService {
  constructor(
    private readonly records: ImageRecords,
    private readonly presigner: CachedPresigner
  ) {}

  async opticalUrl(ctx: CallContext, imageId: string): Promise<PresignedUrl> {
    const record = await this.records.get(ctx, imageId)
    if (!record.optical_s3_key) throw new NotFoundError(`image_id '${imageId}' has no optical image`)
    return this.presigner.presign(record.optical_s3_key)
  }

  async thermalUrl(ctx: CallContext, imageId: string, palette: Palette): Promise<PresignedUrl> {
    const record = await this.records.get(ctx, imageId)
    const key = record.colored_images?.[palette]
    if (!key) throw new NotFoundError(`image_id '${imageId}' has no thermal image with palette '${palette}'`)
    return this.presigner.presign(key)
  }
}
