/**
 * The view a URL holds: `?site=…&sector=…&period=…&pad=…&layer=…&opacity=…&image=…`.
 * A link opens the same view, and the browser's back and forward walk through views.
 */

export const THERMAL_LAYERS = ['medical', 'hotspot_alert', 'none'] as const
export type ThermalLayer = (typeof THERMAL_LAYERS)[number]

export interface ViewState {
  site?: string
  sector?: string
  period?: string
  pad?: string
  /** The thermal mosaic over the optical one. */
  layer: ThermalLayer
  /** Opacity of the thermal layer, 0–1. */
  opacity: number
  /** The selected camera image, whose panel is open. */
  image?: string
}

export const DEFAULT_LAYER: ThermalLayer = 'medical'
export const DEFAULT_OPACITY = 0.8

const text = (params: URLSearchParams, name: string): string | undefined => {
  const value = params.get(name)?.trim()
  return value ? value : undefined
}

export function parseView(search: string): ViewState {
  const params = new URLSearchParams(search)
  const layer = params.get('layer')
  const opacity = Number(params.get('opacity'))
  return {
    site: text(params, 'site'),
    sector: text(params, 'sector'),
    period: text(params, 'period'),
    pad: text(params, 'pad'),
    layer: THERMAL_LAYERS.find((l) => l === layer) ?? DEFAULT_LAYER,
    opacity: params.has('opacity') && Number.isFinite(opacity) ? Math.min(1, Math.max(0, opacity)) : DEFAULT_OPACITY,
    image: text(params, 'image')
  }
}

/** The query string of a view: defaults are left out, so links stay short. */
export function formatView(view: ViewState): string {
  const params = new URLSearchParams()
  for (const name of ['site', 'sector', 'period', 'pad'] as const) {
    const value = view[name]
    if (value) params.set(name, value)
  }
  if (view.layer !== DEFAULT_LAYER) params.set('layer', view.layer)
  if (view.opacity !== DEFAULT_OPACITY) params.set('opacity', String(Math.round(view.opacity * 100) / 100))
  if (view.image) params.set('image', view.image)
  const query = params.toString()
  return query ? `?${query}` : ''
}
