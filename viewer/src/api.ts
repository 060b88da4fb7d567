import { createThermalClient, tileUrlTemplate, type paths, type ThermalClient } from '@thermal-viewer/client'
import { retryDelayMs } from './retry.js'

/** A credential for AUTH_MODE=api-key or jwt, kept for this tab only. */
export interface Credential {
  kind: 'api-key' | 'bearer'
  value: string
}

const STORAGE_KEY = 'thermal-viewer.credential'
/** A 503 is retried this many times, each after its Retry-After (capped), before it is shown. */
const MAX_RETRIES = 3

function loadCredential(): Credential | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    if (!raw) return null
    const parsed = JSON.parse(raw) as Partial<Credential>
    if ((parsed.kind === 'api-key' || parsed.kind === 'bearer') && typeof parsed.value === 'string') {
      return { kind: parsed.kind, value: parsed.value }
    }
  } catch {
    // Storage off or a value of another shape: ask again.
  }
  return null
}

function saveCredential(credential: Credential | null): void {
  try {
    if (credential) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential))
    else sessionStorage.removeItem(STORAGE_KEY)
  } catch {
    // Storage off: the credential lives in memory for this page only.
  }
}

export function credentialHeaders(credential: Credential | null): Record<string, string> {
  if (!credential) return {}
  return credential.kind === 'api-key' ? { 'X-API-Key': credential.value } : { Authorization: `Bearer ${credential.value}` }
}

/** An API answer other than 2xx, with the `{ error }` message it carried. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export interface Api {
  client: ThermalClient
  /** The same client, typed for the GeoJSON exports. */
  geo: ThermalClient<'application/geo+json'>
  baseUrl: string
  /** The credential sent with every call; null when none is needed (or none yet given). */
  credential: () => Credential | null
  /** Keeps `credential` for this tab (sessionStorage), or forgets it. */
  setCredential: (credential: Credential | null) => void
  /** The XYZ template of one mosaic's tiles. */
  tiles: (query: TileQuery) => string
}

export type TileQuery = Parameters<typeof tileUrlTemplate>[1]

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason as Error)
    })
  })

/**
 * The typed client, with the tab's credential on every request, a 503 retried after
 * its Retry-After, and `onUnauthorized` told of every 401 (the app then asks for a
 * credential).
 */
export function createApi(baseUrl: string, onUnauthorized: () => void): Api {
  let current = loadCredential()
  const credential = () => current
  const fetchWithRetry = async (input: Request): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      const request = input.clone()
      for (const [name, value] of Object.entries(credentialHeaders(credential()))) request.headers.set(name, value)
      const response = await fetch(request)
      if (response.status === 401) onUnauthorized()
      const delay = response.status === 503 && attempt < MAX_RETRIES ? retryDelayMs(response.headers.get('retry-after')) : undefined
      if (delay === undefined) return response
      await sleep(delay, input.signal)
    }
  }
  return {
    client: createThermalClient({ baseUrl, fetch: fetchWithRetry }),
    geo: createThermalClient<'application/geo+json'>({ baseUrl, fetch: fetchWithRetry }),
    baseUrl,
    credential,
    setCredential(next) {
      current = next
      saveCredential(next)
    },
    tiles: (query) => tileUrlTemplate(baseUrl, query)
  }
}

/** The data of an openapi-fetch result, or an ApiFailure with the API's own message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data
  const body = result.error as { error?: unknown } | undefined
  const message = typeof body?.error === 'string' ? body.error : `${result.response.status} ${result.response.statusText}`.trim()
  throw new ApiFailure(result.response.status, message)
}

/**
 * The URL of an API download (a CSV or GeoJSON export, a generated report), for a link.
 * The path is checked against the contract; `{name}` segments are filled from `path`.
 */
export function apiHref<P extends keyof paths>(
  baseUrl: string,
  template: P,
  params: { path?: Record<string, string>; query?: Record<string, string | number | undefined> }
): string {
  const path = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => encodeURIComponent(params.path?.[name] ?? ''))
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params.query ?? {})) if (value !== undefined) query.set(name, String(value))
  const qs = query.toString()
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`
}
