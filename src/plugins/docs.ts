import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { packageVersion } from '../package-info.js'

export const OPENAPI_TAGS = [
  { name: 'Discovery', description: 'Navigate site → sector → period → pad.' },
  { name: 'Mosaic', description: 'Orthomosaics and camera positions of a pad.' },
  { name: 'Images', description: 'Presigned URLs of single optical and thermal images.' },
  { name: 'Stats', description: 'Temperature and coverage statistics.' },
  { name: 'Health', description: 'Liveness and the endpoint index.' }
]

/**
 * The OpenAPI document, generated from the route schemas, and Swagger UI.
 * Named schemas keep their `$id` as component names instead of `def-N`.
 */
async function docs(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Thermal Viewer API',
        version: packageVersion,
        description:
          'Read-only access to drone thermal surveys of geothermal well pads: navigation, presigned URLs for orthomosaics and images, camera positions as GeoJSON, and temperature and coverage statistics.',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' }
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: OPENAPI_TAGS,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'apiKey',
            in: 'header',
            name: 'X-API-Key',
            description: 'Required when the server runs with AUTH_MODE=api-key.'
          },
          cognitoJwt: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An AWS Cognito access or ID token; required when the server runs with AUTH_MODE=jwt.'
          }
        }
      },
      // Authentication is a deployment choice (AUTH_MODE): none, an API key or a Cognito JWT.
      security: [{}, { apiKey: [] }, { cognitoJwt: [] }]
    },
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`
      }
    }
  })

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Helmet's CSP is off for the JSON API; the UI pages get one that allows exactly their own assets.
    staticCSP: true,
    uiConfig: { deepLinking: true, tryItOutEnabled: false, displayOperationId: true }
  })

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true }))
  )
}

export default fp(docs, { name: 'docs', fastify: '5.x' })
