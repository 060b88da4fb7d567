import { Type, type Static } from '@sinclair/typebox'
import { apiTag, DEFAULT_MOSAIC_TYPE, MosaicQuerySchema, StringEnum } from './common.js'

export const TilesTag = apiTag(
  'Tiles',
  'Orthomosaics as XYZ map tiles, TileJSON, file info and previews, from ranged reads of the GeoTIFFs.'
)

export const IMAGE_FORMATS = ['png', 'webp', 'jpg'] as const
export type ImageFormat = (typeof IMAGE_FORMATS)[number]
export const RESAMPLINGS = ['nearest', 'bilinear'] as const

const ResamplingParam = Type.Optional(
  StringEnum(RESAMPLINGS, {
    default: 'nearest',
    description: 'How source pixels are sampled: `nearest` (the default) or `bilinear`.'
  })
)
const FormatParam = StringEnum(IMAGE_FORMATS, {
  description: 'Image format: `png` and `webp` are transparent outside the mosaic, `jpg` is filled with white.',
  examples: ['png']
})

export const TileParamsSchema = Type.Object(
  {
    z: Type.String({ pattern: '^(0|[1-9][0-9]?)$', description: 'Zoom level, 0–24.', examples: ['19'] }),
    x: Type.String({ pattern: '^(0|[1-9][0-9]{0,7})$', description: 'Tile column, 0 ≤ x < 2^z.', examples: ['446540'] }),
    y: Type.String({
      pattern: '^(0|[1-9][0-9]{0,7})(@2x)?$',
      description: 'Tile row, 0 ≤ y < 2^z (XYZ, from the north); `@2x` asks for a 512 px tile.',
      examples: ['245364']
    }),
    format: FormatParam
  },
  { additionalProperties: false }
)
export type TileParams = Static<typeof TileParamsSchema>

export const TileQuerySchema = Type.Object(
  { ...MosaicQuerySchema.properties, resampling: ResamplingParam },
  { additionalProperties: false }
)
export type TileQuery = Required<Static<typeof TileQuerySchema>>

/** The defaults validation has filled in, stated once instead of a cast in every handler. */
export function tileQuery(q: Static<typeof TileQuerySchema>): TileQuery {
  return { ...q, mosaic_type: q.mosaic_type ?? DEFAULT_MOSAIC_TYPE, resampling: q.resampling ?? 'nearest' }
}

export const TileJsonQuerySchema = Type.Object(
  {
    ...TileQuerySchema.properties,
    format: Type.Optional(StringEnum(IMAGE_FORMATS, { default: 'png', description: 'Image format of the tile URLs.' }))
  },
  { additionalProperties: false }
)
export type TileJsonQuery = Required<Static<typeof TileJsonQuerySchema>>

export function tileJsonQuery(q: Static<typeof TileJsonQuerySchema>): TileJsonQuery {
  return { ...tileQuery(q), format: q.format ?? 'png' }
}

export const PreviewParamsSchema = Type.Object({ format: FormatParam }, { additionalProperties: false })
export type PreviewParams = Static<typeof PreviewParamsSchema>

/**
 * The long sides a preview is drawn at. A requested `max_size` is snapped down to one of
 * them, so every client asking for about the same size shares one cached picture, and a
 * client cannot make the server draw (and keep) a new one by changing a number.
 */
export const PREVIEW_SIZES = [64, 128, 256, 512, 1024, 2048] as const

/** The largest preview size not above `maxSize` (at least the smallest). */
export function snapPreviewSize(maxSize: number): number {
  return PREVIEW_SIZES.findLast((size) => size <= maxSize) ?? PREVIEW_SIZES[0]
}

export const PreviewQuerySchema = Type.Object(
  {
    ...TileQuerySchema.properties,
    max_size: Type.Optional(
      Type.Integer({
        minimum: PREVIEW_SIZES[0],
        maximum: PREVIEW_SIZES.at(-1),
        default: 1024,
        description: `The most pixels on the preview's long side, ${PREVIEW_SIZES[0]}–${PREVIEW_SIZES.at(-1)}. Snapped down to one of ${PREVIEW_SIZES.join(', ')}: the preview may be smaller than asked.`
      })
    )
  },
  { additionalProperties: false }
)
export type PreviewQuery = Required<Static<typeof PreviewQuerySchema>>

export function previewQuery(q: Static<typeof PreviewQuerySchema>): PreviewQuery {
  return { ...tileQuery(q), max_size: snapPreviewSize(q.max_size ?? 1024) }
}

const LonLatBounds = Type.Array(Type.Number(), {
  minItems: 4,
  maxItems: 4,
  description: '[west, south, east, north] in degrees (WGS 84).'
})

export const TileJsonSchema = Type.Object(
  {
    tilejson: Type.Literal('3.0.0'),
    name: Type.String(),
    tiles: Type.Array(Type.String(), { minItems: 1, description: 'URL template of the tiles, with the query of this request.' }),
    scheme: Type.Literal('xyz'),
    minzoom: Type.Integer({ minimum: 0, maximum: 24, description: 'The zoom at which the whole mosaic fits in about one tile.' }),
    maxzoom: Type.Integer({
      minimum: 0,
      maximum: 24,
      description: 'Native resolution, rounded up. Tiles above it, up to 24, are served upsampled.'
    }),
    bounds: LonLatBounds,
    center: Type.Array(Type.Number(), { minItems: 3, maxItems: 3, description: '[longitude, latitude, zoom].' })
  },
  {
    $id: 'TileJson',
    additionalProperties: false,
    description: 'TileJSON 3.0.0 of a mosaic, for MapLibre, Leaflet, OpenLayers or QGIS.',
    examples: [
      {
        tilejson: '3.0.0',
        name: 'leyte_tongonan_PAD_105 optical 20241230',
        tiles: [
          'http://localhost:5001/api/tiles/{z}/{x}/{y}.png?site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105&mosaic_type=optical&resampling=nearest'
        ],
        scheme: 'xyz',
        minzoom: 18,
        maxzoom: 22,
        bounds: [124.634956, 11.165289, 124.635956, 11.16629],
        center: [124.635456, 11.16579, 18]
      }
    ]
  }
)
export type TileJson = Static<typeof TileJsonSchema>

export const MosaicInfoSchema = Type.Object(
  {
    bounds: LonLatBounds,
    crs: Type.String({ description: 'The file’s CRS, `EPSG:<code>`, or `unknown`.' }),
    width: Type.Integer({ minimum: 1 }),
    height: Type.Integer({ minimum: 1 }),
    bands: Type.Integer({ minimum: 1, description: 'Samples per pixel, the alpha band included.' }),
    dtype: Type.String({ description: 'Sample type, e.g. `uint8`.' }),
    resolution_m: Type.Number({ description: 'Ground size of a pixel in metres (for EPSG:4326, at the mosaic’s centre).' }),
    block_size: Type.Array(Type.Integer(), { minItems: 2, maxItems: 2, description: '[width, height] of a TIFF block.' }),
    overviews: Type.Integer({ minimum: 0, description: 'Overview levels in the file.' }),
    is_cog: Type.Boolean({ description: 'Tiled, with overviews, and every header within the first 64 KiB.' }),
    compression: Type.String({ description: 'TIFF compression: `deflate`, `lzw`, `jpeg`, `none`, …' })
  },
  {
    $id: 'MosaicInfo',
    additionalProperties: false,
    examples: [
      {
        bounds: [124.634956, 11.165289, 124.635956, 11.16629],
        crs: 'EPSG:32651',
        width: 2195,
        height: 2226,
        bands: 4,
        dtype: 'uint8',
        resolution_m: 0.05,
        block_size: [256, 256],
        overviews: 4,
        is_cog: true,
        compression: 'deflate'
      }
    ]
  }
)
export type MosaicInfo = Static<typeof MosaicInfoSchema>

/** A binary image response in each format, as OpenAPI describes it. */
export function imageResponse(description: string) {
  const binary = { schema: { type: 'string', format: 'binary' } }
  return { description, content: { 'image/png': binary, 'image/webp': binary, 'image/jpeg': binary } }
}
