import type { Severity } from '@thermal-viewer/client'

export const SEVERITIES: readonly Severity[] = ['minor', 'moderate', 'serious', 'critical']

/** Fill and text colours of a severity; each pair has at least 4.5:1 contrast (WCAG AA). */
export const SEVERITY_COLOURS: Readonly<Record<Severity, { fill: string; text: string }>> = {
  minor: { fill: '#f7dc6f', text: '#1b1b1b' },
  moderate: { fill: '#f39c12', text: '#1b1b1b' },
  serious: { fill: '#c0392b', text: '#ffffff' },
  critical: { fill: '#6a1b9a', text: '#ffffff' }
}

/** Blue (cool) → yellow → red (hot), for camera markers by their maximum temperature. */
const RAMP: readonly [number, number, number][] = [
  [44, 123, 182],
  [171, 217, 233],
  [255, 255, 191],
  [253, 174, 97],
  [215, 25, 28]
]

export const TEMPERATURE_RAMP_CSS = `linear-gradient(to right, ${RAMP.map(([r, g, b]) => `rgb(${r} ${g} ${b})`).join(', ')})`

/** The colour of `value` on the ramp between `min` and `max`; grey when unknown. */
export function temperatureColour(value: number | null | undefined, min: number, max: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '#9e9e9e'
  const t = max > min ? Math.min(1, Math.max(0, (value - min) / (max - min))) : 1
  const scaled = t * (RAMP.length - 1)
  const i = Math.min(RAMP.length - 2, Math.floor(scaled))
  const f = scaled - i
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!]
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f)
  return `rgb(${mix(0)} ${mix(1)} ${mix(2)})`
}

export const formatC = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined ? '–' : `${value.toFixed(digits)} °C`
