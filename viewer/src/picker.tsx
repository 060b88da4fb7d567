import { useId } from 'react'
import type { Catalog } from '@thermal-viewer/client'
import type { ViewState } from './url-state.js'

type Choice = Pick<ViewState, 'site' | 'sector' | 'period' | 'pad'>

/** Site → sector → period → pad, all from the one catalog call; each change picks the first of what lies below it. */
export function Picker({ catalog, view, onChange }: { catalog: Catalog; view: ViewState; onChange: (choice: Choice) => void }) {
  const ids = { site: useId(), sector: useId(), period: useId(), pad: useId() }
  const site = catalog.sites.find((s) => s.site === view.site)
  const sector = site?.sectors.find((s) => s.sector === view.sector)
  const period = sector?.periods.find((p) => p.period === view.period)

  const firstBelow = (siteId: string, sectorId?: string, periodId?: string): Choice => {
    const s = catalog.sites.find((x) => x.site === siteId)
    const sec = sectorId ? s?.sectors.find((x) => x.sector === sectorId) : s?.sectors[0]
    const per = periodId ? sec?.periods.find((x) => x.period === periodId) : sec?.periods[0]
    return { site: siteId, sector: sec?.sector, period: per?.period, pad: per?.pads[0] }
  }
  return (
    <form className="picker" aria-label="Survey" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={ids.site}>Site</label>
      <select id={ids.site} value={view.site ?? ''} onChange={(e) => onChange(firstBelow(e.target.value))}>
        {catalog.sites.map((s) => (
          <option key={s.site}>{s.site}</option>
        ))}
      </select>
      <label htmlFor={ids.sector}>Sector</label>
      <select id={ids.sector} value={view.sector ?? ''} onChange={(e) => onChange(firstBelow(view.site!, e.target.value))}>
        {site?.sectors.map((s) => (
          <option key={s.sector}>{s.sector}</option>
        ))}
      </select>
      <label htmlFor={ids.period}>Period</label>
      <select id={ids.period} value={view.period ?? ''} onChange={(e) => onChange(firstBelow(view.site!, view.sector, e.target.value))}>
        {sector?.periods.map((p) => (
          <option key={p.period}>{p.period}</option>
        ))}
      </select>
      <label htmlFor={ids.pad}>Pad</label>
      <select
        id={ids.pad}
        value={view.pad ?? ''}
        onChange={(e) => onChange({ ...view, pad: e.target.value })}
        disabled={!period?.pads.length}
      >
        {period?.pads.length ? period.pads.map((p) => <option key={p}>{p}</option>) : <option value="">no pads</option>}
      </select>
    </form>
  )
}

/** The first part of a view the catalog does not know, as a message; undefined when it knows them all. */
export function unknownPart(catalog: Catalog, view: ViewState): string | undefined {
  const site = catalog.sites.find((s) => s.site === view.site)
  if (!site) return `There is no site '${view.site}'.`
  const sector = site.sectors.find((s) => s.sector === view.sector)
  if (!sector) return `Site ${site.site} has no sector '${view.sector}'.`
  const period = sector.periods.find((p) => p.period === view.period)
  if (!period) return `Sector ${sector.sector} has no survey period '${view.period}'.`
  if (view.pad && !period.pads.includes(view.pad)) return `Survey ${period.period} of ${sector.sector} has no pad '${view.pad}'.`
  return undefined
}

/** The view with what the URL leaves out filled in with the catalog's first entries. */
export function withDefaults(catalog: Catalog, view: ViewState): ViewState {
  const site = view.site ?? catalog.sites[0]?.site
  const s = catalog.sites.find((x) => x.site === site)
  const sector = view.sector ?? s?.sectors[0]?.sector
  const sec = s?.sectors.find((x) => x.sector === sector)
  const period = view.period ?? sec?.periods[0]?.period
  const per = sec?.periods.find((x) => x.period === period)
  const pad = view.pad ?? per?.pads[0]
  return { ...view, site, sector, period, pad }
}
