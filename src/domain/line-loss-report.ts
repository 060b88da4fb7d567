import { REPORT_CSV_COLUMNS, type GenerateReportBody, type Measurement, type RegionMeasurement } from '../../schemas/line-loss.js'
import { csvLines } from './csv.js'
import { naturalCompare } from './natural-sort.js'
import { padNameFromId } from './pads.js'
import { isFiniteNumber } from './records.js'

/** One line of a line-loss report: a pad, or a row the client sent. */
export interface ReportRow {
  section: string
  /** Metres of pipe with anomalous heat loss; null for a pad with no measurement (`N/A`). */
  length_m: number | null
  regions?: number
  area_m2?: number
}

export interface LineLossReport {
  site: string
  sector: string
  period?: string
  /** As printed in the header. */
  date: string
  rows: ReportRow[]
  total: ReportRow
  /** Whether the rows carry region counts and areas (reports built from the data do; posted rows do not). */
  detailed: boolean
}

export interface ReportPad {
  pad_id: string
  pad_name: string
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)

function regionsOf(m: Measurement): RegionMeasurement[] {
  return Array.isArray(m.region_measurements) ? m.region_measurements : []
}

/** The aggregate when the item has it, else the sum over its regions. */
function padRow(section: string, m: Measurement | undefined): ReportRow {
  if (!m) return { section, length_m: null }
  const stats = m.aggregate_stats ?? {}
  const regions = regionsOf(m)
  const length = isFiniteNumber(stats.total_length_m)
    ? stats.total_length_m
    : sum(regions.map((r) => (isFiniteNumber(r.length_m) ? r.length_m : 0)))
  const area = isFiniteNumber(stats.total_area_m2)
    ? stats.total_area_m2
    : sum(regions.map((r) => (isFiniteNumber(r.area_m2) ? r.area_m2 : 0)))
  const count = isFiniteNumber(stats.total_regions) ? stats.total_regions : regions.length
  return { section, length_m: length, regions: count, area_m2: area }
}

function totalRow(rows: readonly ReportRow[], detailed: boolean): ReportRow {
  const measured = rows.filter((r) => r.length_m !== null)
  const total: ReportRow = { section: 'Total', length_m: sum(measured.map((r) => r.length_m ?? 0)) }
  if (detailed) {
    total.regions = sum(measured.map((r) => r.regions ?? 0))
    total.area_m2 = sum(measured.map((r) => r.area_m2 ?? 0))
  }
  return total
}

/** The pad a measurement belongs to: its `pad_id`, else the last part of its sort key. */
export function measurementPadId(m: Measurement): string | undefined {
  if (typeof m.pad_id === 'string') return m.pad_id
  const key = m.sector_period_pad
  return typeof key === 'string' ? key.split('#')[2] : undefined
}

/** Natural pad order, by the pad name within the pad id (`PAD_2` before `PAD_10`). */
export function sortByPad<T extends Measurement>(measurements: readonly T[]): T[] {
  const name = (m: Measurement) => padNameFromId(measurementPadId(m) ?? '')
  return [...measurements].sort((a, b) => naturalCompare(name(a), name(b)))
}

/** One row per pad of the sector, in natural order, `N/A` where the pad was not measured; then the total. */
export function surveyReport(
  survey: { site: string; sector: string; period: string; date: string },
  pads: readonly ReportPad[],
  measurements: readonly Measurement[]
): LineLossReport {
  const byPad = new Map<string, Measurement>()
  for (const m of measurements) {
    const id = measurementPadId(m)
    if (id !== undefined) byPad.set(id, m)
  }
  const rows = [...pads]
    .sort((a, b) => naturalCompare(a.pad_name, b.pad_name))
    .map((pad) => padRow(`Pad ${pad.pad_name}`, byPad.get(pad.pad_id)))
  return { ...survey, rows, total: totalRow(rows, true), detailed: true }
}

/** The rows a client posted (the original's contract): section and length only. */
export function postedReport(body: GenerateReportBody, today: string): LineLossReport {
  const rows = body.rows.map((r): ReportRow => {
    const length = typeof r.length === 'number' ? r.length : r.length === 'N/A' ? null : Number(r.length)
    return { section: r.section, length_m: length }
  })
  return {
    site: body.site,
    sector: body.sector,
    ...(body.period !== undefined ? { period: body.period } : {}),
    date: body.date ?? today,
    rows,
    total: totalRow(rows, false),
    detailed: false
  }
}

export function formatMetres(length: number | null): string {
  return length === null ? 'N/A' : length.toFixed(2)
}

export function reportCells(row: ReportRow, detailed: boolean): string[] {
  const cells = [row.section, formatMetres(row.length_m)]
  if (detailed) cells.push(row.regions === undefined ? '' : String(row.regions), row.area_m2 === undefined ? '' : row.area_m2.toFixed(2))
  return cells
}

export function reportColumns(detailed: boolean): string[] {
  return detailed ? ['Section', 'Length (m)', 'Regions', 'Area (m²)'] : ['Section', 'Length (m)']
}

/** The header block (site, sector, period, date), a blank line, the table and the total. */
export function reportCsv(report: LineLossReport): string {
  const lines = [
    ['site', report.site],
    ['sector', report.sector],
    ['period', report.period ?? ''],
    ['generated', report.date],
    [],
    report.detailed ? REPORT_CSV_COLUMNS : REPORT_CSV_COLUMNS.slice(0, 2),
    ...report.rows.map((r) => reportCells(r, report.detailed)),
    reportCells(report.total, report.detailed)
  ]
  return csvLines(lines)
}
