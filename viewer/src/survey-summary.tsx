import type { SurveySummary as Summary } from '@thermal-viewer/client'
import { apiHref, type Api } from './api.js'
import { DownloadLink, ErrorMessage, Loading } from './common.js'
import { SEVERITIES } from './colours.js'
import type { Loaded } from './use-load.js'

interface SurveySummaryProps {
  api: Api
  survey: { site: string; sector: string; period: string }
  padId?: string
  summary: Loaded<Summary>
  onPad: (padId: string) => void
}

/** Every pad of the survey at a glance: images, maximum, hot spots by severity, completeness. */
export function SurveySummary(props: SurveySummaryProps) {
  const { summary, api, survey } = props
  return (
    <div>
      <p className="downloads">
        <DownloadLink
          api={api}
          href={apiHref(api.baseUrl, '/api/survey/summary', { query: { ...survey, format: 'csv' } })}
          filename={`survey-${survey.site}-${survey.sector}-${survey.period}.csv`}
        >
          Download CSV
        </DownloadLink>
      </p>
      {summary.error && <ErrorMessage error={summary.error} what="the survey summary" />}
      {summary.loading && <Loading what="the survey summary" />}
      {summary.data && (
        <div className="table-scroll">
          <table className="data summary-table">
            <caption className="visually-hidden">Pads of the survey</caption>
            <thead>
              <tr>
                <th scope="col">Pad</th>
                <th scope="col">Images</th>
                <th scope="col">Max °C</th>
                <th scope="col" title="minor / moderate / serious / critical">
                  Hot spots <span className="visually-hidden">(minor, moderate, serious, critical)</span>
                </th>
                <th scope="col">Complete</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.pads.map((p) => (
                <tr key={p.pad_id} className={p.pad_id === props.padId ? 'selected' : undefined}>
                  <th scope="row">
                    <button type="button" className="link" onClick={() => props.onPad(p.pad_id)} aria-label={`Open pad ${p.pad_name}`}>
                      {p.pad_name}
                    </button>
                  </th>
                  <td className="num">{p.image_count}</td>
                  <td className="num">{p.max_temp ?? '–'}</td>
                  <td>{SEVERITIES.map((s) => p.severity_counts[s]).join(' / ')}</td>
                  <td>{p.complete ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All {summary.data.totals.pad_count}</th>
                <td className="num">{summary.data.totals.image_count}</td>
                <td className="num">{summary.data.totals.max_temp ?? '–'}</td>
                <td>{SEVERITIES.map((s) => summary.data!.totals.severity_counts[s]).join(' / ')}</td>
                <td>{summary.data.totals.complete_pads} complete</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  )
}
