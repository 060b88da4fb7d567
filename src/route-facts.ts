/**
 * What a route says about itself, in its Fastify `config`. The infrastructure
 * plugins (auth, rate limiting, load shedding, http-cache, docs, the endpoint
 * index) read these facts from the route, so adding a route group never means
 * editing a list kept somewhere else.
 */

/**
 * - `api`: needs the configured credentials (AUTH_MODE), rate-limited and shed under load;
 * - `public`: no credentials (the contract and Swagger UI), rate-limited;
 * - `probe`: no credentials, never rate-limited or shed (load-balancer health checks);
 * - `metrics`: the Prometheus scrape, guarded by its own token.
 */
export type RouteAccess = 'api' | 'public' | 'probe' | 'metrics'

/**
 * How the 200s of a route may be cached (ETag, 304 and Cache-Control):
 * - `discovery` and `data`: short max-age, `public` without auth and `private` with it;
 * - `presigned`: `private`, well inside the lifetime of the URLs in the body;
 * - `tiles`: map tiles, previews, TileJSON and mosaic info, `max-age` TILE_MAX_AGE_SECONDS.
 * A route without a policy is not cacheable, and its errors are never stored.
 */
export type CachePolicy = 'discovery' | 'data' | 'presigned' | 'tiles'

export interface RouteFacts {
  access: RouteAccess
  cache?: CachePolicy
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
    cache?: CachePolicy
  }
}
