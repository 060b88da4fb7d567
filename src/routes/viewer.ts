import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { preferredEncoding } from '../content-coding.js'
import { matchesEtag } from '../etag.js'
import type { ViewerFile } from '../services/viewer-service.js'

/** Where the web viewer is served (under BASE_PATH, which the router never sees). */
export const VIEWER_PREFIX = '/app'

/** Hashed file names change with their content: a year, and never revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/** index.html names the current hashes: always revalidated (its ETag makes that a 304). */
const REVALIDATE = 'no-cache'

const NOT_BUILT = 'the web viewer is not built on this server: run `npm run build` (it writes dist-viewer/), or set VIEWER_DIR'

/**
 * The web viewer (viewer/, built by `npm run build`): `/app/` and its hashed
 * assets, public like the docs (the API calls the app makes carry the
 * credentials), outside the OpenAPI document, each file sent in the best coding
 * the client accepts from the forms made once per file.
 */
const viewer: FastifyPluginAsync<{ basePath: string }> = async (app, opts) => {
  const route = { config: { access: 'public' as const }, schema: { hide: true }, compress: false as const }

  const send = (request: FastifyRequest, reply: FastifyReply, file: ViewerFile, cacheControl: string) => {
    reply.header('cache-control', cacheControl).header('etag', file.etag).header('vary', 'accept-encoding').type(file.type)
    if (matchesEtag(request.headers['if-none-match'], file.etag)) return reply.code(304).send()
    const coding = preferredEncoding(request.headers['accept-encoding'])
    if (coding === 'br' || coding === 'gzip') return reply.header('content-encoding', coding).send(file[coding])
    return reply.send(file.body)
  }

  // Relative asset URLs need the trailing slash; the query (a deep link) is kept.
  app.get(VIEWER_PREFIX, route, async (request, reply) => {
    const query = request.url.indexOf('?')
    return reply.redirect(`${opts.basePath}${VIEWER_PREFIX}/${query === -1 ? '' : request.url.slice(query)}`, 301)
  })

  app.get(`${VIEWER_PREFIX}/`, route, async (request, reply) => {
    const file = await app.services.viewer.index()
    if (!file) return reply.code(503).send({ error: NOT_BUILT })
    reply.header('content-security-policy', await app.services.viewer.csp(request.hostname))
    return send(request, reply, file, REVALIDATE)
  })

  app.get<{ Params: { name: string } }>(`${VIEWER_PREFIX}/assets/:name`, route, async (request, reply) => {
    const file = await app.services.viewer.asset(request.params.name)
    if (!file) return reply.code(404).send({ error: `no viewer asset '${request.params.name}'` })
    return send(request, reply, file, IMMUTABLE)
  })
}

export default viewer
