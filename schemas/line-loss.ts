import { Type, type Static } from '@sinclair/typebox'
import { PadIdParam, PeriodParam, SectorParam, SiteParam, StringEnum, apiTag, surveyEcho } from './common.js'
import { PDF } from './exports.js'

export const LineLossTag = apiTag('Line-loss', 'PipeMeasure measurements of warm (badly insulated) pipe, per pad and per survey.')
export const ReportsTag = apiTag('Reports', 'Line-loss reports: pre-generated files, and PDFs and CSVs built on request.')

/** Path parameters of a survey: the same allow-lists as the query parameters elsewhere. */
export const SurveyParamsSchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: { ...PeriodParam, examples: ['20241230'] }
  },
  { additionalProperties: false }
)
export type SurveyParams = Static<typeof SurveyParamsSchema>

export const MeasurementParamsSchema = Type.Object(
  { ...SurveyParamsSchema.properties, pad_id: PadIdParam },
  { additionalProperties: false }
)
export type MeasurementParams = Static<typeof MeasurementParamsSchema>

export const MEASUREMENT_FORMATS = ['json', 'geojson'] as const
export const MeasurementQuerySchema = Type.Object(
  {
    format: Type.Optional(
      StringEnum(MEASUREMENT_FORMATS, {
        default: 'json',
        description: '`json` (default): the stored item; `geojson`: its regions as a FeatureCollection (`application/geo+json`).'
      })
    )
  },
  { additionalProperties: false }
)
export type MeasurementQuery = Required<Static<typeof MeasurementQuerySchema>>

const num = (description?: string) => Type.Optional(Type.Number(description ? { description } : {}))
const LonLat = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] (WGS 84)' })

/** Another system writes the table: known fields are typed, everything else passes through. */
export const RegionMeasurementSchema = Type.Object(
  {
    region_id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    length_m: num('Length of the anomalous section along the pipe (m).'),
    area_m2: num('Area of the region (m²).'),
    perimeter_m: num('Perimeter of the region (m).'),
    max_temp_c: num('Highest temperature in the region (°C).'),
    mean_temp_c: num('Mean temperature in the region (°C).'),
    centroid: Type.Optional(LonLat),
    polygon: Type.Optional(Type.Array(LonLat, { description: 'Closed ring of [lon, lat].' })),
    pixel_bbox: Type.Optional(
      Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[x0, y0, x1, y1] in the `hotspot_alert` orthophoto.' })
    )
  },
  { $id: 'RegionMeasurement', additionalProperties: true, description: 'One anomalous (warm) section of pipe.' }
)
export type RegionMeasurement = Static<typeof RegionMeasurementSchema>

export const MeasurementSchema = Type.Object(
  {
    measurement_id: Type.Optional(Type.String({ description: 'By convention `{site}_{sector}_{period}_{pad_id}`.' })),
    site_id: Type.Optional(Type.String()),
    sector_period_pad: Type.Optional(Type.String({ description: '`{sector}#{period}#{pad_id}` (GSI sort key).' })),
    pad_id: Type.Optional(Type.String()),
    period: Type.Optional(Type.String()),
    aggregate_stats: Type.Optional(
      Type.Object(
        {
          total_regions: num('Number of regions.'),
          total_length_m: num('Sum of the regions’ lengths (m): the line loss of the pad.'),
          total_area_m2: num('Sum of the regions’ areas (m²).'),
          total_perimeter_m: num('Sum of the regions’ perimeters (m).')
        },
        { additionalProperties: true }
      )
    ),
    region_measurements: Type.Optional(Type.Array(Type.Ref(RegionMeasurementSchema))),
    geo_bounds: Type.Optional(
      Type.Object({ min_lon: num(), min_lat: num(), max_lon: num(), max_lat: num() }, { additionalProperties: true })
    ),
    processing_params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Free-form, e.g. the temperature threshold.' })
    )
  },
  {
    $id: 'Measurement',
    additionalProperties: true,
    description: 'A pad’s line-loss measurement (PipeMeasure) as stored. Every field is optional and unknown attributes pass through.',
    examples: [
      {
        measurement_id: 'leyte_tongonan_20241230_leyte_tongonan_PAD_10',
        site_id: 'leyte',
        sector_period_pad: 'tongonan#20241230#leyte_tongonan_PAD_10',
        pad_id: 'leyte_tongonan_PAD_10',
        period: '20241230',
        aggregate_stats: { total_regions: 1, total_length_m: 5.6, total_area_m2: 5.04, total_perimeter_m: 13 },
        region_measurements: [
          {
            region_id: 1,
            length_m: 5.6,
            area_m2: 5.04,
            perimeter_m: 13,
            max_temp_c: 108.4,
            mean_temp_c: 79.2,
            centroid: [124.6366, 11.1703],
            polygon: [
              [124.63658, 11.17028],
              [124.63662, 11.17028],
              [124.63662, 11.17032],
              [124.63658, 11.17032],
              [124.63658, 11.17028]
            ],
            pixel_bbox: [30, 28, 34, 31]
          }
        ],
        geo_bounds: { min_lon: 124.63658, min_lat: 11.17028, max_lon: 124.63662, max_lat: 11.17032 },
        processing_params: { temperature_threshold_c: 55, min_region_area_m2: 0.5 }
      }
    ]
  }
)
export type Measurement = Static<typeof MeasurementSchema>

export const MeasurementListSchema = Type.Object(
  {
    ...surveyEcho,
    count: Type.Integer({ minimum: 0 }),
    measurements: Type.Array(Type.Ref(MeasurementSchema), { description: 'In natural pad order.' })
  },
  {
    $id: 'MeasurementList',
    additionalProperties: false,
    description: 'Every measurement of a survey; `count: 0` when there are none.',
    examples: [{ site: 'leyte', sector: 'tongonan', period: '20241115', count: 0, measurements: [] }]
  }
)
export type MeasurementList = Static<typeof MeasurementListSchema>

const RegionPropertiesSchema = Type.Object(
  {
    region_id: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    length_m: Type.Union([Type.Number(), Type.Null()]),
    area_m2: Type.Union([Type.Number(), Type.Null()]),
    max_temp_c: Type.Union([Type.Number(), Type.Null()]),
    mean_temp_c: Type.Union([Type.Number(), Type.Null()])
  },
  { additionalProperties: false }
)

export const RegionFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Type.Union([
      Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(LonLat)) }, { additionalProperties: false }),
      Type.Object({ type: Type.Literal('Point'), coordinates: LonLat }, { additionalProperties: false })
    ]),
    properties: RegionPropertiesSchema
  },
  {
    $id: 'RegionFeature',
    additionalProperties: false,
    description: 'A region as a Polygon, or as a Point at its centroid when it has no polygon.'
  }
)
export type RegionFeature = Static<typeof RegionFeatureSchema>

export const RegionCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Ref(RegionFeatureSchema))
  },
  {
    $id: 'RegionCollection',
    additionalProperties: false,
    description: 'The regions of one pad’s measurement, for the map (RFC 7946).',
    examples: [
      {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [124.63658, 11.17028],
                  [124.63662, 11.17028],
                  [124.63662, 11.17032],
                  [124.63658, 11.17032],
                  [124.63658, 11.17028]
                ]
              ]
            },
            properties: { region_id: 1, length_m: 5.6, area_m2: 5.04, max_temp_c: 108.4, mean_temp_c: 79.2 }
          }
        ]
      }
    ]
  }
)
export type RegionCollection = Static<typeof RegionCollectionSchema>

const presignedUri = (description: string) => Type.String({ format: 'uri', description })

export const ReportLinksSchema = Type.Object(
  {
    pdf_url: presignedUri('Presigned URL of `line-loss-report.pdf`.'),
    csv_url: Type.Optional(presignedUri('Presigned URL of `line-loss-report.csv`; only when that file exists.')),
    visual_pdf_url: Type.Optional(presignedUri('Presigned URL of `line-loss-visual-report.pdf`; only when it exists.')),
    ...surveyEcho,
    expires_at: Type.String({ format: 'date-time', description: 'When the first of the URLs stops working (ISO 8601, UTC).' })
  },
  {
    $id: 'ReportLinks',
    additionalProperties: false,
    description: 'Presigned links to the pre-generated line-loss reports of a survey.',
    examples: [
      {
        pdf_url:
          'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/outputs/leyte/tongonan/20241230/reports/line-loss-report.pdf?X-Amz-Signature=...',
        csv_url:
          'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/outputs/leyte/tongonan/20241230/reports/line-loss-report.csv?X-Amz-Signature=...',
        visual_pdf_url:
          'https://thermal-api-dev-storage-7ecb7171.s3.ap-southeast-1.amazonaws.com/outputs/leyte/tongonan/20241230/reports/line-loss-visual-report.pdf?X-Amz-Signature=...',
        site: 'leyte',
        sector: 'tongonan',
        period: '20241230',
        expires_at: '2025-11-22T11:30:45.000Z'
      }
    ]
  }
)
export type ReportLinks = Static<typeof ReportLinksSchema>

/** The most rows a report may have: far more pads than any sector has, and a bound on the PDF's size. */
export const MAX_REPORT_ROWS = 500
/** Body limit of `POST /api/report/generate`, the only route with a body. */
export const REPORT_BODY_LIMIT = 64 * 1024

export const ReportRowSchema = Type.Object(
  {
    section: Type.String({ minLength: 1, maxLength: 120, description: 'Row label, e.g. `Pad 101`.' }),
    length: Type.Union(
      [
        Type.String({ pattern: '^(N/A|\\d{1,9}(\\.\\d{1,6})?)$', description: 'Metres, e.g. `"1.50"`, or `"N/A"`.' }),
        Type.Number({ minimum: 0 })
      ],
      { description: 'Length of anomalous pipe in metres, or `"N/A"` for a pad without a measurement.' }
    )
  },
  { description: 'Other fields are ignored, as by the original.' }
)

export const GenerateReportBodySchema = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 120 }),
    sector: { ...SectorParam, description: 'Sector id; it names the file.' },
    rows: Type.Array(ReportRowSchema, { maxItems: MAX_REPORT_ROWS, description: `At most ${MAX_REPORT_ROWS} rows.` }),
    date: Type.Optional(Type.String({ maxLength: 40, description: 'Report date as printed; today (UTC) by default.' })),
    period: Type.Optional(Type.String({ maxLength: 40 }))
  },
  {
    description: 'Other fields are ignored, as by the original.',
    examples: [
      {
        site: 'leyte',
        sector: 'tongonan',
        period: '20241230',
        rows: [
          { section: 'Pad 2', length: '7.40' },
          { section: 'Pad 10', length: '5.60' },
          { section: 'Pad tgn-ss1', length: 'N/A' }
        ]
      }
    ]
  }
)
export type GenerateReportBody = Static<typeof GenerateReportBodySchema>

/** The files GET /api/report/{site}/{sector}/{period}/line-loss.{format} builds. */
export const REPORT_FORMATS = ['pdf', 'csv'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** The table header of a report CSV; a report without regions has the first two columns only. */
export const REPORT_CSV_COLUMNS = ['section', 'length_m', 'regions', 'area_m2'] as const
/** The columns a report built from the data adds with its heat-loss estimate (`n/a` and the note when a pad has no figures). */
export const REPORT_HEAT_CSV_COLUMNS = [
  'heat_loss_kw',
  'heat_loss_mwh_yr',
  'excess_heat_loss_kw',
  'excess_heat_loss_mwh_yr',
  'heat_loss_note'
] as const

/** A PDF response, for the contract. */
export function pdfResponse(description: string) {
  return { description, content: { [PDF]: { schema: { type: 'string', format: 'binary' } } } }
}

export function csvResponse(description: string) {
  return {
    description,
    content: {
      'text/csv': {
        schema: { type: 'string' },
        example: [
          'site,leyte',
          'sector,tongonan',
          'period,20241230',
          'generated,2025-01-06',
          'heat_loss_total,"Heat loss: 6.53 kW (6.10–9.37), 57.2 MWh/yr (53.4–82.1), from 1 of 1 measured pads."',
          '',
          [...REPORT_CSV_COLUMNS, ...REPORT_HEAT_CSV_COLUMNS].join(','),
          'Pad 2,8.00,2,14.40,6.53,57.2,6.27,54.9,',
          'Total,8.00,2,14.40,6.53,57.2,6.27,54.9,',
          ''
        ].join('\r\n')
      }
    }
  }
}
