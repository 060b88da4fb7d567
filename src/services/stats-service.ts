import type { PadQuery } from '../../schemas/common.js'
import type { CoverageStats, ThermalStats } from '../../schemas/stats.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { coverageStats } from '../domain/coverage.js'
import { thermalStats } from '../domain/thermal-stats.js'
import { PROJECTIONS, type ImagesRepository } from '../data/images-repository.js'
import type { ConcurrencyLimit } from './concurrency-limit.js'
import type { CallContext } from '../call-context.js'
import type { ImageRecords } from './image-records.js'

export class StatsService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly records: ImageRecords,
    private readonly caches: ServiceCaches,
    private readonly padLoads: ConcurrencyLimit
  ) {}

  async thermalStats(ctx: CallContext, imageId: string): Promise<ThermalStats> {
    return this.caches.images.get(`stats|${imageId}`, async () => thermalStats(await this.records.get(ctx, imageId)))
  }

  /** One Query (its pages) of the pad's images, projected to the altitude; cached (`pad-images`). */
  async coverage(ctx: CallContext, q: PadQuery): Promise<CoverageStats> {
    return this.caches.padImages.get(`coverage|${q.site}|${q.sector}|${q.period}|${q.pad_id}`, () =>
      this.padLoads.run(async () => {
        const records = await this.images.listForPad(ctx, q.site, q.sector, q.period, q.pad_id, PROJECTIONS.coverage)
        const altitudes = records.map((r) => r.optical_metadata?.gps_location?.altitude ?? Number.NaN)
        return coverageStats(records.length, altitudes)
      })
    )
  }
}
