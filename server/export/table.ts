// Renders a table the caller has already translated and formatted, as an XLSX workbook or as a PDF in the layout of a paper register.
// Shared by the correspondence registers and the reports; it reads no data itself.
import { type Alignment, type Border, type Borders, type Row, Workbook } from 'exceljs'
import PDFDocument from 'pdfkit'
import { type Clock, systemClock } from '../domain/clock'
import type { Language } from '../i18n'

/** One column of an exported table; widths are relative to each other, not units of any format. */
export interface TableColumn {
  header: string
  width: number
  align?: 'left' | 'right' | 'center'
}

/** A table the caller has already translated and formatted: every cell is the final text to show. */
export interface TableModel {
  title: string
  subtitle?: string
  /** Shown on every printed page, e.g. who generated the table and when. */
  footer: string
  language: Language
  columns: TableColumn[]
  /** One string per column in each row; '' for an empty cell. */
  rows: string[][]
  sheetName?: string
}

const PRODUCER = 'Probation Service back office'

/** "Page X of Y" in the table's language; the XLSX page footer passes Excel's field codes instead of numbers. */
function pageOfPages(language: Language, page: number | string, pages: number | string): string {
  return language === 'hy' ? `Էջ ${page} / ${pages}` : `Page ${page} of ${pages}`
}

/** Each column's share of a total width, so the layout does not depend on how the caller scaled the widths. */
function columnShares(columns: TableColumn[], total: number): number[] {
  const weights = columns.map((column) => (Number.isFinite(column.width) && column.width > 0 ? column.width : 1))
  const sum = weights.reduce((a, b) => a + b, 0)
  return weights.map((weight) => (total * weight) / sum)
}

// XLSX

// Landscape A4 holds about 140 characters of the default font between these margins, so at 100% the table fills the page.
const XLSX_PAGE_WIDTH_CHARS = 140
const XLSX_MARGINS_INCHES = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.25, footer: 0.3 }
const MIN_COLUMN_CHARS = 4
// Excel rejects a workbook with a longer cell; a page footer may not exceed 255 characters with its codes and doubled '&'.
const MAX_CELL_CHARS = 32_767
const MAX_FOOTER_CHARS = 100
const MAX_SHEET_NAME_CHARS = 31
const PAPER_A4 = 9
const XLSX_HEADER_FILL = 'FFECECEC'
const XLSX_MUTED = 'FF555555'
const XLSX_RULE: Border = { style: 'thin', color: { argb: 'FFB0B0B0' } }
const XLSX_GRID: Partial<Borders> = { top: XLSX_RULE, left: XLSX_RULE, bottom: XLSX_RULE, right: XLSX_RULE }

/**
 * Renders a table (already translated and formatted by the caller) as a one-sheet workbook laid out for landscape A4.
 * Every cell is a plain string, stored as a shared string: Excel shows "0012" or "=1+2" as typed and never evaluates it.
 */
export async function tableToXlsx(model: TableModel, clock: Clock = systemClock): Promise<Buffer> {
  const workbook = new Workbook()
  workbook.creator = PRODUCER
  workbook.title = model.title
  workbook.created = workbook.modified = clock.now()

  const sheet = workbook.addWorksheet(sheetName(model.sheetName ?? model.title), {
    pageSetup: { paperSize: PAPER_A4, orientation: 'landscape', margins: XLSX_MARGINS_INCHES, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    // '&&' is a literal ampersand; a single '&' would start a field code.
    headerFooter: { oddFooter: `&L${truncate(model.footer, MAX_FOOTER_CHARS).replace(/&/g, '&&')}&R${pageOfPages(model.language, '&P', '&N')}` },
  })
  sheet.columns = columnShares(model.columns, XLSX_PAGE_WIDTH_CHARS).map((width) => ({ width: Math.max(MIN_COLUMN_CHARS, Math.round(width)) }))
  const lastColumn = Math.max(1, model.columns.length)

  const spanningRow = (text: string): Row => {
    const row = sheet.addRow([text])
    if (lastColumn > 1) sheet.mergeCells(row.number, 1, row.number, lastColumn)
    return row
  }
  spanningRow(model.title).font = { bold: true, size: 14 }
  if (model.subtitle) spanningRow(model.subtitle).font = { color: { argb: XLSX_MUTED } }

  const header = sheet.addRow(model.columns.map((column) => column.header))
  header.eachCell((cell) => {
    cell.font = { bold: true }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: XLSX_HEADER_FILL } }
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' }
    cell.border = XLSX_GRID
  })

  const alignments: Partial<Alignment>[] = model.columns.map((column) => ({ wrapText: true, vertical: 'top', horizontal: column.align ?? 'left' }))
  for (const cells of model.rows) {
    const row = sheet.addRow(model.columns.map((_, i) => cellValue(cells[i])))
    for (let i = 0; i < model.columns.length; i++) {
      const cell = row.getCell(i + 1)
      cell.alignment = alignments[i]
      cell.border = XLSX_GRID
    }
  }

  sheet.views = [{ state: 'frozen', ySplit: header.number }]
  sheet.pageSetup.printTitlesRow = `${header.number}:${header.number}`
  sheet.autoFilter = { from: { row: header.number, column: 1 }, to: { row: header.number + model.rows.length, column: lastColumn } }

  sheet.addRow([])
  spanningRow(model.footer).font = { italic: true, color: { argb: XLSX_MUTED } }

  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** An empty cell stays blank (so Excel's filters list it as such); anything else is kept as the exact string. */
function cellValue(text: string | undefined): string | null {
  return text ? truncate(text, MAX_CELL_CHARS) : null
}

/**
 * Excel's rules for a sheet name: 1 to 31 characters, none of [ ] : * ? / \, and "History" is reserved.
 * Apostrophes become ’ because exceljs quotes the name in the print-titles reference without escaping them.
 */
function sheetName(name: string): string {
  const cleaned = name
    .replace(/[[\]:*?/\\\p{Cc}]+/gu, ' ')
    .replace(/'/g, '’')
    .replace(/\s+/g, ' ')
    .trim()
  const short = truncate(cleaned, MAX_SHEET_NAME_CHARS, '').trim()
  return !short || short.toLowerCase() === 'history' ? `${short || 'Sheet'} 1` : short
}

/** Cuts a string to at most `max` UTF-16 units, never through a surrogate pair, marking the cut. */
function truncate(text: string, max: number, mark = '…'): string {
  if (text.length <= max) return text
  let end = max - mark.length
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end--
  return text.slice(0, end) + mark
}

// PDF

// DejaVu Sans covers Armenian, Latin and digits in one file; it comes from the npm package, never the OS (as in filePdf).
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')

const PDF_MARGIN = { top: 36, bottom: 48, left: 36, right: 36 }
const FOOTER_OFFSET = 30 // from the page's bottom edge, inside the bottom margin
const PDF_FONT_SIZE = 8.5
const CELL_PADDING = 3
const PDF_GRID = '#404040'
const PDF_HEADER_FILL = '#e6e6e6'
const PDF_MUTED = '#555555'
// A header that wraps into many lines is cut at this share of the page, so every page keeps room for rows.
const MAX_HEADER_SHARE = 1 / 3

type Doc = PDFKit.PDFDocument

/**
 * Renders a table (already translated and formatted by the caller) as a landscape A4 PDF in the layout of a paper register:
 * a ruled grid whose header row repeats on every page, with the footer and "page X of Y" at the bottom of each page.
 */
export function tableToPdf(model: TableModel, clock: Clock = systemClock): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margins: PDF_MARGIN,
      bufferPages: true,
      font: REGULAR,
      lang: model.language,
      displayTitle: true,
      info: { Title: model.title, Producer: PRODUCER, Creator: PRODUCER, CreationDate: clock.now() },
    })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    titleBlock(doc, model)
    table(doc, model)
    pageFooters(doc, model)
    doc.end()
  })
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right
}

function titleBlock(doc: Doc, model: TableModel): void {
  const x = doc.page.margins.left
  const width = contentWidth(doc)
  doc.font(BOLD).fontSize(14).fillColor('black').text(model.title, x, doc.page.margins.top, { width })
  if (model.subtitle) doc.moveDown(0.2).font(REGULAR).fontSize(10).fillColor(PDF_MUTED).text(model.subtitle, x, doc.y, { width })
  doc.moveDown(0.8)
}

function table(doc: Doc, model: TableModel): void {
  const left = doc.page.margins.left
  const top = doc.page.margins.top
  const bottom = doc.page.height - doc.page.margins.bottom
  const totalWidth = contentWidth(doc)
  const widths = columnShares(model.columns, totalWidth)
  const textWidths = widths.map((width) => Math.max(0, width - 2 * CELL_PADDING))
  doc.fontSize(PDF_FONT_SIZE)
  const lineHeight = doc.currentLineHeight(true)
  const heightOf = (lineCount: number): number => lineCount * lineHeight + 2 * CELL_PADDING
  const lineCountOf = (cells: string[][]): number => Math.max(1, ...cells.map((lines) => lines.length))

  const drawRow = (cells: string[][], from: number, to: number, y: number, header: boolean): void => {
    const height = heightOf(to - from)
    if (header) doc.rect(left, y, totalWidth, height).fill(PDF_HEADER_FILL)
    doc.font(header ? BOLD : REGULAR).fontSize(PDF_FONT_SIZE).fillColor('black')
    let x = left
    model.columns.forEach((column, i) => {
      const align = header ? 'center' : (column.align ?? 'left')
      cells[i].slice(from, to).forEach((line, n) => {
        const free = Math.max(0, textWidths[i] - doc.widthOfString(line))
        const indent = align === 'right' ? free : align === 'center' ? free / 2 : 0
        doc.text(line, x + CELL_PADDING + indent, y + CELL_PADDING + n * lineHeight, { lineBreak: false })
      })
      x += widths[i]
    })
    // The ruled grid of a paper register: the row's outline and a rule between every two columns.
    doc.rect(left, y, totalWidth, height)
    x = left
    for (const width of widths.slice(0, -1)) {
      x += width
      doc.moveTo(x, y).lineTo(x, y + height)
    }
    doc.lineWidth(0.5).strokeColor(PDF_GRID).stroke()
  }

  doc.font(BOLD).fontSize(PDF_FONT_SIZE)
  const maxHeaderLines = Math.max(1, Math.floor(((bottom - top) * MAX_HEADER_SHARE) / lineHeight))
  const header = model.columns.map((column, i) => wrapLines(doc, column.header, textWidths[i]).slice(0, maxHeaderLines))
  const headerLines = lineCountOf(header)

  let y = doc.y
  const startPage = (): void => {
    drawRow(header, 0, headerLines, y, true)
    y += heightOf(headerLines)
  }
  const nextPage = (): void => {
    doc.addPage()
    y = top
    startPage()
  }

  // Keep the header with a first row.
  if (y + heightOf(headerLines) + heightOf(1) > bottom) {
    doc.addPage()
    y = top
  }
  startPage()
  const rowLinesPerPage = Math.floor((bottom - top - heightOf(headerLines) - 2 * CELL_PADDING) / lineHeight)
  for (const row of model.rows) {
    doc.font(REGULAR).fontSize(PDF_FONT_SIZE)
    const cells = model.columns.map((_, i) => wrapLines(doc, row[i] ?? '', textWidths[i]))
    const lineCount = lineCountOf(cells)
    // A row moves whole to the next page when it fits there; one taller than a page is split between pages at a line.
    for (let from = 0; from < lineCount; ) {
      const room = Math.floor((bottom - y - 2 * CELL_PADDING) / lineHeight)
      const take = Math.min(lineCount - from, room)
      if (take < 1 || (take < lineCount - from && from === 0 && lineCount <= rowLinesPerPage)) {
        nextPage()
        continue
      }
      drawRow(cells, from, from + take, y, false)
      y += heightOf(take)
      from += take
      if (from < lineCount) nextPage()
    }
  }
}

/**
 * Breaks text into lines no wider than `width` in the current font: at spaces, and inside a word only when it alone is wider.
 * Done here rather than by pdfkit so a row's height is known exactly and a row can be split between pages at a line.
 */
function wrapLines(doc: Doc, text: string, width: number): string[] {
  const space = doc.widthOfString(' ')
  const lines: string[] = []
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = ''
    let lineWidth = 0
    for (const word of paragraph.split(/[ \t]+/).filter(Boolean)) {
      const wordWidth = doc.widthOfString(word)
      if (line && lineWidth + space + wordWidth <= width) {
        line += ` ${word}`
        lineWidth += space + wordWidth
        continue
      }
      if (line) lines.push(line)
      line = wordWidth <= width ? word : cutWord(doc, word, width, lines)
      lineWidth = wordWidth <= width ? wordWidth : doc.widthOfString(line)
    }
    lines.push(line)
  }
  return lines
}

/** Adds the leading pieces of a word too wide for a line to `lines` (at least one character each) and returns the rest. */
function cutWord(doc: Doc, word: string, width: number, lines: string[]): string {
  let piece = ''
  let pieceWidth = 0
  for (const char of word) {
    const charWidth = doc.widthOfString(char)
    if (piece && pieceWidth + charWidth > width) {
      lines.push(piece)
      piece = ''
      pieceWidth = 0
    }
    piece += char
    pieceWidth += charWidth
  }
  return piece
}

function pageFooters(doc: Doc, model: TableModel): void {
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    const x = doc.page.margins.left
    const width = contentWidth(doc)
    const y = doc.page.height - FOOTER_OFFSET
    doc.font(REGULAR).fontSize(8).fillColor(PDF_MUTED)
    const label = pageOfPages(model.language, i - start + 1, count)
    const labelWidth = doc.widthOfString(label)
    doc.text(oneLine(doc, model.footer, width - labelWidth - 12), x, y, { lineBreak: false })
    doc.text(label, x + width - labelWidth, y, { lineBreak: false })
  }
}

/** The text on a single line of `width`, cut with an ellipsis when it is longer. */
function oneLine(doc: Doc, text: string, width: number): string {
  const flat = text.replace(/[\r\n\t ]+/g, ' ').trim()
  if (doc.widthOfString(flat) <= width) return flat
  return `${wrapLines(doc, flat, width - doc.widthOfString('…'))[0]}…`
}
