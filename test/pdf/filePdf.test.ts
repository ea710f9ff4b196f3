import { expect } from 'chai'
import { ManualClock } from '../../server/domain/clock'
import { type PdfDocumentModel, renderPdf } from '../../server/pdf/filePdf'

const longParagraph =
  'Սույն փաստաթուղթը պարունակում է Պրոբացիայի ծառայության կողմից մշակվող բոլոր անձնական տվյալները՝ ' +
  'համաձայն «Անձնական տվյալների պաշտպանության մասին» օրենքի։ '.repeat(6)

const personalFile: PdfDocumentModel = {
  title: 'Անձնական գործ ԱՐ-2026-0001',
  subtitle: 'Պետրոսյան Արմեն Սամվելի · Petrosyan Armen Samveli',
  footer: 'Պրոբացիայի ծառայություն · Probation Service',
  language: 'hy',
  sections: [
    {
      title: 'Անձնական տվյալներ',
      rows: [
        { label: 'Ազգանուն, անուն, հայրանուն', value: 'Պետրոսյան Արմեն Սամվելի' },
        { label: 'Ծննդյան ամսաթիվ', value: '08.03.1990' },
        { label: 'Հեռախոս', value: '' },
      ],
    },
    { title: 'Նկարագրություն', paragraphs: [longParagraph, 'English text with digits 0123456789.'] },
    {
      title: 'Այցելություններ',
      table: {
        columns: ['#', 'Ամսաթիվ', 'Տեսակ', 'Նշումներ'],
        rows: Array.from({ length: 60 }, (_, i) => [String(i + 1), '08.03.2026', 'Այց', i % 5 ? 'Կանոնավոր' : longParagraph.slice(0, 120)]),
      },
    },
  ],
}

/** PDF literal string → text: undo pdfkit's escapes, then UTF-16BE (with BOM) or Latin-1. */
function literalText(raw: string): string {
  const bytes = Buffer.from(raw.replace(/\\([nrtbf()\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' })[c] ?? c), 'latin1')
  if (bytes[0] !== 0xfe || bytes[1] !== 0xff) return bytes.toString('latin1')
  return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
}

/** The value of an Info entry, written by pdfkit as `/Key n 0 R` and `n 0 obj\n(...)\nendobj`. */
function infoEntry(pdf: string, key: string): string {
  const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(pdf)
  expect(ref, `/${key} in the Info dictionary`).to.not.equal(null)
  const object = new RegExp(`\\n${ref![1]} 0 obj\\n\\(([\\s\\S]*?)\\)\\nendobj`).exec(pdf)
  expect(object, `object ${ref![1]}`).to.not.equal(null)
  return literalText(object![1])
}

describe('PDF of a personal file (subject access)', () => {
  let pdf: string

  before(async () => {
    const buffer = await renderPdf(personalFile, new ManualClock('2026-11-23T09:00:00+04:00'))
    pdf = buffer.toString('latin1')
  })

  it('when a file is rendered, then the result is a PDF document', () => {
    expect(pdf.startsWith('%PDF-')).to.equal(true)
    expect(pdf.trimEnd().endsWith('%%EOF')).to.equal(true)
  })

  it('when a file has Armenian text, then a font with Armenian glyphs is embedded, regular and bold', () => {
    expect(pdf).to.match(/\/FontFile2 \d+ 0 R/)
    expect(pdf).to.match(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/)
    expect(pdf).to.match(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/)
    expect(pdf).to.match(/\/ToUnicode \d+ 0 R/) // so the text can be searched and copied
    expect(pdf).to.not.match(/\/BaseFont \/(Helvetica|Times|Courier)/)
  })

  it('when a table has 60 rows, then the document runs onto several pages', () => {
    const pages = pdf.match(/\/Type \/Page\b(?!s)/g) ?? []
    expect(pages.length).to.be.greaterThan(1)
    expect(pdf).to.include(`/Count ${pages.length}`)
  })

  it('when a file is rendered, then the metadata carry the Armenian title, the producer, the date and the language', () => {
    expect(infoEntry(pdf, 'Title')).to.equal('Անձնական գործ ԱՐ-2026-0001')
    expect(infoEntry(pdf, 'Producer')).to.equal('Probation Service back office')
    expect(infoEntry(pdf, 'CreationDate')).to.equal('D:20261123050000Z')
    expect(pdf).to.include('/Lang (hy)')
  })

  it('when a file has no sections, then a one-page document with its title still renders', async () => {
    const buffer = await renderPdf({ title: 'Personal file', footer: 'Probation Service', language: 'en', sections: [] })
    const text = buffer.toString('latin1')
    expect(text.startsWith('%PDF-')).to.equal(true)
    expect(text.match(/\/Type \/Page\b(?!s)/g)).to.have.length(1)
    expect(infoEntry(text, 'Title')).to.equal('Personal file')
  })

  it('when a table cell or a value is longer than a page, then it flows onto the next pages', async () => {
    const huge = longParagraph.repeat(30)
    const buffer = await renderPdf({
      title: 'Personal file',
      footer: 'Probation Service',
      language: 'en',
      sections: [
        { title: 'Notes', table: { columns: ['#', 'Note'], rows: [['1', 'short'], ['2', huge], ['3', 'after']] } },
        { title: 'Remarks', rows: [{ label: 'Remark', value: huge }] },
      ],
    })
    expect(buffer.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length).to.be.greaterThan(4)
  })
})
