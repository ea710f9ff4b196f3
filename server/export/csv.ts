// Renders a table the caller has already translated and formatted as CSV (RFC 4180): the header row and the rows only.
import type { TableModel } from './table'

// Excel reads a CSV file as the system's legacy code page unless it starts with a UTF-8 byte order mark.
const BOM = '\uFEFF'
// A spreadsheet evaluates a cell starting with one of these as a formula (CSV injection); an apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/

function field(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function tableToCsv(model: Pick<TableModel, 'columns' | 'rows'>): Buffer {
  const lines = [model.columns.map((column) => field(column.header)), ...model.rows.map((row) => model.columns.map((_, i) => field(row[i] ?? '')))]
  return Buffer.from(BOM + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n', 'utf8')
}
