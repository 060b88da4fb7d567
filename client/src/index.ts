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
export type Severity = Schemas['Severity']
export type Hotspot = Schemas['Hotspot']
export type HotspotList = Schemas['HotspotList']
export type HotspotCollection = Schemas['HotspotCollection']
export type PadTrend = Schemas['PadTrend']
export type SurveySummary = Schemas['SurveySummary']
export type Catalog = Schemas['Catalog']
export type PadCollection = Schemas['PadCollection']

export interface ThermalClientOptions {
  /** Where the API is mounted, e.g. `https://example.com/viewer`. */
  baseUrl: string
  /** A fetch implementation; defaults to the global one. */
  fetch?: ClientOptions['fetch']
  /** Headers sent with every request, e.g. `{ Authorization: 'Bearer …' }`. */
  headers?: Record<string, string>
}

/** A media type such as `application/json`, as openapi-fetch matches them. */
export type MediaType = `${string}/${string}`

export type ThermalClient<Media extends MediaType = 'application/json'> = Client<paths, Media>

/**
 * A typed client: paths, parameters and response bodies all come from the
 * OpenAPI document, so `client.GET('/api/pads', { params: { query: { site, sector } } })`
 * is checked at compile time. Bodies are typed as the JSON the endpoints send by
 * default; `createThermalClient<'application/geo+json'>(…)` types the GeoJSON
 * exports instead, and CSV or KML come as text with `parseAs: 'text'`.
 */
export function createThermalClient<Media extends MediaType = 'application/json'>(options: ThermalClientOptions): ThermalClient<Media> {
  return createClient<paths, Media>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
    headers: options.headers
  })
}

export type TileJson = Schemas['TileJson']
export type MosaicInfo = Schemas['MosaicInfo']
type TileQuery = NonNullable<operations['getTile']['parameters']['query']>

export interface TileUrlOptions {
  format?: operations['getTile']['parameters']['path']['format']
  /** 512 px tiles (`@2x`), for high-DPI screens. */
  retina?: boolean
}

/**
 * The XYZ tile URL template of a mosaic, for MapLibre (`tiles: [url]`) or Leaflet
 * (`L.tileLayer(url)`): `{z}`, `{x}` and `{y}` are left for the map to fill in.
 */
export function tileUrlTemplate(baseUrl: string, query: TileQuery, options: TileUrlOptions = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const y = options.retina ? '{y}@2x' : '{y}'
  return `${baseUrl.replace(/\/+$/, '')}/api/tiles/{z}/{x}/${y}.${options.format ?? 'png'}?${params.toString()}`
}
