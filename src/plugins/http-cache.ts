import { createHash } from 'node:crypto'
import zlib from 'node:zlib'
import compress from '@fastify/compress'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { ENCODINGS, preferredEncoding, type Encoding } from '../content-coding.js'
import { matchesEtag } from '../etag.js'
import type { CachePolicy } from '../route-facts.js'

/**
 * HTTP caching and compression of the API's GET responses, by the `cache` fact
 * each route declares in its config:
 *
 * - `ETag` (weak: the same tag for the identity and every compressed encoding) on every
 *   JSON 200 of an API route, and `304 Not Modified` with no body when `If-None-Match`
 *   matches; tiles and previews carry the tile service's ETag, and their routes
 *   answer the 304 themselves, before anything is drawn;
 * - `Cache-Control`: short `max-age` for discovery and pad data (`public` without
 *   auth, `private` with it), `private` and well inside the URL lifetime for
 *   presigned URLs, `no-store` on every error;
 * - one serialisation and one compression per cached result: a service that
 *   answers from its cache returns the same object, so the JSON, its tag and its
 *   br/gzip/deflate bytes are computed once and kept beside it (a WeakMap, so
 *   they go when the cache drops the object);
 * - @fastify/compress for every other route (docs, contract, metrics), and on
 *   none of the cacheable ones: there its hooks would only find a 200 already
 *   encoded, and the errors of those routes (one `{ error }` line) are far below
 *   the threshold.
 */

/** Browsers and CDNs may keep discovery and pad data this long, at most. */
export const MAX_AGE_SECONDS = 60
/** Presigned URLs: at most this long, and at most a tenth of the URL lifetime. */
export const PRESIGNED_MAX_AGE_SECONDS = 300

/** Compression for bodies over 1 KB: the camera GeoJSON of a 400-shot flight shrinks several times over. */
const THRESHOLD = 1024
const BROTLI_PARAMS = { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 }
/**
 * A window just large enough for the body: the encoder's memory grows with the
 * window (4 MB by default), and a larger window compresses these bodies no better.
 */
function brotliOptions(bytes: number): zlib.BrotliOptions {
  const lgwin = Math.min(22, Math.max(16, Math.ceil(Math.log2(bytes + 1))))
  return { params: { ...BROTLI_PARAMS, [zlib.constants.BROTLI_PARAM_LGWIN]: lgwin, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes } }
}

/** One compressor per coding; the body's size sizes the brotli window. */
const COMPRESSORS: Readonly<Record<Encoding, (body: string, bytes: number) => Buffer>> = {
  br: (body, bytes) => zlib.brotliCompressSync(body, brotliOptions(bytes)),
  gzip: (body) => zlib.gzipSync(body),
  deflate: (body) => zlib.deflateSync(body)
}
type HookDone = (err: Error | null, payload?: unknown) => void

/** One serialised 200 body with its tag and, once asked for, its compressed forms. */
interface Representation {
  route: string
  body: string
  bytes: number
  etag: string
  encoded: Partial<Record<Encoding, Buffer>>
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by http-cache: the representation this response reuses, or the object it will be made from. */
    httpCache: { rep?: Representation; source?: object } | null
  }
}

export function cacheControl(policy: CachePolicy, config: Config): string {
  if (policy === 'presigned') {
    const seconds = Math.min(PRESIGNED_MAX_AGE_SECONDS, Math.floor(config.presignExpiresSeconds / 10))
    return seconds > 0 ? `private, max-age=${seconds}` : 'private, no-cache'
  }
  // Tiles change only when the mosaic is rebuilt, and then their ETags change with it.
  const seconds = policy === 'tiles' ? config.tiles.maxAgeSeconds : Math.min(MAX_AGE_SECONDS, config.cache.ttlSeconds)
  // A shared cache must not hand one user's authorised answer to another.
  const scope = config.auth.mode === 'none' ? 'public' : 'private'
  return seconds > 0 ? `${scope}, max-age=${seconds}` : `${scope}, no-cache`
}

/** The same policy, for one client's cache only. */
function privately(control: string): string {
  return control.replace(/^public\b/, 'private')
}

function tagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`
}

function represent(route: string, body: string): Representation {
  return { route, body, bytes: Buffer.byteLength(body), etag: tagOf(body), encoded: {} }
}

/** Browsers send a handful of distinct Accept-Encoding values: parse each once. */
const negotiated = new Map<string, Encoding | undefined>()
function negotiate(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined
  if (negotiated.has(header)) return negotiated.get(header)
  const encoding = preferredEncoding(header)
  if (negotiated.size < 64) negotiated.set(header, encoding)
  return encoding
}

/**
 * The body in this encoding, compressed on first use and kept with the
 * representation. Synchronously, as @fastify/compress does: compressing in the
 * thread pool let every request in flight hold its buffers until its turn, which
 * raised the peak RSS of concurrent uncached camera responses (docs/decisions/0020-http-cache-compresses-cacheable-routes.md).
 */
function encoded(rep: Representation, encoding: Encoding): Buffer {
  let buffer = rep.encoded[encoding]
  if (buffer === undefined) {
    buffer = COMPRESSORS[encoding](rep.body, rep.bytes)
    rep.encoded[encoding] = buffer
  }
  return buffer
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary')
  if (vary === undefined) {
    reply.header('vary', 'accept-encoding')
  } else if (!String(vary).toLowerCase().includes('accept-encoding')) {
    reply.header('vary', `${String(vary)}, accept-encoding`)
  }
}

async function httpCache(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  /** Serialised bodies by the object a service returned; entries go with their objects. */
  const memo = new WeakMap<object, Representation>()
  /** With the caches off every result is a new object: nothing would be reused, so nothing is kept. */
  const keep = config.cache.ttlSeconds > 0 && config.cache.maxEntries > 0

  app.decorateRequest('httpCache', null)

  /** Reuses the body of an object served before (skipping fast-json-stringify), or notes the object to keep its body. */
  const preSerialization = (route: string) =>
    function httpCachePreSerialization(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: HookDone) {
      if (reply.statusCode !== 200 || payload === null || typeof payload !== 'object') return done(null, payload)
      const rep = memo.get(payload)
      if (rep !== undefined && rep.route === route) {
        request.httpCache = { rep }
        reply.serializer(() => rep.body)
      } else if (keep) {
        request.httpCache = { source: payload }
      }
      done(null, payload)
    }

  /** ETag, Cache-Control and Vary; 304 on a matching If-None-Match; the kept compressed bytes when accepted. */
  const onSend = (route: string, shared: string) =>
    function httpCacheOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: HookDone) {
      // A body with links built from the request's Host is right only for the clients that sent that Host.
      const control = reply.variesOnHost ? privately(shared) : shared
      if (reply.statusCode === 304 || (reply.statusCode === 200 && Buffer.isBuffer(payload))) {
        // A tile or preview: its route set the ETag and answered the conditional GET
        // itself (TileService.image); both answers carry Cache-Control.
        if (reply.hasHeader('etag')) reply.header('cache-control', control)
        return done(null, payload)
      }
      if (reply.statusCode !== 200) return done(null, payload)
      const state = request.httpCache
      // Nothing of the response stays reachable from the request once it is sent.
      request.httpCache = null
      let rep = state?.rep
      if (rep === undefined) {
        if (typeof payload !== 'string') return done(null, payload)
        rep = represent(route, payload)
        if (state?.source !== undefined) memo.set(state.source, rep)
      }
      reply.header('etag', rep.etag)
      reply.header('cache-control', control)
      addVary(reply)

      if (matchesEtag(request.headers['if-none-match'], rep.etag)) {
        reply.code(304)
        reply.removeHeader('content-type')
        // No payload at all: a HEAD route's own onSend measures a null payload and throws (a 500).
        return done(null)
      }

      const encoding =
        rep.bytes >= THRESHOLD && request.headers['x-no-compression'] === undefined
          ? negotiate(request.headers['accept-encoding'])
          : undefined
      if (encoding === undefined) return done(null, rep.body)
      let body: Buffer
      try {
        body = encoded(rep, encoding)
      } catch (err) {
        request.log.warn({ err }, 'compression failed; sending the body uncompressed')
        return done(null, rep.body)
      }
      reply.header('content-encoding', encoding)
      done(null, body)
    }

  // Route-level hooks on the cacheable routes only, ahead of the route's own.
  // Added before @fastify/compress registers its own onRoute hook, which reads `compress`.
  app.addHook('onRoute', (route) => {
    const policy = route.config?.cache
    // The contract and this plugin must agree on which routes can answer 304; a
    // mismatch fails at start-up instead of drifting.
    const documents304 = (route.schema?.response as Record<string, unknown> | undefined)?.['304'] !== undefined
    if (documents304 !== (policy !== undefined)) {
      throw new Error(
        policy === undefined
          ? `${route.url} documents a 304 but declares no config.cache`
          : `${route.url} declares config.cache '${policy}' but its schema does not document 304 (notModifiedResponse)`
      )
    }
    if (policy === undefined) return
    route.compress = false
    const asList = <T>(hooks: T | T[] | undefined): T[] => (hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks])
    route.preSerialization = [preSerialization(route.url), ...asList(route.preSerialization)]
    route.onSend = [onSend(route.url, cacheControl(policy, config)), ...asList(route.onSend)]
  })

  // Every route takes GET and HEAD only, with a 1 KB body limit: there is never a request body to decompress.
  await app.register(compress, { global: true, globalDecompression: false, threshold: THRESHOLD, encodings: [...ENCODINGS] })

  // Every error, on every route (404s of unknown paths included), is never stored.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (reply.statusCode >= 400) reply.header('cache-control', 'no-store')
    done(null, payload)
  })
}

export default fp(httpCache, { name: 'http-cache', fastify: '5.x', dependencies: ['route-facts', 'public-url'] })
