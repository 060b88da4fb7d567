/**
 * What a route says about itself, in its Fastify `config`. The infrastructure
 * plugins (auth, rate limiting, load shedding, http-cache, docs, the endpoint
 * index) read these facts from the route, so adding a route group never means
 * editing a list kept somewhere else.
 */

/**
 * - `api`: needs the configured credentials (AUTH_MODE), rate-limited and shed under load;
 * - `public`: no credentials (the contract, Swagger UI, CORS preflights), rate-limited;
 * - `probe`: no credentials, never rate-limited or shed (load-balancer health checks);
 * - `metrics`: the Prometheus scrape, guarded by its own token.
 */
export const ROUTE_ACCESS = ['api', 'public', 'probe', 'metrics'] as const
export type RouteAccess = (typeof ROUTE_ACCESS)[number]

/**
 * How the 200s of a route may be cached (ETag, 304 and Cache-Control):
 * - `discovery` and `data`: short max-age, `public` without auth and `private` with it;
 * - `presigned`: `private`, well inside the lifetime of the URLs in the body;
 * - `tiles`: map tiles, previews, TileJSON and mosaic info, `max-age` TILE_MAX_AGE_SECONDS.
 * A route without a policy is not cacheable, and its errors are never stored.
 */
export const CACHE_POLICIES = ['discovery', 'data', 'presigned', 'tiles'] as const
export type CachePolicy = (typeof CACHE_POLICIES)[number]

/** One registered route, as the endpoint index shows it. */
export interface RouteEntry {
  method: string
  url: string
  /** The route's first OpenAPI tag, in kebab case: the group it is listed under. */
  group: string
  /** Query parameter names in schema order. */
  query: readonly string[]
}

/** `/api/thermal/:image_id/stats` → `/api/thermal/{image_id}/stats`, as the OpenAPI document writes it. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

/** `GET /api/sectors?site={site}`: the index line of an entry. */
export function indexLine(entry: RouteEntry): string {
  const query = entry.query.map((name) => `${name}={${name}}`).join('&')
  return `${entry.method} ${openApiPath(entry.url)}${query ? `?${query}` : ''}`
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
    cache?: CachePolicy
  }
}
