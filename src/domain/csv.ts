/** A value of a CSV cell: text is written as it is (quoted when needed), anything else as `String(value)`. */
export type CsvCell = string | number | boolean | null | undefined

/** Text a spreadsheet would run as a formula or a command: `=`, `+`, `-`, `@`, tab, CR first. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One CSV field (RFC 4180), the only escaper of every CSV the API writes. Text that
 * starts like a formula gets a leading apostrophe (OWASP's CSV injection advice);
 * numbers, booleans and empty cells are written as they are.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Lines of cells, CRLF after each. */
export function csvLines(lines: Iterable<readonly CsvCell[]>): string {
  let out = ''
  for (const cells of lines) out += cells.map(csvField).join(',') + '\r\n'
  return out
}

/** A header row, then the rows. */
export function csvTable(columns: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  return csvLines([columns, ...rows])
}
