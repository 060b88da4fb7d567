import { HEAT_LOSS_RANGE, type HeatLoss, type HeatLossPad } from '../../../schemas/heat-loss.js'

/**
 * The heat loss as the line-loss reports print it. The PDF's standard fonts
 * encode WinAnsi only, so the text keeps to Latin-1 and the en dash.
 */

export const kw = (v: number) => v.toFixed(2)
export const mwh = (v: number) => v.toFixed(1)
const range = (r: number[] | null, format: (v: number) => string) => (r ? ` (${format(r[0]!)}–${format(r[1]!)})` : '')

export const METHOD_NOTE =
  "Heat loss per metre q' = pi·D·[h·(Ts - Ta) + emissivity·sigma·(Ts^4 - Tsur^4)] at each region's mean surface temperature; h by Churchill-Chu (still air) and Churchill-Bernstein (wind), air from Incropera Table A.4; excess = the loss above sound insulation."

/** Why a pad has no figures, shortened for a table cell's footnote. */
export function missingReason(pad: HeatLossPad): string {
  return pad.inputs.pipe_diameter_m.value === null ? 'no pipe diameter known' : (pad.reason ?? 'no figures')
}

function source(input: { source: string | null; detail: string }): string {
  return input.source === null ? input.detail : `${input.source}: ${input.detail}`
}

/** The totals with their ranges, and the pads they leave out. */
export function totalLines(h: HeatLoss): string[] {
  const t = h.totals
  const measured = t.pads_with_figures + t.pads_without_figures.length
  const lines = [
    `Heat loss: ${kw(t.heat_loss_kw ?? 0)} kW${range(t.heat_loss_kw_range, kw)}, ${mwh(t.heat_loss_mwh_yr ?? 0)} MWh/yr${range(t.heat_loss_mwh_yr_range, mwh)}, from ${t.pads_with_figures} of ${measured} measured pads.`,
    `Excess over sound insulation (what repairs would save): ${kw(t.excess_heat_loss_kw ?? 0)} kW${range(t.excess_heat_loss_kw_range, kw)}, ${mwh(t.excess_heat_loss_mwh_yr ?? 0)} MWh/yr${range(t.excess_heat_loss_mwh_yr_range, mwh)}.`
  ]
  const left = h.pads.filter((p) => t.pads_without_figures.includes(p.pad_id))
  if (left.length > 0) lines.push(`n/a: ${left.map((p) => `Pad ${p.pad_name} (${missingReason(p)})`).join('; ')}.`)
  return lines
}

/** Every input with its value and where it came from. */
export function inputLines(h: HeatLoss): string[] {
  const i = h.inputs
  const wind =
    i.wind_speed_ms.value === null
      ? `still air (${i.wind_speed_ms.source}; the range goes up to ${HEAT_LOSS_RANGE.wind_speed_ms[1]} m/s)`
      : `${i.wind_speed_ms.value} m/s (${i.wind_speed_ms.source})`
  return [
    `Ambient ${i.ambient_c.value.toFixed(1)} °C (${source(i.ambient_c)}); surroundings ${i.sky_c.value.toFixed(1)} °C (${i.sky_c.source}).`,
    `Wind: ${wind}; sound insulation at ${i.intact_surface_c.value.toFixed(1)} °C (${source(i.intact_surface_c)}); ${i.operating_hours.value} h/yr (${i.operating_hours.source}).`,
    h.pads
      .map((p) => {
        const d = p.inputs.pipe_diameter_m
        const diameter = d.value === null ? 'D n/a' : `D ${d.value} m (${d.source})`
        return `Pad ${p.pad_name}: ${diameter}, emissivity ${Number(p.inputs.emissivity.value.toFixed(3))} (${p.inputs.emissivity.source})`
      })
      .join('; ') + '.'
  ]
}
