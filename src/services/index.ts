import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'
import { ServiceCaches } from '../cache/service-caches.js'
import { ImagesRepository } from '../data/images-repository.js'
import { BucketStore } from '../data/bucket-store.js'
import { MeasurementsRepository } from '../data/measurements-repository.js'
import { PadsRepository } from '../data/pads-repository.js'
import { StoreProbes } from '../data/store-probes.js'
import { DiscoveryService } from './discovery-service.js'
import { ImageRecords } from './image-records.js'
import { ImagesService } from './images-service.js'
import { LineLossService } from './line-loss-service.js'
import { MosaicService } from './mosaic-service.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import { CachedPresigner } from './presigner.js'
import { HealthService } from './health-service.js'
import { StatsService } from './stats-service.js'

export interface Services {
  discovery: DiscoveryService
  mosaic: MosaicService
  images: ImagesService
  stats: StatsService
  lineLoss: LineLossService
  health: HealthService
  /** The in-process caches behind the services: off until configured (see plugins/http-cache.ts). */
  caches: ServiceCaches
  /** The limit on uncached pad-level loads, shared by mosaic and stats; its load is a metric. */
  padLoads: ConcurrencyLimit
}

interface ServiceDeps {
  doc: DynamoDBDocumentClient
  dynamodb: DynamoDBClient
  s3: S3Client
  bucket: string
  imagesTable: string
  padsTable: string
  measurementsTable: string
  presignExpiresSeconds: number
  readyCacheMs: number
  /** Uncached pad-level loads at once (default 8). */
  padLoadConcurrency?: number
  /** Caches to use; by default a set that is off (every lookup loads). */
  caches?: ServiceCaches
  /** Clock for presigning and for the remaining life of cached URLs (tests). */
  now?: () => number
}

export function createServices(deps: ServiceDeps): Services {
  const pads = new PadsRepository(deps.doc, deps.padsTable)
  const images = new ImagesRepository(deps.doc, deps.imagesTable)
  const store = new BucketStore(deps.s3, deps.bucket, deps.presignExpiresSeconds, deps.now)
  const caches = deps.caches ?? new ServiceCaches()
  // One limit shared by every kind of pad-level load.
  const padLoads = new ConcurrencyLimit(deps.padLoadConcurrency ?? 8)
  const presigner = new CachedPresigner(store, caches, deps.presignExpiresSeconds, deps.now)
  const records = new ImageRecords(images, caches)
  const discovery = new DiscoveryService(pads, images, store, caches)
  const measurements = new MeasurementsRepository(deps.doc, deps.measurementsTable)
  return {
    discovery,
    mosaic: new MosaicService(images, presigner, store, caches, padLoads),
    images: new ImagesService(records, presigner, store, caches),
    lineLoss: new LineLossService(measurements, discovery, store, presigner, caches),
    stats: new StatsService(images, records, caches, padLoads),
    health: new HealthService(new StoreProbes(deps.dynamodb, deps.s3, [deps.imagesTable, deps.padsTable], deps.bucket), deps.readyCacheMs),
    caches,
    padLoads
  }
}
