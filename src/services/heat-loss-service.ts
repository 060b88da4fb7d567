import { HEAT_LOSS_DEFAULTS, type HeatLoss, type HeatLossQuery } from '../../schemas/heat-loss.js'
import type { Measurement, SurveyParams } from '../../schemas/line-loss.js'
import { CSV, GEOJSON, type Export } from '../../schemas/exports.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { exportFilename } from '../domain/exports.js'
import { estimateHeatLoss, type PadInputs, type SurveyInputs } from '../domain/heat-loss/estimate.js'
import { heatLossCsv, heatLossGeoJson } from '../domain/heat-loss/exports.js'
import {
  calibrationEmissivity,
  configuredDiameter,
  firstKnown,
  fromQuery,
  measurementDiameter,
  recordedAmbient,
  type ConfiguredDiameters,
  type ResolvedInput
} from '../domain/heat-loss/inputs.js'
import { measurementPadId } from '../domain/line-loss-report.js'
import { padNameFromId } from '../domain/pads.js'
import { padImages } from '../domain/survey.js'
import { NotFoundError } from '../errors.js'
import type { CallContext } from '../call-context.js'
import type { LineLossService } from './line-loss-service.js'
import type { SurveyIndex } from './survey-index.js'

/** The inputs a caller may set; the rest of the query (format) is not the estimate's. */
export type HeatLossParams = Omit<HeatLossQuery, 'format'>

const EMISSIVITY_NOTE = '0.9 is painted or jacketed cladding; bare steel or aluminium cladding is far lower (0.1 to 0.3)'

/**
 * The heat loss of a survey's warm pipe (GET /api/heat-loss, the generated
 * reports, the survey summary). Cold: the survey's measurements (one Query of
 * the measurements index, cached as line-loss) and the survey index (one Query,
 * shared with every analytics endpoint) for the ambient, the emissivities and
 * the reference temperature. The estimate itself is arithmetic, cached (`line-loss`).
 */
export class HeatLossService {
  constructor(
    private readonly lineLoss: LineLossService,
    private readonly surveys: SurveyIndex,
    private readonly caches: ServiceCaches,
    private readonly diameters: ConfiguredDiameters,
    /** HEAT_LOSS_AMBIENT_C and HEAT_LOSS_EMISSIVITY, where configured: before the built-in defaults. */
    private readonly fallbacks: { ambient_c?: number; emissivity?: number } = {}
  ) {}

  /** The configured value of an input the survey lacks, else the built-in default. */
  private fallback(name: 'ambient_c' | 'emissivity', detail: string): ResolvedInput<number> {
    const configured = this.fallbacks[name]
    return configured !== undefined
      ? { value: configured, source: 'configuration', detail: `${detail}: HEAT_LOSS_${name.toUpperCase()}` }
      : { value: HEAT_LOSS_DEFAULTS[name], source: 'default', detail }
  }

  async estimate(ctx: CallContext, q: HeatLossParams): Promise<HeatLoss> {
    return (await this.load(ctx, q)).result
  }

  private load(ctx: CallContext, q: HeatLossParams): Promise<{ result: HeatLoss; measurements: Map<string, Measurement> }> {
    const key = [
      'heat-loss',
      q.site,
      q.sector,
      q.period,
      q.pad_id,
      q.pipe_diameter_m,
      q.ambient_c,
      q.emissivity,
      q.wind_speed_ms,
      q.sky_c,
      q.intact_surface_c,
      q.operating_hours
    ].join('|')
    return this.caches.lineLoss.get(key, async () => {
      const params: SurveyParams = { site: q.site, sector: q.sector, period: q.period }
      const [list, survey] = await Promise.all([this.lineLoss.survey(ctx, params), this.surveys.get(ctx, q.site, q.sector, q.period)])
      if (list.count === 0 && survey.images.length === 0) {
        throw new NotFoundError(`period '${q.period}' not found for ${q.site}/${q.sector}: no images and no measurements`)
      }
      const measurements = new Map<string, Measurement>()
      for (const m of list.measurements) {
        const id = measurementPadId(m)
        if (id !== undefined && (q.pad_id === undefined || id === q.pad_id)) measurements.set(id, m)
      }
      if (q.pad_id !== undefined && measurements.size === 0) {
        throw new NotFoundError(`no measurement for pad_id '${q.pad_id}' in period '${q.period}' (${q.site}/${q.sector})`)
      }
      const ambient = firstKnown(
        [fromQuery(q.ambient_c, 'ambient_c'), recordedAmbient(survey.images)],
        this.fallback('ambient_c', "the survey's images recorded no ambient temperature")
      )
      const inputs: SurveyInputs = {
        ambient_c: ambient,
        sky_c: fromQuery(q.sky_c, 'sky_c') ?? { value: ambient.value, source: 'default', detail: 'the ambient' },
        wind_speed_ms: fromQuery(q.wind_speed_ms, 'wind_speed_ms') ?? {
          value: null,
          source: 'default',
          detail: 'none: still air (the range takes 0 to 2 m/s)'
        },
        intact_surface_c: firstKnown<number>(
          [
            fromQuery(q.intact_surface_c, 'intact_surface_c'),
            survey.reference === null
              ? undefined
              : {
                  value: survey.reference,
                  source: 'survey',
                  detail: "the survey's reference temperature, the median of its images' averages"
                }
          ],
          { value: ambient.value, source: 'default', detail: 'no reference temperature: the ambient' }
        ),
        operating_hours: fromQuery(q.operating_hours, 'operating_hours') ?? {
          value: HEAT_LOSS_DEFAULTS.operating_hours,
          source: 'default',
          detail: 'all year'
        }
      }
      const configured = configuredDiameter(this.diameters, q.site, q.sector)
      const pads = [...measurements].map(([padId, m]): PadInputs => ({
        pad_id: padId,
        pad_name: padNameFromId(padId),
        measurement: m,
        pipe_diameter_m: firstKnown<number | null>([fromQuery(q.pipe_diameter_m, 'pipe_diameter_m'), measurementDiameter(m), configured], {
          value: null,
          source: null,
          detail: 'none in the query, the measurement or the configuration'
        }),
        emissivity: firstKnown(
          [fromQuery(q.emissivity, 'emissivity'), calibrationEmissivity(padImages(survey, padId))],
          this.fallback('emissivity', `no calibration emissivity: ${EMISSIVITY_NOTE}`)
        )
      }))
      const result = estimateHeatLoss({ site: q.site, sector: q.sector, period: q.period, pad_id: q.pad_id ?? null }, inputs, pads)
      return { result, measurements }
    })
  }

  async export(ctx: CallContext, q: HeatLossParams, format: 'csv' | 'geojson'): Promise<Export> {
    const { result, measurements } = await this.load(ctx, q)
    const stem = ['heat-loss', q.site, q.sector, q.period, q.pad_id]
    return format === 'csv'
      ? { contentType: CSV, filename: exportFilename(stem, 'csv'), body: heatLossCsv(result) }
      : { contentType: GEOJSON, filename: exportFilename(stem, 'geojson'), body: heatLossGeoJson(result, measurements) }
  }
}
