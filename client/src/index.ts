import createClient, { type Client, type ClientOptions } from 'openapi-fetch'
import type { components, operations, paths } from './schema.js'

export type { components, operations, paths }
export type Schemas = components['schemas']
export type Pad = Schemas['Pad']
export type CameraCollection = Schemas['CameraCollection']
export type CameraFeature = Schemas['CameraFeature']
export type PresignedUrl = Schemas['PresignedUrl']
export type ThermalStats = Schemas['ThermalStats']
export type CoverageStats = Schemas['CoverageStats']
export type MosaicMetadata = Schemas['MosaicMetadata']
export type ThermalImageUrl = Schemas['ThermalImageUrl']
export type DatasetTemperatureRange = Schemas['DatasetTemperatureRange']
export type Measurement = Schemas['Measurement']
export type MeasurementList = Schemas['MeasurementList']
export type RegionCollection = Schemas['RegionCollection']
export type ReportLinks = Schemas['ReportLinks']
export type ApiError = Schemas['Error']

export interface ThermalClientOptions {
  /** Where the API is mounted, e.g. `https://example.com/viewer`. */
  baseUrl: string
  /** A fetch implementation; defaults to the global one. */
  fetch?: ClientOptions['fetch']
  /** Headers sent with every request, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>
}

export type ThermalClient = Client<paths>

/**
 * A typed client: paths, parameters and response bodies all come from the
 * OpenAPI document, so `client.GET('/api/pads', { params: { query: { site, sector } } })`
 * is checked at compile time.
 */
export function createThermalClient(options: ThermalClientOptions): ThermalClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
    headers: options.headers
  })
}
