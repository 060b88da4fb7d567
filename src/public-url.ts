import { isIP } from 'node:net'

/**
 * Absolute URLs of this API as its clients reach it: the TileJSON's tile
 * template, the OpenAPI `servers`, and the STAC and OGC API links.
 *
 * With PUBLIC_BASE_URL set, the base is that URL and BASE_PATH, and no request
 * header can change it: a CDN may store the answer for everyone. Without it, the
 * base comes from `Host` and, from a trusted proxy only, `X-Forwarded-Proto`,
 * `X-Forwarded-Host` and `X-Forwarded-Prefix`; each is used only when it is a
 * plain value of its kind, and the answer varies on them (see `FROM_REQUEST_VARY`).
 */

/** The request headers a base built from the request depends on: the answer's `Vary`. */
export const FROM_REQUEST_VARY = ['host', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-prefix'] as const

/** A host name or IPv4 address with an optional port; IPv6 literals are checked by `isIP`. */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$/
const PORT = /^\d{1,5}$/
const SEGMENT_START = '[A-Za-z0-9_~-]'
const SEGMENT_CHAR = '[A-Za-z0-9._~-]'
/**
 * One path segment of URL-safe characters that does not begin with a dot, so never `.` or `..`:
 * the alphabet of BASE_PATH, of PUBLIC_BASE_URL's path and of a forwarded prefix.
 */
export const PATH_SEGMENT = `/${SEGMENT_START}${SEGMENT_CHAR}*`
/** A forwarded prefix: at most 8 such segments of at most 64 characters. */
const PREFIX = new RegExp(`^(/${SEGMENT_START}${SEGMENT_CHAR}{0,63}){1,8}$`)

/** `host`, `host:port`, `[v6]` or `[v6]:port`, when it is one of those and nothing else. */
export function validHost(value: string | undefined): string | undefined {
  if (value === undefined || value.length === 0 || value.length > 260) return undefined
  let name: string
  let port: string | undefined
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    if (end < 0 || isIP(value.slice(1, end)) !== 6) return undefined
    const rest = value.slice(end + 1)
    if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)))) return undefined
    return value
  }
  const colon = value.lastIndexOf(':')
  if (colon >= 0) {
    name = value.slice(0, colon)
    port = value.slice(colon + 1)
    if (!PORT.test(port) || Number(port) > 65535) return undefined
  } else {
    name = value
  }
  return HOST_NAME.test(name) ? value : undefined
}

/** A forwarded prefix the proxy says it strips, when it is a plain path; anything else is ignored. */
export function validPrefix(value: string | undefined): string {
  return value !== undefined && PREFIX.test(value) ? value : ''
}

export interface RequestOrigin {
  /** Whether the socket's peer is a trusted proxy (TRUST_PROXY), so its X-Forwarded-* headers count. */
  trusted: boolean
  /** `https` when the connection itself is TLS. */
  encrypted: boolean
  headers: Record<string, string | string[] | undefined>
  /** Where the server listens, for a request whose Host is unusable (HTTP/1.0 without one, or garbage). */
  fallbackHost: string
}

const first = (value: string | string[] | undefined): string | undefined => {
  const one = Array.isArray(value) ? value[0] : value
  // A proxy chain appends: the first entry is what the client asked the outermost proxy for.
  return one?.split(',')[0]?.trim()
}

/** The base URL (no trailing slash) built from the request, for when PUBLIC_BASE_URL is not set. */
export function baseFromRequest(origin: RequestOrigin, basePath: string): string {
  const { headers, trusted } = origin
  const forwardedProto = trusted ? first(headers['x-forwarded-proto'])?.toLowerCase() : undefined
  const proto = forwardedProto === 'http' || forwardedProto === 'https' ? forwardedProto : origin.encrypted ? 'https' : 'http'
  const host =
    (trusted ? validHost(first(headers['x-forwarded-host'])) : undefined) ?? validHost(first(headers.host)) ?? origin.fallbackHost
  const prefix = trusted ? validPrefix(first(headers['x-forwarded-prefix'])) : ''
  return `${proto}://${host}${prefix}${basePath}`
}

/** The base URL (no trailing slash) from PUBLIC_BASE_URL, already validated and without its trailing slash. */
export function baseFromConfig(publicBaseUrl: string, basePath: string): string {
  return `${publicBaseUrl}${basePath}`
}
