import type { PadQuery } from '../../schemas/common.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { padCoverage, type CoverageStatsResult } from '../domain/coverage.js'
import { padImages } from '../domain/survey.js'
import type { CallContext } from './context.js'
import type { SurveyIndex } from './survey-index.js'

export class StatsService {
  constructor(
    private readonly surveys: SurveyIndex,
    private readonly caches: ServiceCaches
  ) {}

  /** The pad's images from the survey index (one Query for the first pad of a survey); cached (`pad-images`). */
  async coverage(ctx: CallContext, q: PadQuery): Promise<CoverageStatsResult> {
    return this.caches.padImages.get(`coverage|${q.site}|${q.sector}|${q.period}|${q.pad_id}`, async () =>
      padCoverage(padImages(await this.surveys.get(ctx, q.site, q.sector, q.period), q.pad_id))
    )
  }
}
