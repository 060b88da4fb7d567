import type { HotspotFormat, HotspotsQuery, SurveySummaryQuery } from '../../schemas/analytics.js'
import { CSV, GEOJSON, KML, type CameraFormat, type CamerasQuery, type Export } from '../../schemas/exports.js'
import type { MosaicQuery } from '../../schemas/common.js'
import { camerasCsv, camerasKml, exportFilename, hotspotsCsv, hotspotsGeoJson, padCollection, summaryCsv } from '../domain/exports.js'
import { scoreImages, type Thresholds } from '../domain/hotspots.js'
import { padFigures } from '../domain/survey-stats.js'
import { padImages } from '../domain/survey.js'
import type { AnalyticsService } from './analytics-service.js'
import type { CallContext } from '../call-context.js'
import type { DiscoveryService } from './discovery-service.js'
import type { MosaicService } from './mosaic-service.js'
import type { SurveyIndex } from './survey-index.js'

/**
 * The map-ready and spreadsheet forms of the JSON results: built from the same
 * cached results and survey index, so an export costs no AWS call its JSON
 * form would not.
 */
export class ExportService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly mosaic: MosaicService,
    private readonly analytics: AnalyticsService,
    private readonly surveys: SurveyIndex,
    private readonly thresholds: Thresholds
  ) {}

  async hotspots(ctx: CallContext, q: HotspotsQuery, format: Exclude<HotspotFormat, 'json'>): Promise<Export> {
    const list = await this.analytics.hotspots(ctx, q)
    const stem = ['hotspots', q.site, q.sector, q.period, q.pad_id, q.min_severity]
    return format === 'csv'
      ? { contentType: CSV, filename: exportFilename(stem, 'csv'), body: hotspotsCsv(list) }
      : { contentType: GEOJSON, filename: exportFilename(stem, 'geojson'), body: hotspotsGeoJson(list) }
  }

  async summaryCsv(ctx: CallContext, q: SurveySummaryQuery): Promise<Export> {
    const summary = await this.analytics.summary(ctx, q)
    return { contentType: CSV, filename: exportFilename(['survey', q.site, q.sector, q.period], 'csv'), body: summaryCsv(summary) }
  }

  /** With a period, the pads are the complete ones (as in JSON) and carry that survey's figures. */
  async padsGeoJson(ctx: CallContext, site: string, sector: string, period?: string): Promise<Export> {
    const [pads, survey] = await Promise.all([
      this.discovery.listPads(ctx, site, sector, period),
      period === undefined ? Promise.resolve(undefined) : this.surveys.get(ctx, site, sector, period)
    ])
    const figures = survey
      ? new Map(pads.map((p) => [p.pad_id, padFigures(padImages(survey, p.pad_id), survey.reference, this.thresholds)]))
      : undefined
    return {
      contentType: GEOJSON,
      filename: exportFilename(['pads', site, sector, period], 'geojson'),
      body: padCollection(pads, figures)
    }
  }

  async cameras(ctx: CallContext, q: CamerasQuery, format: Exclude<CameraFormat, 'json'>): Promise<Export> {
    const mq: MosaicQuery = { site: q.site, sector: q.sector, period: q.period, pad_id: q.pad_id, mosaic_type: q.mosaic_type ?? 'optical' }
    const collection = await this.mosaic.cameras(ctx, mq)
    const stem = ['cameras', q.site, q.sector, q.period, q.pad_id, mq.mosaic_type]
    if (format === 'csv') return { contentType: CSV, filename: exportFilename(stem, 'csv'), body: camerasCsv(collection) }
    const survey = await this.surveys.get(ctx, q.site, q.sector, q.period)
    const severities = new Map(
      scoreImages(padImages(survey, q.pad_id), survey.reference, this.thresholds).map((s) => [s.record.image_id, s.severity])
    )
    const title = `${q.pad_id} ${q.period} ${mq.mosaic_type}`
    return { contentType: KML, filename: exportFilename(stem, 'kml'), body: camerasKml(collection, title, severities) }
  }
}
