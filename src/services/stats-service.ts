import type { PadQuery } from '../../schemas/common.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { coverageStats, type CoverageStatsResult } from '../domain/coverage.js'
import { PROJECTIONS, type ImagesRepository } from '../data/images-repository.js'
import type { ConcurrencyLimit } from './concurrency-limit.js'
import type { CallContext } from './context.js'

export class StatsService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly caches: ServiceCaches,
    private readonly padLoads: ConcurrencyLimit
  ) {}

  /** One Query (its pages) of the pad's images, projected to the altitude; cached (`pad-images`). */
  async coverage(ctx: CallContext, q: PadQuery): Promise<CoverageStatsResult> {
    return this.caches.padImages.get(`coverage|${q.site}|${q.sector}|${q.period}|${q.pad_id}`, () =>
      this.padLoads.run(async () => {
        const records = await this.images.listForPad(ctx, q.site, q.sector, q.period, q.pad_id, PROJECTIONS.coverage)
        const altitudes = records.map((r) => r.optical_metadata?.gps_location?.altitude ?? Number.NaN)
        return coverageStats(records.length, altitudes)
      })
    )
  }
}
