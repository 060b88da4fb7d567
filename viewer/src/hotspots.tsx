import { useId } from 'react'
import type { HotspotList, Severity } from '@thermal-viewer/client'
import { apiHref, type Api } from './api.js'
import { DownloadLink, ErrorMessage, Loading, SeverityBadge } from './common.js'
import { SEVERITIES } from './colours.js'
import type { Loaded } from './use-load.js'

export type HotspotScope = 'pad' | 'survey'

interface HotspotsProps {
  api: Api
  survey: { site: string; sector: string; period: string }
  padId: string
  scope: HotspotScope
  minSeverity: Severity | undefined
  onScope: (scope: HotspotScope) => void
  onMinSeverity: (severity: Severity | undefined) => void
  list: Loaded<HotspotList>
  selectedImage?: string
  onPick: (imageId: string, padId: string | null) => void
}

const shortId = (imageId: string) => imageId.slice(imageId.lastIndexOf('_') + 1)

/** The ranked hot spots of the pad or the survey, in the API's order; a row selects its camera. */
export function Hotspots(props: HotspotsProps) {
  const scopeId = useId()
  const severityId = useId()
  const { list } = props
  const query = {
    ...props.survey,
    pad_id: props.scope === 'pad' ? props.padId : undefined,
    min_severity: props.minSeverity
  }
  const stem = `hotspots-${props.survey.period}-${props.scope === 'pad' ? props.padId : props.survey.sector}`
  return (
    <div>
      <div className="controls">
        <label htmlFor={scopeId}>Hot spots of</label>
        <select id={scopeId} value={props.scope} onChange={(e) => props.onScope(e.target.value as HotspotScope)}>
          <option value="pad">this pad</option>
          <option value="survey">the whole survey</option>
        </select>
        <label htmlFor={severityId}>Minimum severity</label>
        <select
          id={severityId}
          value={props.minSeverity ?? ''}
          onChange={(e) => props.onMinSeverity(e.target.value === '' ? undefined : (e.target.value as Severity))}
        >
          <option value="">any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <p className="downloads">
        Download:{' '}
        <DownloadLink
          api={props.api}
          href={apiHref(props.api.baseUrl, '/api/hotspots', { query: { ...query, format: 'csv' } })}
          filename={`${stem}.csv`}
        >
          CSV
        </DownloadLink>{' '}
        ·{' '}
        <DownloadLink
          api={props.api}
          href={apiHref(props.api.baseUrl, '/api/hotspots', { query: { ...query, format: 'geojson' } })}
          filename={`${stem}.geojson`}
        >
          GeoJSON
        </DownloadLink>
      </p>
      {list.error && <ErrorMessage error={list.error} what="the hot spots" />}
      {list.loading && <Loading what="hot spots" />}
      {list.data && (
        <>
          <p className="muted">
            {list.data.count} hot spot{list.data.count === 1 ? '' : 's'}
            {list.data.hotspots.length < list.data.count ? ` (the hottest ${list.data.hotspots.length} shown)` : ''}; reference temperature{' '}
            {list.data.reference_temp === null ? '–' : `${list.data.reference_temp} °C`} (ΔT is over it).
          </p>
          <div className="table-scroll">
            <table className="data hotspot-table">
              <caption className="visually-hidden">Hot spots, hottest first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Image</th>
                  {props.scope === 'survey' && <th scope="col">Pad</th>}
                  <th scope="col">Max °C</th>
                  <th scope="col">ΔT</th>
                  <th scope="col">Severity</th>
                </tr>
              </thead>
              <tbody>
                {list.data.hotspots.map((h) => (
                  <tr key={h.image_id} className={h.image_id === props.selectedImage ? 'selected' : undefined} data-image-id={h.image_id}>
                    <td>{h.rank}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => props.onPick(h.image_id, h.pad_id)}
                        aria-label={`Show image ${h.image_id}`}
                      >
                        {shortId(h.image_id)}
                      </button>
                    </td>
                    {props.scope === 'survey' && <td>{h.pad_id?.slice(h.pad_id.indexOf('_PAD_') + 5) ?? '–'}</td>}
                    <td className="num">{h.max_temp.toFixed(1)}</td>
                    <td className="num">{h.delta_t.toFixed(1)}</td>
                    <td>
                      <SeverityBadge severity={h.severity} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}
