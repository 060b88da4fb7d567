import { Type, type Static } from '@sinclair/typebox'
import { apiTag, OBJECT_ID_PATTERN, PadIdParam, PeriodParam, SectorParam, SiteParam, StringEnum } from './common.js'
import { BboxParam, CLAMPED, StacLinkSchema, STAC_LIMIT_DEFAULT, STAC_LIMIT_MAX, TokenParam } from './stac.js'

export const FeaturesTag = apiTag(
  'Features',
  'OGC API – Features (Core, GeoJSON): pads, hot spots, camera positions and line-loss regions as vector layers for QGIS, GDAL/OGR, ArcGIS and OpenLayers.'
)

/** Not `oas30`: the description at `service-desc` is OpenAPI 3.1. */
export const FEATURES_CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'
] as const

export const FEATURE_COLLECTIONS = ['pads', 'hotspots', 'cameras', 'line-loss-regions'] as const
export type FeatureCollectionId = (typeof FEATURE_COLLECTIONS)[number]
/** The filters every collection takes, each also a property of every feature (OGR filters on a layer's own fields). */
export const QUERYABLES = ['site', 'sector', 'period', 'pad_id'] as const

const links = Type.Array(Type.Ref(StacLinkSchema))

export const FeaturesLandingSchema = Type.Object(
  { title: Type.String(), description: Type.String(), links },
  {
    $id: 'FeaturesLanding',
    additionalProperties: false,
    description:
      'The landing page: links to the OpenAPI description (`service-desc`), the collections (`data`) and the conformance classes.'
  }
)
export type FeaturesLanding = Static<typeof FeaturesLandingSchema>

export const FeatureCollectionInfoSchema = Type.Object(
  {
    id: StringEnum(FEATURE_COLLECTIONS),
    title: Type.String(),
    description: Type.String(),
    itemType: Type.Literal('feature'),
    crs: Type.Array(Type.String()),
    extent: Type.Optional(Type.Object({ spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())) }) })),
    links
  },
  { $id: 'FeatureCollectionInfo', additionalProperties: false, description: 'A layer: its extent, and links to its items and queryables.' }
)
export type FeatureCollectionInfo = Static<typeof FeatureCollectionInfoSchema>

export const FeatureCollectionListSchema = Type.Object(
  { collections: Type.Array(Type.Ref(FeatureCollectionInfoSchema)), links },
  { $id: 'FeatureCollectionList', additionalProperties: false, description: 'The four layers.' }
)
export type FeatureCollectionList = Static<typeof FeatureCollectionListSchema>

const nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

export const OgcFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'A GeoJSON geometry (WGS 84).' }),
    properties: Type.Object(
      { site: Type.String(), sector: Type.String(), period: Type.String(), pad_id: nullable(Type.String()) },
      { additionalProperties: true, description: 'The queryables, then the properties of the layer (as the matching export).' }
    ),
    links: Type.Optional(links)
  },
  { $id: 'OgcFeature', additionalProperties: false, description: 'One feature of a layer.' }
)
export type OgcFeature = Static<typeof OgcFeatureSchema>

export const OgcFeaturePageSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Ref(OgcFeatureSchema)),
    links,
    timeStamp: Type.String({ format: 'date-time' }),
    numberMatched: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'Given when the page could count every match at no extra cost (pads always; other layers when the filters leave a few surveys).'
      })
    ),
    numberReturned: Type.Integer({ minimum: 0 })
  },
  { $id: 'OgcFeaturePage', additionalProperties: false, description: 'A page of features, with a `next` link while more may match.' }
)
export type OgcFeaturePage = Static<typeof OgcFeaturePageSchema>

export const QueryablesSchema = Type.Object(
  {
    type: Type.Literal('object'),
    title: Type.String(),
    properties: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()))
  },
  {
    $id: 'Queryables',
    // `$schema` and `$id` members too: named here, not as properties, since schema tooling reads those keys as its own.
    additionalProperties: true,
    description: 'The properties a request may filter on, as a JSON Schema (with its `$schema` and `$id`).'
  }
)
export type Queryables = Static<typeof QueryablesSchema>

export const FeatureCollectionParamsSchema = Type.Object(
  { collectionId: StringEnum(FEATURE_COLLECTIONS, { description: 'The layer.', examples: ['hotspots'] }) },
  { additionalProperties: false }
)
export type FeatureCollectionParams = Static<typeof FeatureCollectionParamsSchema>

export const FeatureParamsSchema = Type.Object(
  {
    ...FeatureCollectionParamsSchema.properties,
    featureId: Type.String({
      pattern: OBJECT_ID_PATTERN.replace('{0,127}', '{0,255}'),
      description:
        'The feature’s `id`: `{pad_id}.{period}` (pads), the image id (hotspots), `{pad_id}.{period}.{n}` (cameras, line-loss-regions).',
      examples: ['leyte_tongonan_20241230_0379']
    })
  },
  { additionalProperties: false }
)
export type FeatureParams = Static<typeof FeatureParamsSchema>

const LIMIT = {
  ...CLAMPED,
  minimum: 1,
  maximum: STAC_LIMIT_MAX,
  default: STAC_LIMIT_DEFAULT,
  description: `Features per page, 1–${STAC_LIMIT_MAX}; a larger value is clamped to ${STAC_LIMIT_MAX}.`
}

export const FeatureItemsQuerySchema = Type.Object(
  {
    bbox: Type.Optional(BboxParam),
    limit: Type.Optional(Type.Integer(LIMIT)),
    token: Type.Optional(TokenParam),
    site: Type.Optional(Type.String({ ...SiteParam, description: 'Only this site.' })),
    sector: Type.Optional(Type.String({ ...SectorParam, description: 'Only this sector.' })),
    period: Type.Optional(Type.String({ ...PeriodParam, description: 'Only this survey period.' })),
    pad_id: Type.Optional(Type.String({ ...PadIdParam, description: 'Only this pad.' }))
  },
  { additionalProperties: false }
)
export type FeatureItemsQuery = Static<typeof FeatureItemsQuerySchema>
