import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'
import { ImagesRepository } from '../data/images-repository.js'
import { MosaicStore } from '../data/mosaic-store.js'
import { PadsRepository } from '../data/pads-repository.js'
import { DiscoveryService } from './discovery-service.js'
import { ImageService } from './image-service.js'
import type { Logger } from './logger.js'
import { MosaicService } from './mosaic-service.js'
import { ReadinessService } from './readiness-service.js'
import { StatsService } from './stats-service.js'

export interface Services {
  discovery: DiscoveryService
  mosaic: MosaicService
  images: ImageService
  stats: StatsService
  readiness: ReadinessService
}

export interface ServiceDeps {
  doc: DynamoDBDocumentClient
  dynamodb: DynamoDBClient
  s3: S3Client
  bucket: string
  imagesTable: string
  padsTable: string
  presignExpiresSeconds: number
  readyCacheMs: number
  log: Logger
}

export function createServices(deps: ServiceDeps): Services {
  const pads = new PadsRepository(deps.doc, deps.padsTable)
  const images = new ImagesRepository(deps.doc, deps.imagesTable)
  const store = new MosaicStore(deps.s3, deps.bucket, deps.presignExpiresSeconds)
  return {
    discovery: new DiscoveryService(pads, images, store, deps.log),
    mosaic: new MosaicService(images, store, deps.log),
    images: new ImageService(images, store),
    stats: new StatsService(images),
    readiness: new ReadinessService(
      deps.dynamodb,
      deps.s3,
      [deps.imagesTable, deps.padsTable],
      deps.bucket,
      deps.readyCacheMs,
      deps.log
    )
  }
}
