import { Type, type Static } from '@sinclair/typebox'
import { apiTag, StringEnum } from './common.js'

/**
 * STAC API 1.0.0 (Core, Collections, OGC API – Features, Item Search). The STAC
 * objects are described loosely: the STAC JSON Schemas (validated offline in the
 * tests) are their contract, and STAC allows fields beyond these.
 */
export const StacTag = apiTag(
  'STAC',
  'STAC API 1.0.0: one Collection per site and sector, one Item per pad and survey, with the orthophotos as assets. For QGIS, GDAL (STACIT), stac-browser and pystac-client.'
)

export const STAC_VERSION = '1.0.0'
/** Items per page unless `limit` says otherwise, and the most a page holds; a larger `limit` is clamped to it. */
export const STAC_LIMIT_DEFAULT = 10
export const STAC_LIMIT_MAX = 100
/** Body limit of `POST /stac/search`: room for an `intersects` polygon of a few thousand positions. */
export const SEARCH_BODY_LIMIT = 64 * 1024

export const STAC_CONFORMANCE = [
  'https://api.stacspec.org/v1.0.0/core',
  'https://api.stacspec.org/v1.0.0/collections',
  'https://api.stacspec.org/v1.0.0/ogcapi-features',
  'https://api.stacspec.org/v1.0.0/item-search',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'
] as const

export const PROJECTION_EXTENSION = 'https://stac-extensions.github.io/projection/v1.1.0/schema.json'
export const WEB_MAP_LINKS_EXTENSION = 'https://stac-extensions.github.io/web-map-links/v1.2.0/schema.json'

/** `{site}.{sector}`: neither has a dot. */
export const COLLECTION_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\\.[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'
/** `{pad_id}.{period}`: the period is the part after the last dot. */
export const ITEM_ID_PATTERN = '^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\\.\\d{8}(-[A-Za-z0-9]+)?$'
const LIST_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,191}(,[A-Za-z0-9][A-Za-z0-9_.-]{0,191}){0,99}$'
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{8,1024}$'
const DECIMAL = '-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?'
export const BBOX_PATTERN = `^${DECIMAL}(,${DECIMAL}){3}(,${DECIMAL},${DECIMAL})?$`
/** An RFC 3339 date-time, as STAC API and OGC API – Features take them. */
export const DATE_TIME = '\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})'
/** An instant, or an interval with `/` whose open end is `..` (or empty). */
export const DATETIME_PATTERN = `^(${DATE_TIME}|(${DATE_TIME}|\\.\\.)?/(${DATE_TIME}|\\.\\.)?)$`

/** Files of an Item served by `getStacAsset` (the preview thumbnail is an API URL of its own). */
export const STAC_ASSET_KEYS = [
  'optical',
  'medical',
  'hotspot_alert',
  'shots',
  'line_loss_report',
  'line_loss_report_csv',
  'line_loss_visual_report'
] as const
export type StacAssetKey = (typeof STAC_ASSET_KEYS)[number]

export const StacLinkSchema = Type.Object(
  {
    href: Type.String({ description: 'Absolute URL (from PUBLIC_BASE_URL, or the request’s host behind a trusted proxy).' }),
    rel: Type.String(),
    type: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    method: Type.Optional(Type.String({ description: '`POST` on the `next` link of a POSTed search.' })),
    body: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The body to POST for the next page.' })),
    merge: Type.Optional(Type.Boolean())
  },
  { $id: 'StacLink', additionalProperties: true, description: 'A link (STAC and OGC API).' }
)
export type StacLink = Static<typeof StacLinkSchema>

const links = Type.Array(Type.Ref(StacLinkSchema))
const strings = Type.Array(Type.String())

export const StacLandingSchema = Type.Object(
  {
    type: Type.Literal('Catalog'),
    stac_version: Type.String(),
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    conformsTo: strings,
    links
  },
  {
    $id: 'StacLanding',
    additionalProperties: true,
    description: 'The landing page: a STAC Catalog with `conformsTo` and the `service-desc`, `data`, `conformance` and `search` links.'
  }
)
export type StacLanding = Static<typeof StacLandingSchema>

export const ConformanceSchema = Type.Object(
  { conformsTo: strings },
  { $id: 'Conformance', additionalProperties: false, description: 'The conformance classes this API implements.' }
)
export type Conformance = Static<typeof ConformanceSchema>

export const StacAssetSchema = Type.Object(
  {
    href: Type.String(),
    type: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    roles: Type.Optional(strings)
  },
  {
    $id: 'StacAsset',
    additionalProperties: true,
    description: 'A file of an Item; orthophotos carry `proj:epsg`, `proj:shape` and `proj:transform`.'
  }
)
export type StacAsset = Static<typeof StacAssetSchema>

export const StacCollectionSchema = Type.Object(
  {
    type: Type.Literal('Collection'),
    stac_version: Type.String(),
    stac_extensions: Type.Optional(strings),
    id: Type.String({ examples: ['leyte.tongonan'] }),
    title: Type.String(),
    description: Type.String(),
    license: Type.String(),
    keywords: Type.Optional(strings),
    extent: Type.Object(
      {
        spatial: Type.Object({ bbox: Type.Array(Type.Array(Type.Number())) }),
        temporal: Type.Object({ interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))) })
      },
      { description: 'The bounding box of the sector’s pads, and its first and last survey.' }
    ),
    links
  },
  { $id: 'StacCollection', additionalProperties: true, description: 'A site and sector: its surveys’ Items.' }
)
export type StacCollection = Static<typeof StacCollectionSchema>

export const StacCollectionListSchema = Type.Object(
  { collections: Type.Array(Type.Ref(StacCollectionSchema)), links },
  { $id: 'StacCollectionList', additionalProperties: false, description: 'Every Collection, by site then sector.' }
)
export type StacCollectionList = Static<typeof StacCollectionListSchema>

const geometry = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
  description: 'The pad’s ring as a GeoJSON Polygon; null when the pad has none.'
})

export const StacItemSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    stac_version: Type.String(),
    stac_extensions: strings,
    id: Type.String({ examples: ['leyte_tongonan_PAD_105.20241230'] }),
    collection: Type.String(),
    geometry,
    bbox: Type.Optional(Type.Array(Type.Number())),
    properties: Type.Object(
      { datetime: Type.String({ description: 'The period’s day at 00:00 UTC (`20241230` → `2024-12-30T00:00:00Z`).' }) },
      {
        additionalProperties: true,
        description: 'Site, sector, period, pad, image count, temperatures, hot spots per severity, line loss.'
      }
    ),
    links,
    assets: Type.Record(Type.String(), Type.Ref(StacAssetSchema))
  },
  { $id: 'StacItem', additionalProperties: true, description: 'One pad in one survey.' }
)
export type StacItem = Static<typeof StacItemSchema>

export const StacItemCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Ref(StacItemSchema)),
    links,
    numberMatched: Type.Optional(Type.Integer({ minimum: 0, description: 'Items matching the filters, on every page.' })),
    numberReturned: Type.Integer({ minimum: 0, description: 'Items on this page.' })
  },
  { $id: 'StacItemCollection', additionalProperties: true, description: 'A page of Items, with a `next` link while more match.' }
)
export type StacItemCollection = Static<typeof StacItemCollectionSchema>

export const CollectionIdParam = Type.String({
  pattern: COLLECTION_ID_PATTERN,
  description: 'Collection id, `{site}.{sector}`.',
  examples: ['leyte.tongonan']
})
export const ItemIdParam = Type.String({
  pattern: ITEM_ID_PATTERN,
  description: 'Item id, `{pad_id}.{period}`.',
  examples: ['leyte_tongonan_PAD_105.20241230']
})

export const StacCollectionParamsSchema = Type.Object({ collectionId: CollectionIdParam }, { additionalProperties: false })
export type StacCollectionParams = Static<typeof StacCollectionParamsSchema>
export const StacItemParamsSchema = Type.Object({ collectionId: CollectionIdParam, itemId: ItemIdParam }, { additionalProperties: false })
export type StacItemParams = Static<typeof StacItemParamsSchema>
export const StacAssetParamsSchema = Type.Object(
  {
    collectionId: CollectionIdParam,
    itemId: ItemIdParam,
    assetKey: StringEnum(STAC_ASSET_KEYS, { description: 'The asset, as the Item names it.', examples: ['optical'] })
  },
  { additionalProperties: false }
)
export type StacAssetParams = Static<typeof StacAssetParamsSchema>

export const BboxParam = Type.String({
  pattern: BBOX_PATTERN,
  description:
    'West, south, east, north in WGS 84 (4 numbers), or with heights (6: the horizontal part is used). West above east crosses the antimeridian.',
  examples: ['124.5,11.0,124.8,11.3']
})
export const DatetimeParam = Type.String({
  pattern: DATETIME_PATTERN,
  description:
    'An RFC 3339 date-time, or an interval `start/end` with `..` (or nothing) for an open end: `2024-12-30T00:00:00Z`, `2024-06-01T00:00:00Z/..`, `../2025-01-01T00:00:00Z`.',
  examples: ['2024-12-01T00:00:00Z/..']
})
/**
 * `x-clamped`: an annotation (no validation) saying that a value above `maximum` is answered as
 * `maximum`, as STAC API and OGC API – Features require, instead of refused (`clampLimit` does it).
 */
export const CLAMPED = { 'x-clamped': true } as const

export const LimitParam = Type.Integer({
  ...CLAMPED,
  minimum: 1,
  maximum: STAC_LIMIT_MAX,
  default: STAC_LIMIT_DEFAULT,
  description: `Items per page, 1–${STAC_LIMIT_MAX}; a larger value is clamped to ${STAC_LIMIT_MAX}, as STAC API and OGC API – Features require.`
})
export const TokenParam = Type.String({
  pattern: TOKEN_PATTERN,
  description: 'Where the page starts: take it from the `next` link.',
  examples: ['WyJsZXl0ZSIsInRvbmdvbmFuIiwiMjAyNDEyMzAiLCIxMDUiLCJsZXl0ZV90b25nb25hbl9QQURfMTA1IiwwXQ']
})

export const StacItemsQuerySchema = Type.Object(
  {
    bbox: Type.Optional(BboxParam),
    datetime: Type.Optional(DatetimeParam),
    limit: Type.Optional(LimitParam),
    token: Type.Optional(TokenParam)
  },
  { additionalProperties: false }
)
export type StacItemsQuery = Static<typeof StacItemsQuerySchema>

export const StacSearchQuerySchema = Type.Object(
  {
    bbox: Type.Optional(BboxParam),
    intersects: Type.Optional(
      Type.String({
        pattern: '^\\s*\\{[\\s\\S]*\\}\\s*$',
        description: 'A GeoJSON geometry (any type), as JSON. Not with `bbox`.',
        // Documented for generic clients (and the hostile-input test): a request gives one spatial filter or none.
        'x-not-with': ['bbox'],
        examples: ['{"type":"Point","coordinates":[124.6352,11.1654]}']
      })
    ),
    datetime: Type.Optional(DatetimeParam),
    ids: Type.Optional(
      Type.String({ pattern: LIST_PATTERN, description: 'Item ids, comma-separated.', examples: ['leyte_tongonan_PAD_105.20241230'] })
    ),
    collections: Type.Optional(
      Type.String({ pattern: LIST_PATTERN, description: 'Collection ids, comma-separated.', examples: ['leyte.tongonan'] })
    ),
    limit: Type.Optional(LimitParam),
    token: Type.Optional(TokenParam)
  },
  { additionalProperties: false }
)
export type StacSearchQuery = Static<typeof StacSearchQuerySchema>

const idList = (description: string, example: string) =>
  Type.Array(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,191}$' }), { maxItems: 100, description, examples: [[example]] })

export const StacSearchBodySchema = Type.Object(
  {
    bbox: Type.Optional(
      Type.Array(Type.Number(), { minItems: 4, maxItems: 6, description: '4 or 6 numbers, as the `bbox` query parameter.' })
    ),
    intersects: Type.Optional(
      Type.Object({}, { additionalProperties: true, minProperties: 1, description: 'A GeoJSON geometry (any type). Not with `bbox`.' })
    ),
    datetime: Type.Optional(Type.String({ pattern: DatetimeParam.pattern, description: DatetimeParam.description })),
    ids: Type.Optional(idList('Item ids.', 'leyte_tongonan_PAD_105.20241230')),
    collections: Type.Optional(idList('Collection ids.', 'leyte.tongonan')),
    limit: Type.Optional(Type.Integer({ ...CLAMPED, minimum: 1, maximum: STAC_LIMIT_MAX, description: LimitParam.description })),
    token: Type.Optional(Type.String({ pattern: TOKEN_PATTERN, description: 'From the `body` of the `next` link.' }))
  },
  {
    $id: 'StacSearchBody',
    additionalProperties: true,
    description: 'The filters of an Item Search, as JSON; other members (`fields`, `sortby`, …) are ignored.',
    examples: [{ collections: ['leyte.tongonan'], bbox: [124.5, 11.0, 124.8, 11.3], datetime: '2024-12-01T00:00:00Z/..', limit: 2 }]
  }
)
export type StacSearchBody = Static<typeof StacSearchBodySchema>
