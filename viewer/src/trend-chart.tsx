import { Fragment, useId } from 'react'
import type { PadTrend } from '@thermal-viewer/client'
import { SEVERITIES, SEVERITY_COLOURS } from './colours.js'

const W = 340
const H = 210
const PAD = { left: 44, right: 44, top: 12, bottom: 34 }
/** Height of the hot-spot count bars under the temperature lines. */
const BARS = 44

const SERIES = [
  { key: 'max_temp', label: 'max', colour: '#c0392b' },
  { key: 'p95_max_temp', label: 'p95', colour: '#a84300' },
  { key: 'avg_temp', label: 'mean', colour: '#1f5fa8' }
] as const

const formatPeriod = (p: string) => (/^\d{8}/.test(p) ? `${p.slice(0, 4)}-${p.slice(4, 6)}-${p.slice(6, 8)}${p.slice(8)}` : p)

/** The pad across its surveys: max, p95 and mean temperature per period, hot-spot counts by severity, the current period marked. */
export function TrendChart({ trend, current }: { trend: PadTrend; current?: string }) {
  const titleId = useId()
  const periods = trend.periods
  const temps = periods.flatMap((p) => SERIES.map((s) => p[s.key])).filter((v): v is number => v !== null)
  const top = Math.ceil((Math.max(0, ...temps) * 1.1) / 10) * 10 || 10
  const plotH = H - PAD.top - PAD.bottom - BARS
  const step = periods.length > 1 ? (W - PAD.left - PAD.right) / (periods.length - 1) : 0
  const x = (i: number) => (periods.length > 1 ? PAD.left + i * step : (PAD.left + W - PAD.right) / 2)
  const y = (v: number) => PAD.top + plotH * (1 - v / top)
  const counts = periods.map((p) => SEVERITIES.reduce((n, s) => n + p.hotspot_counts[s], 0))
  const maxCount = Math.max(1, ...counts)
  const barBase = H - PAD.bottom
  const barW = Math.max(6, Math.min(24, step * 0.4 || 24))
  const labelEvery = Math.ceil(periods.length / 5)

  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} className="trend-svg">
        <title id={titleId}>
          {`Temperature of the pad in ${periods.length} surveys: ${periods
            .map((p) => `${formatPeriod(p.period)} max ${p.max_temp ?? '–'} °C`)
            .join('; ')}`}
        </title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(top * f)} y2={y(top * f)} className="grid" />
            <text x={PAD.left - 4} y={y(top * f) + 4} textAnchor="end" className="axis">
              {Math.round(top * f)}
            </text>
          </g>
        ))}
        <text x={4} y={PAD.top - 2} className="axis">
          °C
        </text>
        {periods.map((p, i) =>
          p.period === current ? (
            <rect
              key="current"
              x={x(i) - 14}
              y={PAD.top}
              width={28}
              height={barBase - PAD.top}
              className="current-period"
              data-period={p.period}
            />
          ) : null
        )}
        {periods.map((p, i) => {
          let base = barBase
          return (
            <g key={p.period}>
              {SEVERITIES.map((s) => {
                const h = (p.hotspot_counts[s] / maxCount) * BARS
                base -= h
                return h > 0 ? <rect key={s} x={x(i) - barW / 2} y={base} width={barW} height={h} fill={SEVERITY_COLOURS[s].fill} /> : null
              })}
            </g>
          )
        })}
        {SERIES.map((s) => {
          const points = periods.flatMap((p, i) => (p[s.key] === null ? [] : [`${x(i)},${y(p[s.key]!)}`]))
          return (
            <g key={s.key}>
              <polyline points={points.join(' ')} fill="none" stroke={s.colour} strokeWidth={2} />
              {periods.map((p, i) =>
                p[s.key] === null ? null : <circle key={p.period} cx={x(i)} cy={y(p[s.key]!)} r={3} fill={s.colour} />
              )}
            </g>
          )
        })}
        {periods.map((p, i) =>
          i % labelEvery === 0 || p.period === current ? (
            <text
              key={p.period}
              x={x(i)}
              y={H - PAD.bottom + 14}
              textAnchor="middle"
              className={p.period === current ? 'axis period current' : 'axis period'}
              data-period={p.period}
            >
              {formatPeriod(p.period)}
            </text>
          ) : null
        )}
      </svg>
      <figcaption>
        {SERIES.map((s) => (
          <Fragment key={s.key}>
            <span className="key" style={{ color: s.colour }}>
              {`━ ${s.label}`}
            </span>{' '}
          </Fragment>
        ))}
        · bars: hot spots by severity · shaded: this survey
      </figcaption>
      <details>
        <summary>The trend as a table</summary>
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Images</th>
                <th scope="col">Max °C</th>
                <th scope="col">p95 °C</th>
                <th scope="col">Mean °C</th>
                <th scope="col">Hot spots (minor/moderate/serious/critical)</th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.period} className={p.period === current ? 'selected' : undefined}>
                  <th scope="row">{formatPeriod(p.period)}</th>
                  <td className="num">{p.image_count}</td>
                  <td className="num">{p.max_temp ?? '–'}</td>
                  <td className="num">{p.p95_max_temp ?? '–'}</td>
                  <td className="num">{p.avg_temp ?? '–'}</td>
                  <td>{SEVERITIES.map((s) => p.hotspot_counts[s]).join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  )
}
