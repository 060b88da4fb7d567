import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
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
import type { ReportFile } from '../services/line-loss-service.js'
import { strictBody } from './strict-body.js'

const unknownSurvey = errorResponse('The site, sector or period is unknown.', "period '20990101' not found for leyte/tongonan")

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
            'One row per pad of the sector in natural order (`Pad {pad_name}`, metres with two decimals or `N/A` for a pad without a measurement, regions, area), then the total; the header names site, sector, period and the date. ' +
            (format === 'pdf'
              ? 'An A4 PDF with the table and a bar chart of the length per pad; its text is selectable.'
              : 'A CSV: a header block, a blank line, then the table.') +
            ' Unknown site, sector or period is a 404; a known survey without measurements has every pad `N/A`.',
          tags: [ReportsTag.name],
          params: SurveyParamsSchema,
          response: {
            200: format === 'pdf' ? pdfResponse('The report, as an attachment.') : csvResponse('The report, as an attachment.'),
            404: unknownSurvey,
            ...awsErrorResponses
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
          415: errorResponse('The body is not JSON.', 'Unsupported Media Type: application/xml'),
          503: errorResponse('The server is overloaded; retry later.', 'server is overloaded; retry later'),
          504: errorResponse('The report took longer than the request deadline.', 'request did not complete within 10000 ms')
        }
      }
    },
    (req, reply) => send(reply, app.services.lineLoss.postedReportPdf(req.body))
  )
}

export default reports
