import { createRequire } from 'node:module'
import type PDFKitDocument from 'pdfkit'
import { formatMetres, reportCells, reportColumns, type LineLossReport, type ReportRow } from './line-loss-report.js'

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

/** Column widths of the table (points): section, then the numbers. */
function columnWidths(detailed: boolean, width: number): number[] {
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

function tableRow(doc: PDFKit.PDFDocument, cells: string[], widths: number[], bold: boolean): void {
  const y = doc.y
  let x = MARGIN
  doc
    .font(bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(10)
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
  const width = doc.page.width - 2 * MARGIN
  const widths = columnWidths(report.detailed, width)
  const columns = reportColumns(report.detailed)
  tableRow(doc, columns, widths, true)
  for (const row of report.rows) {
    if (ensureSpace(doc, ROW_HEIGHT * 2)) tableRow(doc, columns, widths, true)
    tableRow(doc, reportCells(row, report.detailed), widths, false)
  }
  ensureSpace(doc, ROW_HEIGHT)
  tableRow(doc, reportCells(report.total, report.detailed), widths, true)
}

/** Horizontal bars, one per row, scaled to the longest; a row without a measurement shows `N/A`. */
function barChart(doc: PDFKit.PDFDocument, rows: readonly ReportRow[]): void {
  const labelWidth = 120
  const valueWidth = 60
  const barSpace = doc.page.width - 2 * MARGIN - labelWidth - valueWidth
  const longest = Math.max(0, ...rows.map((r) => r.length_m ?? 0))
  doc.moveDown(1.5)
  ensureSpace(doc, 60)
  doc.font('Helvetica-Bold').fontSize(12).fillColor('black').text('Length of anomalous pipe per pad (m)', MARGIN, doc.y)
  doc.moveDown(0.5)
  for (const row of rows) {
    ensureSpace(doc, BAR_HEIGHT + BAR_GAP)
    const y = doc.y
    doc.font('Helvetica').fontSize(9).fillColor('black')
    doc.text(row.section, MARGIN, y + 2, { width: labelWidth - 6, lineBreak: false, ellipsis: true })
    const length = row.length_m
    const bar = length === null || longest === 0 ? 0 : (length / longest) * barSpace
    if (bar > 0)
      doc
        .rect(MARGIN + labelWidth, y, Math.max(bar, 1), BAR_HEIGHT)
        .fillColor(ACCENT)
        .fill()
    doc.fillColor(length === null ? '#777777' : 'black')
    doc.text(formatMetres(length), MARGIN + labelWidth + bar + 4, y + 2, { width: valueWidth, lineBreak: false })
    doc.x = MARGIN
    doc.y = y + BAR_HEIGHT + BAR_GAP
  }
}

/**
 * The report as an A4 PDF: title, header, table with the total, and a bar chart
 * of the length per row. Standard fonts, so the text is real, selectable text.
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
  barChart(doc, report.rows)
  doc.end()
  const chunks: Buffer[] = []
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk)
  return Buffer.concat(chunks)
}
