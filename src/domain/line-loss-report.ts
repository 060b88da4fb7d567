import type { HeatLoss, HeatLossPad } from '../../schemas/heat-loss.js'
import {
  REPORT_CSV_COLUMNS,
  REPORT_HEAT_CSV_COLUMNS,
  type GenerateReportBody,
  type Measurement,
  type RegionMeasurement
} from '../../schemas/line-loss.js'
import { inputLines, kw, METHOD_NOTE, missingReason, mwh, totalLines } from './heat-loss/report-text.js'
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
  /** With a heat-loss estimate: the pad's figures, or why it has none ("n/a"); absent for a pad not measured. */
  heat?: RowHeat
}

export type RowHeat =
  { heat_loss_kw: number; heat_loss_mwh_yr: number; excess_heat_loss_kw: number; excess_heat_loss_mwh_yr: number } | { missing: string }

/** What a report says about the heat loss: the totals with their ranges, the inputs and the method, as lines of text. */
export interface ReportHeat {
  totals: string[]
  inputs: string[]
  method: string
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
  /** Present when the report was built with a heat-loss estimate: every row and the total then carry `heat`. */
  heat?: ReportHeat
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

function rowHeat(pad: HeatLossPad): RowHeat {
  if (
    pad.heat_loss_kw === null ||
    pad.heat_loss_mwh_yr === null ||
    pad.excess_heat_loss_kw === null ||
    pad.excess_heat_loss_mwh_yr === null
  ) {
    return { missing: missingReason(pad) }
  }
  return {
    heat_loss_kw: pad.heat_loss_kw,
    heat_loss_mwh_yr: pad.heat_loss_mwh_yr,
    excess_heat_loss_kw: pad.excess_heat_loss_kw,
    excess_heat_loss_mwh_yr: pad.excess_heat_loss_mwh_yr
  }
}

/**
 * One row per pad of the sector, in natural order, `N/A` where the pad was not measured; then the total.
 * With the survey's heat-loss estimate, each measured pad carries its figures (or why it has none).
 */
export function surveyReport(
  survey: { site: string; sector: string; period: string; date: string },
  pads: readonly ReportPad[],
  measurements: readonly Measurement[],
  heatLoss?: HeatLoss
): LineLossReport {
  const byPad = new Map<string, Measurement>()
  for (const m of measurements) {
    const id = measurementPadId(m)
    if (id !== undefined) byPad.set(id, m)
  }
  const heatByPad = new Map(heatLoss?.pads.map((p) => [p.pad_id, p]))
  const rows = [...pads]
    .sort((a, b) => naturalCompare(a.pad_name, b.pad_name))
    .map((pad) => {
      const row = padRow(`Pad ${pad.pad_name}`, byPad.get(pad.pad_id))
      const heat = heatByPad.get(pad.pad_id)
      return heat ? { ...row, heat: rowHeat(heat) } : row
    })
  const total = totalRow(rows, true)
  if (!heatLoss) return { ...survey, rows, total, detailed: true }
  const t = heatLoss.totals
  total.heat = {
    heat_loss_kw: t.heat_loss_kw ?? 0,
    heat_loss_mwh_yr: t.heat_loss_mwh_yr ?? 0,
    excess_heat_loss_kw: t.excess_heat_loss_kw ?? 0,
    excess_heat_loss_mwh_yr: t.excess_heat_loss_mwh_yr ?? 0
  }
  const heat: ReportHeat = { totals: totalLines(heatLoss), inputs: inputLines(heatLoss), method: METHOD_NOTE }
  return { ...survey, rows, total, detailed: true, heat }
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

/** The heat-loss cells of a row: kW, MWh/yr, excess kW, excess MWh/yr; `n/a` without figures, `N/A` for a pad not measured. */
export function heatCells(heat: RowHeat | undefined): string[] {
  if (heat === undefined) return ['N/A', 'N/A', 'N/A', 'N/A']
  if ('missing' in heat) return ['n/a', 'n/a', 'n/a', 'n/a']
  return [kw(heat.heat_loss_kw), mwh(heat.heat_loss_mwh_yr), kw(heat.excess_heat_loss_kw), mwh(heat.excess_heat_loss_mwh_yr)]
}

/** The cells of a row; `withHeat` (a report with a heat-loss estimate) adds its four heat-loss cells. */
export function reportCells(row: ReportRow, detailed: boolean, withHeat = false): string[] {
  const cells = [row.section, formatMetres(row.length_m)]
  if (detailed) cells.push(row.regions === undefined ? '' : String(row.regions), row.area_m2 === undefined ? '' : row.area_m2.toFixed(2))
  if (withHeat) cells.push(...heatCells(row.heat))
  return cells
}

export function reportColumns(detailed: boolean, withHeat = false): string[] {
  const columns = detailed ? ['Section', 'Length (m)', 'Regions', 'Area (m²)'] : ['Section', 'Length (m)']
  return withHeat ? [...columns, 'Loss kW', 'Loss MWh/yr', 'Excess kW', 'Excess MWh/yr'] : columns
}

/**
 * The header block (site, sector, period, date; with a heat-loss estimate its totals, inputs and method),
 * a blank line, the table and the total. With the estimate, a row's last cell says why it has no figures.
 */
export function reportCsv(report: LineLossReport): string {
  const heat = report.heat
  const columns = report.detailed ? REPORT_CSV_COLUMNS : REPORT_CSV_COLUMNS.slice(0, 2)
  const cells = (r: ReportRow) => {
    const base = reportCells(r, report.detailed, heat !== undefined)
    return heat ? [...base, r.heat && 'missing' in r.heat ? r.heat.missing : ''] : base
  }
  const lines = [
    ['site', report.site],
    ['sector', report.sector],
    ['period', report.period ?? ''],
    ['generated', report.date],
    ...(heat
      ? [
          ...heat.totals.map((l) => ['heat_loss_total', l]),
          ...heat.inputs.map((l) => ['heat_loss_inputs', l]),
          ['heat_loss_method', heat.method]
        ]
      : []),
    [],
    heat ? [...columns, ...REPORT_HEAT_CSV_COLUMNS] : columns,
    ...report.rows.map(cells),
    cells(report.total)
  ]
  return csvLines(lines)
}
