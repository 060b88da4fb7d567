import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { apiTags, type ApiTag } from '../../schemas/common.js'
import { packageVersion, SERVICE_TITLE } from '../package-info.js'

/** Where Swagger UI serves its HTML pages. */
export const DOCS_PREFIX = '/docs'

/**
 * The Content-Security-Policy of the Swagger UI pages: @fastify/swagger-ui's
 * `staticCSP: true` policy with two changes, both found by test/browser/docs.test.ts.
 * - style-src allows, by hash, the one inline `<style>` element Swagger UI renders:
 *   the CSS inside its own SVG logo in the top bar (swagger-ui-standalone-preset.js,
 *   `.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}`), drawn
 *   before @fastify/swagger-ui swaps in its logo. Blocked, it is a console error on
 *   every page load. A Swagger UI upgrade that changes that CSS makes the browser
 *   test fail with the new hash in the message.
 * - no `upgrade-insecure-requests`: over plain HTTP on any host other than
 *   localhost (a LAN IP, a compose service name) it rewrites the page's own
 *   `./static/*` assets to https:, they fail with ERR_SSL_PROTOCOL_ERROR and the
 *   page stays blank. Every URL the page loads is same-origin and relative, so
 *   over HTTPS the directive adds nothing.
 */
const SWAGGER_UI_CSP = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'font-src': ["'self'", 'https:', 'data:'],
  'frame-ancestors': ["'self'"],
  // blob: for the images "Try it out" shows (tiles, previews).
  'img-src': ["'self'", 'data:', 'blob:', 'validator.swagger.io'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", 'https:', "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"]
}

/**
 * The OpenAPI document, generated from the route schemas, and Swagger UI.
 * Named schemas keep their `$id` as component names instead of `def-N`.
 */
async function docs(app: FastifyInstance, opts: { basePath: string; publicBaseUrl?: string }) {
  // The tags of the registered routes, in the order their groups were added.
  const tags: ApiTag[] = []
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { tags?: string[]; hide?: boolean } | undefined
    if (schema?.hide) return
    for (const name of schema?.tags ?? []) {
      const tag = apiTags.get(name)
      if (!tag) throw new Error(`route ${route.url} uses tag '${name}', which no schema file defines with apiTag()`)
      if (!tags.includes(tag)) tags.push(tag)
    }
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: SERVICE_TITLE,
        version: packageVersion,
        description:
          'Read-only access to drone thermal surveys of geothermal well pads: navigation, presigned URLs for orthomosaics and images, camera positions as GeoJSON, and temperature and coverage statistics.',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' }
      },
      // The server is the one part of the document that is not the contract: the committed
      // openapi.yaml is generated without BASE_PATH or PUBLIC_BASE_URL, and Swagger UI sends its requests here.
      // Relative unless configured, so no request header can put another host in it.
      servers: [
        {
          url: opts.publicBaseUrl !== undefined ? `${opts.publicBaseUrl}${opts.basePath}` : opts.basePath || '/',
          description: 'This server'
        }
      ],
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
    transformObject: (document) =>
      'openapiObject' in document
        ? { ...document.openapiObject, tags: tags.map(({ name, description }) => ({ name, description })) }
        : document.swaggerObject,
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`
      }
    }
  })

  // Swagger UI's own routes cannot carry config: its scope declares them public.
  await app.register(async (ui) => {
    ui.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' }
    })
    await ui.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      // The page's asset links are absolute: they need the prefix the router never sees.
      indexPrefix: opts.basePath,
      // Helmet's CSP is off for the JSON API; the UI pages get one that allows exactly their own assets.
      staticCSP: SWAGGER_UI_CSP,
      uiConfig: { deepLinking: true, tryItOutEnabled: false, displayOperationId: true }
    })
  })

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger())
  app.get('/openapi.yaml', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true }))
  )
}

export default fp(docs, { name: 'docs', fastify: '5.x' })
