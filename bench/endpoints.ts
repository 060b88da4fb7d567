import { SCALE_TARGET as T } from '../src/seed/scale-dataset.js'

export interface Endpoint {
  /** Short name used in the tables. */
  name: string
  operationId: string
  path: string
  /** GET unless given; a POST sends `body` as JSON. */
  method?: 'POST'
  body?: string
}

const survey = `${T.site}/${T.sector}/${T.period}`
const pad = new URLSearchParams({ site: T.site, sector: T.sector, period: T.period, pad_id: T.padId }).toString()

/**
 * Every operation the API serves (the two variants of `listPads` separately), each
 * aimed at the scale archive's target survey, which is identical at every scale.
 * The cameras target is the survey's 400-shot flight.
 */
export const ENDPOINTS: readonly Endpoint[] = [
  { name: 'health', operationId: 'getHealth', path: '/health' },
  { name: 'index', operationId: 'getApiIndex', path: '/' },
  { name: 'ready', operationId: 'getReadiness', path: '/ready' },
  { name: 'sites', operationId: 'listSites', path: '/api/sites' },
  { name: 'sectors', operationId: 'listSectors', path: `/api/sectors?site=${T.site}` },
  { name: 'periods', operationId: 'listPeriods', path: `/api/periods?site=${T.site}&sector=${T.sector}` },
  { name: 'pads', operationId: 'listPads', path: `/api/pads?site=${T.site}&sector=${T.sector}` },
  { name: 'pads?period', operationId: 'listPads', path: `/api/pads?site=${T.site}&sector=${T.sector}&period=${T.period}` },
  { name: 'mosaic metadata', operationId: 'getMosaicMetadata', path: `/api/mosaic/metadata?${pad}&mosaic_type=optical` },
  { name: 'orthomosaic', operationId: 'getOrthomosaicUrl', path: `/api/mosaic/orthomosaic?${pad}&mosaic_type=optical` },
  { name: 'cameras', operationId: 'getCameraPositions', path: `/api/mosaic/cameras?${pad}&mosaic_type=optical` },
  { name: 'optical', operationId: 'getOpticalImageUrl', path: `/api/optical/${T.imageId}` },
  { name: 'thermal', operationId: 'getThermalImageUrl', path: `/api/thermal/${T.imageId}?palette=medical` },
  { name: 'thermal stats', operationId: 'getThermalStats', path: `/api/thermal/${T.imageId}/stats` },
  { name: 'coverage', operationId: 'getCoverageStats', path: `/api/coverage/stats?${pad}` },
  // The scale archive has no line-loss results: a 404 and empty lists, which cost what a hit does.
  { name: 'pad measurement', operationId: 'getPadMeasurement', path: `/api/pipemeasure/measurement/${survey}/${T.padId}` },
  { name: 'survey measurements', operationId: 'listSurveyMeasurements', path: `/api/pipemeasure/measurements/${survey}` },
  { name: 'report links', operationId: 'getReportLinks', path: `/api/report/${survey}` },
  { name: 'report pdf', operationId: 'getLineLossReportPdf', path: `/api/report/${survey}/line-loss.pdf` },
  { name: 'report csv', operationId: 'getLineLossReportCsv', path: `/api/report/${survey}/line-loss.csv` },
  {
    name: 'report generate',
    operationId: 'generateLineLossReport',
    path: '/api/report/generate',
    method: 'POST',
    body: JSON.stringify({
      site: T.site,
      sector: T.sector,
      rows: Array.from({ length: 20 }, (_, i) => ({ section: `Pad ${i}`, length: '1.50' }))
    })
  }
]

/** What a browser sends: every API request may be answered compressed. */
export const REQUEST_HEADERS = { 'accept-encoding': 'br, gzip' }
