import { SCALE_TARGET as T, scaleTargetPolygon } from './scale-dataset.js'

export interface Endpoint {
  /** Short name used in the tables. */
  name: string
  operationId: string
  path: string
  /** GET unless given; a POST sends `body` as JSON. */
  method?: 'POST'
  body?: string
}

/** The native-zoom (22, 5 cm) tile over the target pad's centre, and a low-zoom one (18) served from built overviews. */
function tileAt(z: number): string {
  const ring = scaleTargetPolygon().slice(0, -1)
  const lon = ring.reduce((a, p) => a + p[0], 0) / ring.length
  const lat = ring.reduce((a, p) => a + p[1], 0) / ring.length
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const y = Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * n)
  return `${z}/${x}/${y}`
}

const survey = new URLSearchParams({ site: T.site, sector: T.sector, period: T.period }).toString()
const surveyPath = `${T.site}/${T.sector}/${T.period}`
/** The target survey as STAC names it: its Collection, its pad's Item and its day. */
const collection = `${T.site}.${T.sector}`
const item = `${T.padId}.${T.period}`
const datetime = `${T.period.slice(0, 4)}-${T.period.slice(4, 6)}-${T.period.slice(6, 8)}T00:00:00Z`
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
  { name: 'mosaic info', operationId: 'getMosaicInfo', path: `/api/mosaic/info?${pad}&mosaic_type=optical` },
  { name: 'tilejson', operationId: 'getTileJson', path: `/api/tiles/tilejson.json?${pad}&mosaic_type=optical` },
  { name: 'tile png', operationId: 'getTile', path: `/api/tiles/${tileAt(22)}.png?${pad}&mosaic_type=optical` },
  { name: 'tile webp', operationId: 'getTile', path: `/api/tiles/${tileAt(22)}.webp?${pad}&mosaic_type=optical` },
  { name: 'tile webp z18', operationId: 'getTile', path: `/api/tiles/${tileAt(18)}.webp?${pad}&mosaic_type=optical` },
  { name: 'preview', operationId: 'getMosaicPreview', path: `/api/mosaic/preview.webp?${pad}&mosaic_type=optical&max_size=512` },
  { name: 'hotspots', operationId: 'listHotspots', path: `/api/hotspots?${survey}` },
  { name: 'trend', operationId: 'getPadTrend', path: `/api/trend?site=${T.site}&sector=${T.sector}&pad_id=${T.padId}` },
  { name: 'survey summary', operationId: 'getSurveySummary', path: `/api/survey/summary?${survey}` },
  { name: 'catalog', operationId: 'getCatalog', path: `/api/catalog?site=${T.site}` },
  // The scale archive has no line-loss results: a 404 and empty lists, which cost what a hit does.
  { name: 'pad measurement', operationId: 'getPadMeasurement', path: `/api/pipemeasure/measurement/${surveyPath}/${T.padId}` },
  { name: 'survey measurements', operationId: 'listSurveyMeasurements', path: `/api/pipemeasure/measurements/${surveyPath}` },
  { name: 'report links', operationId: 'getReportLinks', path: `/api/report/${surveyPath}` },
  { name: 'report pdf', operationId: 'getLineLossReportPdf', path: `/api/report/${surveyPath}/line-loss.pdf` },
  { name: 'report csv', operationId: 'getLineLossReportCsv', path: `/api/report/${surveyPath}/line-loss.csv` },
  { name: 'heat loss', operationId: 'getHeatLoss', path: `/api/heat-loss?${survey}` },
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
  },
  { name: 'stac landing', operationId: 'getStacLanding', path: '/stac' },
  { name: 'stac conformance', operationId: 'getStacConformance', path: '/stac/conformance' },
  { name: 'stac collections', operationId: 'listStacCollections', path: '/stac/collections' },
  { name: 'stac collection', operationId: 'getStacCollection', path: `/stac/collections/${collection}` },
  { name: 'stac items', operationId: 'listStacItems', path: `/stac/collections/${collection}/items?limit=10` },
  { name: 'stac item', operationId: 'getStacItem', path: `/stac/collections/${collection}/items/${item}` },
  { name: 'stac asset', operationId: 'getStacAsset', path: `/stac/collections/${collection}/items/${item}/assets/optical` },
  { name: 'stac search', operationId: 'searchStacItems', path: `/stac/search?collections=${collection}&datetime=${datetime}` },
  {
    name: 'stac search post',
    operationId: 'searchStacItemsPost',
    path: '/stac/search',
    method: 'POST',
    body: JSON.stringify({ collections: [collection], datetime })
  },
  { name: 'features landing', operationId: 'getFeaturesLanding', path: '/features' },
  { name: 'features conformance', operationId: 'getFeaturesConformance', path: '/features/conformance' },
  { name: 'feature collections', operationId: 'listFeatureCollections', path: '/features/collections' },
  { name: 'feature collection', operationId: 'getFeatureCollection', path: '/features/collections/hotspots' },
  { name: 'queryables', operationId: 'getFeatureQueryables', path: '/features/collections/hotspots/queryables' },
  { name: 'features hotspots', operationId: 'listFeatures', path: `/features/collections/hotspots/items?${survey}&limit=100` },
  { name: 'feature hotspot', operationId: 'getFeature', path: `/features/collections/hotspots/items/${T.imageId}` }
]

/** What a browser sends: every API request may be answered compressed. */
export const REQUEST_HEADERS = { 'accept-encoding': 'br, gzip' }
