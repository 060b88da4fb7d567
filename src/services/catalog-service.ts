import type { Catalog } from '../../schemas/catalog.js'
import type { ServiceCaches } from '../cache/service-caches.js'
import { ascending, naturalCompare } from '../domain/natural-sort.js'
import type { Pad } from '../../schemas/discovery.js'
import { normalisePad, padSector, padSite } from '../domain/pads.js'
import { NotFoundError } from '../errors.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import type { CallContext } from '../call-context.js'
import type { DiscoveryService } from './discovery-service.js'

/** Period lists and listings of one catalog request in flight at once. */
export const CATALOG_CONCURRENCY = 4

/**
 * The whole site → sector → period → complete pads tree in one response. Cold,
 * it costs the pads-table scan (shared with the site and sector lists), the
 * key-skipping period Queries of each sector and one listing per (sector,
 * period), a few at a time; all of it, and the tree, are cached (`discovery`).
 */
export class CatalogService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly caches: ServiceCaches
  ) {}

  async catalog(ctx: CallContext, site?: string): Promise<Catalog> {
    return this.caches.discovery.get(`catalog|${site ?? ''}`, async () => {
      const tree = new Map<string, Map<string, Pad[]>>()
      for (const item of await this.discovery.padItems(ctx)) {
        const result = normalisePad(item)
        if ('rejected' in result) {
          ctx.log.warn({ pad_id: item.pad_id, reason: result.rejected }, 'skipping inconsistent pad item')
          continue
        }
        const itemSite = padSite(item)!
        const sector = padSector(item)!
        if (site !== undefined && itemSite !== site) continue
        let sectors = tree.get(itemSite)
        if (!sectors) tree.set(itemSite, (sectors = new Map<string, Pad[]>()))
        let pads = sectors.get(sector)
        if (!pads) sectors.set(sector, (pads = []))
        pads.push(result.pad)
      }
      if (site !== undefined && !tree.has(site)) throw new NotFoundError(`site '${site}' not found`)

      const limit = new ConcurrencyLimit(CATALOG_CONCURRENCY)
      const sectors = [...tree]
        .sort(([a], [b]) => ascending(a, b))
        .flatMap(([s, bySector]) =>
          [...bySector]
            .sort(([a], [b]) => ascending(a, b))
            .map(([sector, pads]) => ({ site: s, sector, pads: pads.sort((a, b) => naturalCompare(a.pad_name, b.pad_name)) }))
        )
      const periods = await Promise.all(sectors.map((x) => limit.run(() => this.discovery.listPeriods(ctx, x.site, x.sector))))
      const surveys = sectors.flatMap((x, i) => periods[i]!.map((period) => ({ ...x, period })))
      const complete = await Promise.all(
        surveys.map((x) => limit.run(() => this.discovery.completePadIds(ctx, x.site, x.sector, x.period)))
      )

      // `surveys` lists the periods in the order of `sectors`, so one running index pairs them up.
      const out: Catalog = { sites: [] }
      let k = 0
      sectors.forEach((x, i) => {
        let siteEntry = out.sites[out.sites.length - 1]
        if (siteEntry?.site !== x.site) out.sites.push((siteEntry = { site: x.site, sectors: [] }))
        siteEntry.sectors.push({
          sector: x.sector,
          periods: periods[i]!.map((period) => {
            const done = complete[k++]!
            return { period, pads: x.pads.filter((p) => done.has(p.pad_id)).map((p) => p.pad_id) }
          })
        })
      })
      return out
    })
  }
}
