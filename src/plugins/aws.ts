import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { createAwsClients, type AwsClients } from '../aws/clients.js'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    aws: AwsClients
  }
}

/** Data opened for DATA_SOURCE=embedded: clients, and how to release what backs them. */
export interface EmbeddedData {
  clients: AwsClients
  close(): Promise<void>
}

export type EmbeddedDataSource = (config: Config, log: FastifyBaseLogger) => Promise<EmbeddedData>

interface AwsPluginOptions {
  config: Config
  /** Clients built elsewhere (tests that share one emulator pair); the caller then owns them. */
  clients?: AwsClients
  /** How DATA_SOURCE=embedded opens its data: the demo's emulators (demo/server.ts). */
  embedded?: EmbeddedDataSource
}

/**
 * The AWS clients for the configured data source. In embedded mode the caller
 * (the demo's entry point) supplies the data source, which starts and seeds its
 * emulators; on close the plugin destroys the clients and releases the source.
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
  if (!opts.embedded) {
    // src/ never loads the demo: the production build and image have none of it.
    throw new Error('DATA_SOURCE=embedded is the demo, started by `npm start` (demo/server.ts); dist/src/server.js serves DATA_SOURCE=aws')
  }
  const embedded = await opts.embedded(config, app.log)
  app.addHook('onClose', async () => {
    embedded.clients.destroy()
    await embedded.close()
  })
  return embedded.clients
}

export default fp(aws, { name: 'aws', fastify: '5.x', dependencies: ['observability'] })
