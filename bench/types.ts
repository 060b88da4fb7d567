import type { Usage } from './lib/meter.js'

/** `warm`: the in-process cache on and primed; `cold`: CACHE_TTL_SECONDS=0, every request reaches DynamoDB/S3. */
export const MODES = ['warm', 'cold'] as const
export type Mode = (typeof MODES)[number]

export interface Cell {
  rps: number
  p50_ms: number
  p99_ms: number
  requests: number
  non2xx: number
  errors: number
  /** req/s as a fraction of the hello-world ceiling at the same connection count. */
  ratio?: number
  /** AWS round trips during the cell divided by the requests answered. */
  aws_calls_per_request?: number
  rss_mb?: number
  /** CPU busy fraction (all cores) just before the cell: other processes at work. */
  cpu_busy_before?: number
  /** Share of the CPUs other processes used during the cell. */
  cpu_external?: number
  min_rps?: number
  max_rps?: number
  /** The server process's CPU time (user + system) during the cell, per request answered, in µs. */
  cpu_us_per_request?: number
  /** cpu_us_per_request over hello-world's, measured around the cell. */
  cpu_ratio?: number
}

export interface EndpointResult {
  name: string
  operationId: string
  path: string
  /** One request on an empty cache, then the same request again. */
  cold_request: {
    status: number
    bytes_on_wire: number
    content_encoding?: string
    calls: Record<string, number>
    calls_total: number
    /** DynamoDB items examined (ScannedCount; 1 per GetItem hit). */
    items_read: number
    items_returned: number
    /** S3 keys listed (KeyCount). */
    keys_listed: number
    /** S3 object bytes fetched. */
    object_bytes: number
    by_operation: Usage
    /** AWS calls of the repeated request (0 when it was served from the cache). */
    warm_calls_total: number
  }
  cells: Partial<Record<Mode, Record<string, Cell>>>
  /** The hello-world ceiling of each warm cell: the mean of the measurements just before and just after it. */
  hello?: Record<string, Cell>
}

export interface ScaleResult {
  scale: number
  archive: Record<string, number>
  hello: Record<string, Cell>
  endpoints: EndpointResult[]
  /** Peak resident set size of the API process per mode. */
  rss_mb: Partial<Record<Mode, number>>
  seconds?: number
}

export interface BenchResults {
  label: string
  date: string
  machine: Record<string, unknown>
  settings: Record<string, unknown>
  scales: ScaleResult[]
  seconds?: number
}
