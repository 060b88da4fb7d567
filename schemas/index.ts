import { ErrorSchema, MosaicTypeSchema, PaletteSchema } from './common.js'
import { PadListSchema, PadSchema, PeriodListSchema, PositionSchema, SectorListSchema, SiteListSchema } from './discovery.js'
import { ApiIndexSchema, DependencyCheckSchema, HealthSchema, ReadinessSchema } from './health.js'
import { RadiometricParamsSchema, ThermalStatsSchema } from './images.js'
import {
  CameraCollectionSchema,
  CameraFeatureSchema,
  CameraPropertiesSchema,
  MosaicMetadataSchema,
  PointSchema,
  PresignedUrlSchema
} from './mosaic.js'
import { CoverageStatsSchema } from './stats.js'
import {
  HotspotCollectionSchema,
  HotspotFeatureSchema,
  HotspotListSchema,
  HotspotSchema,
  PadTrendSchema,
  SeverityCountsSchema,
  SeveritySchema,
  SurveyPadSummarySchema,
  SurveySummarySchema,
  TrendPeriodSchema
} from './analytics.js'
import { CatalogSchema } from './catalog.js'
import { PadCollectionSchema, PadFeatureSchema, PolygonSchema } from './exports.js'

export * from './common.js'
export * from './discovery.js'
export * from './health.js'
export * from './images.js'
export * from './mosaic.js'
export * from './stats.js'
export * from './analytics.js'
export * from './catalog.js'
export * from './exports.js'

/**
 * Every named schema, registered once with `addSchema` so that routes can `$ref`
 * them and the OpenAPI document lists them under their own names.
 */
export const sharedSchemas = [
  ErrorSchema,
  MosaicTypeSchema,
  PaletteSchema,
  PositionSchema,
  SiteListSchema,
  SectorListSchema,
  PeriodListSchema,
  PadSchema,
  PadListSchema,
  MosaicMetadataSchema,
  PresignedUrlSchema,
  PointSchema,
  CameraPropertiesSchema,
  CameraFeatureSchema,
  CameraCollectionSchema,
  RadiometricParamsSchema,
  ThermalStatsSchema,
  CoverageStatsSchema,
  HealthSchema,
  DependencyCheckSchema,
  ReadinessSchema,
  ApiIndexSchema,
  SeveritySchema,
  SeverityCountsSchema,
  HotspotSchema,
  HotspotListSchema,
  HotspotFeatureSchema,
  HotspotCollectionSchema,
  TrendPeriodSchema,
  PadTrendSchema,
  SurveyPadSummarySchema,
  SurveySummarySchema,
  CatalogSchema,
  PolygonSchema,
  PadFeatureSchema,
  PadCollectionSchema
] as const
