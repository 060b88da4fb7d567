import { createRequire } from 'node:module'
import type PDFKitDocument from 'pdfkit'
import { kw } from './heat-loss/report-text.js'
import { formatMetres, reportCells, reportColumns, type LineLossReport, type ReportHeat, type ReportRow } from './line-loss-report.js'

/**
 * pdfkit (with fontkit and its tables) is ~11 MB of resident memory, and most
 * processes never render a report: it is loaded on the first one, synchronously,
 * so the renderer stays a plain function.
 */
const load = createRequire(import.meta.url)
let PDFDocument: typeof PDFKitDocument | undefined
const pdfDocument = () => (PDFDocument ??= load('pdfkit') as typeof PDFKitDocument)

const MARGIN = 50
const ROW_HEIGHT = 18
const BAR_HEIGHT = 12
const BAR_GAP = 6
const ACCENT = '#c0392b'
const RULE = '#999999'

/** Column widths of the table (points): section, then the numbers; the heat-loss columns make the others narrower. */
function columnWidths(detailed: boolean, width: number, withHeat: boolean): number[] {
  if (withHeat) return [width - 394, 55, 44, 50, 48, 65, 56, 76]
  return detailed ? [width - 3 * 95, 95, 95, 95] : [width - 120, 120]
}

/** A date as the header prints it; PDF metadata wants a Date. */
function creationDate(date: string): Date {
  const parsed = Date.parse(date)
  return Number.isNaN(parsed) ? new Date(0) : new Date(parsed)
}

function header(doc: PDFKit.PDFDocument, report: LineLossReport): void {
  doc.font('Helvetica-Bold').fontSize(20).fillColor('black').text('Line-loss report', MARGIN, MARGIN)
  doc.moveDown(0.3)
  doc.font('Helvetica').fontSize(10).fillColor('#333333')
  doc.text('Pipe sections with anomalous heat loss found in the thermal survey, pad by pad.')
  doc.moveDown(0.6)
  const facts: [string, string][] = [
    ['Site', report.site],
    ['Sector', report.sector],
    ['Period', report.period ?? '-'],
    ['Generated', report.date]
  ]
  for (const [label, value] of facts) {
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value)
  }
  doc.moveDown(1)
}

function tableRow(doc: PDFKit.PDFDocument, cells: string[], widths: number[], bold: boolean, size = 10): void {
  const y = doc.y
  let x = MARGIN
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(size)
    .fillColor('black')
  cells.forEach((cell, i) => {
    const width = widths[i]!
    // The section is left-aligned, the numbers right-aligned.
    doc.text(cell, x + 4, y + 4, { width: width - 8, align: i === 0 ? 'left' : 'right', lineBreak: false, ellipsis: true })
    x += width
  })
  doc
    .moveTo(MARGIN, y + ROW_HEIGHT)
    .lineTo(x, y + ROW_HEIGHT)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke()
  doc.x = MARGIN
  doc.y = y + ROW_HEIGHT
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN) return false
  doc.addPage()
  doc.y = MARGIN
  return true
}

function table(doc: PDFKit.PDFDocument, report: LineLossReport): void {
  const withHeat = report.heat !== undefined
  const width = doc.page.width - 2 * MARGIN
  const widths = columnWidths(report.detailed, width, withHeat)
  const columns = reportColumns(report.detailed, withHeat)
  const size = withHeat ? 9 : 10
  tableRow(doc, columns, widths, true, size)
  for (const row of report.rows) {
    if (ensureSpace(doc, ROW_HEIGHT * 2)) tableRow(doc, columns, widths, true, size)
    tableRow(doc, reportCells(row, report.detailed, withHeat), widths, false, size)
  }
  ensureSpace(doc, ROW_HEIGHT)
  tableRow(doc, reportCells(report.total, report.detailed, withHeat), widths, true, size)
}

/** The heat-loss totals with their ranges, the inputs and the one-line method note, under the table. */
function heatNotes(doc: PDFKit.PDFDocument, heat: ReportHeat): void {
  const width = doc.page.width - 2 * MARGIN
  doc.moveDown(0.8)
  ensureSpace(doc, 80)
  doc.font('Helvetica-Bold').fontSize(10).fillColor('black').text('Heat loss (estimate)', MARGIN, doc.y, { width })
  doc.font('Helvetica').fontSize(9)
  for (const line of heat.totals) doc.text(line, { width })
  doc.moveDown(0.3)
  doc.fontSize(8).fillColor('#333333').text('Inputs: ', { width, continued: true }).text(heat.inputs.join(' '))
  doc.moveDown(0.2)
  doc.text(`Method: ${heat.method}`, { width })
  doc.fillColor('black')
}

interface Bar {
  label: string
  value: number | null
  /** Printed beside the bar: the value, or why there is none. */
  text: string
}

/** Horizontal bars under a title, scaled to the largest; a bar without a value prints its text in grey. */
function barChart(doc: PDFKit.PDFDocument, title: string, bars: readonly Bar[]): void {
  const labelWidth = 120
  const valueWidth = 150
  const barSpace = doc.page.width - 2 * MARGIN - labelWidth - valueWidth
  const largest = Math.max(0, ...bars.map((b) => b.value ?? 0))
  doc.moveDown(1.2)
  ensureSpace(doc, 60)
  doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text(title, MARGIN, doc.y)
  doc.moveDown(0.5)
  for (const b of bars) {
    ensureSpace(doc, BAR_HEIGHT + BAR_GAP)
    const y = doc.y
    doc.font('Helvetica').fontSize(9).fillColor('black')
    doc.text(b.label, MARGIN, y + 2, { width: labelWidth - 6, lineBreak: false, ellipsis: true })
    const bar = b.value === null || largest === 0 ? 0 : (b.value / largest) * barSpace
    if (bar > 0)
      doc
        .rect(MARGIN + labelWidth, y, Math.max(bar, 1), BAR_HEIGHT)
        .fillColor(ACCENT)
        .fill()
    doc.fillColor(b.value === null ? '#777777' : 'black')
    doc.text(b.text, MARGIN + labelWidth + bar + 4, y + 2, { width: valueWidth, lineBreak: false, ellipsis: true })
    doc.x = MARGIN
    doc.y = y + BAR_HEIGHT + BAR_GAP
  }
}

/** One bar per row: its length; a row without a measurement shows `N/A`. */
const lengthBars = (rows: readonly ReportRow[]): Bar[] =>
  rows.map((r) => ({ label: r.section, value: r.length_m, text: formatMetres(r.length_m) }))

/** The measured pads ranked by excess heat loss, largest first; those without figures last, with why. */
function excessBars(rows: readonly ReportRow[]): Bar[] {
  const bars = rows.flatMap((r): Bar[] => {
    if (r.heat === undefined) return []
    if ('missing' in r.heat) return [{ label: r.section, value: null, text: `n/a: ${r.heat.missing}` }]
    return [{ label: r.section, value: r.heat.excess_heat_loss_kw, text: `${kw(r.heat.excess_heat_loss_kw)} kW` }]
  })
  return bars.sort((a, b) => (b.value ?? -1) - (a.value ?? -1))
}

/**
 * The report as an A4 PDF: title, header, table with the total, and a bar chart
 * of the length per row; with a heat-loss estimate, its columns, totals, inputs and
 * method under the table, and a chart of the pads ranked by excess heat loss. Standard fonts, so the text is real, selectable text.
 * Rendered synchronously: pdfkit writes every chunk as it goes, and a paused
 * stream keeps them for one `read()` per chunk after `end()`.
 */
export function renderLineLossPdf(report: LineLossReport): Buffer {
  const Document = pdfDocument()
  const doc = new Document({
    size: 'A4',
    margin: MARGIN,
    bufferPages: false,
    info: {
      Title: `Line-loss report ${report.sector}${report.period ? ` ${report.period}` : ''}`,
      Author: 'Thermal Viewer API',
      Subject: `Line-loss report of ${report.site} / ${report.sector}`,
      CreationDate: creationDate(report.date)
    }
  })
  header(doc, report)
  table(doc, report)
  if (report.heat) heatNotes(doc, report.heat)
  barChart(doc, 'Length of anomalous pipe per pad (m)', lengthBars(report.rows))
  if (report.heat) barChart(doc, 'Excess heat loss per pad (kW), largest first', excessBars(report.rows))
  doc.end()
  const chunks: Buffer[] = []
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk)
  return Buffer.concat(chunks)
}
