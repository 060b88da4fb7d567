import {
  FEATURE_COLLECTIONS,
  type FeatureCollectionId,
  type FeatureCollectionInfo,
  type FeatureCollectionList,
  type FeatureItemsQuery,
  type FeaturesLanding,
  type OgcFeature,
  type Queryables
} from '../../schemas/features.js'
import { STAC_LIMIT_DEFAULT } from '../../schemas/stac.js'
import { collectionInfo, featuresApiDocument, featuresLanding, queryables } from '../domain/features-documents.js'
import { encodeToken, parseBbox, tokenKey } from '../domain/search-params.js'
import { SITE_PATTERN, PERIOD_PATTERN } from '../../schemas/common.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import type { CallContext } from '../call-context.js'
import type { Thresholds } from '../domain/hotspots.js'
import { regionCollection } from '../domain/line-loss-geojson.js'
import { bboxGeometry, bboxOf, intersectsPolygon, positionsOf, unionOf, type BBox, type Geometry } from '../domain/geometry.js'
import { itemId, splitItemId } from '../domain/stac-items.js'
import { rankHotspots, padFigures } from '../domain/survey-stats.js'
import { padImages } from '../domain/survey.js'
import { NotFoundError } from '../errors.js'
import { compareKeys, entryKey, type ArchiveEntry, type ArchiveIndex, type ArchiveSector, type EntryKey } from './archive-index.js'
import type { ImageRecords } from './image-records.js'
import type { LineLossService } from './line-loss-service.js'
import type { MosaicService } from './mosaic-service.js'
import type { SurveyIndex } from './survey-index.js'

/** The queryables and the bounding box of an items request. */
export interface FeatureFilter {
  site?: string
  sector?: string
  period?: string
  pad_id?: string
  bbox?: BBox
}

export interface FeaturePage {
  features: OgcFeature[]
  numberMatched?: number
  /** The token key of the next page: the unit it resumes in and how many of its features were served. */
  next?: [...EntryKey, number]
}

/** A page as the items operation answers it, less its links: `next` is the token of the page after. */
export interface FeatureItems {
  features: OgcFeature[]
  numberMatched?: number
  next?: string
}

/**
 * Reads (a survey's, or a pad's camera positions) a page makes before it stops short of `limit`: with no filter
 * a page's cold cost is bounded. A page is never empty before the end, so a `bbox` that few features meet may
 * read on.
 */
export const MAX_UNITS_PER_PAGE = 8

/** A survey, or a pad in a survey, whose features are loaded together, in walk order. */
interface Unit {
  key: EntryKey
  /** What loading it reads: units with the same cost share one read (the pads of a survey share its index Query). */
  cost: string
  load: () => Promise<OgcFeature[]>
}

const SITE = new RegExp(SITE_PATTERN)
const PERIOD = new RegExp(PERIOD_PATTERN)

function feature(
  id: string,
  geometry: Geometry | object | null,
  where: { site: string; sector: string; period: string; pad_id: string | null },
  properties: Record<string, unknown>
): OgcFeature {
  return { type: 'Feature', id, geometry: geometry as OgcFeature['geometry'], properties: { ...where, ...properties } }
}

/** `{pad_id}.{period}.{n}` → its parts, or undefined when it is not of that shape. */
function splitNumbered(id: string): { padId: string; period: string; n: number } | undefined {
  const parts = id.split('.')
  if (parts.length < 3) return undefined
  const n = Number(parts.pop())
  const period = parts.pop()!
  return Number.isSafeInteger(n) && n >= 1 && PERIOD.test(period) ? { padId: parts.join('.'), period, n } : undefined
}

/**
 * OGC API – Features over the archive index. Each layer walks the archive in the
 * STAC order (site → sector → period → pad) in units that load together: pads
 * and camera positions per pad and survey, hot spots and line-loss regions per
 * survey, each from the cache the matching `/api` endpoint fills. A page loads
 * at most MAX_UNITS_PER_PAGE units; the queryables pick the units before any is
 * loaded, so a filtered request reads only the surveys it names.
 */
export class FeaturesService {
  constructor(
    private readonly archive: ArchiveIndex,
    private readonly surveys: SurveyIndex,
    private readonly mosaic: MosaicService,
    private readonly lineLoss: LineLossService,
    private readonly records: ImageRecords,
    private readonly caches: ServiceCaches,
    private readonly thresholds: Thresholds
  ) {}

  landing(base: string): FeaturesLanding {
    return featuresLanding(base)
  }

  /** This API's OpenAPI document as OGC API clients look for it, from the OGC API root. */
  apiDocument(doc: Record<string, unknown>, base: string): Record<string, unknown> {
    return featuresApiDocument(doc, base)
  }

  queryables(base: string, id: FeatureCollectionId): Queryables {
    return queryables(base, id)
  }

  async collections(ctx: CallContext, base: string): Promise<FeatureCollectionList['collections']> {
    const extent = await this.extent(ctx)
    return FEATURE_COLLECTIONS.map((id) => collectionInfo(base, id, extent))
  }

  async collection(ctx: CallContext, base: string, id: FeatureCollectionId): Promise<FeatureCollectionInfo> {
    return collectionInfo(base, id, await this.extent(ctx))
  }

  /** `GET /features/collections/{id}/items`: the query as validated, a larger `limit` already clamped. */
  async items(ctx: CallContext, collection: FeatureCollectionId, q: FeatureItemsQuery): Promise<FeatureItems> {
    const { bbox, limit, token, ...queryable } = q
    const filter: FeatureFilter = { ...queryable, ...(bbox !== undefined ? { bbox: parseBbox(bbox) } : {}) }
    const page = await this.page(ctx, collection, filter, limit ?? STAC_LIMIT_DEFAULT, tokenKey(token, 'query'))
    return {
      features: page.features,
      ...(page.numberMatched === undefined ? {} : { numberMatched: page.numberMatched }),
      ...(page.next ? { next: encodeToken(page.next) } : {})
    }
  }

  /** The extent of the archive (every pad ring), for each layer's collection. */
  private async extent(ctx: CallContext): Promise<BBox | undefined> {
    return unionOf((await this.archive.get(ctx)).entries.flatMap((e) => (e.bbox ? [e.bbox] : [])))
  }

  private sectorsOf(sectors: readonly ArchiveSector[], f: FeatureFilter): ArchiveSector[] {
    return sectors.filter(
      (s) =>
        (f.site === undefined || s.site === f.site) &&
        (f.sector === undefined || s.sector === f.sector) &&
        (f.pad_id === undefined || s.pads.some((p) => p.pad_id === f.pad_id))
    )
  }

  private entriesOf(sectors: readonly ArchiveSector[], f: FeatureFilter, pred: (e: ArchiveEntry) => boolean = () => true) {
    return this.sectorsOf(sectors, f).flatMap((s) =>
      s.entries.filter(
        (e) => (f.period === undefined || e.period === f.period) && (f.pad_id === undefined || e.pad.pad_id === f.pad_id) && pred(e)
      )
    )
  }

  private surveyUnits(
    sectors: readonly ArchiveSector[],
    f: FeatureFilter,
    load: (site: string, sector: string, period: string) => Promise<OgcFeature[]>
  ): Unit[] {
    return this.sectorsOf(sectors, f).flatMap((s) =>
      s.periods
        .filter((p) => f.period === undefined || p === f.period)
        .map((period) => ({
          key: [s.site, s.sector, period, '', ''] as EntryKey,
          cost: `${s.site}|${s.sector}|${period}`,
          load: () => load(s.site, s.sector, period)
        }))
    )
  }

  private units(collection: FeatureCollectionId, sectors: readonly ArchiveSector[], f: FeatureFilter, ctx: CallContext): Unit[] {
    switch (collection) {
      case 'pads': {
        // A pad's ring is in the index: the bbox picks the pads before any is loaded.
        const area = f.bbox ? bboxGeometry(f.bbox) : undefined
        const near = (e: ArchiveEntry) => area === undefined || (e.polygon !== null && touches(e.polygon, area))
        return this.entriesOf(sectors, f, near).map((e) => ({
          key: entryKey(e),
          cost: `${e.site}|${e.sector}|${e.period}`,
          load: async () => [await this.padFeature(ctx, e)]
        }))
      }
      case 'cameras':
        return this.entriesOf(sectors, f, (e) => e.shots.includes('optical')).map((e) => ({
          key: entryKey(e),
          cost: entryKey(e).join('|'),
          load: () => this.cameras(ctx, e)
        }))
      case 'hotspots':
        return this.surveyUnits(sectors, f, (site, sector, period) => this.hotspots(ctx, site, sector, period))
      case 'line-loss-regions':
        return this.surveyUnits(sectors, f, (site, sector, period) => this.regions(ctx, site, sector, period))
    }
  }

  async page(
    ctx: CallContext,
    collection: FeatureCollectionId,
    f: FeatureFilter,
    limit: number,
    after?: [...EntryKey, number]
  ): Promise<FeaturePage> {
    const archive = await this.archive.get(ctx, (site, sector) => (f.site ?? site) === site && (f.sector ?? sector) === sector)
    const units = this.units(collection, archive.sectors, f, ctx)
    const area = f.bbox ? bboxGeometry(f.bbox) : undefined
    const keep = (x: OgcFeature) =>
      (f.pad_id === undefined || x.properties.pad_id === f.pad_id) &&
      (area === undefined || (x.geometry !== null && touches(x.geometry as unknown as Geometry, area)))
    // Pads are one feature per unit, so their count is known; other layers count when they have few units (all
    // loaded anyway, bounded).
    const counted =
      collection !== 'pads' && units.length <= MAX_UNITS_PER_PAGE
        ? await Promise.all(units.map(async (u) => (await u.load()).filter(keep)))
        : undefined
    const numberMatched = collection === 'pads' ? units.length : counted?.reduce((n, fs) => n + fs.length, 0)
    let i = 0
    let skip = 0
    if (after) {
      const key = after.slice(0, 5) as EntryKey
      i = units.findIndex((u) => compareKeys(u.key, key) >= 0)
      if (i >= 0 && compareKeys(units[i]!.key, key) === 0) skip = after[5]
    }
    const features: OgcFeature[] = []
    let next: FeaturePage['next']
    const reads = new Set<string>()
    while (i >= 0 && i < units.length) {
      const unit = units[i]!
      // What the count loaded and filtered is not loaded and filtered again.
      const all = counted?.[i] ?? (await unit.load()).filter(keep)
      reads.add(unit.cost)
      const take = all.slice(skip, skip + limit - features.length)
      features.push(...take)
      if (skip + take.length < all.length) {
        next = [...unit.key, skip + take.length]
        break
      }
      i++
      skip = 0
      // Never an empty page before the end: clients (GDAL among them) stop at one, whatever its `next` link says.
      const spent = reads.size >= MAX_UNITS_PER_PAGE && units[i]?.cost !== undefined && !reads.has(units[i]!.cost)
      if (features.length >= limit || (spent && features.length > 0)) {
        if (i < units.length) next = [...unit.key, all.length]
        break
      }
    }
    return { features, ...(numberMatched === undefined ? {} : { numberMatched }), ...(next ? { next } : {}) }
  }

  async feature(ctx: CallContext, collection: FeatureCollectionId, id: string): Promise<OgcFeature> {
    const missing = () => new NotFoundError(`feature '${id}' not found in collection '${collection}'`)
    if (collection === 'hotspots') {
      const record = await this.records.get(ctx, id)
      const site = record.site_id
      const [sector, period] = [record.sector_id, record.period]
      if (!site || !sector || !period || !SITE.test(site) || !SITE.test(sector) || !PERIOD.test(period)) throw missing()
      const found = (await this.hotspots(ctx, site, sector, period)).find((x) => x.id === id)
      if (!found) throw missing()
      return found
    }
    // Pad ids do not say their site and sector: the archive does.
    const entries = (await this.archive.get(ctx)).entries
    if (collection === 'pads') {
      const { padId, period } = splitItemId(id)
      const e = entries.find((x) => x.pad.pad_id === padId && x.period === period)
      if (!e) throw missing()
      return this.padFeature(ctx, e)
    }
    const parts = splitNumbered(id)
    const e = parts && entries.find((x) => x.pad.pad_id === parts.padId && x.period === parts.period)
    if (!parts || !e) throw missing()
    const all =
      collection === 'cameras'
        ? e.shots.includes('optical')
          ? await this.cameras(ctx, e)
          : []
        : await this.regions(ctx, e.site, e.sector, e.period)
    const found = all.find((x) => x.id === id)
    if (!found) throw missing()
    return found
  }

  private async padFeature(ctx: CallContext, e: ArchiveEntry): Promise<OgcFeature> {
    const survey = await this.surveys.get(ctx, e.site, e.sector, e.period)
    const f = padFigures(padImages(survey, e.pad.pad_id), survey.reference, this.thresholds)
    return feature(
      itemId(e.pad.pad_id, e.period),
      e.polygon,
      { site: e.site, sector: e.sector, period: e.period, pad_id: e.pad.pad_id },
      {
        pad_name: e.pad.pad_name,
        image_count: f.image_count,
        max_temp: f.max_temp,
        severity: f.worst_severity
      }
    )
  }

  /** Every hot spot of a survey in rank order, as `/api/hotspots` ranks them; computed once per cached survey. */
  private hotspots(ctx: CallContext, site: string, sector: string, period: string): Promise<OgcFeature[]> {
    return this.caches.analytics
      .get(`ogc-hotspots|${site}|${sector}|${period}`, async () => {
        const survey = await this.surveys.get(ctx, site, sector, period)
        const { hotspots } = rankHotspots(survey, this.thresholds, { limit: Number.MAX_SAFE_INTEGER })
        return {
          features: hotspots.map(({ location, ...h }) =>
            feature(h.image_id, location ? { type: 'Point', coordinates: location } : null, { site, sector, period, pad_id: h.pad_id }, h)
          )
        }
      })
      .then((x) => x.features)
  }

  private async cameras(ctx: CallContext, e: ArchiveEntry): Promise<OgcFeature[]> {
    const q = { site: e.site, sector: e.sector, period: e.period, pad_id: e.pad.pad_id, mosaic_type: 'optical' as const }
    const collection = await this.mosaic.cameras(ctx, q)
    return collection.features.map(({ geometry, properties: p }, i) =>
      feature(
        `${e.pad.pad_id}.${e.period}.${i + 1}`,
        geometry,
        { site: e.site, sector: e.sector, period: e.period, pad_id: e.pad.pad_id },
        {
          filename: p.filename,
          image_id: p.image_id,
          thermal_filename: p.thermal_filename,
          altitude: p.altitude,
          yaw: p.yaw,
          pitch: p.pitch,
          temp_min: p.temp_min,
          temp_max: p.temp_max
        }
      )
    )
  }

  private async regions(ctx: CallContext, site: string, sector: string, period: string): Promise<OgcFeature[]> {
    const list = await this.lineLoss.survey(ctx, { site, sector, period })
    return list.measurements.flatMap((m) => {
      const padId = typeof m.pad_id === 'string' ? m.pad_id : null
      return regionCollection(m).features.map((r, i) =>
        feature(`${padId ?? 'unknown'}.${period}.${i + 1}`, r.geometry, { site, sector, period, pad_id: padId }, r.properties)
      )
    })
  }
}

/** Whether a feature's geometry meets the request's bbox (as a polygon): points, lines and polygons alike. */
function touches(g: Geometry, area: Geometry): boolean {
  const rings = area.type === 'Polygon' ? [area.coordinates] : area.type === 'MultiPolygon' ? area.coordinates : []
  const box = bboxOf(positionsOf(g))
  return rings.some((polygon) => intersectsPolygon(g, polygon, box))
}
