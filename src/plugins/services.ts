import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import { ServiceCaches } from '../cache/service-caches.js'
import type { Config } from '../config.js'
import { createServices, type Services } from '../services/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}

async function services(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  const caches = new ServiceCaches({
    ttlSeconds: config.cache.ttlSeconds,
    maxEntries: config.cache.maxEntries,
    surveyMaxImages: config.cache.surveyMaxImages,
    onLookup: (cache, outcome) => app.metrics.cacheLookup(cache, outcome)
  })
  const built = createServices({
    doc: app.aws.doc,
    dynamodb: app.aws.dynamodb,
    s3: app.aws.s3,
    signerFor: app.aws.signerFor,
    bucket: config.aws.bucket,
    imagesTable: config.aws.imagesTable,
    padsTable: config.aws.padsTable,
    measurementsTable: config.aws.measurementsTable,
    presignExpiresSeconds: config.presignExpiresSeconds,
    readyCacheMs: config.readyCacheMs,
    padLoadConcurrency: config.padLoadConcurrency,
    hotspotThresholdsC: config.hotspotThresholdsC,
    caches,
    tileCacheBytes: config.tiles.cacheMb * 1024 * 1024,
    tileHeaderTtlMs: config.tiles.headerTtlSeconds * 1000,
    onTileCacheLookup: (cache, outcome) => app.metrics.cacheLookup(cache, outcome)
  })
  app.decorate('services', built)

  // Read when scraped: a burst of cold pad-level requests shows as loads waiting for PAD_LOAD_CONCURRENCY.
  const padLoads = built.padLoads
  new Gauge({
    name: 'pad_loads',
    help: `Uncached pad-level loads running and waiting (at most ${padLoads.limit} run at once: PAD_LOAD_CONCURRENCY)`,
    labelNames: ['state'] as const,
    registers: [app.metrics.registry],
    collect() {
      const { running, waiting } = padLoads.load
      this.set({ state: 'running' }, running)
      this.set({ state: 'waiting' }, waiting)
    }
  })
}

export default fp(services, { name: 'services', fastify: '5.x', dependencies: ['aws', 'observability'] })
