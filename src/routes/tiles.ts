import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  errorResponse,
  imageResponse,
  MosaicInfoSchema,
  MosaicQuerySchema,
  notModifiedResponse,
  PreviewParamsSchema,
  PreviewQuerySchema,
  TileJsonQuerySchema,
  TileJsonSchema,
  TileParamsSchema,
  TileQuerySchema,
  mosaicQuery,
  previewQuery,
  tileJsonQuery,
  tileQuery,
  TilesTag,
  type TileJsonQuery
} from '../../schemas/index.js'
import type { ImageResult } from '../tiles/tile-service.js'

const DEMO_QUERY = 'site=leyte&sector=tongonan&period=20241230&pad_id=leyte_tongonan_PAD_105&mosaic_type=optical'
const crsError = errorResponse(
  'The mosaic is in a CRS tiles cannot be made from (only UTM and EPSG:4326 are).',
  "the mosaic's CRS EPSG:2154 is not supported: tiles need WGS 84 / UTM (EPSG:326xx, EPSG:327xx) or EPSG:4326"
)
const missing = errorResponse(
  'The orthophoto does not exist.',
  "no optical orthophoto for pad_id 'leyte_tongonan_PAD_tgn-ss2' in period '20241230'"
)
/** A tile or preview: 304 with its ETag and no body when the service found the client holds it, else its bytes. */
function send(reply: FastifyReply, image: ImageResult) {
  reply.header('etag', image.etag)
  if (image.notModified) return reply.code(304).send()
  return reply.type(image.contentType).send(image.body)
}

/** The TileJSON's tile URL: this API's public base (reply.publicBase) and the validated query, re-encoded. */
function tileTemplate(reply: FastifyReply, q: TileJsonQuery): string {
  const query = new URLSearchParams({
    site: q.site,
    sector: q.sector,
    period: q.period,
    pad_id: q.pad_id,
    mosaic_type: q.mosaic_type,
    resampling: q.resampling
  })
  return `${reply.publicBase()}/api/tiles/{z}/{x}/{y}.${q.format}?${query.toString()}`
}

const tiles: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/tiles/:z/:x/:y.:format',
    {
      config: { access: 'api', cache: 'tiles' },
      schema: {
        operationId: 'getTile',
        summary: 'A web-mercator map tile of an orthomosaic',
        description:
          'XYZ (WebMercatorQuad) tile, 256 px, or 512 px with `@2x` after y. Read by byte range from the mosaic GeoTIFF and reprojected from its UTM zone. ' +
          'Transparent outside the mosaic (png, webp); a jpg tile is filled with white. A tile outside the bounds or below `minzoom` is 404; ' +
          'above `maxzoom` (up to 24) tiles are upsampled from the native resolution. ' +
          `Example: \`/api/tiles/19/446540/245364.png?${DEMO_QUERY}\`.`,
        tags: [TilesTag.name],
        params: TileParamsSchema,
        querystring: TileQuerySchema,
        response: {
          200: imageResponse('The tile.'),
          ...notModifiedResponse,
          404: errorResponse(
            'The tile is outside the mosaic or below its minzoom, or the mosaic does not exist.',
            "tile 12/3456/1987 is below the mosaic's minzoom 17"
          ),
          422: crsError,
          ...awsErrorResponses
        }
      }
    },
    async (req, reply) => {
      const q = tileQuery(req.query)
      const [y, at2x] = req.params.y.split('@')
      const image = await app.services.tiles.tile(
        req.ctx,
        q,
        {
          z: Number(req.params.z),
          x: Number(req.params.x),
          y: Number(y),
          scale: at2x === undefined ? 1 : 2,
          format: req.params.format,
          resampling: q.resampling
        },
        req.headers['if-none-match']
      )
      return send(reply, image)
    }
  )

  app.get(
    '/api/tiles/tilejson.json',
    {
      config: { access: 'api', cache: 'tiles' },
      schema: {
        operationId: 'getTileJson',
        summary: 'TileJSON of an orthomosaic',
        description: 'TileJSON 3.0.0: the tile URL template (with this query), bounds and centre in lon/lat, minzoom and maxzoom.',
        tags: [TilesTag.name],
        querystring: TileJsonQuerySchema,
        response: { 200: Type.Ref(TileJsonSchema), ...notModifiedResponse, 404: missing, 422: crsError, ...awsErrorResponses }
      }
    },
    (req, reply) => {
      const q = tileJsonQuery(req.query)
      return app.services.tiles.tileJson(req.ctx, q, tileTemplate(reply, q))
    }
  )

  app.get(
    '/api/mosaic/info',
    {
      config: { access: 'api', cache: 'tiles' },
      schema: {
        operationId: 'getMosaicInfo',
        summary: 'What the orthomosaic GeoTIFF is',
        description:
          'Bounds in lon/lat, CRS, size, bands (alpha included), sample type, ground resolution, block size, overviews, COG or not, compression. Also for a CRS tiles cannot be made from.',
        tags: [TilesTag.name],
        querystring: MosaicQuerySchema,
        response: { 200: Type.Ref(MosaicInfoSchema), ...notModifiedResponse, 404: missing, ...awsErrorResponses }
      }
    },
    (req) => app.services.tiles.info(req.ctx, mosaicQuery(req.query))
  )

  app.get(
    '/api/mosaic/preview.:format',
    {
      config: { access: 'api', cache: 'tiles' },
      schema: {
        operationId: 'getMosaicPreview',
        summary: 'The whole orthomosaic, downscaled',
        description:
          'The mosaic in web mercator, at most `max_size` pixels on its long side. A file without overviews gets them built once, and later previews and low-zoom tiles come from them.\n\n' +
          `![preview of PAD_105](/api/mosaic/preview.png?${DEMO_QUERY}&max_size=256)`,
        tags: [TilesTag.name],
        params: PreviewParamsSchema,
        querystring: PreviewQuerySchema,
        response: { 200: imageResponse('The preview.'), ...notModifiedResponse, 404: missing, 422: crsError, ...awsErrorResponses }
      }
    },
    async (req, reply) => {
      const q = previewQuery(req.query)
      const image = await app.services.tiles.preview(
        req.ctx,
        q,
        { format: req.params.format, maxSize: q.max_size, resampling: q.resampling },
        req.headers['if-none-match']
      )
      return send(reply, image)
    }
  )
}

export default tiles
