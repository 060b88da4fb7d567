import type { PadList } from '../../schemas/discovery.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { completeOf, padMosaics, type PadMosaics } from '../domain/completeness.js'
import { periodPrefix } from '../domain/keys.js'
import { ascending, naturalCompare } from '../domain/natural-sort.js'
import { normalisePad, padSector, padSite } from '../domain/pads.js'
import type { PadItem } from '../domain/records.js'
import type { ImagesRepository } from '../data/images-repository.js'
import type { BucketStore } from '../data/bucket-store.js'
import type { PadsRepository } from '../data/pads-repository.js'
import type { CallContext } from '../call-context.js'

/**
 * Cold costs, whatever the size of the archive: sites and sectors one Scan of the
 * small pads table (shared by both, one page per MB of pads), periods one
 * single-item Query per period plus one, pads one Query (plus one listing page
 * of the period prefix with `period`). Results are cached (`discovery`).
 */
export class DiscoveryService {
  constructor(
    private readonly pads: PadsRepository,
    private readonly images: ImagesRepository,
    private readonly store: BucketStore,
    private readonly caches: ServiceCaches
  ) {}

  /** Ids, names, site and sector attributes of every pad: one scan, shared by the site and sector lists and the catalog. */
  padItems(ctx: CallContext): Promise<PadItem[]> {
    return this.caches.discovery.get('pad-locations', () => this.pads.scanLocations(ctx))
  }

  async listSites(ctx: CallContext): Promise<string[]> {
    return this.caches.discovery.get('sites', async () => {
      const sites = new Set<string>()
      for (const item of await this.padItems(ctx)) {
        const site = padSite(item)
        if (site) sites.add(site)
      }
      return [...sites].sort(ascending)
    })
  }

  async listSectors(ctx: CallContext, site: string): Promise<string[]> {
    return this.caches.discovery.get(`sectors|${site}`, async () => {
      const sectors = new Set<string>()
      for (const item of await this.padItems(ctx)) {
        const sector = padSector(item)
        if (padSite(item) === site && sector) sectors.add(sector)
      }
      return [...sectors].sort(ascending)
    })
  }

  /** Newest first; `YYYYMMDD-SUFFIX` sorts after its plain day, as the strings do. */
  async listPeriods(ctx: CallContext, site: string, sector: string): Promise<string[]> {
    return this.caches.discovery.get(`periods|${site}|${sector}`, async () => {
      const periods = await this.images.listPeriods(ctx, site, sector)
      return periods.sort((a, b) => ascending(b, a))
    })
  }

  /**
   * Pads of a sector; with a period, only pads whose viewer mosaics are complete.
   * Completeness costs one listing of the period prefix, whatever the pad count.
   */
  async listPads(ctx: CallContext, site: string, sector: string, period?: string): Promise<PadList> {
    if (period === undefined) return this.sectorPads(ctx, site, sector)
    return this.caches.discovery.get(`pads|${site}|${sector}|${period}`, async () => {
      const [pads, complete] = await Promise.all([this.sectorPads(ctx, site, sector), this.completePadIds(ctx, site, sector, period)])
      return pads.filter((pad) => complete.has(pad.pad_id))
    })
  }

  /** Every pad of a sector, in natural order of `pad_name`; inconsistent items are skipped with a warning. */
  sectorPads(ctx: CallContext, site: string, sector: string): Promise<PadList> {
    return this.caches.discovery.get(`pads|${site}|${sector}|`, async () => {
      const pads: PadList = []
      for (const item of await this.pads.listBySiteSector(ctx, site, sector)) {
        const result = normalisePad(item)
        if ('rejected' in result) {
          ctx.log.warn({ pad_id: item.pad_id, reason: result.rejected }, 'skipping inconsistent pad item')
          continue
        }
        pads.push(result.pad)
      }
      return pads.sort((a, b) => naturalCompare(a.pad_name, b.pad_name))
    })
  }

  /** Ids of the pads with complete viewer mosaics in a period: from the one listing of the period prefix. */
  completePadIds(ctx: CallContext, site: string, sector: string, period: string): Promise<ReadonlySet<string>> {
    return this.caches.discovery.get(`complete|${site}|${sector}|${period}`, async () =>
      completeOf(await this.padMosaics(ctx, site, sector, period))
    )
  }

  /** The viewer files of each pad in a period (which orthophotos and shots exist): one listing of the period prefix. */
  padMosaics(ctx: CallContext, site: string, sector: string, period: string): Promise<ReadonlyMap<string, PadMosaics>> {
    // Validates the parts before anything is cached under them.
    const prefix = periodPrefix(site, sector, period)
    return this.caches.discovery.get(`mosaics|${site}|${sector}|${period}`, async () =>
      padMosaics(prefix, await this.store.listKeys(ctx, prefix))
    )
  }
}
