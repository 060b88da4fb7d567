import type { TLSSocket } from 'node:tls'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Config } from '../config.js'
import { baseFromConfig, baseFromRequest, FROM_REQUEST_VARY } from '../public-url.js'
import { proxyTrustFunction } from '../proxy-trust.js'

declare module 'fastify' {
  interface FastifyReply {
    /**
     * This API's absolute base URL as the client reaches it (no trailing slash; BASE_PATH included once),
     * for the links a response writes. Built from the request when PUBLIC_BASE_URL is not set, and then
     * the reply varies on the headers it read and is kept out of shared caches.
     */
    publicBase(): string
    /** Set by `publicBase()` when the base came from request headers: http-cache then answers `private`. */
    variesOnHost: boolean
  }
}

const VARY = FROM_REQUEST_VARY.join(', ')

async function publicUrl(app: FastifyInstance, opts: { config: Config }) {
  const { basePath, publicBaseUrl } = opts.config
  const trusted = proxyTrustFunction(opts.config.http.trustProxy)
  const fallbackHost = `${opts.config.host === '0.0.0.0' ? '127.0.0.1' : opts.config.host}:${opts.config.port}`

  app.decorateReply('variesOnHost', false)
  if (publicBaseUrl !== undefined) {
    const base = baseFromConfig(publicBaseUrl, basePath)
    app.decorateReply('publicBase', () => base)
    return
  }
  app.decorateReply('publicBase', function publicBase(this: FastifyReply) {
    const { raw } = this.request
    const socket = raw.socket
    if (!this.variesOnHost) {
      this.variesOnHost = true
      const vary = this.getHeader('vary')
      this.header('vary', vary === undefined ? VARY : `${String(vary)}, ${VARY}`)
      // Routes with a cache policy get theirs from http-cache, scoped `private`; any other stays out of shared caches.
      this.header('cache-control', 'private, no-cache')
    }
    return baseFromRequest(
      {
        trusted: socket.remoteAddress !== undefined && trusted(socket.remoteAddress, 0),
        encrypted: (socket as TLSSocket).encrypted === true,
        headers: raw.headers,
        fallbackHost
      },
      basePath
    )
  })
}

export default fp(publicUrl, { name: 'public-url', fastify: '5.x' })
