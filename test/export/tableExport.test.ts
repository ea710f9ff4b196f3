import { Readable } from 'node:stream'
import { inflateSync } from 'node:zlib'
import { expect } from 'chai'
import { ValueType, Workbook, type Worksheet } from 'exceljs'
import { ManualClock } from '../../server/domain/clock'
import { type TableModel, tableToPdf, tableToXlsx } from '../../server/export/table'

const clock = new ManualClock('2026-11-23T14:05:00+04:00')

const columns: TableModel['columns'] = [
  { header: 'Հ/հ', width: 1, align: 'right' },
  { header: 'Գրանցման համար', width: 2 },
  { header: 'Ամսաթիվ', width: 2, align: 'center' },
  { header: 'Ումից', width: 3 },
  { header: 'Համառոտ բովանդակություն', width: 6 },
  { header: 'Կատարող', width: 3 },
]

function register(rows: string[][], changes: Partial<TableModel> = {}): TableModel {
  return {
    title: 'Մտից մատյան — Արարատի մարզային մարմին',
    subtitle: '01.01.2026 – 31.03.2026',
    footer: 'Ստեղծվել է 23.11.2026 14:05, Պետրոսյան Արմեն',
    language: 'hy',
    columns,
    rows,
    ...changes,
  }
}

const number = (n: number): string => `ԱՐ-2026-${String(n).padStart(4, '0')}`
const letter = (n: number): string[] => [
  String(n),
  number(n),
  '05.01.2026',
  'Երևանի քաղաքային դատարան',
  n % 7 ? 'Դատավճռի պատճեն' : 'Դատավճռի պատճենը և կատարողական թերթը՝ պրոբացիայի հսկողությունն իրականացնելու համար։ '.repeat(3),
  'Սարգսյան Լ.',
]

async function readWorkbook(model: TableModel): Promise<Workbook> {
  const workbook = new Workbook()
  // read() rather than load(): exceljs declares its own global Buffer, which a Node Buffer no longer satisfies.
  await workbook.xlsx.read(Readable.from([await tableToXlsx(model, clock)]))
  return workbook
}

interface PdfObject {
  dict: string
  stream?: Buffer
}

/** pdfkit's objects by number, streams inflated. Enough for what pdfkit writes, not a general PDF parser. */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1')
  const objects = new Map<number, PdfObject>()
  const start = /(\d+) 0 obj\n/g
  for (let match = start.exec(text); match; match = start.exec(text)) {
    const bodyAt = start.lastIndex
    const endAt = text.indexOf('\nendobj', bodyAt)
    const streamAt = text.indexOf('\nstream\n', bodyAt)
    if (streamAt === -1 || streamAt > endAt) {
      objects.set(Number(match[1]), { dict: text.slice(bodyAt, endAt) })
      continue
    }
    const dict = text.slice(bodyAt, streamAt)
    const dataAt = streamAt + '\nstream\n'.length
    const data = pdf.subarray(dataAt, dataAt + Number(/\/Length (\d+)/.exec(dict)![1]))
    objects.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(data) : data })
    start.lastIndex = dataAt + data.length
  }
  return objects
}

const utf16be = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le')

/** The text fragments drawn on each page, in drawing order: glyph codes mapped back to text through each font's ToUnicode CMap. */
function pageTexts(pdf: Buffer): string[][] {
  const objects = pdfObjects(pdf)
  const dictOf = (ref: number): string => objects.get(ref)!.dict
  const refIn = (dict: string, key: string): number => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)![1])
  const unicodeOf = (font: number): Map<string, string> => {
    const cmap = objects.get(refIn(dictOf(font), 'ToUnicode'))!.stream!.toString('latin1')
    const map = new Map<string, string>()
    for (const [, first, targets] of cmap.matchAll(/<([0-9a-f]+)> ?<[0-9a-f]+> ?\[([^\]]*)\]/gi)) {
      ;[...targets.matchAll(/<([0-9a-f]+)>/gi)].forEach(([, target], i) => map.set((parseInt(first, 16) + i).toString(16).padStart(4, '0'), utf16be(target)))
    }
    return map
  }
  const catalog = [...objects.values()].find((object) => /\/Type \/Catalog\b/.test(object.dict))!
  const kids = /\/Kids \[([^\]]*)\]/.exec(dictOf(refIn(catalog.dict, 'Pages')))![1]
  return [...kids.matchAll(/(\d+) 0 R/g)].map(([, page]) => {
    const fonts = new Map([...dictOf(refIn(dictOf(Number(page)), 'Resources')).matchAll(/\/(F\d+) (\d+) 0 R/g)].map(([, name, ref]) => [name, unicodeOf(Number(ref))]))
    const content = objects.get(refIn(dictOf(Number(page)), 'Contents'))!.stream!.toString('latin1')
    const fragments: string[] = []
    let font = new Map<string, string>()
    for (const [, fontName, array] of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (fontName) font = fonts.get(fontName)!
      else fragments.push([...array.matchAll(/<([0-9a-f]*)>/gi)].map(([, hex]) => (hex.match(/.{4}/g) ?? []).map((code) => font.get(code.toLowerCase()) ?? '\ufffd').join('')).join(''))
    }
    return fragments
  })
}

/** A metadata entry: pdfkit writes `/Key n 0 R` in the Info dictionary and the value as a literal string, UTF-16BE when not ASCII. */
function infoEntry(pdf: Buffer, key: string): string {
  const objects = pdfObjects(pdf)
  const info = objects.get(Number(/\/Info (\d+) 0 R/.exec(pdf.toString('latin1'))![1]))!.dict
  const literal = /^\(([\s\S]*)\)$/.exec(objects.get(Number(new RegExp(`/${key} (\\d+) 0 R`).exec(info)![1]))!.dict)![1]
  const bytes = Buffer.from(literal.replace(/\\([nrtbf()\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[c] ?? c), 'latin1')
  return bytes[0] === 0xfe && bytes[1] === 0xff ? utf16be(bytes.subarray(2).toString('hex')) : bytes.toString('latin1')
}

describe('table export', () => {
  describe('XLSX', () => {
    const rows = [
      letter(1),
      ['2', '0012', '1.50', '=1+2', '@SUM(A1)', '+37410123456'],
      ['3', '-2', '2026-01-05', '\t=HYPERLINK("http://example.com","x")', 'Առաջին տող\nԵրկրորդ տող', ''],
    ]
    let workbook: Workbook
    let sheet: Worksheet

    before(async () => {
      workbook = await readWorkbook(register(rows, { sheetName: 'Մտից' }))
      sheet = workbook.worksheets[0]
    })

    it('when a register is exported, then its title and period head the sheet and the header row follows in bold', () => {
      expect(sheet.getCell('A1').value).to.equal('Մտից մատյան — Արարատի մարզային մարմին')
      expect(sheet.getCell('A1').font.bold).to.equal(true)
      expect(sheet.getCell('A2').value).to.equal('01.01.2026 – 31.03.2026')
      expect(sheet.getRow(3).values).to.deep.equal([undefined, ...columns.map((column) => column.header)])
      expect(sheet.getRow(3).getCell(1).font.bold).to.equal(true)
    })

    it('when cells look like numbers, dates or formulas, then each comes back as the exact string given and none is a formula', () => {
      rows.forEach((cells, r) => {
        cells.forEach((text, c) => {
          const cell = sheet.getRow(4 + r).getCell(c + 1)
          if (text === '') expect(cell.type, `${cell.address} stays blank`).to.equal(ValueType.Null)
          else expect([cell.type, cell.value], cell.address).to.deep.equal([ValueType.String, text])
        })
      })
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, cell.address).to.not.equal(ValueType.Formula)
          expect(cell.formula, cell.address).to.equal(undefined)
        }),
      )
    })

    it('when a register is exported, then the header row is frozen, repeated on printed pages and filters the rows', () => {
      expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 3 })
      expect(sheet.pageSetup.printTitlesRow).to.equal('3:3')
      expect(sheet.autoFilter).to.equal('A3:F6')
    })

    it('when a register is exported, then it prints on landscape A4 fit to the page width, with wrapped cells', () => {
      expect(sheet.pageSetup).to.include({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 })
      expect(sheet.getCell('E5').alignment).to.include({ wrapText: true, horizontal: 'left' })
      expect(sheet.getCell('A5').alignment).to.include({ wrapText: true, horizontal: 'right' })
    })

    it('when columns have relative widths, then the sheet columns keep their proportions', () => {
      const widths = sheet.columns.map((column) => column.width ?? 0)
      expect(widths[4] / widths[0]).to.be.within(5.5, 6.5)
      expect(widths[1]).to.equal(widths[2])
    })

    it('when a register is exported, then the footer line follows the rows and the printed footer numbers the pages', () => {
      expect(sheet.getCell('A8').value).to.equal('Ստեղծվել է 23.11.2026 14:05, Պետրոսյան Արմեն')
      expect(sheet.headerFooter.oddFooter).to.equal('&LՍտեղծվել է 23.11.2026 14:05, Պետրոսյան Արմեն&RԷջ &P / &N')
    })

    it('when the footer holds an ampersand, then it is printed as text, not read as a field code', async () => {
      const english = await readWorkbook(register([], { language: 'en', footer: 'Generated 23.11.2026 14:05 by R&D' }))
      expect(english.worksheets[0].headerFooter.oddFooter).to.equal('&LGenerated 23.11.2026 14:05 by R&&D&RPage &P of &N')
    })

    it('when a register is exported, then the workbook carries the title and the creation time', () => {
      expect(workbook.title).to.equal('Մտից մատյան — Արարատի մարզային մարմին')
      expect(workbook.created.toISOString()).to.equal('2026-11-23T10:05:00.000Z')
    })

    it('when the sheet name breaks Excel rules, then it is cleaned and cut to 31 characters', async () => {
      const name = 'Մտից/2026:Q1[x] *?\\ Արարատի մարզային մարմին'
      expect(name.length).to.be.greaterThan(40)
      const sheetName = (await readWorkbook(register(rows, { sheetName: name }))).worksheets[0].name
      expect(sheetName).to.equal('Մտից 2026 Q1 x Արարատի մարզային')
      expect(sheetName.length).to.be.at.most(31)
    })

    it('when the sheet name is missing, quoted or reserved, then a valid one is used', async () => {
      const nameFor = async (changes: Partial<TableModel>): Promise<string> => (await readWorkbook(register(rows, changes))).worksheets[0].name
      expect(await nameFor({})).to.equal('Մտից մատյան — Արարատի մարզային')
      expect(await nameFor({ sheetName: "'O'Brien'" })).to.equal('’O’Brien’')
      expect(await nameFor({ sheetName: 'History' })).to.equal('History 1')
      expect(await nameFor({ sheetName: ' []/ ' })).to.equal('Sheet 1')
    })

    it('when there are no rows, then the sheet has the header and the filter covers it alone', async () => {
      const empty = (await readWorkbook(register([]))).worksheets[0]
      expect(empty.getRow(3).getCell(2).value).to.equal('Գրանցման համար')
      expect(empty.autoFilter).to.equal('A3:F3')
    })
  })

  describe('PDF', () => {
    it('when a register has no rows, then one page shows the title, the period, the header, the footer and "Էջ 1 / 1"', async () => {
      const pdf = await tableToPdf(register([]), clock)
      expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-')
      expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).to.equal(true)
      const pages = pageTexts(pdf)
      expect(pages).to.have.length(1)
      expect(pages[0]).to.include.members(['Մտից մատյան — Արարատի մարզային մարմին', '01.01.2026 – 31.03.2026', 'Ամսաթիվ', 'Կատարող', 'Էջ 1 / 1'])
      expect(pages[0]).to.include('Ստեղծվել է 23.11.2026 14:05, Պետրոսյան Արմեն')
    })

    it('when a register in English has one row, then the row is drawn and the page reads "Page 1 of 1"', async () => {
      const pages = pageTexts(await tableToPdf(register([letter(1)], { language: 'en', footer: 'Generated 23.11.2026 14:05 by Armen Petrosyan' }), clock))
      expect(pages).to.have.length(1)
      expect(pages[0]).to.include.members(['ԱՐ-2026-0001', 'Դատավճռի պատճեն', 'Page 1 of 1', 'Generated 23.11.2026 14:05 by Armen Petrosyan'])
    })

    describe('with 300 rows', () => {
      let pdf: Buffer
      let pages: string[][]

      before(async () => {
        pdf = await tableToPdf(register(Array.from({ length: 300 }, (_, i) => letter(i + 1))), clock)
        pages = pageTexts(pdf)
      })

      it('when the rows run over several pages, then every page repeats the header and carries the footer and "Էջ X / Y"', () => {
        expect(pages.length).to.be.greaterThan(1)
        pages.forEach((fragments, i) => {
          expect(fragments, `page ${i + 1}`).to.include.members(['Ամսաթիվ', `Էջ ${i + 1} / ${pages.length}`, 'Ստեղծվել է 23.11.2026 14:05, Պետրոսյան Արմեն'])
        })
        expect(pages.slice(1).flat()).to.not.include('Մտից մատյան — Արարատի մարզային մարմին')
      })

      it('when the rows run over several pages, then each row appears once and in order', () => {
        const numbers = pages.flat().filter((fragment) => /^ԱՐ-2026-\d{4}$/.test(fragment))
        expect(numbers).to.deep.equal(Array.from({ length: 300 }, (_, i) => number(i + 1)))
      })

      it('when the text is Armenian, then DejaVu Sans, regular and bold, is embedded with a ToUnicode map', () => {
        const text = pdf.toString('latin1')
        expect(text).to.match(/\/FontFile2 \d+ 0 R/)
        expect(text).to.match(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b(?!-)/)
        expect(text).to.match(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/)
        expect(text).to.match(/\/ToUnicode \d+ 0 R/)
        expect(text).to.not.match(/\/BaseFont \/(Helvetica|Times|Courier)/)
      })

      it('when a register is rendered, then the metadata carry its title, and the same input gives the same bytes', async () => {
        expect(infoEntry(pdf, 'Title')).to.equal('Մտից մատյան — Արարատի մարզային մարմին')
        expect(infoEntry(pdf, 'CreationDate')).to.equal('D:20261123100500Z')
        expect((await tableToPdf(register(Array.from({ length: 300 }, (_, i) => letter(i + 1))), clock)).equals(pdf)).to.equal(true)
      })
    })

    const notes = (cell: string): TableModel => ({
      title: 'Notes',
      footer: 'Probation Service',
      language: 'en',
      columns: [{ header: '#', width: 1 }, { header: 'Note', width: 6 }],
      rows: [['1', 'short'], ['2', cell], ['3', 'after']],
    })

    it('when a cell of 20,000 characters is taller than a page, then it is split between pages without losing a word', async () => {
      const words = Array.from({ length: 2500 }, (_, i) => `բառ${i}`).join(' ').slice(0, 20_000).replace(/ \S*$/, '')
      const pages = pageTexts(await tableToPdf(notes(words), clock))
      expect(pages.length).to.be.greaterThan(1)
      pages.forEach((fragments, i) => expect(fragments, `page ${i + 1}`).to.include.members(['Note', `Page ${i + 1} of ${pages.length}`]))
      const lines = pages.flat().filter((fragment) => /^բառ\d+( բառ\d+)*$/.test(fragment))
      expect(lines.join(' ')).to.equal(words)
      expect(pages.flat()).to.include.members(['short', 'after'])
    })

    it('when a single word of 20,000 characters is wider than its column, then it is broken across lines and pages', async () => {
      const word = 'ԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄ'.repeat(1000)
      const pages = pageTexts(await tableToPdf(notes(word), clock))
      expect(pages.length).to.be.greaterThan(1)
      expect(
        pages
          .flat()
          .filter((fragment) => /^[\u0531-\u0556]+$/.test(fragment))
          .join(''),
      ).to.equal(word)
    })
  })
})
