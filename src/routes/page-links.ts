import type { FastifyReply } from 'fastify'
import { GEOJSON } from '../../schemas/exports.js'
import type { StacLink } from '../../schemas/stac.js'

/** The request's own URL as the client reached it: `self` of a page. */
export function selfUrl(reply: FastifyReply): string {
  return `${reply.publicBase()}${reply.request.url}`
}

/** The `next` link of a GET page: the same URL with the token of the page after. */
export function nextGetLink(reply: FastifyReply, token: string): StacLink {
  const url = new URL(reply.request.url, 'http://x')
  url.searchParams.set('token', token)
  return { rel: 'next', href: `${reply.publicBase()}${url.pathname}${url.search}`, type: GEOJSON }
}

/**
 * STAC API and OGC API – Features clamp a `limit` above the maximum instead of
 * refusing it: a decimal integer above `max` is rewritten before validation, so
 * the documented maximum stays in the contract (where clients read it) and
 * anything that is not a plain integer still gets the schema's 400.
 */
export function clampLimit(max: number) {
  return async (request: { query: unknown; body: unknown }) => {
    const query = request.query as Record<string, unknown> | undefined
    if (query && typeof query.limit === 'string' && /^\d+$/.test(query.limit) && Number(query.limit) > max) query.limit = String(max)
    const body = request.body as Record<string, unknown> | undefined
    if (body && typeof body === 'object' && typeof body.limit === 'number' && Number.isInteger(body.limit) && body.limit > max)
      body.limit = max
  }
}
