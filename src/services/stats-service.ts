import type { PadQuery } from '../../schemas/common.js'
import { coverageStats, type CoverageStatsResult } from '../domain/coverage.js'
import { PROJECTIONS, type ImagesRepository } from '../data/images-repository.js'

export class StatsService {
  constructor(private readonly images: ImagesRepository) {}

  async coverage(q: PadQuery): Promise<CoverageStatsResult> {
    const records = await this.images.listForPad(q.site, q.sector, q.period, q.pad_id, PROJECTIONS.coverage)
    const altitudes = records.map((r) => r.optical_metadata?.gps_location?.altitude ?? Number.NaN)
    return coverageStats(records.length, altitudes)
  }
}
