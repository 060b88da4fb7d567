import type { Palette } from '../../schemas/common.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { thermalStats, type ThermalStatsResult } from '../domain/thermal-stats.js'
import type { ImageRecord } from '../domain/records.js'
import type { ImagesRepository } from '../data/images-repository.js'
import type { MosaicStore, Presigned } from '../data/mosaic-store.js'
import { colorbarKey } from '../domain/keys.js'
import { NotFoundError } from '../errors.js'
import type { CallContext } from './context.js'
import type { CachedPresigner } from './presigner.js'

export interface ThermalUrl extends Presigned {
  colorbar_url: string | null
}

/**
 * One GetItem per image (cached, `images`); URLs are signed locally and reused
 * while fresh. A thermal image's colour bar adds one HeadObject (cached).
 */
export class ImageService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly presigner: CachedPresigner,
    private readonly store: MosaicStore,
    private readonly caches: ServiceCaches
  ) {}

  /** An unknown id is not cached: it is a 404 every time, and the next lookup asks again. */
  private record(ctx: CallContext, imageId: string): Promise<ImageRecord> {
    return this.caches.images.get(`record|${imageId}`, async () => {
      const record = await this.images.get(ctx, imageId)
      if (!record) throw new NotFoundError(`image_id '${imageId}' not found`)
      return record
    })
  }

  /** Keys come from the stored record, never from the request. */
  async opticalUrl(ctx: CallContext, imageId: string): Promise<Presigned> {
    const record = await this.record(ctx, imageId)
    if (!record.optical_s3_key) throw new NotFoundError(`image_id '${imageId}' has no optical image`)
    return this.presigner.presign(record.optical_s3_key)
  }

  async thermalUrl(ctx: CallContext, imageId: string, palette: Palette): Promise<ThermalUrl> {
    const record = await this.record(ctx, imageId)
    const key = record.colored_images?.[palette]
    if (!key) throw new NotFoundError(`image_id '${imageId}' has no thermal image with palette '${palette}'`)
    const [image, colorbar] = await Promise.all([this.presigner.presign(key), this.colorbarUrl(ctx, colorbarKey(palette, record))])
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
      return exists ? (await this.presigner.presign(key)).url : null
    } catch (err) {
      ctx.log.warn({ err, key }, 'colour bar lookup failed; answering without it')
      return null
    }
  }

  async thermalStats(ctx: CallContext, imageId: string): Promise<ThermalStatsResult> {
    return this.caches.images.get(`stats|${imageId}`, async () => thermalStats(await this.record(ctx, imageId)))
  }
}
