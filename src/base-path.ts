/**
 * Serving under BASE_PATH: the path is stripped before routing (Fastify's
 * `rewriteUrl`), so routes, route facts and the committed contract stay
 * prefix-free, as they are behind a proxy that strips it. The ALB that sends
 * `/viewer/...` cannot strip it itself.
 */

/** Where a request outside the base path is routed: nothing is registered there, so it gets the API's 404. */
export const OUTSIDE_BASE_PATH = '/-outside-base-path-'

/** The URL to route for a request URL under `basePath` (non-empty, no trailing slash). */
export function stripBasePath(basePath: string, url: string): string {
  if (!url.startsWith(basePath)) return OUTSIDE_BASE_PATH
  const rest = url.slice(basePath.length)
  if (rest === '') return '/'
  // `/viewer/x` and `/viewer?x`, never `/viewerx`.
  const next = rest.charCodeAt(0)
  if (next === 0x2f) return rest
  if (next === 0x3f) return `/${rest}`
  return OUTSIDE_BASE_PATH
}
