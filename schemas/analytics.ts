import { Type, type Static } from '@sinclair/typebox'
import { apiTag, PadIdParam, PeriodParam, SectorParam, SiteParam, StringEnum, surveyEcho } from './common.js'
import { PositionSchema } from './discovery.js'
import { PointSchema } from './mosaic.js'

export const AnalyticsTag = apiTag(
  'Analytics',
  'Hot spots ranked by ΔT over the survey reference, trends across surveys and survey summaries, with CSV and GeoJSON exports.'
)

/** Hot-spot classes, mildest first: the order of the thresholds and of `min_severity`. */
export const SEVERITIES = ['minor', 'moderate', 'serious', 'critical'] as const

const nullableNumber = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })
const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description })

export const SeveritySchema = StringEnum(SEVERITIES, {
  $id: 'Severity',
  description:
    'Class of ΔT (max − the survey reference) with thresholds t1, t2, t3 (HOTSPOT_THRESHOLDS_C, default 10, 20, 40 °C): `minor` below t1, `moderate` from t1, `serious` from t2, `critical` from t3.'
})
export type Severity = Static<typeof SeveritySchema>

const count = Type.Integer({ minimum: 0 })
export const SeverityCountsSchema = Type.Object(Object.fromEntries(SEVERITIES.map((s) => [s, count])) as Record<Severity, typeof count>, {
  $id: 'SeverityCounts',
  additionalProperties: false,
  description: 'Images with thermal data per severity.'
})
export type SeverityCounts = Static<typeof SeverityCountsSchema>

const hotspotProperties = {
  rank: Type.Integer({ minimum: 1, description: 'Position in this list, 1 = hottest.' }),
  image_id: Type.String({ examples: ['leyte_tongonan_20241230_0379'] }),
  pad_id: nullableString('Pad of the image.'),
  max_temp: Type.Number({ description: 'Maximum temperature (°C): calibrated when the image is calibrated, else the camera’s.' }),
  avg_temp: Type.Number({ description: 'Average temperature (°C), by the same rule.' }),
  delta_t: Type.Number({ description: '`max_temp` − the survey’s `reference_temp` (°C).' }),
  severity: Type.Ref(SeveritySchema),
  is_calibrated: Type.Boolean(),
  thermal_filename: nullableString('File name of the radiometric JPEG.')
}

export const HotspotSchema = Type.Object(
  {
    ...hotspotProperties,
    location: Type.Union([Type.Ref(PositionSchema), Type.Null()], {
      description: 'GPS position of the camera, `[longitude, latitude, altitude]`; null when the record has none.'
    })
  },
  { $id: 'Hotspot', additionalProperties: false, description: 'One image of a survey, ranked by its maximum temperature.' }
)
export type Hotspot = Static<typeof HotspotSchema>

export const HotspotListSchema = Type.Object(
  {
    ...surveyEcho,
    pad_id: nullableString('The pad asked for; null for the whole survey.'),
    reference_temp: nullableNumber(
      'Median of the average temperatures of every image of the survey with thermal data (°C), whatever the pad filter; null when there is none.'
    ),
    count: Type.Integer({ minimum: 0, description: 'Hot spots matching the filters before `limit`.' }),
    hotspots: Type.Array(Type.Ref(HotspotSchema), { description: 'Hottest first; equal maxima by `image_id`.' })
  },
  { $id: 'HotspotList', additionalProperties: false, description: 'The hottest images of a survey.' }
)
export type HotspotList = Static<typeof HotspotListSchema>

export const HotspotFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Type.Union([Type.Ref(PointSchema), Type.Null()]),
    properties: Type.Object(hotspotProperties, { additionalProperties: false })
  },
  { $id: 'HotspotFeature', additionalProperties: false, description: 'One hot spot (RFC 7946 Feature); null geometry when unlocated.' }
)
export type HotspotFeature = Static<typeof HotspotFeatureSchema>

export const HotspotCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Ref(HotspotFeatureSchema))
  },
  { $id: 'HotspotCollection', additionalProperties: false, description: 'Hot spots as an RFC 7946 FeatureCollection, in rank order.' }
)
export type HotspotCollection = Static<typeof HotspotCollectionSchema>

export const HOTSPOT_LIMIT_DEFAULT = 20
export const HOTSPOT_FORMATS = ['json', 'geojson', 'csv'] as const
export type HotspotFormat = (typeof HOTSPOT_FORMATS)[number]
export const SUMMARY_FORMATS = ['json', 'csv'] as const

/** The header of `format=csv` of GET /api/hotspots: one row per hot spot, `location` as lon, lat, alt. */
export const HOTSPOT_CSV_COLUMNS = [
  'rank',
  'image_id',
  'pad_id',
  'max_temp',
  'avg_temp',
  'delta_t',
  'severity',
  'is_calibrated',
  'lon',
  'lat',
  'alt',
  'thermal_filename'
] as const

/** The header of `format=csv` of GET /api/survey/summary: one row per pad, its severity counts spread out. */
export const SUMMARY_CSV_COLUMNS = [
  'pad_id',
  'pad_name',
  'image_count',
  'max_temp',
  'avg_temp',
  'hottest_image_id',
  ...SEVERITIES,
  'complete',
  'coverage_area_m2',
  'excess_heat_loss_kw'
] as const

export const HotspotsQuerySchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: PeriodParam,
    pad_id: Type.Optional(Type.String({ ...PadIdParam, description: 'Only the images of this pad (the reference stays the survey’s).' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, default: HOTSPOT_LIMIT_DEFAULT, description: 'Hot spots returned, 1–500.' })
    ),
    min_severity: Type.Optional(
      StringEnum(SEVERITIES, { description: 'Only hot spots of this severity or worse.', examples: ['serious'] })
    ),
    format: Type.Optional(
      StringEnum(HOTSPOT_FORMATS, {
        default: 'json',
        description: '`json`, `geojson` (Point features) or `csv` (one row per hot spot).'
      })
    )
  },
  { additionalProperties: false }
)
export type HotspotsQuery = Static<typeof HotspotsQuerySchema>

export const TrendQuerySchema = Type.Object({ site: SiteParam, sector: SectorParam, pad_id: PadIdParam }, { additionalProperties: false })
export type TrendQuery = Static<typeof TrendQuerySchema>

export const TrendPeriodSchema = Type.Object(
  {
    period: Type.String(),
    image_count: Type.Integer({ minimum: 1, description: 'Every image of the pad in the period.' }),
    max_temp: nullableNumber('Highest maximum of the images with thermal data (°C).'),
    avg_temp: nullableNumber('Mean of their average temperatures (°C).'),
    p95_max_temp: nullableNumber('95th percentile (nearest rank) of their maxima (°C).'),
    hotspot_counts: Type.Ref(SeverityCountsSchema),
    delta_max_vs_previous: nullableNumber('`max_temp` minus that of the entry before; null for the first.')
  },
  { $id: 'TrendPeriod', additionalProperties: false, description: 'One survey of a pad.' }
)
export type TrendPeriod = Static<typeof TrendPeriodSchema>

export const PadTrendSchema = Type.Object(
  {
    site: Type.String(),
    sector: Type.String(),
    pad_id: Type.String(),
    periods: Type.Array(Type.Ref(TrendPeriodSchema), { description: 'Periods in which the pad has images, oldest first.' })
  },
  { $id: 'PadTrend', additionalProperties: false, description: 'How a pad’s temperatures move from survey to survey.' }
)
export type PadTrend = Static<typeof PadTrendSchema>

export const SurveySummaryQuerySchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: PeriodParam,
    format: Type.Optional(StringEnum(SUMMARY_FORMATS, { default: 'json', description: '`json`, or `csv` with one row per pad.' }))
  },
  { additionalProperties: false }
)
export type SurveySummaryQuery = Static<typeof SurveySummaryQuerySchema>

export const SurveyPadSummarySchema = Type.Object(
  {
    pad_id: Type.String(),
    pad_name: Type.String(),
    image_count: Type.Integer({ minimum: 1 }),
    max_temp: nullableNumber('Highest maximum temperature of the pad’s images (°C).'),
    avg_temp: nullableNumber('Mean of their average temperatures (°C).'),
    hottest_image_id: nullableString('The image with `max_temp`.'),
    severity_counts: Type.Ref(SeverityCountsSchema),
    complete: Type.Boolean({ description: 'Optical and medical mosaics both built, as `GET /api/pads?period=` decides.' }),
    coverage_area_m2: Type.Number({ minimum: 0, description: 'Estimated ground coverage, as `GET /api/coverage/stats`.' }),
    excess_heat_loss_kw: nullableNumber(
      'Heat loss of its warm pipe above that of sound insulation (kW), as `GET /api/heat-loss` with its defaults; null when the pad was not measured or its pipe diameter is unknown.'
    )
  },
  { $id: 'SurveyPadSummary', additionalProperties: false, description: 'One pad of a survey.' }
)
export type SurveyPadSummary = Static<typeof SurveyPadSummarySchema>

export const SurveySummarySchema = Type.Object(
  {
    ...surveyEcho,
    reference_temp: nullableNumber('Median of the average temperatures of the survey’s images (°C).'),
    pads: Type.Array(Type.Ref(SurveyPadSummarySchema), { description: 'Pads with images in the survey, in natural order.' }),
    totals: Type.Object(
      {
        pad_count: count,
        image_count: count,
        max_temp: nullableNumber('Highest maximum of the survey (°C).'),
        hottest_image_id: nullableString('The image with `max_temp`.'),
        severity_counts: Type.Ref(SeverityCountsSchema),
        complete_pads: count
      },
      { additionalProperties: false }
    )
  },
  { $id: 'SurveySummary', additionalProperties: false, description: 'Which pads of a survey need a visit.' }
)
export type SurveySummary = Static<typeof SurveySummarySchema>
