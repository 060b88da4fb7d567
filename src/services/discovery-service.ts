import type { PadList } from '../../schemas/discovery.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { completePads } from '../domain/completeness.js'
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

  /** Site and sector attributes of every pad: one scan, shared by the site and sector lists. */
  private locations(ctx: CallContext): Promise<PadItem[]> {
    return this.caches.discovery.get('pad-locations', () => this.pads.scanLocations(ctx))
  }

  async listSites(ctx: CallContext): Promise<string[]> {
    return this.caches.discovery.get('sites', async () => {
      const sites = new Set<string>()
      for (const item of await this.locations(ctx)) {
        const site = padSite(item)
        if (site) sites.add(site)
      }
      return [...sites].sort(ascending)
    })
  }

  async listSectors(ctx: CallContext, site: string): Promise<string[]> {
    return this.caches.discovery.get(`sectors|${site}`, async () => {
      const sectors = new Set<string>()
      for (const item of await this.locations(ctx)) {
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
    // Validates the parts before anything is cached under them.
    const prefix = period === undefined ? undefined : periodPrefix(site, sector, period)
    return this.caches.discovery.get(`pads|${site}|${sector}|${period ?? ''}`, async () => {
      const [items, keys] = await Promise.all([
        this.pads.listBySiteSector(ctx, site, sector),
        prefix === undefined ? Promise.resolve(undefined) : this.store.listKeys(ctx, prefix)
      ])
      const complete = prefix !== undefined && keys ? completePads(prefix, keys) : undefined

      const pads: PadList = []
      for (const item of items) {
        const result = normalisePad(item)
        if ('rejected' in result) {
          ctx.log.warn({ pad_id: item.pad_id, reason: result.rejected }, 'skipping inconsistent pad item')
          continue
        }
        if (complete && !complete.has(result.pad.pad_id)) continue
        pads.push(result.pad)
      }
      return pads.sort((a, b) => naturalCompare(a.pad_name, b.pad_name))
    })
  }
}
