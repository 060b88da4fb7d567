import type { MosaicMetadata, MosaicQuery } from '../../schemas/index.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { enrichShots, parseShots, type EnrichedCollection } from '../domain/enrich.js'
import { orthophotoKey, shotsKey } from '../domain/keys.js'
import { PROJECTIONS, type ImagesRepository } from '../data/images-repository.js'
import type { PresignedUrl } from '../../schemas/common.js'
import type { BucketStore } from '../data/bucket-store.js'
import { NotFoundError } from '../errors.js'
import type { ConcurrencyLimit } from './concurrency-limit.js'
import type { CallContext } from '../call-context.js'
import type { CachedPresigner } from './presigner.js'

/** The request schema's patterns leave no `|` in any part, so the joined parts identify the query. */
const queryKey = (q: MosaicQuery) => `${q.site}|${q.sector}|${q.period}|${q.pad_id}|${q.mosaic_type}`

export class MosaicService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly presigner: CachedPresigner,
    private readonly store: BucketStore,
    private readonly caches: ServiceCaches,
    private readonly padLoads: ConcurrencyLimit
  ) {}

  /** One Query (its pages) of the pad's images, projected to the mosaic keys. */
  async metadata(ctx: CallContext, q: MosaicQuery): Promise<MosaicMetadata> {
    return this.caches.padImages.get(`metadata|${queryKey(q)}`, () =>
      this.padLoads.run(async () => {
        const records = await this.images.listForPad(ctx, q.site, q.sector, q.period, q.pad_id, PROJECTIONS.metadata)
        const exists = records.some((r) => Boolean(r.processing_status?.mosaic_prep?.mosaic_s3_keys?.[q.mosaic_type]))
        return {
          exists,
          image_count: records.length,
          site: q.site,
          sector: q.sector,
          period: q.period,
          pad_id: q.pad_id,
          mosaic_type: q.mosaic_type
        }
      })
    )
  }

  /** A URL for the GeoTIFF. As in the PRD it is signed without checking the object exists: no AWS call. */
  async orthomosaicUrl(q: MosaicQuery): Promise<PresignedUrl> {
    return this.presigner.presign(orthophotoKey(q, q.mosaic_type))
  }

  /**
   * ODM camera positions joined with the pad's image records: one GetObject and
   * one Query (its pages, projected to the attributes the join uses), in parallel.
   */
  async cameras(ctx: CallContext, q: MosaicQuery): Promise<EnrichedCollection> {
    const key = shotsKey(q, q.mosaic_type)
    return this.caches.cameras.get(`cameras|${key}`, () =>
      this.padLoads.run(async () => {
        const [body, records] = await Promise.all([
          this.store.getJson(ctx, key),
          this.images.listForPad(ctx, q.site, q.sector, q.period, q.pad_id, PROJECTIONS.cameras)
        ])
        if (body === undefined) {
          throw new NotFoundError(`no ${q.mosaic_type} shots.geojson for pad_id '${q.pad_id}' in period '${q.period}'`)
        }
        const shots = parseShots(body)
        const collection = enrichShots(shots, records)
        const unmatched = collection.features.filter((f) => f.properties.image_id === null).length
        if (unmatched > 0) ctx.log.debug({ key, unmatched, shots: shots.length }, 'shots without an image record')
        return collection
      })
    )
  }
}
