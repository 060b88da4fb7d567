import type { PadQuery } from '../../schemas/common.js'
import type { CoverageStats, ThermalStats } from '../../schemas/stats.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { padCoverage } from '../domain/coverage.js'
import { padImages } from '../domain/survey.js'
import { thermalStats } from '../domain/thermal-stats.js'
import type { CallContext } from '../call-context.js'
import type { ImageRecords } from './image-records.js'
import type { SurveyIndex } from './survey-index.js'

export class StatsService {
  constructor(
    private readonly surveys: SurveyIndex,
    private readonly records: ImageRecords,
    private readonly caches: ServiceCaches
  ) {}

  async thermalStats(ctx: CallContext, imageId: string): Promise<ThermalStats> {
    return this.caches.images.get(`stats|${imageId}`, async () => thermalStats(await this.records.get(ctx, imageId)))
  }

  /** The pad's images from the survey index (one Query for the first pad of a survey); cached (`pad-images`). */
  async coverage(ctx: CallContext, q: PadQuery): Promise<CoverageStats> {
    return this.caches.padImages.get(`coverage|${q.site}|${q.sector}|${q.period}|${q.pad_id}`, async () =>
      padCoverage(padImages(await this.surveys.get(ctx, q.site, q.sector, q.period), q.pad_id))
    )
  }
}
