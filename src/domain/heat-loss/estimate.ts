import { HEAT_LOSS_METHOD, HEAT_LOSS_RANGE, type HeatLoss, type HeatLossPad, type HeatLossRegion } from '../../../schemas/heat-loss.js'
import type { Measurement, RegionMeasurement } from '../../../schemas/line-loss.js'
import { isFiniteNumber, numberOrNull } from '../records.js'
import type { ResolvedInput } from './inputs.js'
import { heatLossPerMetre, type SurfaceConditions } from './pipe-surface.js'

/** The survey-wide inputs, resolved. The sky follows the ambient unless it was given. */
export interface SurveyInputs {
  ambient_c: ResolvedInput<number>
  sky_c: ResolvedInput<number>
  wind_speed_ms: ResolvedInput<number | null>
  intact_surface_c: ResolvedInput<number>
  operating_hours: ResolvedInput<number>
}

/** A measured pad and its own inputs. */
export interface PadInputs {
  pad_id: string
  pad_name: string
  measurement: Measurement
  pipe_diameter_m: ResolvedInput<number | null>
  emissivity: ResolvedInput<number>
}

/** One set of conditions the estimate is evaluated under: the central one first, then the corners of the range. */
interface Scenario {
  ambientC: number
  surroundingsC: number
  emissivityShift: number
  windMs: number
}

function scenarios(inputs: SurveyInputs): Scenario[] {
  const ambient = inputs.ambient_c.value
  const skyGiven = inputs.sky_c.source === 'query'
  const wind = inputs.wind_speed_ms.value
  const at = (dAmbient: number, emissivityShift: number, windMs: number): Scenario => ({
    ambientC: ambient + dAmbient,
    surroundingsC: skyGiven ? inputs.sky_c.value : ambient + dAmbient,
    emissivityShift,
    windMs
  })
  const winds = wind === null ? HEAT_LOSS_RANGE.wind_speed_ms : [wind]
  const corners = [-1, 1].flatMap((a) =>
    [-1, 1].flatMap((e) => winds.map((w) => at(a * HEAT_LOSS_RANGE.ambient_c, e * HEAT_LOSS_RANGE.emissivity, w)))
  )
  return [at(0, 0, wind ?? 0), ...corners]
}

/** A figure under every scenario: index 0 is the estimate, the rest span its range. */
type Spread = number[]

const add = (a: Spread, b: Spread): Spread => a.map((v, i) => v + b[i]!)
const scale = (a: Spread, f: number): Spread => a.map((v) => v * f)
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits

function figure(spread: Spread | null, digits: number): [number | null, [number, number] | null] {
  if (spread === null) return [null, null]
  return [round(spread[0]!, digits), [round(Math.min(...spread), digits), round(Math.max(...spread), digits)]]
}

interface RegionResult {
  region: HeatLossRegion
  loss: Spread | null
  excess: Spread | null
}

function regionResult(r: RegionMeasurement, pad: PadInputs, inputs: SurveyInputs, all: readonly Scenario[]): RegionResult {
  const length = numberOrNull(r.length_m)
  const ts = numberOrNull(r.mean_temp_c)
  const id = r.region_id
  const base = {
    region_id: typeof id === 'string' || isFiniteNumber(id) ? id : null,
    length_m: length,
    mean_temp_c: ts,
    max_temp_c: numberOrNull(r.max_temp_c)
  }
  const none = (note: string | null): RegionResult => ({
    region: {
      ...base,
      heat_loss_w_per_m: null,
      heat_loss_w: null,
      heat_loss_w_range: null,
      excess_heat_loss_w: null,
      excess_heat_loss_w_range: null,
      note
    },
    loss: null,
    excess: null
  })
  const diameter = pad.pipe_diameter_m.value
  if (diameter === null) return none(null)
  if (length === null || length < 0 || ts === null) return none('no length_m or mean_temp_c: left out of the sums')
  const tIntact = inputs.intact_surface_c.value
  const perMetre: number[] = []
  const excessPerMetre: number[] = []
  for (const s of all) {
    const c: SurfaceConditions = {
      diameterM: diameter,
      ambientC: s.ambientC,
      surroundingsC: s.surroundingsC,
      emissivity: Math.min(1, Math.max(0.01, pad.emissivity.value + s.emissivityShift)),
      windMs: s.windMs
    }
    const q = heatLossPerMetre(ts, c)
    const qi = heatLossPerMetre(tIntact, c)
    if (!q || !qi) return none('surface temperature outside the air table (film temperature 200–800 K): left out of the sums')
    perMetre.push(q.total)
    excessPerMetre.push(Math.max(0, q.total - qi.total))
  }
  const loss = scale(perMetre, length)
  const excess = scale(excessPerMetre, length)
  const [w, wRange] = figure(loss, 1)
  const [x, xRange] = figure(excess, 1)
  const note =
    ts <= inputs.ambient_c.value
      ? 'not warmer than the ambient: no loss'
      : ts <= tIntact
        ? 'not warmer than sound insulation: no excess'
        : null
  return {
    region: {
      ...base,
      heat_loss_w_per_m: round(perMetre[0]!, 1),
      heat_loss_w: w,
      heat_loss_w_range: wRange,
      excess_heat_loss_w: x,
      excess_heat_loss_w_range: xRange,
      note
    },
    loss,
    excess
  }
}

type Figures = Pick<
  HeatLossPad,
  | 'heat_loss_kw'
  | 'heat_loss_kw_range'
  | 'excess_heat_loss_kw'
  | 'excess_heat_loss_kw_range'
  | 'heat_loss_mwh_yr'
  | 'heat_loss_mwh_yr_range'
  | 'excess_heat_loss_mwh_yr'
  | 'excess_heat_loss_mwh_yr_range'
>

/** Watts under each scenario to kW and MWh a year. */
function figures(loss: Spread | null, excess: Spread | null, hours: number): Figures {
  const kw = (w: Spread | null) => (w === null ? null : scale(w, 1e-3))
  const mwh = (w: Spread | null) => (w === null ? null : scale(w, hours * 1e-6))
  const [heat_loss_kw, heat_loss_kw_range] = figure(kw(loss), 3)
  const [excess_heat_loss_kw, excess_heat_loss_kw_range] = figure(kw(excess), 3)
  const [heat_loss_mwh_yr, heat_loss_mwh_yr_range] = figure(mwh(loss), 2)
  const [excess_heat_loss_mwh_yr, excess_heat_loss_mwh_yr_range] = figure(mwh(excess), 2)
  return {
    heat_loss_kw,
    heat_loss_kw_range,
    excess_heat_loss_kw,
    excess_heat_loss_kw_range,
    heat_loss_mwh_yr,
    heat_loss_mwh_yr_range,
    excess_heat_loss_mwh_yr,
    excess_heat_loss_mwh_yr_range
  }
}

const NO_DIAMETER =
  'no pipe diameter known: pass pipe_diameter_m, or store processing_params.pipe_outer_diameter_m with the measurement, or configure HEAT_LOSS_PIPE_DIAMETERS_M'

/**
 * The heat loss of a survey's measured pads, each region's, each pad's and the
 * total, every figure with its range. A pad without a diameter has null figures
 * and a reason, and is left out of the totals (which name it).
 */
export function estimateHeatLoss(
  survey: { site: string; sector: string; period: string; pad_id: string | null },
  inputs: SurveyInputs,
  pads: readonly PadInputs[]
): HeatLoss {
  const all = scenarios(inputs)
  const zero: Spread = all.map(() => 0)
  const hours = inputs.operating_hours.value
  let [loss, excess, length] = [zero, zero, 0]
  const without: string[] = []
  const padResults = pads.map((pad): HeatLossPad => {
    const regions = (Array.isArray(pad.measurement.region_measurements) ? pad.measurement.region_measurements : [])
      .filter((r) => r !== null && typeof r === 'object')
      .map((r) => regionResult(r, pad, inputs, all))
    const padLength = regions.reduce((a, r) => a + (r.region.length_m ?? 0), 0)
    const known = pad.pipe_diameter_m.value !== null
    const padLoss = known ? regions.reduce((a, r) => (r.loss ? add(a, r.loss) : a), zero) : null
    const padExcess = known ? regions.reduce((a, r) => (r.excess ? add(a, r.excess) : a), zero) : null
    if (padLoss && padExcess) {
      loss = add(loss, padLoss)
      excess = add(excess, padExcess)
      length += padLength
    } else {
      without.push(pad.pad_id)
    }
    return {
      pad_id: pad.pad_id,
      pad_name: pad.pad_name,
      length_m: round(padLength, 2),
      inputs: { pipe_diameter_m: pad.pipe_diameter_m, emissivity: pad.emissivity },
      ...figures(padLoss, padExcess, hours),
      reason: known ? null : NO_DIAMETER,
      regions: regions.map((r) => r.region)
    }
  })
  return {
    ...survey,
    method: HEAT_LOSS_METHOD,
    inputs,
    totals: {
      length_m: round(length, 2),
      pads_with_figures: pads.length - without.length,
      pads_without_figures: without,
      ...figures(loss, excess, hours)
    },
    pads: padResults
  }
}
