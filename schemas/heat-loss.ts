import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { apiTag, PadIdParam, PeriodParam, SectorParam, SiteParam, StringEnum, surveyEcho } from './common.js'

export const HeatLossTag = apiTag(
  'Heat-loss',
  'Estimated heat loss (W, kW, MWh a year) of the warm pipe sections of the line-loss measurements, from their surface temperatures, with every input and the method stated.'
)

/** The documented range of each numeric input: a value outside it is a 400 naming the parameter. */
export const HEAT_LOSS_LIMITS = {
  pipe_diameter_m: { minimum: 0.01, maximum: 3 },
  ambient_c: { minimum: -40, maximum: 60 },
  emissivity: { minimum: 0.05, maximum: 1 },
  wind_speed_ms: { minimum: 0, maximum: 30 },
  sky_c: { minimum: -100, maximum: 60 },
  intact_surface_c: { minimum: -40, maximum: 300 },
  operating_hours: { minimum: 0, maximum: 8784 }
} as const

/** How far the range moves the inputs, and the wind it assumes when none is given. */
export const HEAT_LOSS_RANGE = { emissivity: 0.05, ambient_c: 2, wind_speed_ms: [0, 2] } as const
/** What the estimate uses when neither the query nor the data says otherwise. */
export const HEAT_LOSS_DEFAULTS = { ambient_c: 25, emissivity: 0.9, operating_hours: 8760 } as const

/** Stefan–Boltzmann constant (CODATA 2018, exact in the SI), W m⁻² K⁻⁴. */
export const STEFAN_BOLTZMANN = 5.670374419e-8

/** The method as every response states it: the correlations and the table, by name. */
export const HEAT_LOSS_METHOD = {
  summary:
    'q′ = π·D·[h·(T_s − T_a) + ε·σ·(T_s⁴ − T_sur⁴)] per metre (ISO 12241, VDI 2055, ASTM C680), T_s the region’s mean surface temperature; heat_loss_w = q′(T_s) × length, excess_heat_loss_w = (q′(T_s) − q′(T_intact)) × length.',
  natural_convection:
    'Churchill and Chu (1975), horizontal isothermal cylinder: Nu = {0.60 + 0.387·Ra^(1/6) / [1 + (0.559/Pr)^(9/16)]^(8/27)}².',
  forced_convection:
    'Churchill and Bernstein (1977), cylinder in cross-flow: Nu = 0.3 + 0.62·Re^(1/2)·Pr^(1/3) / [1 + (0.4/Pr)^(2/3)]^(1/4) · [1 + (Re/282000)^(5/8)]^(4/5); only with wind.',
  combination: 'Nu = (Nu_forced³ + Nu_natural³)^(1/3).',
  radiation: `ε·σ·(T_s⁴ − T_sur⁴), σ = ${STEFAN_BOLTZMANN} W m⁻² K⁻⁴, to surroundings at the ambient unless sky_c is given.`,
  air_properties:
    'Air at 1 atm from Incropera et al., Fundamentals of Heat and Mass Transfer, Table A.4, interpolated at the film temperature (T_s + T_a)/2; β = 1/T_film.',
  range: `Lowest and highest estimate with the emissivity ±${HEAT_LOSS_RANGE.emissivity}, the ambient ±${HEAT_LOSS_RANGE.ambient_c} °C and, when no wind is given, wind from ${HEAT_LOSS_RANGE.wind_speed_ms[0]} (still air, the lower bound) to ${HEAT_LOSS_RANGE.wind_speed_ms[1]} m/s.`
}

export const HEAT_LOSS_FORMATS = ['json', 'csv', 'geojson'] as const
export type HeatLossFormat = (typeof HEAT_LOSS_FORMATS)[number]

const bounded = (name: keyof typeof HEAT_LOSS_LIMITS, description: string, example: number) => {
  const { minimum, maximum } = HEAT_LOSS_LIMITS[name]
  return Type.Optional(Type.Number({ minimum, maximum, description: `${description} ${minimum} to ${maximum}.`, examples: [example] }))
}

export const HeatLossQuerySchema = Type.Object(
  {
    site: SiteParam,
    sector: SectorParam,
    period: PeriodParam,
    pad_id: Type.Optional(Type.String({ ...PadIdParam, description: 'Only this pad (the survey totals are then its own).' })),
    pipe_diameter_m: bounded(
      'pipe_diameter_m',
      "Outer diameter of the pipe's cladding (m), for every pad. Default: the measurement's `processing_params.pipe_outer_diameter_m`, else the site's configured diameter (HEAT_LOSS_PIPE_DIAMETERS_M), else none: the figures are null.",
      0.6
    ),
    ambient_c: bounded(
      'ambient_c',
      `Air temperature (°C). Default: the median ambient temperature the survey's images recorded (calibration parameters, else thermal metadata), else ${HEAT_LOSS_DEFAULTS.ambient_c} °C.`,
      26
    ),
    emissivity: bounded(
      'emissivity',
      `Emissivity of the cladding. Default: the median calibration emissivity of the pad's images, else ${HEAT_LOSS_DEFAULTS.emissivity} (painted or jacketed cladding; bare or aluminium cladding is far lower).`,
      0.9
    ),
    wind_speed_ms: bounded(
      'wind_speed_ms',
      'Wind across the pipe (m/s). Default: none, still air (the lower bound of the range, whose upper bound takes 2 m/s).',
      1.5
    ),
    sky_c: bounded('sky_c', 'Temperature of the surroundings the surface radiates to (°C). Default: the ambient.', 10),
    intact_surface_c: bounded(
      'intact_surface_c',
      "Surface temperature of sound insulation (°C), the base of the excess loss. Default: the survey's reference temperature (the median of its images' averages, as hot spots use).",
      30
    ),
    operating_hours: bounded(
      'operating_hours',
      `Hours a year the line runs, for the MWh a year. Default: ${HEAT_LOSS_DEFAULTS.operating_hours}.`,
      8000
    ),
    format: Type.Optional(
      StringEnum(HEAT_LOSS_FORMATS, {
        default: 'json',
        description: '`json`; `csv` (one row per region); `geojson` (the regions, their figures as properties).'
      })
    )
  },
  { additionalProperties: false }
)
export type HeatLossQuery = Static<typeof HeatLossQuerySchema>

export const INPUT_SOURCES = ['query', 'measurement', 'survey', 'configuration', 'default'] as const
export const InputSourceSchema = StringEnum(INPUT_SOURCES, {
  $id: 'HeatLossInputSource',
  description:
    "Where an input's value came from: the query, the pad's measurement, the survey's images, the site's configuration, or a default."
})
export type InputSource = Static<typeof InputSourceSchema>

const input = <T extends TSchema>(value: T, description: string) =>
  Type.Object(
    {
      value,
      source: Type.Union([Type.Ref(InputSourceSchema), Type.Null()], { description: 'Null when no value is known.' }),
      detail: Type.String({ description: 'Which field, or why there is none.' })
    },
    { additionalProperties: false, description }
  )
const nullableNumber = Type.Union([Type.Number(), Type.Null()])
const nullable = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })
const range = (description: string) =>
  Type.Union([Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), Type.Null()], {
    description: `${description}: [lowest, highest] over the range of the inputs.`
  })

/** A figure and its range, under `name` and `name_range`. */
function figure<N extends string>(name: N, description: string) {
  return { [name]: nullable(description), [`${name}_range`]: range(description) } as Record<N, ReturnType<typeof nullable>> &
    Record<`${N}_range`, ReturnType<typeof range>>
}

const padFigures = {
  ...figure('heat_loss_kw', 'Heat loss of the regions (kW)'),
  ...figure('excess_heat_loss_kw', 'Heat loss above that of sound insulation (kW), what a repair would save'),
  ...figure('heat_loss_mwh_yr', 'Heat lost in a year at `operating_hours` (MWh)'),
  ...figure('excess_heat_loss_mwh_yr', 'Excess heat lost in a year (MWh)')
}

export const HeatLossRegionSchema = Type.Object(
  {
    region_id: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    length_m: nullable('Length along the pipe (m).'),
    mean_temp_c: nullable('Mean surface temperature (°C): the T_s of the estimate.'),
    max_temp_c: nullable('Highest surface temperature (°C), for reference.'),
    heat_loss_w_per_m: nullable('q′ at the mean surface temperature (W/m).'),
    ...figure('heat_loss_w', 'q′(T_s) × length (W)'),
    ...figure('excess_heat_loss_w', '(q′(T_s) − q′(T_intact)) × length (W)'),
    note: Type.Union([Type.String(), Type.Null()], { description: 'Why a figure is 0 or null.' })
  },
  { $id: 'HeatLossRegion', additionalProperties: false, description: 'One warm section of pipe and its estimated heat loss.' }
)
export type HeatLossRegion = Static<typeof HeatLossRegionSchema>

export const HeatLossPadSchema = Type.Object(
  {
    pad_id: Type.String(),
    pad_name: Type.String(),
    length_m: Type.Number({ description: 'Sum of the regions’ lengths (m).' }),
    inputs: Type.Object(
      {
        pipe_diameter_m: input(nullableNumber, 'Outer diameter (m); null when none is known.'),
        emissivity: input(Type.Number(), 'Emissivity of the surface.')
      },
      { additionalProperties: false }
    ),
    ...padFigures,
    reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the figures are null (no diameter, say).' }),
    regions: Type.Array(Type.Ref(HeatLossRegionSchema))
  },
  { $id: 'HeatLossPad', additionalProperties: false, description: 'A measured pad: its regions and their sums.' }
)
export type HeatLossPad = Static<typeof HeatLossPadSchema>

/** The demo's PAD_105 (`pad_id=leyte_tongonan_PAD_105`), as the API answers it. */
const HEAT_LOSS_EXAMPLE = {
  site: 'leyte',
  sector: 'tongonan',
  period: '20241230',
  pad_id: 'leyte_tongonan_PAD_105',
  inputs: {
    ambient_c: { value: 25, source: 'survey', detail: 'median calibration.params.ambient_temp of 62 images' },
    sky_c: { value: 25, source: 'default', detail: 'the ambient' },
    wind_speed_ms: { value: null, source: 'default', detail: 'none: still air (the range takes 0 to 2 m/s)' },
    intact_surface_c: { value: 28.65, source: 'survey', detail: "the survey's reference temperature, the median of its images' averages" },
    operating_hours: { value: 8760, source: 'default', detail: 'all year' }
  },
  totals: {
    length_m: 9.6,
    pads_with_figures: 1,
    pads_without_figures: [],
    heat_loss_kw: 12.161,
    heat_loss_kw_range: [11.336, 16.316],
    excess_heat_loss_kw: 11.641,
    excess_heat_loss_kw_range: [11.123, 14.904],
    heat_loss_mwh_yr: 106.53,
    heat_loss_mwh_yr_range: [99.31, 142.92],
    excess_heat_loss_mwh_yr: 101.98,
    excess_heat_loss_mwh_yr_range: [97.44, 130.56]
  },
  pads: [
    {
      pad_id: 'leyte_tongonan_PAD_105',
      pad_name: '105',
      length_m: 9.6,
      inputs: {
        pipe_diameter_m: { value: 0.6, source: 'measurement', detail: 'processing_params.pipe_outer_diameter_m' },
        emissivity: { value: 0.92, source: 'survey', detail: 'median calibration.params.emissivity of 26 images' }
      },
      heat_loss_kw: 12.161,
      heat_loss_kw_range: [11.336, 16.316],
      excess_heat_loss_kw: 11.641,
      excess_heat_loss_kw_range: [11.123, 14.904],
      heat_loss_mwh_yr: 106.53,
      heat_loss_mwh_yr_range: [99.31, 142.92],
      excess_heat_loss_mwh_yr: 101.98,
      excess_heat_loss_mwh_yr_range: [97.44, 130.56],
      reason: null,
      regions: [
        {
          region_id: 1,
          length_m: 5.6,
          mean_temp_c: 91.7,
          max_temp_c: 110,
          heat_loss_w_per_m: 1617.8,
          heat_loss_w: 9059.5,
          heat_loss_w_range: [8504.7, 11860.3],
          excess_heat_loss_w: 8756.1,
          excess_heat_loss_w_range: [8380.4, 11037],
          note: null
        },
        {
          region_id: 2,
          length_m: 2.4,
          mean_temp_c: 63.8,
          max_temp_c: 68.2,
          heat_loss_w_per_m: 819.1,
          heat_loss_w: 1965.9,
          heat_loss_w_range: [1799.7, 2802.7],
          excess_heat_loss_w: 1835.8,
          excess_heat_loss_w_range: [1746.4, 2449.8],
          note: null
        },
        {
          region_id: 3,
          length_m: 1.6,
          mean_temp_c: 59.5,
          max_temp_c: 61.7,
          heat_loss_w_per_m: 709.9,
          heat_loss_w: 1135.8,
          heat_loss_w_range: [1031.8, 1652.5],
          excess_heat_loss_w: 1049.1,
          excess_heat_loss_w_range: [996.3, 1417.3],
          note: null
        }
      ]
    }
  ]
}

export const HeatLossSchema = Type.Object(
  {
    ...surveyEcho,
    pad_id: Type.Union([Type.String(), Type.Null()], { description: 'The pad asked for; null for the whole survey.' }),
    method: Type.Object(
      {
        summary: Type.String(),
        natural_convection: Type.String(),
        forced_convection: Type.String(),
        combination: Type.String(),
        radiation: Type.String(),
        air_properties: Type.String(),
        range: Type.String()
      },
      { additionalProperties: false, description: 'The correlations and the table, by name.' }
    ),
    inputs: Type.Object(
      {
        ambient_c: input(Type.Number(), 'Air temperature (°C).'),
        sky_c: input(Type.Number(), 'Temperature of the radiative surroundings (°C).'),
        wind_speed_ms: input(nullableNumber, 'Wind across the pipe (m/s); null: still air.'),
        intact_surface_c: input(Type.Number(), 'Surface temperature of sound insulation (°C).'),
        operating_hours: input(Type.Number(), 'Hours a year.')
      },
      { additionalProperties: false, description: 'The survey-wide inputs; each pad states its diameter and emissivity.' }
    ),
    totals: Type.Object(
      {
        length_m: Type.Number({ description: 'Metres of warm pipe on the pads with figures.' }),
        pads_with_figures: Type.Integer({ minimum: 0 }),
        pads_without_figures: Type.Array(Type.String(), { description: 'Pads left out of the sums (no diameter): their ids.' }),
        ...padFigures
      },
      { additionalProperties: false, description: 'Sums over the pads with figures.' }
    ),
    pads: Type.Array(Type.Ref(HeatLossPadSchema), { description: 'Measured pads, in natural order.' })
  },
  {
    $id: 'HeatLoss',
    additionalProperties: false,
    description:
      'Estimated heat loss of the warm pipe of a survey: its totals, each pad’s and each region’s, with the inputs and the method.',
    examples: [{ ...HEAT_LOSS_EXAMPLE, method: HEAT_LOSS_METHOD }]
  }
)
export type HeatLoss = Static<typeof HeatLossSchema>

const regionProperties = Type.Object(
  {
    pad_id: Type.String(),
    ...HeatLossRegionSchema.properties,
    pipe_diameter_m: nullable('Outer diameter used (m).'),
    emissivity: Type.Number()
  },
  { additionalProperties: false }
)

export const HeatLossCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object(
        {
          type: Type.Literal('Feature'),
          geometry: Type.Union([
            Type.Object(
              { type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Number()))) },
              { additionalProperties: false }
            ),
            Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }, { additionalProperties: false })
          ]),
          properties: regionProperties
        },
        { additionalProperties: false }
      )
    )
  },
  { $id: 'HeatLossCollection', additionalProperties: false, description: 'The regions with their figures, for the map (RFC 7946).' }
)
export type HeatLossCollection = Static<typeof HeatLossCollectionSchema>

/** The header of `format=csv`: one row per region. */
export const HEAT_LOSS_CSV_COLUMNS = [
  'pad_id',
  'region_id',
  'length_m',
  'mean_temp_c',
  'pipe_diameter_m',
  'emissivity',
  'heat_loss_w_per_m',
  'heat_loss_w',
  'heat_loss_w_low',
  'heat_loss_w_high',
  'excess_heat_loss_w',
  'excess_heat_loss_w_low',
  'excess_heat_loss_w_high',
  'note'
] as const
