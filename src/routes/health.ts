import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  ApiIndexSchema,
  edgeResponses,
  ErrorSchema,
  guardResponses,
  HealthSchema,
  HealthTag,
  ReadinessSchema
} from '../../schemas/index.js'
import { packageVersion, SERVICE_NAME } from '../package-info.js'
import { indexLine } from '../route-facts.js'

const health: FastifyPluginAsyncTypebox<{ basePath: string }> = async (app, opts) => {
  // Built from the registered routes on first use, when every group has been added;
  // the paths as a client sends them, under BASE_PATH.
  let endpoints: Record<string, string[]> | undefined
  const endpointsByGroup = () => {
    if (endpoints) return endpoints
    endpoints = {}
    for (const entry of app.routeEntries()) (endpoints[entry.group] ??= []).push(indexLine(entry).replace(' ', ` ${opts.basePath}`))
    return endpoints
  }

  app.get(
    '/health',
    {
      config: { access: 'probe' },
      schema: {
        operationId: 'getHealth',
        summary: 'Liveness check',
        description: 'Cheap liveness probe for load balancers: answers without touching AWS.',
        tags: [HealthTag.name],
        security: [],
        response: { 200: Type.Ref(HealthSchema, { description: 'The service is up.' }), ...edgeResponses }
      }
    },
    async () => ({ status: 'healthy' as const, service: SERVICE_NAME, version: packageVersion })
  )

  app.get(
    '/ready',
    {
      config: { access: 'probe' },
      schema: {
        operationId: 'getReadiness',
        summary: 'Readiness check',
        description:
          'Checks that DynamoDB (DescribeTable on the images and pads tables) and S3 (HeadBucket) answer; cached for a moment so frequent probes stay cheap. 503 names the dependency that failed, or says `draining` from the first SIGTERM on, while the server still serves for SHUTDOWN_DRAIN_MS.',
        tags: [HealthTag.name],
        security: [],
        response: {
          200: Type.Ref(ReadinessSchema, { description: 'Both data stores answer.' }),
          ...edgeResponses,
          503: Type.Union([Type.Ref(ReadinessSchema), Type.Ref(ErrorSchema)], {
            description: 'At least one data store does not answer (a Readiness body), or the server is shutting down (an Error body).'
          })
        }
      }
    },
    async (request, reply) => {
      const readiness = await app.services.health.check(request.ctx)
      // Shutting down: the load balancer must stop sending work, whatever AWS says.
      if (app.lameDuck.draining) return reply.code(503).send({ ...readiness, status: 'draining' as const })
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness)
    }
  )

  app.get(
    '/',
    {
      config: { access: 'api' },
      schema: {
        operationId: 'getApiIndex',
        summary: 'Endpoint index',
        description: 'Names the service and lists every endpoint by group, with links to the documentation.',
        tags: [HealthTag.name],
        response: { 200: Type.Ref(ApiIndexSchema, { description: 'The endpoint index.' }), ...guardResponses }
      }
    },
    async () => ({
      service: SERVICE_NAME,
      version: packageVersion,
      docs: `${opts.basePath}/docs`,
      openapi: `${opts.basePath}/openapi.json`,
      endpoints: endpointsByGroup()
    })
  )
}

export default health
