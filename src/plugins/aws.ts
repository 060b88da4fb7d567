import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createAwsClients, type AwsClients } from '../aws/clients.js'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    aws: AwsClients
  }
}

interface AwsPluginOptions {
  config: Config
  /** Clients built elsewhere (tests that share one emulator pair); the caller then owns them. */
  clients?: AwsClients
}

/**
 * The AWS clients for the configured data source. In embedded mode it starts
 * the in-process emulators and seeds the demo dataset first; on close it
 * destroys the clients and stops the emulators it started.
 */
async function aws(app: FastifyInstance, opts: AwsPluginOptions) {
  const clients = await openClients(app, opts)
  app.decorate('aws', clients)
  clients.calls.onCall((service, operation) => app.metrics.awsCall(service, operation))
}

async function openClients(app: FastifyInstance, opts: AwsPluginOptions): Promise<AwsClients> {
  if (opts.clients) return opts.clients
  const { config } = opts
  if (config.dataSource === 'aws') {
    const clients = createAwsClients({ ...config.aws, http: config.awsHttp })
    app.addHook('onClose', async () => clients.destroy())
    return clients
  }
  const { startEmbeddedData } = await import('../embedded/embedded-data.js')
  const embedded = await startEmbeddedData(config, app.log)
  app.addHook('onClose', async () => {
    embedded.clients.destroy()
    await embedded.close()
  })
  return embedded.clients
}

export default fp(aws, { name: 'aws', fastify: '5.x', dependencies: ['observability'] })
