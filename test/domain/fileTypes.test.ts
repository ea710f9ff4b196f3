import { validateHeaderValue } from 'node:http'
import { crc32 } from 'node:zlib'
import { expect } from 'chai'
import fc from 'fast-check'
import {
  ACCEPTED_FILE_TYPES,
  contentDisposition,
  detectFileType,
  MAX_UPLOAD_BYTES,
  safeFileName,
  type AcceptedFileKind,
} from '../../server/domain/fileTypes'

interface ZipEntry {
  name: string
  data?: string
  /** Sizes and CRC left out of the local header (flag bit 3) and given in a data descriptor after the data. */
  dataDescriptor?: boolean
}

/** A ZIP of stored (uncompressed) entries, written by hand: local headers, and the central directory unless told not to. */
function zip(entries: ZipEntry[], options: { centralDirectory?: boolean } = {}): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8')
    const data = Buffer.from(entry.data ?? '', 'utf8')
    const crc = crc32(data)
    const flags = 0x0800 | (entry.dataDescriptor ? 0x0008 : 0)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed to extract
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(0, 8) // method: stored
    local.writeUInt16LE(0x6000, 10) // 12:00
    local.writeUInt16LE(0x5d77, 12) // 2026-11-23
    local.writeUInt32LE(entry.dataDescriptor ? 0 : crc, 14)
    local.writeUInt32LE(entry.dataDescriptor ? 0 : data.length, 18)
    local.writeUInt32LE(entry.dataDescriptor ? 0 : data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const descriptor = Buffer.alloc(entry.dataDescriptor ? 16 : 0)
    if (entry.dataDescriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0)
      descriptor.writeUInt32LE(crc, 4)
      descriptor.writeUInt32LE(data.length, 8)
      descriptor.writeUInt32LE(data.length, 12)
    }
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4) // version made by
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(flags, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt16LE(0x6000, 12)
    central.writeUInt16LE(0x5d77, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    const written = Buffer.concat([local, name, data, descriptor])
    locals.push(written)
    centrals.push(Buffer.concat([central, name]))
    offset += written.length
  }
  if (options.centralDirectory === false) return Buffer.concat(locals)
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

const CONTENT_TYPES = { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' }
const RELS = { name: '_rels/.rels', data: '<?xml version="1.0"?><Relationships/>' }
const WORD_DOCUMENT = { name: 'word/document.xml', data: '<?xml version="1.0"?><w:document><w:body><w:p/></w:body></w:document>' }
const DOCX_ENTRIES: ZipEntry[] = [CONTENT_TYPES, RELS, WORD_DOCUMENT]
const DOCX = zip(DOCX_ENTRIES)
const DOCX_LOCAL_ONLY = zip(DOCX_ENTRIES, { centralDirectory: false })

/** Deterministic "random" bytes (a linear congruential generator), so a failure can be replayed. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length)
  let state = seed
  for (let i = 0; i < length; i += 1) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

const bytes = (...values: number[]) => Buffer.from(values)
const latin1 = (text: string) => Buffer.from(text, 'latin1')

describe('file type detection by content', () => {
  for (const [description, content, expected] of [
    ['a PDF header', latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'), 'pdf'],
    ['a JPEG (JFIF) start', Buffer.concat([bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10), latin1('JFIF\0')]), 'jpeg'],
    ['a JPEG (Exif) start', Buffer.concat([bytes(0xff, 0xd8, 0xff, 0xe1, 0x00, 0x18), latin1('Exif\0\0')]), 'jpeg'],
    ['a PNG signature and IHDR chunk', Buffer.concat([bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), bytes(0, 0, 0, 13), latin1('IHDR')]), 'png'],
    ['a DOCX-shaped ZIP', DOCX, 'docx'],
    ['a DOCX-shaped ZIP with only its local headers', DOCX_LOCAL_ONLY, 'docx'],
    ['a DOCX-shaped ZIP whose sizes are in data descriptors', zip(DOCX_ENTRIES.map((entry) => ({ ...entry, dataDescriptor: true }))), 'docx'],
    ['a DOCX-shaped ZIP with its part names in another case', zip([{ name: '[content_types].xml' }, { name: 'Word/Document.xml' }]), 'docx'],
    ['an EXE body named report.pdf', Buffer.concat([latin1('MZ\x90\x00\x03\x00\x00\x00\x04\x00'), latin1('This program cannot be run in DOS mode.%PDF-1.7')]), null],
    ['an ELF executable', Buffer.concat([latin1('\x7fELF\x02\x01\x01\x00'), Buffer.alloc(56)]), null],
    ['an HTML page', latin1('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'), null],
    ['a PDF header not at the start', latin1(' %PDF-1.7\n'), null],
    ['"%PDF" without its dash', latin1('%PDF1.7\n'), null],
    ['an XLSX-shaped ZIP', zip([CONTENT_TYPES, RELS, { name: 'xl/workbook.xml', data: '<workbook/>' }]), null],
    ['a PPTX-shaped ZIP', zip([CONTENT_TYPES, RELS, { name: 'ppt/presentation.xml', data: '<presentation/>' }]), null],
    ['a plain ZIP', zip([{ name: 'readme.txt', data: 'hello' }]), null],
    ['a ZIP with word/document.xml but no [Content_Types].xml', zip([RELS, WORD_DOCUMENT]), null],
    ['a ZIP whose stored text only mentions both names', zip([{ name: 'notes.txt', data: '[Content_Types].xml word/document.xml' }]), null],
    ['a DOCX-shaped ZIP behind an executable stub (self-extracting)', Buffer.concat([latin1('MZ\x90\x00'), DOCX]), null],
    ['a DOCX cut off inside word/document.xml', DOCX_LOCAL_ONLY.subarray(0, DOCX_LOCAL_ONLY.length - 10), null],
    ['a bare ZIP signature', latin1('PK\x03\x04'), null],
    ['random bytes', pseudoRandomBytes(4096, 20261123), null],
    ['the JPEG signature cut to two bytes', bytes(0xff, 0xd8), null],
    ['the PNG signature cut to seven bytes', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a), null],
    ['an empty buffer', Buffer.alloc(0), null],
  ] as const satisfies readonly (readonly [string, Buffer, AcceptedFileKind | null])[]) {
    it(`when the content is ${description}, then the file type is ${expected ?? 'not accepted'}`, () => {
      const detected = detectFileType(content)
      expect(detected?.kind ?? null).to.equal(expected)
      if (expected) expect(detected).to.equal(ACCEPTED_FILE_TYPES[expected])
    })
  }

  it('when a DOCX is cut off anywhere before word/document.xml is complete, then the file type is not accepted', () => {
    for (let length = 0; length < DOCX_LOCAL_ONLY.length; length += 1) {
      expect(detectFileType(DOCX.subarray(0, length)), `cut at ${length}`).to.equal(null)
    }
  })

  it('when the central directory is damaged, then the complete local entries decide', () => {
    const damaged = Buffer.from(DOCX)
    damaged.writeUInt32LE(0xfffffff0, damaged.length - 6) // directory offset beyond the file
    expect(detectFileType(damaged)).to.equal(ACCEPTED_FILE_TYPES.docx)
    const xlsx = Buffer.from(zip([CONTENT_TYPES, { name: 'xl/workbook.xml' }]))
    xlsx.writeUInt32LE(0xfffffff0, xlsx.length - 6)
    expect(detectFileType(xlsx)).to.equal(null)
  })

  it('when the central directory and the local headers disagree, then the central directory decides', () => {
    // Local headers of a DOCX, a central directory listing an XLSX: what a ZIP reader (and Word) would see is an XLSX.
    const docx = zip(DOCX_ENTRIES)
    const xlsx = zip([CONTENT_TYPES, RELS, { name: 'xl/workbook.xml', data: WORD_DOCUMENT.data }])
    const directoryLength = xlsx.length - zip([CONTENT_TYPES, RELS, { name: 'xl/workbook.xml', data: WORD_DOCUMENT.data }], { centralDirectory: false }).length
    const mixed = Buffer.concat([docx.subarray(0, DOCX_LOCAL_ONLY.length), xlsx.subarray(xlsx.length - directoryLength)])
    mixed.writeUInt32LE(DOCX_LOCAL_ONLY.length, mixed.length - 6) // the directory's offset, where it now is
    expect(detectFileType(mixed)).to.equal(null)
  })

  it('when the content comes as a Uint8Array rather than a Buffer, then it is judged the same', () => {
    expect(detectFileType(new Uint8Array(DOCX) as Buffer)).to.equal(ACCEPTED_FILE_TYPES.docx)
  })

  it('when the accepted types are listed, then each has its media type and usual extensions, and cannot be changed', () => {
    expect(Object.fromEntries(Object.entries(ACCEPTED_FILE_TYPES).map(([kind, type]) => [kind, [type.mediaType, type.extensions]]))).to.deep.equal({
      pdf: ['application/pdf', ['.pdf']],
      jpeg: ['image/jpeg', ['.jpg', '.jpeg']],
      png: ['image/png', ['.png']],
      docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', ['.docx']],
    })
    for (const [kind, type] of Object.entries(ACCEPTED_FILE_TYPES)) expect(type.kind).to.equal(kind)
    expect(Object.isFrozen(ACCEPTED_FILE_TYPES) && Object.isFrozen(ACCEPTED_FILE_TYPES.pdf) && Object.isFrozen(ACCEPTED_FILE_TYPES.jpeg.extensions)).to.equal(true)
    expect(MAX_UPLOAD_BYTES).to.equal(20 * 1024 * 1024)
  })

  const acceptedOrNull = [null, ...Object.values(ACCEPTED_FILE_TYPES)]

  it('when the content is any bytes at all, then detection never throws (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), (content) => {
      expect(acceptedOrNull).to.include(detectFileType(Buffer.from(content)))
    }))
  })

  it('when the content is ZIP-like bytes with stray directory records, then detection never throws (property)', () => {
    const endRecord = latin1('PK\x05\x06')
    const centralHeader = latin1('PK\x01\x02')
    const piece = fc.oneof(fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), fc.constantFrom(endRecord, centralHeader, latin1('PK\x03\x04')))
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      expect(acceptedOrNull).to.include(detectFileType(Buffer.concat([latin1('PK\x03\x04'), ...pieces])))
    }))
  })

  it('when a DOCX is damaged at random and cut anywhere, then detection never throws (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat({ max: DOCX.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.nat({ max: DOCX.length }),
      (changes, length) => {
        const damaged = Buffer.from(DOCX)
        for (const [at, value] of changes) damaged[at] = value
        expect(acceptedOrNull).to.include(detectFileType(damaged.subarray(0, length)))
      },
    ))
  })
})

// Characters that break headers, paths or encodings, mixed into arbitrary code points (lone surrogates included).
const HOSTILE = ['"', '\\', '/', '\r', '\n', '\0', '\x7f', '\x85', '%', "'", '*', '(', ';', '.', ' ', '\t', '\u202e', '\u2028', '\ufeff', 'Դ', 'ճ', '😀', 'e\u0301', '\ud800', '\udfff']
const hostileName = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom(...HOSTILE)),
  maxLength: 260,
})

// JSON quoting, and bidirectional controls spelled out so the test titles read the right way round.
const shown = (text: string) => JSON.stringify(text).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)

describe('safe file name', () => {
  for (const [typed, expected] of [
    ['Դատավճիռ 2026.pdf', 'Դատավճիռ 2026.pdf'],
    ['C:\\Users\\officer\\Desktop\\Դատավճիռ 2026.pdf', 'Դատավճիռ 2026.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['  report.pdf \t', 'report.pdf'],
    ['line\r\nbreak.pdf', 'linebreak.pdf'],
    ['nul\0byte.pdf', 'nulbyte.pdf'],
    ['invoice\u202efdp.exe', 'invoicefdp.exe'],
    ['broken\ud800half.pdf', 'brokenhalf.pdf'],
    ['cafe\u0301.pdf', 'café.pdf'],
    ['', 'file'],
    ['   ', 'file'],
    ['..', 'file'],
    ['folder/', 'file'],
    ['\0\r\n', 'file'],
  ] as const) {
    it(`when the file name is ${shown(typed)}, then the safe file name is ${shown(expected)}`, () => {
      expect(safeFileName(typed)).to.equal(expected)
    })
  }

  it('when a file name is longer than 200 characters, then it is cut to 200 keeping its extension', () => {
    const armenian = safeFileName(`${'Դատավճիռ '.repeat(40)}.docx`)
    expect([...armenian]).to.have.length.at.most(200)
    expect(armenian).to.match(/^Դատավճիռ .*\.docx$/u)
    expect(safeFileName('x'.repeat(250))).to.equal('x'.repeat(200))
    const emoji = safeFileName(`${'😀'.repeat(250)}.pdf`)
    expect(emoji).to.equal(`${'😀'.repeat(196)}.pdf`)
  })

  it('when any name is made safe, then it is a non-empty, trimmed, well-formed base name of at most 200 characters, and stays as it is when made safe again (property)', () => {
    fc.assert(fc.property(hostileName, (typed) => {
      const safe = safeFileName(typed)
      expect(safe).to.not.equal('')
      expect([...safe]).to.have.length.at.most(200)
      expect(safe).to.equal(safe.trim())
      expect(safe).to.not.match(/[/\\\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u)
      expect(safe).to.not.match(/^\.*$/)
      expect(safeFileName(safe)).to.equal(safe)
    }))
  })

  it('when a long name ends in a usual extension, then the extension is kept (property)', () => {
    fc.assert(fc.property(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.constantFrom('.pdf', '.docx', '.jpeg', '.png'),
      (stem, extension) => {
        expect(safeFileName(`${stem}${extension}`).endsWith(extension)).to.equal(true)
      },
    ))
  })
})

describe('content disposition header', () => {
  for (const [typed, disposition, expected] of [
    ['Դատավճիռ 2026.pdf', 'attachment', `attachment; filename="________ 2026.pdf"; filename*=UTF-8''%D4%B4%D5%A1%D5%BF%D5%A1%D5%BE%D5%B3%D5%AB%D5%BC%202026.pdf`],
    ['report.pdf', 'inline', `inline; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['report "final".pdf', 'attachment', `attachment; filename="report _final_.pdf"; filename*=UTF-8''report%20%22final%22.pdf`],
    ["it's (v2)*.pdf", 'attachment', `attachment; filename="it's (v2)*.pdf"; filename*=UTF-8''it%27s%20%28v2%29%2A.pdf`],
    ['100%.pdf', 'attachment', `attachment; filename="100_.pdf"; filename*=UTF-8''100%25.pdf`],
    ['a\r\nContent-Type: text/html\r\n\r\n<script>.pdf', 'attachment', `attachment; filename="html<script>.pdf"; filename*=UTF-8''html%3Cscript%3E.pdf`],
    ['C:\\fakepath\\scan.png', 'inline', `inline; filename="scan.png"; filename*=UTF-8''scan.png`],
    ['', 'attachment', `attachment; filename="file"; filename*=UTF-8''file`],
  ] as const) {
    it(`when the file name is ${shown(typed)} (${disposition}), then the content disposition is ${expected}`, () => {
      expect(contentDisposition(typed, disposition)).to.equal(expected)
    })
  }

  it('when no disposition is given, then it is an attachment; when a bad one slips in at run time, then still an attachment', () => {
    expect(contentDisposition('a.pdf')).to.match(/^attachment; /)
    expect(contentDisposition('a.pdf', 'inline\r\nSet-Cookie: x=1' as 'inline')).to.equal(`attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`)
  })

  const HEADER = /^(attachment|inline); filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]+)$/

  it('when the file name is anything at all, then the header has no CR, LF or unbalanced quote, and filename* decodes to the safe file name (property)', () => {
    fc.assert(fc.property(hostileName, fc.constantFrom('attachment', 'inline') as fc.Arbitrary<'attachment' | 'inline'>, (typed, disposition) => {
      const value = contentDisposition(typed, disposition)
      expect(value).to.not.match(/[\r\n]/)
      const parts = HEADER.exec(value)
      expect(parts, value).to.not.equal(null)
      const [, type, fallback, encoded] = parts as RegExpExecArray
      expect(type).to.equal(disposition)
      expect(fallback).to.not.match(/["\\]/)
      expect(value.split('"')).to.have.length(3)
      expect(decodeURIComponent(encoded)).to.equal(safeFileName(typed))
      expect(() => validateHeaderValue('Content-Disposition', value)).to.not.throw()
    }))
  })
})
