import { SCALE_TARGET as T } from '../src/seed/scale-dataset.js'

export interface Endpoint {
  /** Short name used in the tables. */
  name: string
  operationId: string
  path: string
}

const survey = new URLSearchParams({ site: T.site, sector: T.sector, period: T.period }).toString()
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
  { name: 'hotspots', operationId: 'listHotspots', path: `/api/hotspots?${survey}` },
  { name: 'trend', operationId: 'getPadTrend', path: `/api/trend?site=${T.site}&sector=${T.sector}&pad_id=${T.padId}` },
  { name: 'survey summary', operationId: 'getSurveySummary', path: `/api/survey/summary?${survey}` },
  { name: 'catalog', operationId: 'getCatalog', path: `/api/catalog?site=${T.site}` }
]

/** What a browser sends: every API request may be answered compressed. */
export const REQUEST_HEADERS = { 'accept-encoding': 'br, gzip' }
