import {
  HOTSPOT_LIMIT_DEFAULT,
  type HotspotList,
  type HotspotsQuery,
  type PadTrend,
  type SurveyPadSummary,
  type SurveySummary,
  type SurveySummaryQuery,
  type TrendPeriod,
  type TrendQuery
} from '../../schemas/analytics.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { padCoverage } from '../domain/coverage.js'
import { noSeverities, round2, type Thresholds } from '../domain/hotspots.js'
import { naturalCompare } from '../domain/natural-sort.js'
import { padNameFromId } from '../domain/pads.js'
import { addCounts, padFigures, rankHotspots } from '../domain/survey-stats.js'
import { padImages, type Survey } from '../domain/survey.js'
import { NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import type { DiscoveryService } from './discovery-service.js'
import type { HeatLossService } from './heat-loss-service.js'
import type { SurveyIndex } from './survey-index.js'

/**
 * Hot spots, trends and survey summaries, all computed from the survey index:
 * a survey costs one Query (its pages) however many pads and endpoints read it.
 * Results are cached (`analytics`). An unknown site, sector, period or pad is a
 * 404 naming it; finding out which costs the cached discovery lists, on the
 * error path only.
 */
export class AnalyticsService {
  constructor(
    private readonly surveys: SurveyIndex,
    private readonly discovery: DiscoveryService,
    private readonly caches: ServiceCaches,
    private readonly thresholds: Thresholds,
    private readonly heatLoss: HeatLossService
  ) {}

  /** The 404 for a site, sector or period without images, naming the first unknown part. */
  private async unknown(ctx: CallContext, site: string, sector: string, period?: string): Promise<NotFoundError> {
    if (!(await this.discovery.listSites(ctx)).includes(site)) return new NotFoundError(`site '${site}' not found`)
    if (!(await this.discovery.listSectors(ctx, site)).includes(sector)) {
      return new NotFoundError(`sector '${sector}' not found in site '${site}'`)
    }
    return new NotFoundError(
      period === undefined ? `sector '${sector}' has no surveys` : `period '${period}' not found in sector '${sector}'`
    )
  }

  /** A survey with at least one image, or the 404 that names what is unknown. */
  async survey(ctx: CallContext, site: string, sector: string, period: string): Promise<Survey> {
    const survey = await this.surveys.get(ctx, site, sector, period)
    if (survey.images.length === 0) throw await this.unknown(ctx, site, sector, period)
    return survey
  }

  async hotspots(ctx: CallContext, q: HotspotsQuery): Promise<HotspotList> {
    const limit = q.limit ?? HOTSPOT_LIMIT_DEFAULT
    const key = `hotspots|${q.site}|${q.sector}|${q.period}|${q.pad_id ?? ''}|${limit}|${q.min_severity ?? ''}`
    return this.caches.analytics.get(key, async () => {
      const survey = await this.survey(ctx, q.site, q.sector, q.period)
      if (q.pad_id !== undefined && padImages(survey, q.pad_id).length === 0) {
        throw new NotFoundError(`pad_id '${q.pad_id}' has no images in period '${q.period}'`)
      }
      const { count, hotspots } = rankHotspots(survey, this.thresholds, { padId: q.pad_id, minSeverity: q.min_severity, limit })
      return {
        site: q.site,
        sector: q.sector,
        period: q.period,
        pad_id: q.pad_id ?? null,
        reference_temp: survey.reference,
        count,
        hotspots
      }
    })
  }

  /** One survey-index load per period of the sector (each bounded by PAD_LOAD_CONCURRENCY); oldest first. */
  async trend(ctx: CallContext, q: TrendQuery): Promise<PadTrend> {
    return this.caches.analytics.get(`trend|${q.site}|${q.sector}|${q.pad_id}`, async () => {
      const newestFirst = await this.discovery.listPeriods(ctx, q.site, q.sector)
      if (newestFirst.length === 0) throw await this.unknown(ctx, q.site, q.sector)
      const periods = [...newestFirst].reverse()
      const surveys = await Promise.all(periods.map((period) => this.surveys.get(ctx, q.site, q.sector, period)))
      const entries: TrendPeriod[] = []
      periods.forEach((period, i) => {
        const survey = surveys[i]!
        const records = padImages(survey, q.pad_id)
        if (records.length === 0) return
        const f = padFigures(records, survey.reference, this.thresholds)
        const previous = entries[entries.length - 1]?.max_temp
        entries.push({
          period,
          image_count: f.image_count,
          max_temp: f.max_temp,
          avg_temp: f.avg_temp,
          p95_max_temp: f.p95_max_temp,
          hotspot_counts: f.severity_counts,
          delta_max_vs_previous:
            entries.length === 0 || previous === null || previous === undefined || f.max_temp === null
              ? null
              : round2(f.max_temp - previous)
        })
      })
      if (entries.length === 0) throw new NotFoundError(`pad_id '${q.pad_id}' has no images in sector '${q.sector}'`)
      return { site: q.site, sector: q.sector, pad_id: q.pad_id, periods: entries }
    })
  }

  /**
   * The survey, the sector's pads, the period listing and the heat loss (the survey's measurements), in parallel:
   * one Query (its pages), one pads Query, one listing, one measurements Query.
   */
  async summary(ctx: CallContext, q: Omit<SurveySummaryQuery, 'format'>): Promise<SurveySummary> {
    return this.caches.analytics.get(`summary|${q.site}|${q.sector}|${q.period}`, async () => {
      const params = { site: q.site, sector: q.sector, period: q.period }
      const [survey, pads, complete, heat] = await Promise.all([
        this.survey(ctx, q.site, q.sector, q.period),
        this.discovery.sectorPads(ctx, q.site, q.sector),
        this.discovery.completePadIds(ctx, q.site, q.sector, q.period),
        // An unknown survey is the first one's 404, which names what is unknown.
        this.heatLoss.estimate(ctx, params).catch((e: unknown) => {
          if (e instanceof NotFoundError) return undefined
          throw e
        })
      ])
      const excess = new Map(heat?.pads.map((p) => [p.pad_id, p.excess_heat_loss_kw]))
      const names = new Map(pads.map((p) => [p.pad_id, p.pad_name]))
      const rows: SurveyPadSummary[] = [...survey.byPad].map(([padId, records]) => {
        const f = padFigures(records, survey.reference, this.thresholds)
        return {
          pad_id: padId,
          pad_name: names.get(padId) ?? padNameFromId(padId),
          image_count: f.image_count,
          max_temp: f.max_temp,
          avg_temp: f.avg_temp,
          hottest_image_id: f.hottest_image_id,
          severity_counts: f.severity_counts,
          complete: complete.has(padId),
          coverage_area_m2: padCoverage(records).coverage_area_m2,
          excess_heat_loss_kw: excess.get(padId) ?? null
        }
      })
      rows.sort((a, b) => naturalCompare(a.pad_name, b.pad_name))
      let hottest: SurveyPadSummary | undefined
      for (const row of rows) if (row.max_temp !== null && (hottest === undefined || row.max_temp > hottest.max_temp!)) hottest = row
      return {
        site: q.site,
        sector: q.sector,
        period: q.period,
        reference_temp: survey.reference,
        pads: rows,
        totals: {
          pad_count: rows.length,
          image_count: rows.reduce((n, r) => n + r.image_count, 0),
          max_temp: hottest?.max_temp ?? null,
          hottest_image_id: hottest?.hottest_image_id ?? null,
          severity_counts: rows.reduce((c, r) => addCounts(c, r.severity_counts), noSeverities()),
          complete_pads: rows.filter((r) => r.complete).length
        }
      }
    })
  }
}
