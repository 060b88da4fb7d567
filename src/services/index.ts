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
import type { Config } from '../config.js'
import { AnalyticsService } from './analytics-service.js'
import { ArchiveIndex } from './archive-index.js'
import { CatalogService } from './catalog-service.js'
import { DiscoveryService } from './discovery-service.js'
import { ExportService } from './export-service.js'
import { HeatLossService } from './heat-loss-service.js'
import { FeaturesService } from './features-service.js'
import { ImageRecords } from './image-records.js'
import { ImagesService } from './images-service.js'
import { LineLossService } from './line-loss-service.js'
import { MosaicService } from './mosaic-service.js'
import { ConcurrencyLimit } from './concurrency-limit.js'
import { ClientBudget } from './client-budget.js'
import { inThreadPdfRenderer, type PdfRenderer } from './pdf-pool.js'
import { CachedPresigner } from './presigner.js'
import { HealthService } from './health-service.js'
import { StacService } from './stac-service.js'
import { StatsService } from './stats-service.js'
import { GeoTiffStore } from '../tiles/geotiff.js'
import type { LookupObserver } from '../cache/ttl-cache.js'
import { TileReader } from '../tiles/reader.js'
import { TileService } from '../tiles/tile-service.js'
import { SurveyIndex } from './survey-index.js'
import { ViewerService } from './viewer-service.js'

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
  heatLoss: HeatLossService
  health: HealthService
  tiles: TileService
  /** STAC API and OGC API – Features over the archive index. */
  stac: StacService
  features: FeaturesService
  /** The in-process caches behind the services: off until configured (see plugins/http-cache.ts). */
  caches: ServiceCaches
  /** The limit on uncached pad-level loads, shared by mosaic and stats; its load is a metric. */
  padLoads: ConcurrencyLimit
  /** The built web viewer served at /app/. */
  viewer: ViewerService
}

/** The settings the services read: the validated Config's own fields, so EnvSchema holds every default. */
export type ServicesConfig = Pick<
  Config,
  | 'aws'
  | 'presignExpiresSeconds'
  | 'readyCacheMs'
  | 'padLoadConcurrency'
  | 'hotspotThresholdsC'
  | 'pipeDiametersM'
  | 'heatLossFallbacks'
  | 'tiles'
  | 'reports'
  | 'viewer'
  | 'basePath'
>

interface ServiceDeps {
  doc: DynamoDBDocumentClient
  dynamodb: DynamoDBClient
  s3: S3Client
  config: ServicesConfig
  /** Items per DynamoDB page; unset in production (1 MB pages). Tests set it to force many pages. */
  pageLimit?: number
  /** Caches to use; by default a set that is off (every lookup loads). */
  caches?: ServiceCaches
  /** Clock for presigning and for the remaining life of cached URLs (tests). */
  now?: () => number
  /** Where presigned URLs point when not where `s3` sends (AwsClients.signerFor). */
  signerFor?: SignerFor
  /** Cache metrics of the tile service. */
  onTileCacheLookup?: LookupObserver
  /** Renders PDF reports; the app passes its worker pool, others render in their own thread. */
  pdf?: PdfRenderer
}

export function createServices(deps: ServiceDeps): Services {
  const { config } = deps
  const pads = new PadsRepository(deps.doc, config.aws.padsTable, deps.pageLimit)
  const images = new ImagesRepository(deps.doc, config.aws.imagesTable, deps.pageLimit)
  const store = new BucketStore(deps.s3, config.aws.bucket, config.presignExpiresSeconds, deps.now, deps.signerFor)
  const caches = deps.caches ?? new ServiceCaches()
  // One limit shared by every kind of pad-level load.
  const padLoads = new ConcurrencyLimit(config.padLoadConcurrency)
  const presigner = new CachedPresigner(store, caches, config.presignExpiresSeconds, deps.now)
  const records = new ImageRecords(images, caches)
  const thresholds = config.hotspotThresholdsC
  const surveys = new SurveyIndex(images, caches, padLoads)
  const discovery = new DiscoveryService(pads, images, store, caches)
  const mosaic = new MosaicService(surveys, presigner, store, caches, padLoads)
  // The generated reports show the heat loss, which reads the measurements through the line-loss service.
  const lineLoss: LineLossService = new LineLossService(
    new MeasurementsRepository(deps.doc, config.aws.measurementsTable),
    discovery,
    store,
    presigner,
    caches,
    deps.pdf ?? inThreadPdfRenderer,
    new ClientBudget(config.reports.clientMaxCost),
    (ctx, p) => heatLoss.estimate(ctx, p)
  )
  const heatLoss = new HeatLossService(lineLoss, surveys, caches, config.pipeDiametersM, config.heatLossFallbacks)
  const analytics = new AnalyticsService(surveys, discovery, caches, thresholds, heatLoss)
  const tiles = new TileService(
    new TileReader(new GeoTiffStore(deps.s3, config.aws.bucket), {
      cacheBytes: config.tiles.cacheMb * 1024 * 1024,
      overviewCacheBytes: config.tiles.overviewCacheMb * 1024 * 1024,
      headerTtlMs: config.tiles.headerTtlSeconds * 1000,
      onLookup: deps.onTileCacheLookup,
      attachTo: caches
    }),
    new ConcurrencyLimit(config.tiles.renderConcurrency, {
      maxWaiting: config.tiles.renderQueue,
      busyMessage: 'the server is busy rendering; retry later'
    })
  )
  const archive = new ArchiveIndex(discovery, caches)
  return {
    discovery,
    mosaic,
    images: new ImagesService(records, presigner, store, caches),
    lineLoss,
    heatLoss,
    stats: new StatsService(surveys, records, caches),
    analytics,
    catalog: new CatalogService(discovery, caches),
    exports: new ExportService(discovery, mosaic, analytics, surveys, thresholds),
    surveys,
    health: new HealthService(
      new StoreProbes(deps.dynamodb, deps.s3, [config.aws.imagesTable, config.aws.padsTable], config.aws.bucket),
      config.readyCacheMs
    ),
    tiles,
    stac: new StacService(archive, discovery, surveys, lineLoss, tiles, presigner, thresholds),
    features: new FeaturesService(archive, surveys, mosaic, lineLoss, records, caches, thresholds),
    caches,
    padLoads,
    viewer: new ViewerService(
      config.viewer.dir,
      { apiBaseUrl: config.basePath, basemapStyleUrl: config.viewer.basemapStyleUrl ?? null },
      store
    )
  }
}
