import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { createServices, type Services } from '../services/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}

async function services(app: FastifyInstance, opts: { config: Config }) {
  const { config } = opts
  app.decorate(
    'services',
    createServices({
      doc: app.aws.doc,
      dynamodb: app.aws.dynamodb,
      s3: app.aws.s3,
      bucket: config.aws.bucket,
      imagesTable: config.aws.imagesTable,
      padsTable: config.aws.padsTable,
      measurementsTable: config.aws.measurementsTable,
      presignExpiresSeconds: config.presignExpiresSeconds,
      readyCacheMs: config.readyCacheMs,
      padLoadConcurrency: config.padLoadConcurrency
    })
  )
}

export default fp(services, { name: 'services', fastify: '5.x', dependencies: ['aws'] })
