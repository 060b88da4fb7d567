import { SEVERITIES } from '../../schemas/analytics.js'
import { MOSAIC_TYPES, type MosaicType } from '../../schemas/common.js'
import { GEOJSON } from '../../schemas/exports.js'
import type { Measurement } from '../../schemas/line-loss.js'
import {
  PROJECTION_EXTENSION,
  STAC_CONFORMANCE,
  STAC_VERSION,
  WEB_MAP_LINKS_EXTENSION,
  type StacAsset,
  type StacAssetKey,
  type StacCollection,
  type StacLanding,
  type StacLink,
  type StacItem
} from '../../schemas/stac.js'
import type { REPORT_FILES } from './keys.js'
import type { PadFigures } from './survey-stats.js'
import { supportedCrs } from './tiles/crs.js'
import type { RasterFacts } from './tiles/footprint.js'

/**
 * The STAC objects of the archive, from what the services found, with absolute
 * links under `base` (this API's public base URL). Pure: the same facts give
 * the same JSON, whatever the request.
 */

export const COG = 'image/tiff; application=geotiff; profile=cloud-optimized'
export const GEOTIFF = 'image/tiff; application=geotiff'
const JSON_TYPE = 'application/json'

export const collectionId = (site: string, sector: string) => `${site}.${sector}`
export const itemId = (padId: string, period: string) => `${padId}.${period}`

/** `{site}.{sector}` → its parts (the pattern leaves exactly one dot). */
export function splitCollectionId(id: string): { site: string; sector: string } {
  const dot = id.indexOf('.')
  return { site: id.slice(0, dot), sector: id.slice(dot + 1) }
}

/** `{pad_id}.{period}` → its parts: a period has no dot, so it is what follows the last one. */
export function splitItemId(id: string): { padId: string; period: string } {
  const dot = id.lastIndexOf('.')
  return { padId: id.slice(0, dot), period: id.slice(dot + 1) }
}

export function landing(base: string, collections: readonly { site: string; sector: string }[]): StacLanding {
  const stac = `${base}/stac`
  return {
    type: 'Catalog',
    stac_version: STAC_VERSION,
    id: 'thermal-viewer',
    title: 'Thermal Viewer archive',
    description: 'Drone thermal surveys of geothermal well pads: one Collection per site and sector, one Item per pad and survey.',
    conformsTo: [...STAC_CONFORMANCE],
    links: [
      { rel: 'self', href: stac, type: JSON_TYPE },
      { rel: 'root', href: stac, type: JSON_TYPE },
      { rel: 'service-desc', href: `${base}/openapi.json`, type: 'application/vnd.oai.openapi+json;version=3.1' },
      { rel: 'service-doc', href: `${base}/docs`, type: 'text/html' },
      { rel: 'conformance', href: `${stac}/conformance`, type: JSON_TYPE },
      { rel: 'data', href: `${stac}/collections`, type: JSON_TYPE },
      { rel: 'search', href: `${stac}/search`, type: GEOJSON, method: 'GET' },
      { rel: 'search', href: `${stac}/search`, type: GEOJSON, method: 'POST' },
      ...collections.map((c) => ({ rel: 'child', href: `${stac}/collections/${collectionId(c.site, c.sector)}`, type: JSON_TYPE }))
    ]
  }
}

export interface CollectionFacts {
  site: string
  sector: string
  /** The union of the pads' boxes; undefined when no pad has a ring. */
  bbox: [number, number, number, number] | undefined
  /** Oldest and newest survey, as STAC datetimes. */
  first: string | undefined
  last: string | undefined
  itemCount: number
}

export function collection(base: string, c: CollectionFacts): StacCollection {
  const self = `${base}/stac/collections/${collectionId(c.site, c.sector)}`
  return {
    type: 'Collection',
    stac_version: STAC_VERSION,
    stac_extensions: [],
    id: collectionId(c.site, c.sector),
    title: `${c.site} / ${c.sector}`,
    description: `Thermal and optical drone surveys of the well pads of sector ${c.sector} of site ${c.site}: ${c.itemCount} pad surveys.`,
    license: 'proprietary',
    keywords: ['thermal', 'drone', 'orthophoto', 'geothermal'],
    extent: {
      spatial: { bbox: [c.bbox ?? [-180, -90, 180, 90]] },
      temporal: { interval: [[c.first ?? null, c.last ?? null]] }
    },
    links: [
      { rel: 'self', href: self, type: JSON_TYPE },
      { rel: 'root', href: `${base}/stac`, type: JSON_TYPE },
      { rel: 'parent', href: `${base}/stac`, type: JSON_TYPE },
      { rel: 'items', href: `${self}/items`, type: GEOJSON }
    ]
  }
}

/** What an Item shows beyond the archive entry: the survey's figures of the pad, line loss, reports and the orthophotos' grids. */
export interface ItemFacts {
  site: string
  sector: string
  period: string
  padId: string
  padName: string
  datetime: string
  geometry: object | null
  bbox: number[] | null
  orthophotos: readonly MosaicType[]
  shots: readonly MosaicType[]
  figures: PadFigures | undefined
  measurement: Measurement | undefined
  reports: Partial<Record<keyof typeof REPORT_FILES, string>>
  /** Per orthophoto; missing when its header could not be read. */
  rasters: Partial<Record<MosaicType, RasterFacts>>
}

const REPORT_ASSETS: readonly [keyof typeof REPORT_FILES, StacAssetKey, string, string][] = [
  ['pdf', 'line_loss_report', 'application/pdf', 'Line-loss report (PDF)'],
  ['csv', 'line_loss_report_csv', 'text/csv', 'Line-loss report (CSV)'],
  ['visual_pdf', 'line_loss_visual_report', 'application/pdf', 'Line-loss visual report (PDF)']
]

function properties(f: ItemFacts): Record<string, unknown> {
  const p: Record<string, unknown> = {
    datetime: f.datetime,
    title: `${f.padName} ${f.period}`,
    site: f.site,
    sector: f.sector,
    period: f.period,
    pad_id: f.padId,
    pad_name: f.padName,
    image_count: f.figures?.image_count ?? 0,
    max_temp: f.figures?.max_temp ?? null,
    avg_temp: f.figures?.avg_temp ?? null,
    severity: f.figures?.worst_severity ?? null
  }
  for (const s of SEVERITIES) p[`hotspots_${s}`] = f.figures?.severity_counts[s] ?? 0
  const stats = f.measurement?.aggregate_stats
  if (f.measurement) {
    p.line_loss_regions =
      stats?.total_regions ?? (Array.isArray(f.measurement.region_measurements) ? f.measurement.region_measurements.length : 0)
    p.line_loss_length_m = stats?.total_length_m ?? null
    p.line_loss_area_m2 = stats?.total_area_m2 ?? null
  }
  return p
}

/** The camera positions an Item's `shots` asset serves: the optical flight's, else the first there is. */
export function shotsType(shots: readonly MosaicType[]): MosaicType | undefined {
  return shots.includes('optical') ? 'optical' : shots[0]
}

export function item(base: string, f: ItemFacts): StacItem {
  const cid = collectionId(f.site, f.sector)
  const id = itemId(f.padId, f.period)
  const self = `${base}/stac/collections/${cid}/items/${id}`
  const asset = (key: StacAssetKey) => `${self}/assets/${key}`
  const mosaicQuery = (type: MosaicType) =>
    new URLSearchParams({ site: f.site, sector: f.sector, period: f.period, pad_id: f.padId, mosaic_type: type }).toString()
  const assets: Record<string, StacAsset> = {}
  const mapLinks: StacLink[] = []
  for (const type of MOSAIC_TYPES.filter((t) => f.orthophotos.includes(t))) {
    const r = f.rasters[type]
    assets[type] = {
      href: asset(type),
      type: r?.isCog ? COG : GEOTIFF,
      title: `${type} orthophoto`,
      roles: ['data', 'visual'],
      ...(r ? { 'proj:epsg': r.epsg, 'proj:shape': r.shape, 'proj:transform': r.transform } : {})
    }
    if (r && supportedCrs(r.epsg ?? undefined)) {
      mapLinks.push(
        { rel: 'xyz', href: `${base}/api/tiles/{z}/{x}/{y}.png?${mosaicQuery(type)}`, type: 'image/png', title: `${type} tiles` },
        { rel: 'tilejson', href: `${base}/api/tiles/tilejson.json?${mosaicQuery(type)}`, type: JSON_TYPE, title: `${type} TileJSON` }
      )
      if (type === 'optical') {
        assets.thumbnail = {
          href: `${base}/api/mosaic/preview.png?${mosaicQuery(type)}&max_size=256`,
          type: 'image/png',
          title: 'Preview',
          roles: ['thumbnail']
        }
      }
    }
  }
  const shots = shotsType(f.shots)
  if (shots) assets.shots = { href: asset('shots'), type: GEOJSON, title: `Camera positions (${shots})`, roles: ['metadata'] }
  for (const [file, key, type, title] of REPORT_ASSETS) {
    if (f.reports[file]) assets[key] = { href: asset(key), type, title, roles: ['metadata'] }
  }
  return {
    type: 'Feature',
    stac_version: STAC_VERSION,
    stac_extensions: mapLinks.length > 0 ? [PROJECTION_EXTENSION, WEB_MAP_LINKS_EXTENSION] : [PROJECTION_EXTENSION],
    id,
    collection: cid,
    geometry: f.geometry as StacItem['geometry'],
    ...(f.bbox ? { bbox: f.bbox } : {}),
    properties: properties(f) as StacItem['properties'],
    links: [
      { rel: 'self', href: self, type: GEOJSON },
      { rel: 'parent', href: `${base}/stac/collections/${cid}`, type: JSON_TYPE },
      { rel: 'collection', href: `${base}/stac/collections/${cid}`, type: JSON_TYPE },
      { rel: 'root', href: `${base}/stac`, type: JSON_TYPE },
      ...mapLinks
    ],
    assets
  }
}
