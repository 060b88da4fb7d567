import type {
  GenerateReportBody,
  Measurement,
  MeasurementList,
  RegionCollection,
  ReportFormat,
  ReportLinks,
  SurveyParams
} from '../../schemas/line-loss.js'
import type { HeatLoss } from '../../schemas/heat-loss.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import type { MeasurementsRepository } from '../data/measurements-repository.js'
import type { BucketStore } from '../data/bucket-store.js'
import type { PresignedUrl } from '../../schemas/common.js'
import { CSV, PDF } from '../../schemas/exports.js'
import { REPORT_FILES, reportsPrefix } from '../domain/keys.js'
import { regionCollection } from '../domain/line-loss-geojson.js'
import { postedReport, reportCsv, sortByPad, surveyReport, type LineLossReport } from '../domain/line-loss-report.js'
import { HttpError, NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import type { DiscoveryService } from './discovery-service.js'
import type { ClientBudget } from './client-budget.js'
import type { PdfRenderer } from './pdf-pool.js'
import type { CachedPresigner } from './presigner.js'

export interface PadMeasurement {
  item: Measurement
  regions: RegionCollection
}

/** A generated report file: its bytes, type and download name. */
export interface ReportFile {
  body: Buffer | string
  contentType: string
  filename: string
}

const today = () => new Date().toISOString().slice(0, 10)

/** What a posted report costs a client's budget: a page's worth of fixed work (about 25 rows' time) plus its rows. */
export const reportCost = (rows: number) => 25 + rows

/** The heat loss of a survey with the default inputs, for the generated reports (HeatLossService.estimate). */
export type HeatLossSource = (ctx: CallContext, p: SurveyParams) => Promise<HeatLoss>

/**
 * Line-loss measurements (PipeMeasure), the pre-generated reports and the
 * reports generated from the measurements. Cold costs: one Query (its pages) of
 * the measurements index per pad or survey; one ListObjectsV2 of the reports
 * prefix; a generated report adds the pads of the sector, the survey index's Query
 * for its heat loss (and, only for a survey without measurements, its periods).
 * Everything is cached (`line-loss`).
 */
export class LineLossService {
  private readonly rendered = new WeakMap<LineLossReport, { pdf?: Promise<Buffer>; csv?: Promise<Buffer> }>()

  constructor(
    private readonly measurements: MeasurementsRepository,
    private readonly discovery: DiscoveryService,
    private readonly store: BucketStore,
    private readonly presigner: CachedPresigner,
    private readonly caches: ServiceCaches,
    private readonly pdf: PdfRenderer,
    /** Each client's share of the renderer for posted reports. */
    private readonly postedBudget: ClientBudget,
    private readonly heatLoss: HeatLossSource,
    private readonly now: () => string = today
  ) {}

  /** A pad that has not been measured is a normal state: its absence is cached too. */
  private async padMeasurement(ctx: CallContext, p: SurveyParams & { pad_id: string }): Promise<PadMeasurement> {
    const found = await this.caches.lineLoss.get(`pad|${p.site}|${p.sector}|${p.period}|${p.pad_id}`, async () => {
      const item = await this.measurements.forPad(ctx, p.site, p.sector, p.period, p.pad_id)
      return item ? { item, regions: regionCollection(item) } : { missing: true as const }
    })
    if ('missing' in found) {
      throw new NotFoundError(`no measurement for pad_id '${p.pad_id}' in period '${p.period}' (${p.site}/${p.sector})`)
    }
    return found
  }

  async measurement(ctx: CallContext, p: SurveyParams & { pad_id: string }): Promise<Measurement> {
    return (await this.padMeasurement(ctx, p)).item
  }

  async regions(ctx: CallContext, p: SurveyParams & { pad_id: string }): Promise<RegionCollection> {
    return (await this.padMeasurement(ctx, p)).regions
  }

  /** Every measurement of a survey in natural pad order; `count: 0` for a survey without any (or unknown). */
  async survey(ctx: CallContext, p: SurveyParams): Promise<MeasurementList> {
    return this.caches.lineLoss.get(`survey|${p.site}|${p.sector}|${p.period}`, async () => {
      const items = sortByPad(await this.measurements.forSurvey(ctx, p.site, p.sector, p.period))
      return { site: p.site, sector: p.sector, period: p.period, count: items.length, measurements: items }
    })
  }

  /** Which of the pre-generated report files exist, with their keys: one listing of the reports prefix, cached. */
  async reportFiles(ctx: CallContext, p: SurveyParams): Promise<Partial<Record<keyof typeof REPORT_FILES, string>>> {
    const prefix = reportsPrefix(p.site, p.sector, p.period)
    const { keys } = await this.caches.lineLoss.get(`report-keys|${prefix}`, async () => ({
      keys: new Set(await this.store.listKeys(ctx, prefix))
    }))
    const out: Partial<Record<keyof typeof REPORT_FILES, string>> = {}
    for (const [name, file] of Object.entries(REPORT_FILES) as [keyof typeof REPORT_FILES, string][]) {
      if (keys.has(prefix + file)) out[name] = prefix + file
    }
    return out
  }

  /** The files that exist are signed, and only those; without the PDF there is no report. */
  async reportLinks(ctx: CallContext, p: SurveyParams): Promise<ReportLinks> {
    const files = await this.reportFiles(ctx, p)
    if (!files.pdf) {
      throw new NotFoundError(
        `no report available for ${p.site}/${p.sector}/${p.period}; reports are generated after PipeMeasure processing completes`
      )
    }
    const sign = (key: string | undefined): Promise<PresignedUrl | undefined> =>
      key ? this.presigner.presign(key) : Promise.resolve(undefined)
    const [pdf, csv, visual] = await Promise.all([sign(files.pdf), sign(files.csv), sign(files.visual_pdf)])
    const signed = [pdf, csv, visual].filter((s): s is PresignedUrl => s !== undefined)
    return {
      pdf_url: pdf!.url,
      ...(csv ? { csv_url: csv.url } : {}),
      ...(visual ? { visual_pdf_url: visual.url } : {}),
      site: p.site,
      sector: p.sector,
      period: p.period,
      expires_at: signed.map((s) => s.expires_at).sort()[0]!
    }
  }

  /**
   * The report model of a survey. The site and sector must have pads, and the
   * period must be listed by `/api/periods` or have measurements: an unknown
   * survey is a 404, a known one without measurements is all `N/A`.
   */
  private surveyModel(ctx: CallContext, p: SurveyParams): Promise<LineLossReport> {
    return this.caches.lineLoss.get(`report|${p.site}|${p.sector}|${p.period}`, async () => {
      const [pads, list] = await Promise.all([this.discovery.listPads(ctx, p.site, p.sector), this.survey(ctx, p)])
      if (pads.length === 0) throw new NotFoundError(`no pads for site '${p.site}' and sector '${p.sector}'`)
      if (list.count === 0 && !(await this.discovery.listPeriods(ctx, p.site, p.sector)).includes(p.period)) {
        throw new NotFoundError(`period '${p.period}' not found for ${p.site}/${p.sector}`)
      }
      const heatLoss = list.count === 0 ? undefined : await this.heatLoss(ctx, p)
      return surveyReport({ ...p, date: this.now() }, pads, list.measurements, heatLoss)
    })
  }

  async generatedReport(ctx: CallContext, p: SurveyParams, format: ReportFormat): Promise<ReportFile> {
    const model = await this.surveyModel(ctx, p)
    // Rendered once per cached model, and dropped with it.
    const files = this.rendered.get(model) ?? {}
    this.rendered.set(model, files)
    const rendering = (files[format] ??= format === 'pdf' ? this.pdf.render(model) : Promise.resolve(Buffer.from(reportCsv(model), 'utf8')))
    // A refused render (the queue is full) is not kept: the next request tries again.
    rendering.catch(() => {
      if (files[format] === rendering) delete files[format]
    })
    return {
      body: await rendering,
      contentType: format === 'pdf' ? PDF : CSV,
      filename: `line-loss-report-${p.sector}-${p.period}.${format}`
    }
  }

  /**
   * The original's POST: the client's rows through the same renderer. Nothing is read or cached.
   * A client whose reports in progress would exceed its budget gets a 429.
   */
  async postedReportPdf(body: GenerateReportBody, client: string): Promise<ReportFile> {
    const release = this.postedBudget.tryAcquire(client, reportCost(body.rows.length))
    if (!release) {
      throw new HttpError(
        429,
        `too many reports in progress for this client: their cost (25 per report plus 1 per row) may be at most ${this.postedBudget.limit}; retry later`,
        { 'retry-after': '1' }
      )
    }
    try {
      return {
        body: await this.pdf.render(postedReport(body, this.now())),
        contentType: PDF,
        filename: `line-loss-report-${body.sector}.pdf`
      }
    } finally {
      release()
    }
  }
}
