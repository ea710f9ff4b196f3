import PDFDocument from 'pdfkit'
import { type Clock, systemClock } from '../domain/clock'

export interface PdfSection {
  title: string
  rows?: { label: string; value: string }[]
  table?: { columns: string[]; rows: string[][] }
  paragraphs?: string[]
}

export interface PdfDocumentModel {
  title: string
  subtitle?: string
  footer: string
  language: 'hy' | 'en'
  sections: PdfSection[]
}

// DejaVu Sans covers Armenian, Latin and digits in one file, so no per-script font switching is needed.
// The files come from the npm package (never the OS), resolved so this works from server/ and dist/server/.
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')

const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 }
const FOOTER_OFFSET = 36 // from the page's bottom edge, inside the bottom margin
const MUTED = '#555555'
const RULE = '#b0b0b0'
const HEADER_FILL = '#ececec'
const CELL_PADDING = 4
const EMPTY = '—'

type Doc = PDFKit.PDFDocument

/** Renders a document model (already translated and formatted by the caller) as an A4 PDF. */
export function renderPdf(model: PdfDocumentModel, clock: Clock = systemClock): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      font: REGULAR,
      lang: model.language,
      displayTitle: true,
      info: {
        Title: model.title,
        Producer: 'Probation Service back office',
        Creator: 'Probation Service back office',
        CreationDate: clock.now(),
      },
    })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)

    titleBlock(doc, model)
    for (const section of model.sections) sectionBlock(doc, section)
    pageFooters(doc, model.footer)
    doc.end()
  })
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right
}

function pageContentHeight(doc: Doc): number {
  return doc.page.height - doc.page.margins.top - doc.page.margins.bottom
}

/** Starts a new page unless `height` still fits on this one (or would not fit on any page anyway). */
function ensureSpace(doc: Doc, height: number): void {
  if (height <= pageContentHeight(doc) && doc.y + height > doc.page.height - doc.page.margins.bottom) {
    doc.addPage()
  }
}

function titleBlock(doc: Doc, model: PdfDocumentModel): void {
  const x = doc.page.margins.left
  const width = contentWidth(doc)
  doc.font(BOLD).fontSize(18).fillColor('black').text(model.title, x, doc.y, { width })
  if (model.subtitle) {
    doc.moveDown(0.2).font(REGULAR).fontSize(10).fillColor(MUTED).text(model.subtitle, x, doc.y, { width })
  }
  doc.moveDown(0.5)
  doc.moveTo(x, doc.y).lineTo(x + width, doc.y).lineWidth(1).strokeColor(RULE).stroke()
  doc.moveDown(1)
}

function sectionBlock(doc: Doc, section: PdfSection): void {
  const x = doc.page.margins.left
  const width = contentWidth(doc)
  doc.font(BOLD).fontSize(13)
  // Keep the heading with at least a few lines of what follows it.
  ensureSpace(doc, doc.heightOfString(section.title, { width }) + 48)
  doc.fillColor('black').text(section.title, x, doc.y, { width })
  doc.moveDown(0.4)

  if (section.rows?.length) labelValueRows(doc, section.rows)
  if (section.table) table(doc, section.table)
  for (const paragraph of section.paragraphs ?? []) {
    doc.font(REGULAR).fontSize(10).fillColor('black')
    ensureSpace(doc, 2 * doc.currentLineHeight(true))
    doc.text(paragraph, x, doc.y, { width, paragraphGap: 6 })
  }
  doc.moveDown(1)
}

function labelValueRows(doc: Doc, rows: { label: string; value: string }[]): void {
  const x = doc.page.margins.left
  const labelWidth = Math.round(contentWidth(doc) * 0.35)
  const valueWidth = contentWidth(doc) - labelWidth - 8
  doc.font(REGULAR).fontSize(10)
  for (const row of rows) {
    const value = row.value.trim() || EMPTY
    const height = Math.max(
      doc.heightOfString(row.label, { width: labelWidth }),
      doc.heightOfString(value, { width: valueWidth }),
    )
    ensureSpace(doc, height)
    const y = doc.y
    const page = doc.page
    doc.fillColor(MUTED).text(row.label, x, y, { width: labelWidth })
    doc.fillColor('black').text(value, x + labelWidth + 8, y, { width: valueWidth })
    // A value longer than a page has flowed on by itself; otherwise line up under the taller column.
    if (doc.page === page) doc.y = y + height
    doc.y += 3
  }
}

function table(doc: Doc, model: { columns: string[]; rows: string[][] }): void {
  const x = doc.page.margins.left
  const total = contentWidth(doc)
  // Share the width by how much text each column holds, within limits so none collapses or takes over.
  const weights = model.columns.map((column, i) =>
    Math.min(30, Math.max(6, column.length, ...model.rows.map((row) => (row[i] ?? '').length))),
  )
  const sum = weights.reduce((a, b) => a + b, 0)
  const widths = weights.map((w) => (total * w) / sum)

  const rowHeight = (cells: string[]): number =>
    Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: widths[i] - 2 * CELL_PADDING }))) +
    2 * CELL_PADDING

  const drawRow = (cells: string[], header: boolean): void => {
    doc.font(header ? BOLD : REGULAR).fontSize(9)
    const height = rowHeight(cells)
    const y = doc.y
    if (header) doc.rect(x, y, total, height).fill(HEADER_FILL)
    let cellX = x
    cells.forEach((cell, i) => {
      doc.fillColor('black').text(cell, cellX + CELL_PADDING, y + CELL_PADDING, { width: widths[i] - 2 * CELL_PADDING })
      cellX += widths[i]
    })
    doc.moveTo(x, y + height).lineTo(x + total, y + height).lineWidth(0.5).strokeColor(RULE).stroke()
    doc.y = y + height
  }

  const cellsOf = (row: string[]): string[] => model.columns.map((_, i) => row[i]?.trim() || EMPTY)
  const headerHeight = (): number => {
    doc.font(BOLD).fontSize(9)
    return rowHeight(model.columns)
  }

  ensureSpace(doc, headerHeight() + (model.rows.length ? 20 : 0))
  drawRow(model.columns, true)
  for (const row of model.rows) {
    const cells = cellsOf(row)
    doc.font(REGULAR).fontSize(9)
    const height = rowHeight(cells)
    if (height > pageContentHeight(doc)) {
      // A grid row cannot span pages, so a row taller than a page is shown as label/value lines instead.
      labelValueRows(doc, model.columns.map((label, i) => ({ label, value: cells[i] })))
      continue
    }
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage()
      drawRow(model.columns, true) // repeat the header on each page the table runs onto
    }
    drawRow(cells, false)
  }
  doc.moveDown(0.5)
}

function pageFooters(doc: Doc, footer: string): void {
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    const x = doc.page.margins.left
    const width = contentWidth(doc)
    const y = doc.page.height - FOOTER_OFFSET
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    doc.font(REGULAR).fontSize(8).fillColor(MUTED)
    const lineHeight = doc.currentLineHeight(true)
    doc.text(footer, x, y, { width: width - 70, height: lineHeight, ellipsis: true })
    doc.text(`${i - start + 1} / ${count}`, x + width - 60, y, { width: 60, align: 'right', lineBreak: false })
    doc.page.margins.bottom = bottom
  }
}
