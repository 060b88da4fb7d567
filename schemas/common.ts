import { Type, type SchemaOptions, type Static } from '@sinclair/typebox'

/**
 * Anchored allow-lists for every id that reaches a DynamoDB key or an S3 key.
 * They are deliberately narrow: anything else (`../x`, `a/b`, unicode, control
 * characters) is a 400 before any AWS call is made.
 */
export const SITE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'
export const SECTOR_PATTERN = SITE_PATTERN
// A survey date, and a suffix of at most 32 characters (`-PMSB`): 41 in all.
export const PERIOD_PATTERN = '^\\d{8}(-[A-Za-z0-9]{1,32})?$'
// The look-ahead rejects `..` anywhere, so an id can never climb out of its S3 prefix.
export const OBJECT_ID_PATTERN = '^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$'

export const MOSAIC_TYPES = ['optical', 'medical', 'hotspot_alert'] as const
export const PALETTES = ['medical', 'hotspot_alert'] as const
export const DEFAULT_MOSAIC_TYPE = 'optical'
export const DEFAULT_PALETTE = 'medical'

/**
 * An OpenAPI tag: the name a route group's operations share, with the description
 * the docs show for it. Each group's schema file defines its own; the docs list
 * the tags in the order their routes are registered.
 */
export interface ApiTag {
  readonly name: string
  readonly description: string
}
const definedTags = new Map<string, ApiTag>()
export function apiTag(name: string, description: string): ApiTag {
  const tag = { name, description }
  definedTags.set(name, tag)
  return tag
}
/** Every tag defined so far, by name. */
export const apiTags: ReadonlyMap<string, ApiTag> = definedTags

export const ErrorSchema = Type.Object(
  {
    error: Type.String({
      description: 'What went wrong, naming the parameter or resource concerned.'
    })
  },
  {
    $id: 'Error',
    additionalProperties: false,
    description: 'The body of every 4xx and 5xx response.'
  }
)
export type ErrorBody = Static<typeof ErrorSchema>

/** The longest value each allow-list admits, stated beside its pattern so the contract shows the bound. */
export const ID_MAX_LENGTH = { site: 64, period: 41, object: 128 } as const

export const SiteParam = Type.String({
  pattern: SITE_PATTERN,
  maxLength: ID_MAX_LENGTH.site,
  description: 'Site id, as returned by `GET /api/sites`.',
  examples: ['leyte']
})
export const SectorParam = Type.String({
  pattern: SECTOR_PATTERN,
  maxLength: ID_MAX_LENGTH.site,
  description: 'Sector id within the site, as returned by `GET /api/sectors`.',
  examples: ['tongonan']
})
export const PeriodParam = Type.String({
  pattern: PERIOD_PATTERN,
  maxLength: ID_MAX_LENGTH.period,
  description: 'Survey period `YYYYMMDD`, optionally with a suffix (`20241231-PMSB`).',
  examples: ['20241230']
})
export const PadIdParam = Type.String({
  pattern: OBJECT_ID_PATTERN,
  maxLength: ID_MAX_LENGTH.object,
  description: 'Pad id, `{site}_{sector}_PAD_{pad_name}`.',
  examples: ['leyte_tongonan_PAD_105']
})
export const ImageIdParam = Type.String({
  pattern: OBJECT_ID_PATTERN,
  maxLength: ID_MAX_LENGTH.object,
  description: 'Image id, `{site}_{sector}_{period}_{index}`.',
  examples: ['leyte_tongonan_20241230_0379']
})

export type MosaicType = (typeof MOSAIC_TYPES)[number]
export type Palette = (typeof PALETTES)[number]

/**
 * A string enum as plain JSON Schema `enum` (not `anyOf` of constants), so that
 * Swagger UI renders a drop-down and validation errors list the allowed values.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] })
}

export const MosaicTypeSchema = StringEnum(MOSAIC_TYPES, {
  $id: 'MosaicType',
  description: 'Which orthomosaic: the RGB camera, or a colour-mapped thermal palette.'
})
export const PaletteSchema = StringEnum(PALETTES, { $id: 'Palette', description: 'Colour map applied to a thermal image.' })

/** Query parameters shared by every pad-level endpoint. */
export const PadQuerySchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: PeriodParam,
    pad_id: PadIdParam
  },
  { additionalProperties: false }
)
export type PadQuery = Static<typeof PadQuerySchema>

export const MosaicQuerySchema = Type.Object(
  {
    ...PadQuerySchema.properties,
    mosaic_type: Type.Optional(
      StringEnum(MOSAIC_TYPES, {
        default: DEFAULT_MOSAIC_TYPE,
        description: 'Which mosaic: `optical`, `medical` or `hotspot_alert`.'
      })
    )
  },
  { additionalProperties: false }
)
/** The query with its default filled in, as the services take it. */
export type MosaicQuery = Required<Static<typeof MosaicQuerySchema>>
/**
 * Validation has already filled in the default; the type provider cannot know
 * that, so this states it once instead of a cast in every handler.
 */
export function mosaicQuery(q: Static<typeof MosaicQuerySchema>): MosaicQuery {
  return { ...q, mosaic_type: q.mosaic_type ?? DEFAULT_MOSAIC_TYPE }
}

/** The survey a response answers for, echoed back as it was asked. */
export const surveyEcho = { site: Type.String(), sector: Type.String(), period: Type.String() }

export const ImageParamsSchema = Type.Object({ image_id: ImageIdParam }, { additionalProperties: false })
export type ImageParams = Static<typeof ImageParamsSchema>

/** A presigned GET URL: the images and mosaic groups both answer with one. */
export const PresignedUrlSchema = Type.Object(
  {
    url: Type.String({ format: 'uri', description: 'Presigned S3 GET URL.' }),
    expires_at: Type.String({ format: 'date-time', description: 'When the URL stops working (ISO 8601, UTC).' })
  },
  {
    $id: 'PresignedUrl',
    additionalProperties: false,
    examples: [
      {
        url: 'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/images/leyte/tongonan/20241230/DJI_0380_W.JPG?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=...',
        expires_at: '2025-11-22T11:30:45.000Z'
      }
    ]
  }
)
export type PresignedUrl = Static<typeof PresignedUrlSchema>

/**
 * An error response with its own example. The `content` form puts the example on
 * the media type, where Swagger UI shows it, instead of beside a `$ref` (dropped).
 */
export function errorResponse(description: string, error: string) {
  return {
    description,
    content: { 'application/json': { schema: Type.Ref(ErrorSchema), example: { error } } }
  }
}

/** For routes that send an ETag: a conditional GET whose tag is current gets no body. */
export const notModifiedResponse = {
  304: Type.Null({ description: 'Not Modified: the ETag sent in If-None-Match is still current; no body.' })
}

/**
 * Answers of the HTTP layer, before any route logic runs, so any operation can
 * receive them: malformed requests, slow or oversized ones, and requests that
 * reach a server that is shutting down.
 */
export const edgeResponses = {
  400: errorResponse('The request is malformed (HTTP syntax or URL encoding).', 'malformed HTTP request'),
  408: errorResponse(
    "The request's headers or body did not arrive within the server's limit (HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS); the connection is closed.",
    'request timed out before it was complete'
  ),
  431: errorResponse('The request headers are larger than the server accepts (16 KB).', 'request headers too large'),
  503: errorResponse(
    'The server is shutting down; retry (another instance answers). See Retry-After.',
    'server is shutting down; retry later'
  )
}

/** Responses of every route behind authentication and the rate limit. */
export const guardResponses = {
  ...edgeResponses,
  401: errorResponse('Credentials are missing or invalid (only when the server requires them).', 'missing bearer token'),
  429: errorResponse('Too many requests from this client; see Retry-After.', 'rate limit exceeded: 1200 requests per 1 minute; retry later')
}

const awsFaultResponses = {
  502: errorResponse('AWS answered with an unexpected error.', 'upstream storage returned an unexpected error'),
  503: errorResponse(
    'AWS is throttling or unavailable, the identity provider is unavailable, or the server is overloaded or shutting down; retry after Retry-After.',
    'upstream storage is unavailable; retry later'
  ),
  504: errorResponse('AWS did not answer in time.', 'upstream storage did not answer in time')
}

/** Error responses, by status, for routes that read from AWS with query parameters. */
export const awsErrorResponses = {
  ...guardResponses,
  400: errorResponse('A parameter is missing or invalid.', "missing required query parameter 'site'"),
  ...awsFaultResponses
}

/** The same for routes addressed by an image id in the path. */
export const imageAwsErrorResponses = {
  ...guardResponses,
  400: errorResponse('The image id is invalid.', `invalid path parameter 'image_id': must match pattern ${OBJECT_ID_PATTERN}`),
  ...awsFaultResponses
}
