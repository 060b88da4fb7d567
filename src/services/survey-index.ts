import type { ServiceCaches } from '../cache/service-caches.js'
import { SURVEY_ATTRIBUTES, type ImagesRepository } from '../data/images-repository.js'
import { periodPrefix } from '../domain/keys.js'
import { buildSurvey, type Survey } from '../domain/survey.js'
import type { ConcurrencyLimit } from './concurrency-limit.js'
import type { CallContext } from '../call-context.js'

/**
 * Every image of a survey, loaded once with one Query (its pages) and shared by
 * every pad of it: cameras, mosaic metadata, coverage and the analytics. Cached
 * with single flight (`surveys`), bounded by the number of images held in all
 * (SURVEY_CACHE_MAX_IMAGES); a survey larger than the whole budget is not kept.
 */
export class SurveyIndex {
  constructor(
    private readonly images: ImagesRepository,
    private readonly caches: ServiceCaches,
    private readonly padLoads: ConcurrencyLimit
  ) {}

  get(ctx: CallContext, site: string, sector: string, period: string): Promise<Survey> {
    // Validates the parts before anything is cached or queried under them.
    periodPrefix(site, sector, period)
    return this.caches.surveys.get(`${site}|${sector}|${period}`, () =>
      this.padLoads.run(async () => buildSurvey(await this.images.listSurvey(ctx, site, sector, period, SURVEY_ATTRIBUTES)))
    )
  }
}
