import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import { ServiceCaches } from '../cache/service-caches.js'
import type { LookupObserver } from '../cache/ttl-cache.js'
import type { Config } from '../config.js'
import { createServices, type Services } from '../services/index.js'
import { PdfPool } from '../services/pdf-pool.js'

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}

async function services(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  const onLookup: LookupObserver = (cache, outcome) => app.metrics.cacheLookup(cache, outcome)
  const caches = new ServiceCaches({ ...config.cache, onLookup })
  // PDF reports render in worker threads; the pool and its threads end with the app.
  const pdf = new PdfPool({ threads: config.reports.workers, maxQueue: config.reports.queueMax })
  app.addHook('onClose', () => pdf.close())
  const built = createServices({
    doc: app.aws.doc,
    dynamodb: app.aws.dynamodb,
    s3: app.aws.s3,
    signerFor: app.aws.signerFor,
    config,
    caches,
    onTileCacheLookup: onLookup,
    pdf
  })
  app.decorate('services', built)

  // Read when scraped: a burst of cold pad-level requests shows as loads waiting for PAD_LOAD_CONCURRENCY,
  // a burst of reports as renders waiting for REPORT_WORKERS.
  const padLoads = built.padLoads
  loadGauge(
    app,
    'pad_loads',
    `Uncached pad-level loads running and waiting (at most ${padLoads.limit} run at once: PAD_LOAD_CONCURRENCY)`,
    () => padLoads.load
  )
  loadGauge(
    app,
    'report_renders',
    `PDF reports rendering and waiting (at most ${config.reports.workers} render at once: REPORT_WORKERS)`,
    () => pdf.load
  )
}

/** A gauge of work running and waiting, read when scraped. */
function loadGauge(app: FastifyInstance, name: string, help: string, load: () => { running: number; waiting: number }) {
  new Gauge({
    name,
    help,
    labelNames: ['state'] as const,
    registers: [app.metrics.registry],
    collect() {
      const { running, waiting } = load()
      this.set({ state: 'running' }, running)
      this.set({ state: 'waiting' }, waiting)
    }
  })
}

export default fp(services, { name: 'services', fastify: '5.x', dependencies: ['aws', 'observability'] })
