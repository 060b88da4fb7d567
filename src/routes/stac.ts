import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  ConformanceSchema,
  edgeResponses,
  errorResponse,
  GEOJSON,
  mediaResponse,
  notModifiedResponse,
  SEARCH_BODY_LIMIT,
  STAC_CONFORMANCE,
  STAC_LIMIT_DEFAULT,
  STAC_LIMIT_MAX,
  StacAssetParamsSchema,
  StacCollectionListSchema,
  StacCollectionParamsSchema,
  StacCollectionSchema,
  StacItemCollectionSchema,
  StacItemParamsSchema,
  StacItemSchema,
  StacItemsQuerySchema,
  StacLandingSchema,
  StacSearchBodySchema,
  StacSearchQuerySchema,
  StacTag
} from '../../schemas/index.js'
import { clampLimit, nextGetLink, selfUrl } from './page-links.js'
import { strictBody } from './strict-body.js'

const { 400: badRequest, ...awsFaults } = awsErrorResponses
const geojson = (description: string, schema: Parameters<typeof Type.Ref>[0]) =>
  mediaResponse(description, { [GEOJSON]: { schema: Type.Ref(schema) } })
const unknownCollection = errorResponse('The collection does not exist.', "collection 'leyte.nowhere' not found")
const badSearch = errorResponse(
  'A parameter is invalid, or `bbox` and `intersects` are both given.',
  "invalid query parameter 'datetime': '2024-13-01T00:00:00Z' is not a valid date-time"
)

/**
 * STAC API 1.0.0 under /stac. Every link is absolute, from `reply.publicBase()`;
 * Items and searches are `application/geo+json`.
 */
const stac: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/stac',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getStacLanding',
        summary: 'STAC API landing page',
        description:
          'A STAC Catalog with `conformsTo` and links: `service-desc` (the OpenAPI document), `service-doc`, `conformance`, `data` (the Collections), `search` (GET and POST) and one `child` per Collection.',
        tags: [StacTag.name],
        response: { 200: Type.Ref(StacLandingSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    (req, reply) => app.services.stac.landing(req.ctx, reply.publicBase())
  )

  app.get(
    '/stac/conformance',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'getStacConformance',
        summary: 'STAC API conformance classes',
        description: 'The conformance classes, as the landing page’s `conformsTo`.',
        tags: [StacTag.name],
        response: { 200: Type.Ref(ConformanceSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    async () => ({ conformsTo: [...STAC_CONFORMANCE] })
  )

  app.get(
    '/stac/collections',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'listStacCollections',
        summary: 'STAC Collections: one per site and sector',
        description: 'Every site and sector with surveys, with the bounding box of its pads and the dates of its first and last survey.',
        tags: [StacTag.name],
        response: { 200: Type.Ref(StacCollectionListSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    async (req, reply) => {
      const base = reply.publicBase()
      return {
        collections: await app.services.stac.collections(req.ctx, base),
        links: [
          { rel: 'self', href: `${base}/stac/collections`, type: 'application/json' },
          { rel: 'root', href: `${base}/stac`, type: 'application/json' }
        ]
      }
    }
  )

  app.get(
    '/stac/collections/:collectionId',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getStacCollection',
        summary: 'One STAC Collection',
        description: 'A site and sector: its extent and a link to its Items.',
        tags: [StacTag.name],
        params: StacCollectionParamsSchema,
        response: { 200: Type.Ref(StacCollectionSchema), ...notModifiedResponse, 404: unknownCollection, 400: badRequest, ...awsFaults }
      }
    },
    (req, reply) => app.services.stac.collection(req.ctx, reply.publicBase(), req.params.collectionId)
  )

  app.get(
    '/stac/collections/:collectionId/items',
    {
      config: { access: 'api', cache: 'data' },
      preValidation: clampLimit(STAC_LIMIT_MAX),
      schema: {
        operationId: 'listStacItems',
        summary: 'The Items of a Collection, a page at a time',
        description: `One Item per pad and survey of the site and sector, newest survey first, \`limit\` (default ${STAC_LIMIT_DEFAULT}, at most ${STAC_LIMIT_MAX}) per page, with \`bbox\` and \`datetime\` filters and a \`next\` link while more match.`,
        tags: [StacTag.name],
        params: StacCollectionParamsSchema,
        querystring: StacItemsQuerySchema,
        response: {
          200: geojson('A page of Items.', StacItemCollectionSchema),
          ...notModifiedResponse,
          404: unknownCollection,
          ...awsFaults,
          400: badSearch
        }
      }
    },
    async (req, reply) => {
      const links = { self: selfUrl(reply), next: (token: string) => nextGetLink(reply, token) }
      const page = await app.services.stac.collectionItems(req.ctx, reply.publicBase(), req.params.collectionId, req.query, links)
      return reply.type(GEOJSON).send(page)
    }
  )

  app.get(
    '/stac/collections/:collectionId/items/:itemId',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getStacItem',
        summary: 'One STAC Item: a pad in a survey',
        description:
          'The pad’s ring, the survey’s figures of the pad (images, temperatures, hot spots per severity, line loss), its orthophotos with their projection (`proj:epsg`, `proj:shape`, `proj:transform`), camera positions, preview and reports as assets, and XYZ and TileJSON map links.',
        tags: [StacTag.name],
        params: StacItemParamsSchema,
        response: {
          200: geojson('The Item.', StacItemSchema),
          ...notModifiedResponse,
          404: errorResponse(
            'The collection or item does not exist.',
            "item 'leyte_tongonan_PAD_999.20241230' not found in collection 'leyte.tongonan'"
          ),
          400: badRequest,
          ...awsFaults
        }
      }
    },
    async (req, reply) => {
      const item = await app.services.stac.item(req.ctx, reply.publicBase(), req.params.collectionId, req.params.itemId)
      return reply.type(GEOJSON).send(item)
    }
  )

  app.get(
    '/stac/collections/:collectionId/items/:itemId/assets/:assetKey',
    {
      config: { access: 'api' },
      schema: {
        operationId: 'getStacAsset',
        summary: 'An Item’s file: a redirect to a fresh presigned URL',
        description:
          'The asset hrefs of the Items point here, so a catalogue that clients keep never holds an expired URL: each request answers 302 to a presigned S3 URL valid for PRESIGN_EXPIRES_SECONDS. Same authentication as the rest of the API.',
        tags: [StacTag.name],
        params: StacAssetParamsSchema,
        response: {
          302: Type.Null({ description: 'Found: `Location` is a presigned S3 GET URL of the file.' }),
          404: errorResponse(
            'The item does not exist or has no such asset.',
            "item 'leyte_tongonan_PAD_2.20241230' of collection 'leyte.tongonan' has no asset 'hotspot_alert'"
          ),
          400: badRequest,
          ...awsFaults
        }
      }
    },
    async (req, reply) => {
      req.ctx.publicHost = req.hostname
      const { collectionId, itemId, assetKey } = req.params
      const signed = await app.services.stac.assetUrl(req.ctx, collectionId, itemId, assetKey)
      return reply.header('cache-control', 'private, no-store').redirect(signed.url, 302)
    }
  )

  app.get(
    '/stac/search',
    {
      config: { access: 'api', cache: 'data' },
      preValidation: clampLimit(STAC_LIMIT_MAX),
      schema: {
        operationId: 'searchStacItems',
        summary: 'Item Search (GET)',
        description: `Items of every Collection matching all the filters given: \`bbox\` (2-D or 3-D) or \`intersects\` (any GeoJSON geometry), \`datetime\` (an instant, or an interval open at either end with \`..\`), \`ids\`, \`collections\`. \`limit\` (default ${STAC_LIMIT_DEFAULT}, at most ${STAC_LIMIT_MAX}; more is clamped) per page, \`numberMatched\` and a \`next\` link while more match.`,
        tags: [StacTag.name],
        querystring: StacSearchQuerySchema,
        response: {
          200: geojson('A page of matching Items.', StacItemCollectionSchema),
          ...notModifiedResponse,
          ...awsFaults,
          400: badSearch
        }
      }
    },
    async (req, reply) => {
      const links = { self: selfUrl(reply), next: (token: string) => nextGetLink(reply, token) }
      return reply.type(GEOJSON).send(await app.services.stac.searchQuery(req.ctx, reply.publicBase(), req.query, links))
    }
  )

  app.post(
    '/stac/search',
    {
      config: { access: 'api' },
      bodyLimit: SEARCH_BODY_LIMIT,
      validatorCompiler: strictBody,
      preValidation: clampLimit(STAC_LIMIT_MAX),
      schema: {
        operationId: 'searchStacItemsPost',
        summary: 'Item Search (POST)',
        description: `The same search with its filters as a JSON body (at most ${SEARCH_BODY_LIMIT / 1024} KB, room for a detailed \`intersects\` polygon). The \`next\` link says \`method: POST\` and carries the body to send, with its \`token\`.`,
        tags: [StacTag.name],
        body: StacSearchBodySchema,
        response: {
          200: geojson('A page of matching Items.', StacItemCollectionSchema),
          ...awsFaults,
          400: errorResponse(
            'A field is invalid, or `bbox` and `intersects` are both given.',
            "invalid body parameter 'bbox': must have 4 or 6 numbers"
          ),
          413: errorResponse('The body is larger than the limit.', 'request body too large'),
          415: errorResponse('The body is not JSON.', 'unsupported content type')
        }
      }
    },
    async (req, reply) => reply.type(GEOJSON).send(await app.services.stac.searchBody(req.ctx, reply.publicBase(), req.body))
  )
}

export default stac
