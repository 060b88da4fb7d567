import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  ConformanceSchema,
  edgeResponses,
  errorResponse,
  FEATURES_CONFORMANCE,
  FeatureCollectionInfoSchema,
  FeatureCollectionListSchema,
  FeatureCollectionParamsSchema,
  FeatureItemsQuerySchema,
  FeatureParamsSchema,
  FeaturesLandingSchema,
  FeaturesTag,
  GEOJSON,
  mediaResponse,
  notModifiedResponse,
  OgcFeaturePageSchema,
  OgcFeatureSchema,
  QueryablesSchema,
  STAC_LIMIT_DEFAULT,
  STAC_LIMIT_MAX
} from '../../schemas/index.js'
import { clampLimit, nextGetLink, selfUrl } from './page-links.js'

const { 400: badRequest, ...awsFaults } = awsErrorResponses
const SCHEMA_JSON = 'application/schema+json'
const badItems = errorResponse('A parameter is invalid.', "invalid query parameter 'bbox': latitudes must be within -90..90")

/**
 * OGC API – Features under /features: the landing page, conformance, the four
 * layers, their queryables and items. `GET /features/api` is this API's OpenAPI
 * document seen from /features (paths relative to it), which is where GDAL and
 * QGIS look for the items operation's parameters.
 */
const features: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/features',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'getFeaturesLanding',
        summary: 'OGC API – Features landing page',
        description:
          'Links to the API description (`service-desc`), its documentation (`service-doc`), the conformance classes and the collections (`data`).',
        tags: [FeaturesTag.name],
        response: { 200: Type.Ref(FeaturesLandingSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    async (_req, reply) => app.services.features.landing(reply.publicBase())
  )

  app.get('/features/api', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply
      .type('application/json; charset=utf-8')
      .send(app.services.features.apiDocument(app.swagger() as unknown as Record<string, unknown>, reply.publicBase()))
  )

  app.get(
    '/features/conformance',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'getFeaturesConformance',
        summary: 'OGC API – Features conformance classes',
        description: 'Core and GeoJSON; the description at `service-desc` is OpenAPI 3.1.',
        tags: [FeaturesTag.name],
        response: { 200: Type.Ref(ConformanceSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    async () => ({ conformsTo: [...FEATURES_CONFORMANCE] })
  )

  app.get(
    '/features/collections',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'listFeatureCollections',
        summary: 'The layers: pads, hot spots, camera positions, line-loss regions',
        description: 'Each with the extent of the archive and links to its items and queryables.',
        tags: [FeaturesTag.name],
        response: { 200: Type.Ref(FeatureCollectionListSchema), ...notModifiedResponse, ...awsFaults, 400: edgeResponses[400] }
      }
    },
    async (req, reply) => {
      const base = reply.publicBase()
      return {
        collections: await app.services.features.collections(req.ctx, base),
        links: [
          { rel: 'self', href: `${base}/features/collections`, type: 'application/json' },
          { rel: 'root', href: `${base}/features`, type: 'application/json' }
        ]
      }
    }
  )

  app.get(
    '/features/collections/:collectionId',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getFeatureCollection',
        summary: 'One layer',
        description: 'Its extent, and links to its items and queryables.',
        tags: [FeaturesTag.name],
        params: FeatureCollectionParamsSchema,
        response: { 200: Type.Ref(FeatureCollectionInfoSchema), ...notModifiedResponse, 400: badRequest, ...awsFaults }
      }
    },
    (req, reply) => app.services.features.collection(req.ctx, reply.publicBase(), req.params.collectionId)
  )

  app.get(
    '/features/collections/:collectionId/queryables',
    {
      config: { access: 'api', cache: 'discovery' },
      schema: {
        operationId: 'getFeatureQueryables',
        summary: 'What a layer’s items can be filtered on',
        description: '`site`, `sector`, `period` and `pad_id`: query parameters of the items, and properties of every feature.',
        tags: [FeaturesTag.name],
        params: FeatureCollectionParamsSchema,
        response: {
          200: mediaResponse('The queryables, as a JSON Schema.', { [SCHEMA_JSON]: { schema: Type.Ref(QueryablesSchema) } }),
          ...notModifiedResponse,
          400: badRequest,
          ...awsFaults
        }
      }
    },
    async (req, reply) => reply.type(SCHEMA_JSON).send(app.services.features.queryables(reply.publicBase(), req.params.collectionId))
  )

  app.get(
    '/features/collections/:collectionId/items',
    {
      config: { access: 'api', cache: 'data' },
      preValidation: clampLimit(STAC_LIMIT_MAX),
      schema: {
        operationId: 'listFeatures',
        summary: 'The features of a layer, a page at a time',
        description: `Features in the archive’s order (site, sector, period newest first, pad), \`limit\` (default ${STAC_LIMIT_DEFAULT}, at most ${STAC_LIMIT_MAX}; more is clamped) per page, with a \`next\` link while more may match. \`site\`, \`sector\`, \`period\` and \`pad_id\` choose the surveys read; \`bbox\` keeps the features whose geometry meets it. Properties as the matching exports: pads as \`/api/pads?format=geojson\` with a period, hot spots as \`/api/hotspots?format=geojson\` (ranked within their survey), cameras as \`/api/mosaic/cameras\` (optical flight), regions as the line-loss GeoJSON.`,
        tags: [FeaturesTag.name],
        params: FeatureCollectionParamsSchema,
        querystring: FeatureItemsQuerySchema,
        response: {
          200: mediaResponse('A page of features.', { [GEOJSON]: { schema: Type.Ref(OgcFeaturePageSchema) } }),
          ...notModifiedResponse,
          ...awsFaults,
          400: badItems
        }
      }
    },
    async (req, reply) => {
      const page = await app.services.features.items(req.ctx, req.params.collectionId, req.query)
      const base = reply.publicBase()
      return reply.type(GEOJSON).send({
        type: 'FeatureCollection',
        features: page.features,
        links: [
          { rel: 'self', href: selfUrl(reply), type: GEOJSON },
          { rel: 'collection', href: `${base}/features/collections/${req.params.collectionId}`, type: 'application/json' },
          ...(page.next ? [nextGetLink(reply, page.next)] : [])
        ],
        timeStamp: new Date().toISOString(),
        ...(page.numberMatched === undefined ? {} : { numberMatched: page.numberMatched }),
        numberReturned: page.features.length
      })
    }
  )

  app.get(
    '/features/collections/:collectionId/items/:featureId',
    {
      config: { access: 'api', cache: 'data' },
      schema: {
        operationId: 'getFeature',
        summary: 'One feature of a layer',
        description: 'By the `id` its page gave it.',
        tags: [FeaturesTag.name],
        params: FeatureParamsSchema,
        response: {
          200: mediaResponse('The feature.', { [GEOJSON]: { schema: Type.Ref(OgcFeatureSchema) } }),
          ...notModifiedResponse,
          404: errorResponse('No such feature.', "feature 'leyte_tongonan_PAD_999.20241230' not found in collection 'pads'"),
          400: badRequest,
          ...awsFaults
        }
      }
    },
    async (req, reply) => {
      const { collectionId, featureId } = req.params
      const found = await app.services.features.feature(req.ctx, collectionId, featureId)
      const base = reply.publicBase()
      return reply.type(GEOJSON).send({
        ...found,
        links: [
          { rel: 'self', href: `${base}/features/collections/${collectionId}/items/${featureId}`, type: GEOJSON },
          { rel: 'collection', href: `${base}/features/collections/${collectionId}`, type: 'application/json' }
        ]
      })
    }
  )
}

export default features
