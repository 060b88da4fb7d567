import {
  FeaturesTag,
  QUERYABLES,
  type FeatureCollectionId,
  type FeatureCollectionInfo,
  type FeaturesLanding,
  type Queryables
} from '../../schemas/features.js'
import { GEOJSON } from '../../schemas/exports.js'
import type { BBox } from './geometry.js'

/** The OGC API – Features documents that are not data: landing page, layers, queryables, API description. */

const JSON_TYPE = 'application/json'
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'

const LAYERS: Readonly<Record<FeatureCollectionId, { title: string; description: string }>> = {
  pads: {
    title: 'Pads',
    description: 'One feature per pad and survey: the pad’s ring, its image count, maximum temperature and worst severity in that survey.'
  },
  hotspots: {
    title: 'Hot spots',
    description:
      'Every image with thermal data, ranked within its survey by maximum temperature, with ΔT over the survey reference and a severity.'
  },
  cameras: {
    title: 'Camera positions',
    description: 'The optical flight’s camera positions, with file names, heading (yaw), pitch and the thermal image’s temperatures.'
  },
  'line-loss-regions': {
    title: 'Line-loss regions',
    description: 'Warm sections of pipe measured by PipeMeasure: length, area and temperatures.'
  }
}

export function featuresLanding(base: string): FeaturesLanding {
  const root = `${base}/features`
  return {
    title: 'Thermal Viewer archive (OGC API – Features)',
    description: 'Pads, hot spots, camera positions and line-loss regions of every survey, as vector layers.',
    links: [
      { rel: 'self', href: root, type: JSON_TYPE },
      { rel: 'service-desc', href: `${root}/api`, type: 'application/vnd.oai.openapi+json;version=3.1' },
      { rel: 'service-doc', href: `${base}/docs`, type: 'text/html' },
      { rel: 'conformance', href: `${root}/conformance`, type: JSON_TYPE },
      { rel: 'data', href: `${root}/collections`, type: JSON_TYPE }
    ]
  }
}

export function collectionInfo(base: string, id: FeatureCollectionId, extent: BBox | undefined): FeatureCollectionInfo {
  const self = `${base}/features/collections/${id}`
  return {
    id,
    ...LAYERS[id],
    itemType: 'feature',
    crs: [CRS84],
    ...(extent ? { extent: { spatial: { bbox: [extent] } } } : {}),
    links: [
      { rel: 'self', href: self, type: JSON_TYPE },
      { rel: 'items', href: `${self}/items`, type: GEOJSON },
      { rel: 'queryables', href: `${self}/queryables`, type: 'application/schema+json' },
      { rel: 'root', href: `${base}/features`, type: JSON_TYPE }
    ]
  }
}

const QUERYABLE_TITLES: Readonly<Record<(typeof QUERYABLES)[number], string>> = {
  site: 'Site id',
  sector: 'Sector id',
  period: 'Survey period (YYYYMMDD, optionally with a suffix)',
  pad_id: 'Pad id'
}

export function queryables(base: string, id: FeatureCollectionId): Queryables & { $schema: string; $id: string } {
  return {
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    $id: `${base}/features/collections/${id}/queryables`,
    type: 'object',
    title: LAYERS[id].title,
    properties: Object.fromEntries(QUERYABLES.map((q) => [q, { type: 'string', title: QUERYABLE_TITLES[q] }]))
  }
}

/**
 * This API's OpenAPI document as seen from the OGC API root: the /features
 * operations only, their paths relative to it (`/collections/{collectionId}/items`),
 * and the server at `${base}/features`. OGC API clients (GDAL's OAPIF driver,
 * QGIS) look the items operation up under that relative path to learn its
 * query parameters (the queryables they may send) and its `limit`.
 */
export function featuresApiDocument(doc: Record<string, unknown>, base: string): Record<string, unknown> {
  const paths = doc.paths as Record<string, unknown>
  const relative = Object.fromEntries(
    Object.entries(paths)
      .filter(([path]) => path === '/features' || path.startsWith('/features/'))
      .map(([path, item]) => [path.slice('/features'.length) || '/', item])
  )
  return {
    ...doc,
    servers: [{ url: `${base}/features`, description: 'This server' }],
    tags: [{ name: FeaturesTag.name, description: FeaturesTag.description }],
    paths: relative
  }
}
