import type { Palette, PresignedUrl } from '../../schemas/common.js'
import type { ThermalImageUrl } from '../../schemas/images.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import type { BucketStore } from '../data/bucket-store.js'
import { colorbarKey } from '../domain/keys.js'
import { NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import type { ImageRecords } from './image-records.js'
import type { CachedPresigner } from './presigner.js'

/**
 * Presigned URLs of single images; keys come from the stored record, never from
 * the request. A thermal image's colour bar adds one HeadObject (cached, `images`).
 */
export class ImagesService {
  constructor(
    private readonly records: ImageRecords,
    private readonly presigner: CachedPresigner,
    private readonly store: BucketStore,
    private readonly caches: ServiceCaches
  ) {}

  async opticalUrl(ctx: CallContext, imageId: string): Promise<PresignedUrl> {
    const record = await this.records.get(ctx, imageId)
    if (!record.optical_s3_key) throw new NotFoundError(`image_id '${imageId}' has no optical image`)
    return this.presigner.presign(record.optical_s3_key, ctx.publicHost)
  }

  async thermalUrl(ctx: CallContext, imageId: string, palette: Palette): Promise<ThermalImageUrl> {
    const record = await this.records.get(ctx, imageId)
    const key = record.colored_images?.[palette]
    if (!key) throw new NotFoundError(`image_id '${imageId}' has no thermal image with palette '${palette}'`)
    const [image, colorbar] = await Promise.all([
      this.presigner.presign(key, ctx.publicHost),
      this.colorbarUrl(ctx, colorbarKey(palette, record))
    ])
    return { ...image, colorbar_url: colorbar }
  }

  /**
   * A legend is signed only once a lookup has shown that it exists. A failed
   * lookup costs the viewer its legend, not the image: it is logged, not cached.
   */
  private async colorbarUrl(ctx: CallContext, key: string | undefined): Promise<string | null> {
    if (key === undefined) return null
    try {
      const { exists } = await this.caches.images.get(`colorbar|${key}`, async () => ({ exists: await this.store.exists(ctx, key) }))
      return exists ? (await this.presigner.presign(key, ctx.publicHost)).url : null
    } catch (err) {
      ctx.log.warn({ err, key }, 'colour bar lookup failed; answering without it')
      return null
    }
  }
}
