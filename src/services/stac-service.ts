import { MOSAIC_TYPES, type MosaicType, type PresignedUrl } from '../../schemas/common.js'
import { GEOJSON } from '../../schemas/exports.js'
import type { CallContext } from '../call-context.js'
import { bboxesIntersect, bboxGeometry, bboxOf, intersectsPolygon, positionsOf, unionOf } from '../domain/geometry.js'
import { orthophotoKey, shotsKey } from '../domain/keys.js'
import {
  STAC_LIMIT_DEFAULT,
  type StacAssetKey,
  type StacCollection,
  type StacItem,
  type StacItemCollection,
  type StacItemsQuery,
  type StacLanding,
  type StacLink,
  type StacSearchBody,
  type StacSearchQuery
} from '../../schemas/stac.js'
import { encodeToken, filterFromBody, filterFromQuery, inRange, tokenKey, type ItemFilter, type Where } from '../domain/search-params.js'
import {
  collection,
  item,
  itemId,
  collectionId,
  landing,
  shotsType,
  splitItemId,
  splitCollectionId,
  type ItemFacts
} from '../domain/stac-items.js'
import type { Thresholds } from '../domain/hotspots.js'
import { padFigures } from '../domain/survey-stats.js'
import { padImages } from '../domain/survey.js'
import type { RasterFacts } from '../domain/tiles/footprint.js'
import { HttpError, NotFoundError } from '../errors.js'
import type { TileService } from '../tiles/tile-service.js'
import { compareKeys, entryKey, type ArchiveEntry, type ArchiveIndex, type ArchiveSector, type EntryKey } from './archive-index.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { DiscoveryService } from './discovery-service.js'
import type { LineLossService } from './line-loss-service.js'
import type { CachedPresigner } from './presigner.js'
import type { SurveyIndex } from './survey-index.js'

/** Where a page starts and how long it is; the key is the last entry of the page before. */
export interface PageRequest {
  limit: number
  after?: EntryKey
}

/** How the links of a page are made: the request's own URL, and the `next` link from a token. */
export interface PageLinks {
  self: string
  next: (token: string) => StacLink
}

/** Items per page unless `limit` says otherwise; validation has already clamped a larger value. */
function pageOf(limit: number | undefined, token: string | undefined, where: Where): PageRequest {
  return { limit: limit ?? STAC_LIMIT_DEFAULT, after: tokenKey(token, where)?.slice(0, 5) as EntryKey | undefined }
}

/** Orthophoto headers read at once for one page. */
const HEADER_READS = 4

/** The test an archive entry must pass; the filter's geometry and its box are worked out once, not per entry. */
function matcher(f: ItemFilter): (e: ArchiveEntry) => boolean {
  const spatial = f.intersects ?? (f.bbox ? bboxGeometry(f.bbox) : undefined)
  const spatialBox = spatial && bboxOf(positionsOf(spatial))
  return (e) => {
    if (f.collections && f.collections.length > 0 && !f.collections.includes(collectionId(e.site, e.sector))) return false
    if (f.ids && f.ids.length > 0 && !f.ids.includes(itemId(e.pad.pad_id, e.period))) return false
    if (f.datetime && !inRange(e.time, f.datetime)) return false
    if (spatial) {
      if (!e.polygon || !e.bbox) return false
      if (f.bbox && !bboxesIntersect(f.bbox, e.bbox)) return false
      if (!intersectsPolygon(spatial, e.polygon.coordinates, spatialBox)) return false
    }
    return true
  }
}

/**
 * STAC API 1.0.0 over the archive index. A page of Items costs, cold, what the
 * endpoints it draws from cost: the archive (as `/api/catalog` and `/api/pads`),
 * then per survey on the page its index Query, its measurements Query and its
 * reports listing, and per orthophoto its header (as `/api/mosaic/info`). Every
 * one of them is cached: a warm page makes no AWS call.
 */
export class StacService {
  constructor(
    private readonly archive: ArchiveIndex,
    private readonly discovery: DiscoveryService,
    private readonly surveys: SurveyIndex,
    private readonly lineLoss: LineLossService,
    private readonly tiles: TileService,
    private readonly presigner: CachedPresigner,
    private readonly thresholds: Thresholds
  ) {}

  /** The landing page: its child links need the Collections' ids only, the pads-table Scan. */
  async landing(ctx: CallContext, base: string): Promise<StacLanding> {
    return landing(base, await this.archive.sectorIds(ctx))
  }

  async collections(ctx: CallContext, base: string): Promise<StacCollection[]> {
    return (await this.archive.get(ctx)).sectors.map((s) => this.collectionOf(base, s))
  }

  async collection(ctx: CallContext, base: string, id: string): Promise<StacCollection> {
    return this.collectionOf(base, await this.sector(ctx, id))
  }

  /** One Collection's part of the archive, loaded alone. */
  private async sector(ctx: CallContext, id: string): Promise<ArchiveSector> {
    const found = (await this.archive.get(ctx, (site, sector) => collectionId(site, sector) === id)).sectors[0]
    if (!found) throw new NotFoundError(`collection '${id}' not found`)
    return found
  }

  private collectionOf(base: string, s: ArchiveSector): StacCollection {
    const times = s.entries.map((e) => e.datetime).sort()
    return collection(base, {
      site: s.site,
      sector: s.sector,
      bbox: unionOf(s.entries.flatMap((e) => (e.bbox ? [e.bbox] : []))),
      first: times[0],
      last: times[times.length - 1],
      itemCount: s.entries.length
    })
  }

  async item(ctx: CallContext, base: string, cid: string, id: string): Promise<StacItem> {
    const sector = await this.sector(ctx, cid)
    const entry = sector.entries.find((e) => itemId(e.pad.pad_id, e.period) === id)
    if (!entry) throw new NotFoundError(`item '${id}' not found in collection '${cid}'`)
    return (await this.build(ctx, base, [entry]))[0]!
  }

  /** The Items of one Collection: a search limited to it, after checking it exists. */
  async collectionItems(ctx: CallContext, base: string, cid: string, q: StacItemsQuery, links: PageLinks): Promise<StacItemCollection> {
    // A bad parameter is a 400 before any AWS call.
    const filter = filterFromQuery({ bbox: q.bbox, datetime: q.datetime })
    const page = pageOf(q.limit, q.token, 'query')
    await this.sector(ctx, cid)
    return this.search(ctx, base, { ...filter, collections: [cid] }, page, links)
  }

  /** `GET /stac/search`. */
  searchQuery(ctx: CallContext, base: string, q: StacSearchQuery, links: PageLinks): Promise<StacItemCollection> {
    const { limit, token, ...filters } = q
    return this.search(ctx, base, filterFromQuery(filters), pageOf(limit, token, 'query'), links)
  }

  /** `POST /stac/search`: the `next` link POSTs the same body with the next token. */
  searchBody(ctx: CallContext, base: string, body: StacSearchBody): Promise<StacItemCollection> {
    const href = `${base}/stac/search`
    return this.search(ctx, base, filterFromBody(body), pageOf(body.limit, body.token, 'body'), {
      self: href,
      next: (token) => ({ rel: 'next', href, type: GEOJSON, method: 'POST', body: { ...body, token }, merge: false })
    })
  }

  private async search(
    ctx: CallContext,
    base: string,
    filter: ItemFilter,
    page: PageRequest,
    links: PageLinks
  ): Promise<StacItemCollection> {
    const wanted = filter.collections && filter.collections.length > 0 ? filter.collections : undefined
    const archive = await this.archive.get(ctx, (site, sector) => wanted === undefined || wanted.includes(collectionId(site, sector)))
    const matched = archive.entries.filter(matcher(filter))
    const after = page.after
    const start = after === undefined ? 0 : matched.findIndex((e) => compareKeys(entryKey(e), after) > 0)
    const slice = start < 0 ? [] : matched.slice(start, start + page.limit)
    const features = await this.build(ctx, base, slice)
    const last = slice[slice.length - 1]
    const more = start >= 0 && start + page.limit < matched.length && last !== undefined
    return {
      type: 'FeatureCollection',
      features,
      links: [
        { rel: 'self', href: links.self, type: GEOJSON },
        { rel: 'root', href: `${base}/stac`, type: 'application/json' },
        ...(more ? [links.next(encodeToken([...entryKey(last), 0]))] : [])
      ],
      numberMatched: matched.length,
      numberReturned: features.length
    }
  }

  /** Items of archive entries, with the facts of their surveys and orthophotos loaded once per page. */
  private async build(ctx: CallContext, base: string, entries: readonly ArchiveEntry[]): Promise<StacItem[]> {
    const surveyKeys = [...new Set(entries.map((e) => `${e.site}|${e.sector}|${e.period}`))]
    const loaded = new Map(
      await Promise.all(
        surveyKeys.map(async (key) => {
          const [site, sector, period] = key.split('|') as [string, string, string]
          const [survey, measurements, reports] = await Promise.all([
            this.surveys.get(ctx, site, sector, period),
            this.lineLoss.survey(ctx, { site, sector, period }),
            this.lineLoss.reportFiles(ctx, { site, sector, period })
          ])
          return [key, { survey, measurements, reports }] as const
        })
      )
    )
    const reads = new ConcurrencyLimit(HEADER_READS)
    const rasters = await Promise.all(
      entries.map(async (e) => {
        const out: Partial<Record<MosaicType, RasterFacts>> = {}
        await Promise.all(
          e.orthophotos.map(async (type) => {
            const facts = await reads.run(() => this.raster(ctx, e, type))
            if (facts) out[type] = facts
          })
        )
        return out
      })
    )
    return entries.map((e, i) => {
      const { survey, measurements, reports } = loaded.get(`${e.site}|${e.sector}|${e.period}`)!
      const records = padImages(survey, e.pad.pad_id)
      const facts: ItemFacts = {
        site: e.site,
        sector: e.sector,
        period: e.period,
        padId: e.pad.pad_id,
        padName: e.pad.pad_name,
        datetime: e.datetime,
        geometry: e.polygon,
        bbox: e.bbox,
        orthophotos: e.orthophotos,
        shots: e.shots,
        figures: records.length > 0 ? padFigures(records, survey.reference, this.thresholds) : undefined,
        measurement: measurements.measurements.find((m) => m.pad_id === e.pad.pad_id),
        reports,
        rasters: rasters[i]!
      }
      return item(base, facts)
    })
  }

  /** An orthophoto's grid, or nothing when its header cannot be read (the Item then says less, and still lists it). */
  private async raster(ctx: CallContext, e: ArchiveEntry, type: MosaicType): Promise<RasterFacts | undefined> {
    try {
      return await this.tiles.raster(ctx, { site: e.site, sector: e.sector, period: e.period, pad_id: e.pad.pad_id, mosaic_type: type })
    } catch (err) {
      if (!(err instanceof HttpError) || err.statusCode >= 500) throw err
      ctx.log.warn({ pad_id: e.pad.pad_id, period: e.period, mosaic_type: type, err: err.message }, 'orthophoto header not readable')
      return undefined
    }
  }

  /**
   * A fresh presigned URL of an Item's file, for the asset href's redirect. The
   * survey's mosaics listing (or its reports listing) says whether it exists; the
   * signing itself is local.
   */
  async assetUrl(ctx: CallContext, cid: string, id: string, key: StacAssetKey): Promise<PresignedUrl> {
    const { site, sector } = splitCollectionId(cid)
    const { padId, period } = splitItemId(id)
    const loc = { site, sector, period, pad_id: padId }
    const missing = () => new NotFoundError(`item '${id}' of collection '${cid}' has no asset '${key}'`)
    let s3Key: string | undefined
    if ((MOSAIC_TYPES as readonly string[]).includes(key) || key === 'shots') {
      const files = (await this.discovery.padMosaics(ctx, site, sector, period)).get(padId)
      if (key === 'shots') {
        const type = files ? shotsType([...files.shots]) : undefined
        s3Key = type && shotsKey(loc, type)
      } else if (files?.orthophotos.has(key as MosaicType)) {
        s3Key = orthophotoKey(loc, key as MosaicType)
      }
    } else {
      const files = await this.lineLoss.reportFiles(ctx, { site, sector, period })
      const entry = (await this.discovery.padMosaics(ctx, site, sector, period)).get(padId)
      const file = key === 'line_loss_report' ? files.pdf : key === 'line_loss_report_csv' ? files.csv : files.visual_pdf
      s3Key = entry ? file : undefined
    }
    if (!s3Key) throw missing()
    return this.presigner.presign(s3Key, ctx.publicHost)
  }
}
