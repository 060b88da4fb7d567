import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, onRequestHookHandler } from 'fastify'
import { Type } from '@sinclair/typebox'
import {
  awsErrorResponses,
  csvResponse,
  errorResponse,
  GenerateReportBodySchema,
  guardResponses,
  notModifiedResponse,
  pdfResponse,
  REPORT_BODY_LIMIT,
  REPORT_FORMATS,
  ReportLinksSchema,
  SurveyParamsSchema,
  ReportsTag
} from '../../schemas/index.js'
import { HttpError } from '../errors.js'
import type { ReportFile } from '../services/line-loss-service.js'
import { strictBody } from './strict-body.js'

const unknownSurvey = errorResponse('The site, sector or period is unknown.', "period '20990101' not found for leyte/tongonan")

/**
 * The body is JSON as sent, refused with a 415 before it is read otherwise: Fastify would
 * parse `text/plain` as a string (a 400 at best), and it ignores `Content-Encoding`, so a
 * gzip body was read as if it were plain.
 */
const jsonBodyOnly: onRequestHookHandler = (req, _reply, done) => {
  const encoding = req.headers['content-encoding']
  if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
    return done(new HttpError(415, 'unsupported Content-Encoding: send the body uncompressed'))
  }
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0
  if (hasBody && !/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
    return done(new HttpError(415, 'unsupported Content-Type: send application/json'))
  }
  done()
}

/** Line-loss reports: links to the pre-generated files, and reports built on request. */
const reports: FastifyPluginAsyncTypebox = async (app) => {
  const send = (reply: FastifyReply, file: ReportFile) =>
    reply.header('content-disposition', `attachment; filename="${file.filename}"`).type(file.contentType).send(file.body)

  app.get(
    '/api/report/:site/:sector/:period',
    {
      config: { access: 'api', cache: 'presigned' },
      schema: {
        operationId: 'getReportLinks',
        summary: 'Links to the pre-generated line-loss reports',
        description:
          'Presigned URLs of the PDF, CSV and visual PDF that the upstream Report Agent wrote for the survey. One listing of the reports prefix decides which exist: `csv_url` and `visual_pdf_url` are only given for files that exist.',
        tags: [ReportsTag.name],
        params: SurveyParamsSchema,
        response: {
          200: Type.Ref(ReportLinksSchema),
          ...notModifiedResponse,
          404: errorResponse(
            'No report PDF for this survey.',
            'no report available for leyte/tongonan/20241115; reports are generated after PipeMeasure processing completes'
          ),
          ...awsErrorResponses
        }
      }
    },
    (req) => app.services.lineLoss.reportLinks(req.ctx, req.params)
  )

  for (const format of REPORT_FORMATS) {
    app.get(
      `/api/report/:site/:sector/:period/line-loss.${format}`,
      {
        config: { access: 'api' },
        schema: {
          operationId: format === 'pdf' ? 'getLineLossReportPdf' : 'getLineLossReportCsv',
          summary: `Line-loss report of a survey as ${format.toUpperCase()}, built from its measurements`,
          description:
            'One row per pad of the sector in natural order (`Pad {pad_name}`, metres with two decimals or `N/A` for a pad without a measurement, regions, area, and the heat loss in kW and MWh/yr with its excess over sound insulation, as `GET /api/heat-loss` estimates it with its defaults: `n/a` and why for a pad whose pipe diameter is unknown), then the total; the header names site, sector, period and the date, and the heat loss its totals with their ranges, its inputs and its method. ' +
            (format === 'pdf'
              ? 'An A4 PDF with the table, bar charts of the length per pad and of the pads ranked by excess heat loss; its text is selectable.'
              : 'A CSV: a header block, a blank line, then the table.') +
            ' Unknown site, sector or period is a 404; a known survey without measurements has every pad `N/A`.',
          tags: [ReportsTag.name],
          params: SurveyParamsSchema,
          response: {
            200: format === 'pdf' ? pdfResponse('The report, as an attachment.') : csvResponse('The report, as an attachment.'),
            404: unknownSurvey,
            ...awsErrorResponses,
            ...(format === 'pdf'
              ? {
                  503: errorResponse(
                    "AWS is throttling or unavailable, the server is overloaded or shutting down, or the report renderer's queue is full (REPORT_QUEUE_MAX); retry after Retry-After.",
                    'the report renderer is busy; retry later'
                  )
                }
              : {})
          }
        }
      },
      async (req, reply) => send(reply, await app.services.lineLoss.generatedReport(req.ctx, req.params, format))
    )
  }

  app.post(
    '/api/report/generate',
    {
      config: { access: 'api' },
      bodyLimit: REPORT_BODY_LIMIT,
      onRequest: jsonBodyOnly,
      validatorCompiler: strictBody,
      schema: {
        operationId: 'generateLineLossReport',
        summary: 'Line-loss PDF from rows the client sends',
        description: `The original contract for the React viewer: a JSON body of site, sector and rows (section and length), at most ${REPORT_BODY_LIMIT / 1024} KB. Returns the PDF from the same renderer as the survey report, named \`line-loss-report-{sector}.pdf\`.`,
        tags: [ReportsTag.name],
        body: GenerateReportBodySchema,
        response: {
          ...guardResponses,
          200: pdfResponse('The report, as an attachment.'),
          400: errorResponse('A field is missing or invalid, or `rows` is not an array.', "invalid body parameter 'rows': expected array"),
          413: errorResponse('The body is larger than the limit.', 'request body too large: at most 65536 bytes'),
          415: errorResponse(
            'The body is not declared as `application/json`, or has a `Content-Encoding` (send it uncompressed).',
            'unsupported Content-Type: send application/json'
          ),
          429: errorResponse(
            'Too many requests from this client (the rate limit), or its reports in progress would exceed its share of the renderer: their cost, 25 per report plus 1 per row, may be at most REPORT_CLIENT_MAX_COST (2000). See Retry-After.',
            'too many reports in progress for this client: their cost (25 per report plus 1 per row) may be at most 2000; retry later'
          ),
          503: errorResponse(
            "The server is overloaded or shutting down, or the report renderer's queue is full (REPORT_QUEUE_MAX); retry after Retry-After.",
            'the report renderer is busy; retry later'
          ),
          504: errorResponse('The report took longer than the request deadline.', 'request did not complete within 10000 ms')
        }
      }
    },
    async (req, reply) => send(reply, await app.services.lineLoss.postedReportPdf(req.body, req.ip))
  )
}

export default reports
