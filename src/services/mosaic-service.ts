import type { MosaicMetadata, MosaicQuery } from '../../schemas/index.js'
import { enrichShots, parseShots, type EnrichedCollection } from '../domain/enrich.js'
import { orthophotoKey, shotsKey } from '../domain/keys.js'
import { PROJECTIONS, type ImagesRepository } from '../data/images-repository.js'
import type { MosaicStore, Presigned } from '../data/mosaic-store.js'
import { NotFoundError } from '../errors.js'
import type { Logger } from './logger.js'

export class MosaicService {
  constructor(
    private readonly images: ImagesRepository,
    private readonly store: MosaicStore,
    private readonly log: Logger
  ) {}

  async metadata(q: MosaicQuery): Promise<MosaicMetadata> {
    const records = await this.images.listForPad(q.site, q.sector, q.period, q.pad_id, PROJECTIONS.metadata)
    const exists = records.some((r) => Boolean(r.processing_status?.mosaic_prep?.mosaic_s3_keys?.[q.mosaic_type]))
    return {
      exists,
      image_count: records.length,
      site: q.site,
      sector: q.sector,
      period: q.period,
      pad_id: q.pad_id,
      mosaic_type: q.mosaic_type
    }
  }

  /** A URL for the GeoTIFF. As in the PRD it is signed without checking the object exists. */
  orthomosaicUrl(q: MosaicQuery): Promise<Presigned> {
    return this.store.presign(orthophotoKey(q, q.mosaic_type))
  }

  /** ODM camera positions joined with the pad's image records. */
  async cameras(q: MosaicQuery): Promise<EnrichedCollection> {
    const key = shotsKey(q, q.mosaic_type)
    const [body, records] = await Promise.all([
      this.store.getJson(key),
      this.images.listForPad(q.site, q.sector, q.period, q.pad_id, PROJECTIONS.cameras)
    ])
    if (body === undefined) {
      throw new NotFoundError(`no ${q.mosaic_type} shots.geojson for pad_id '${q.pad_id}' in period '${q.period}'`)
    }
    const shots = parseShots(body)
    const collection = enrichShots(shots, records)
    const unmatched = collection.features.filter((f) => f.properties.image_id === null).length
    if (unmatched > 0) this.log.debug({ key, unmatched, shots: shots.length }, 'shots without an image record')
    return collection
  }
}
