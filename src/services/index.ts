import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'
import type { SignerFor } from '../aws/signers.js'
import { ServiceCaches } from '../cache/service-caches.js'
import { ImagesRepository } from '../data/images-repository.js'
import { BucketStore } from '../data/bucket-store.js'
import { MeasurementsRepository } from '../data/measurements-repository.js'
import { PadsRepository } from '../data/pads-repository.js'
import { StoreProbes } from '../data/store-probes.js'
import { DEFAULT_HOTSPOT_THRESHOLDS_C } from '../config.js'
import type { Thresholds } from '../domain/hotspots.js'
import { AnalyticsService } from './analytics-service.js'
import { CatalogService } from './catalog-service.js'
import { DiscoveryService } from './discovery-service.js'
import { ExportService } from './export-service.js'
import { ImageRecords } from './image-records.js'
import { ImagesService } from './images-service.js'
import { LineLossService } from './line-loss-service.js'
import { MosaicService } from './mosaic-service.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import { CachedPresigner } from './presigner.js'
import { HealthService } from './health-service.js'
import { StatsService } from './stats-service.js'
import { GeoTiffStore } from '../data/geotiff-source.js'
import type { LookupObserver } from '../cache/ttl-cache.js'
import { TileRaster } from './tile-raster.js'
import { TileService } from './tile-service.js'
import { SurveyIndex } from './survey-index.js'

export interface Services {
  discovery: DiscoveryService
  mosaic: MosaicService
  images: ImagesService
  stats: StatsService
  analytics: AnalyticsService
  catalog: CatalogService
  exports: ExportService
  /** Every image of a survey, shared by every pad-level and analytics endpoint. */
  surveys: SurveyIndex
  lineLoss: LineLossService
  health: HealthService
  tiles: TileService
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
  /** Items per DynamoDB page; unset in production (1 MB pages). Tests set it to force many pages. */
  pageLimit?: number
  /** ΔT severity thresholds (HOTSPOT_THRESHOLDS_C). */
  hotspotThresholdsC?: Thresholds
  /** Caches to use; by default a set that is off (every lookup loads). */
  caches?: ServiceCaches
  /** Clock for presigning and for the remaining life of cached URLs (tests). */
  now?: () => number
  /** Where presigned URLs point when not where `s3` sends (AwsClients.signerFor). */
  signerFor?: SignerFor
  /** Block cache size (default 64 MiB), header TTL (default 60 s) and cache metrics of the tile service. */
  tileCacheBytes?: number
  tileHeaderTtlMs?: number
  onTileCacheLookup?: LookupObserver
}

export function createServices(deps: ServiceDeps): Services {
  const pads = new PadsRepository(deps.doc, deps.padsTable, deps.pageLimit)
  const images = new ImagesRepository(deps.doc, deps.imagesTable, deps.pageLimit)
  const store = new BucketStore(deps.s3, deps.bucket, deps.presignExpiresSeconds, deps.now, deps.signerFor)
  const caches = deps.caches ?? new ServiceCaches()
  // One limit shared by every kind of pad-level load.
  const padLoads = new ConcurrencyLimit(deps.padLoadConcurrency ?? 8)
  const presigner = new CachedPresigner(store, caches, deps.presignExpiresSeconds, deps.now)
  const records = new ImageRecords(images, caches)
  const thresholds = deps.hotspotThresholdsC ?? DEFAULT_HOTSPOT_THRESHOLDS_C
  const surveys = new SurveyIndex(images, caches, padLoads)
  const discovery = new DiscoveryService(pads, images, store, caches)
  const mosaic = new MosaicService(surveys, presigner, store, caches, padLoads)
  const analytics = new AnalyticsService(surveys, discovery, caches, thresholds)
  return {
    discovery,
    mosaic,
    images: new ImagesService(records, presigner, store, caches),
    lineLoss: new LineLossService(new MeasurementsRepository(deps.doc, deps.measurementsTable), discovery, store, presigner, caches),
    stats: new StatsService(surveys, records, caches),
    analytics,
    catalog: new CatalogService(discovery, caches),
    exports: new ExportService(discovery, mosaic, analytics, surveys, thresholds),
    surveys,
    health: new HealthService(new StoreProbes(deps.dynamodb, deps.s3, [deps.imagesTable, deps.padsTable], deps.bucket), deps.readyCacheMs),
    tiles: new TileService(
      new TileRaster(new GeoTiffStore(deps.s3, deps.bucket), {
        cacheBytes: deps.tileCacheBytes ?? 64 * 1024 * 1024,
        headerTtlMs: deps.tileHeaderTtlMs ?? 60_000,
        onLookup: deps.onTileCacheLookup,
        attachTo: caches
      })
    ),
    caches,
    padLoads
  }
}
