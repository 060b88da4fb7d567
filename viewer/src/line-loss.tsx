import type { MeasurementList, RegionCollection, ReportLinks } from '@thermal-viewer/client'
import { apiHref, type Api } from './api.js'
import { DownloadLink, ErrorMessage, Loading } from './common.js'
import type { Loaded } from './use-load.js'

interface LineLossProps {
  api: Api
  survey: { site: string; sector: string; period: string }
  padId: string
  regions: Loaded<RegionCollection>
  measurements: Loaded<MeasurementList>
  reports: Loaded<ReportLinks>
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '–' : v.toFixed(digits))

/** The pad's measured regions (drawn on the map), their lengths and areas, the survey's totals, and the reports. */
export function LineLoss(props: LineLossProps) {
  const { survey, api } = props
  const all = props.measurements.data?.measurements ?? []
  const mine = all.find((m) => m.pad_id === props.padId)
  const totals = all.reduce<{ regions: number; length: number; area: number }>(
    (t, m) => ({
      regions: t.regions + Number(m.aggregate_stats?.total_regions ?? 0),
      length: t.length + Number(m.aggregate_stats?.total_length_m ?? 0),
      area: t.area + Number(m.aggregate_stats?.total_area_m2 ?? 0)
    }),
    { regions: 0, length: 0, area: 0 }
  )
  const reportPath = { site: survey.site, sector: survey.sector, period: survey.period }
  const stem = `line-loss-${survey.site}-${survey.sector}-${survey.period}`
  return (
    <div>
      {props.regions.error && props.regions.error.status !== 404 && (
        <ErrorMessage error={props.regions.error} what="the line-loss regions" />
      )}
      {props.measurements.error && <ErrorMessage error={props.measurements.error} what="the line-loss measurements" />}
      {props.measurements.loading && <Loading what="line-loss measurements" />}
      {props.measurements.data && !mine && (
        <p className="muted">
          No line-loss measurement for this pad in this survey
          {props.measurements.data.count === 0 ? ', nor for any other: no report either' : ''}.
        </p>
      )}
      {mine && (
        <div className="table-scroll">
          <table className="data line-loss-table">
            <caption className="visually-hidden">Line-loss regions of this pad</caption>
            <thead>
              <tr>
                <th scope="col">Region</th>
                <th scope="col">Length m</th>
                <th scope="col">Area m²</th>
                <th scope="col">Max °C</th>
              </tr>
            </thead>
            <tbody>
              {(mine.region_measurements ?? []).map((r, i) => (
                <tr key={String(r.region_id ?? i)}>
                  <th scope="row">{String(r.region_id ?? i + 1)}</th>
                  <td className="num">{fmt(r.length_m)}</td>
                  <td className="num">{fmt(r.area_m2)}</td>
                  <td className="num">{fmt(r.max_temp_c, 1)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Pad</th>
                <td className="num">{fmt(mine.aggregate_stats?.total_length_m)}</td>
                <td className="num">{fmt(mine.aggregate_stats?.total_area_m2)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {props.measurements.data && (
        <p className="survey-totals">
          Survey: {all.length} pad{all.length === 1 ? '' : 's'} measured, {totals.regions} regions, {totals.length.toFixed(2)} m,{' '}
          {totals.area.toFixed(2)} m².
        </p>
      )}
      <p className="downloads">
        Report (generated):{' '}
        <DownloadLink
          api={api}
          href={apiHref(api.baseUrl, '/api/report/{site}/{sector}/{period}/line-loss.pdf', { path: reportPath })}
          filename={`${stem}.pdf`}
        >
          PDF
        </DownloadLink>{' '}
        ·{' '}
        <DownloadLink
          api={api}
          href={apiHref(api.baseUrl, '/api/report/{site}/{sector}/{period}/line-loss.csv', { path: reportPath })}
          filename={`${stem}.csv`}
        >
          CSV
        </DownloadLink>
      </p>
      {props.reports.data && (
        <p className="downloads">
          Pre-generated: <a href={props.reports.data.pdf_url}>PDF</a>
          {props.reports.data.csv_url && (
            <>
              {' '}
              · <a href={props.reports.data.csv_url}>CSV</a>
            </>
          )}
          {props.reports.data.visual_pdf_url && (
            <>
              {' '}
              · <a href={props.reports.data.visual_pdf_url}>visual PDF</a>
            </>
          )}
        </p>
      )}
      {props.reports.error && props.reports.error.status === 404 && <p className="muted">No pre-generated report for this survey.</p>}
      {props.reports.error && props.reports.error.status !== 404 && <ErrorMessage error={props.reports.error} what="the report links" />}
    </div>
  )
}
