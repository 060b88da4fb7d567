import { ErrorSchema, MosaicTypeSchema, PaletteSchema } from './common.js'
import { PadListSchema, PadSchema, PeriodListSchema, PositionSchema, SectorListSchema, SiteListSchema } from './discovery.js'
import { ApiIndexSchema, DependencyCheckSchema, HealthSchema, ReadinessSchema } from './health.js'
import { DatasetTemperatureRangeSchema, RadiometricParamsSchema, ThermalImageUrlSchema, ThermalStatsSchema } from './images.js'
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
  MeasurementListSchema,
  MeasurementSchema,
  RegionCollectionSchema,
  RegionFeatureSchema,
  RegionMeasurementSchema,
  ReportLinksSchema
} from './line-loss.js'

export * from './common.js'
export * from './discovery.js'
export * from './health.js'
export * from './images.js'
export * from './mosaic.js'
export * from './stats.js'
export * from './line-loss.js'

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
  DatasetTemperatureRangeSchema,
  ThermalStatsSchema,
  ThermalImageUrlSchema,
  CoverageStatsSchema,
  RegionMeasurementSchema,
  MeasurementSchema,
  MeasurementListSchema,
  RegionFeatureSchema,
  RegionCollectionSchema,
  ReportLinksSchema,
  HealthSchema,
  DependencyCheckSchema,
  ReadinessSchema,
  ApiIndexSchema
] as const
