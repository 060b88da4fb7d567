import type { MosaicType } from '../../schemas/common.js'
import type { Pad } from '../../schemas/discovery.js'
import type { Polygon } from '../../schemas/exports.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import type { CallContext } from '../call-context.js'
import { padPolygon } from '../domain/exports.js'
import { bboxOf, type BBox } from '../domain/geometry.js'
import { ascending, naturalCompare } from '../domain/natural-sort.js'
import { padSector, padSite } from '../domain/pads.js'
import { periodDatetime } from '../domain/search-params.js'
import { CATALOG_CONCURRENCY } from './catalog-service.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { DiscoveryService } from './discovery-service.js'

/** One pad in one survey that has at least one orthophoto: a STAC Item, an OGC API pad feature. */
export interface ArchiveEntry {
  site: string
  sector: string
  period: string
  pad: Pad
  polygon: Polygon | null
  bbox: BBox | null
  /** `YYYY-MM-DDT00:00:00Z` of the period, and the same in epoch milliseconds. */
  datetime: string
  time: number
  orthophotos: readonly MosaicType[]
  shots: readonly MosaicType[]
}

/** One site and sector: a STAC Collection. */
export interface ArchiveSector {
  site: string
  sector: string
  /** Newest first, as `GET /api/periods`. */
  periods: readonly string[]
  pads: readonly Pad[]
  entries: readonly ArchiveEntry[]
}

export interface Archive {
  /** Site, then sector, ascending. */
  sectors: readonly ArchiveSector[]
  /** Every entry, in the walk order: site → sector → period (newest first) → pad (natural order). */
  entries: readonly ArchiveEntry[]
}

/** The walk order of entries, and of the sort keys in page tokens. */
export type EntryKey = [site: string, sector: string, period: string, padName: string, padId: string]
export const entryKey = (e: ArchiveEntry): EntryKey => [e.site, e.sector, e.period, e.pad.pad_name, e.pad.pad_id]

export function compareKeys(a: EntryKey, b: EntryKey): number {
  return ascending(a[0], b[0]) || ascending(a[1], b[1]) || ascending(b[2], a[2]) || naturalCompare(a[3], b[3]) || ascending(a[4], b[4])
}

/**
 * The archive as the STAC API and OGC API – Features walk it, built from the
 * same cached reads as `/api/catalog` and `/api/pads`: the pads-table Scan (sites
 * and sectors), per sector its pads (one Query, with the rings) and its periods
 * (the key-skipping Queries), and per survey one listing of its mosaics prefix.
 * No image is read: the figures of a pad come from the survey index when a page
 * shows it. Each sector is cached (`discovery`) on its own, so a warm search
 * costs no AWS call and a search of one Collection reads only its sector.
 */
export class ArchiveIndex {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly caches: ServiceCaches
  ) {}

  /** Every site and sector with pads, site then sector ascending: the pads-table Scan, shared with `/api/sites`. */
  async sectorIds(ctx: CallContext): Promise<{ site: string; sector: string }[]> {
    const bySite = new Map<string, Set<string>>()
    for (const item of await this.discovery.padItems(ctx)) {
      const [site, sector] = [padSite(item), padSector(item)]
      if (!site || !sector) continue
      let sectors = bySite.get(site)
      if (!sectors) bySite.set(site, (sectors = new Set()))
      sectors.add(sector)
    }
    return [...bySite]
      .sort(([a], [b]) => ascending(a, b))
      .flatMap(([site, sectors]) => [...sectors].sort(ascending).map((sector) => ({ site, sector })))
  }

  /**
   * The sectors `keep` selects (all by default), each loaded (and cached) on its
   * own: a request about one site or sector reads only that part of the archive.
   */
  async get(ctx: CallContext, keep: (site: string, sector: string) => boolean = () => true): Promise<Archive> {
    const pairs = (await this.sectorIds(ctx)).filter((p) => keep(p.site, p.sector))
    const limit = new ConcurrencyLimit(CATALOG_CONCURRENCY)
    const sectors = await Promise.all(
      pairs.map((p) => this.caches.discovery.get(`archive|${p.site}|${p.sector}`, () => this.sector(ctx, p.site, p.sector, limit)))
    )
    return { sectors, entries: sectors.flatMap((s) => s.entries) }
  }

  private async sector(ctx: CallContext, site: string, sector: string, limit: ConcurrencyLimit): Promise<ArchiveSector> {
    const [pads, periods] = await Promise.all([
      limit.run(() => this.discovery.sectorPads(ctx, site, sector)),
      limit.run(() => this.discovery.listPeriods(ctx, site, sector))
    ])
    const mosaics = await Promise.all(periods.map((period) => limit.run(() => this.discovery.padMosaics(ctx, site, sector, period))))
    const entries: ArchiveEntry[] = []
    periods.forEach((period, i) => {
      const datetime = periodDatetime(period)
      if (datetime === undefined) return
      for (const pad of pads) {
        const files = mosaics[i]!.get(pad.pad_id)
        if (!files || files.orthophotos.size === 0) continue
        const polygon = padPolygon(pad.geo_location_area)
        entries.push({
          site,
          sector,
          period,
          pad,
          polygon,
          bbox: polygon ? (bboxOf(polygon.coordinates[0]!) ?? null) : null,
          datetime,
          time: Date.parse(datetime),
          orthophotos: [...files.orthophotos].sort(),
          shots: [...files.shots].sort()
        })
      }
    })
    return { site, sector, periods, pads, entries }
  }
}
