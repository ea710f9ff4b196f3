/*
 * The kinds of file officers may attach, recognised by their content (magic bytes), never by the name or the
 * media type the browser sends: an executable renamed to ".pdf" is not a PDF. Also the safe forms of a file
 * name for storing and for the Content-Disposition header (RFC 6266, RFC 5987), where Armenian names must
 * survive and nothing an uploader types may break the header.
 */

export interface FileTypeDescription {
  readonly kind: string
  readonly mediaType: string
  /** Usual extensions, lower case with the leading dot, as `path.extname` gives them and `accept=""` takes them. */
  readonly extensions: readonly string[]
}

export const ACCEPTED_FILE_TYPES = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf', extensions: ['.pdf'] },
  jpeg: { kind: 'jpeg', mediaType: 'image/jpeg', extensions: ['.jpg', '.jpeg'] },
  png: { kind: 'png', mediaType: 'image/png', extensions: ['.png'] },
  docx: {
    kind: 'docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
  },
} as const satisfies Record<string, FileTypeDescription>

// detectFileType hands these very objects out: freeze them so no caller can change what is accepted.
for (const type of Object.values(ACCEPTED_FILE_TYPES)) Object.freeze(Object.freeze(type).extensions)
Object.freeze(ACCEPTED_FILE_TYPES)

export type AcceptedFileKind = keyof typeof ACCEPTED_FILE_TYPES
export type AcceptedFileType = (typeof ACCEPTED_FILE_TYPES)[AcceptedFileKind]

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1')
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff])
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** The accepted kind `content` is, judged by its bytes alone; null for anything else. Never throws. */
export function detectFileType(content: Buffer): AcceptedFileType | null {
  // Callers in plain JavaScript may pass anything; a Uint8Array that is not a Buffer is read in place.
  const given: unknown = content
  if (!(given instanceof Uint8Array)) return null
  const bytes = Buffer.isBuffer(given) ? given : Buffer.from(given.buffer, given.byteOffset, given.byteLength)
  try {
    if (startsWith(bytes, PDF_SIGNATURE)) return ACCEPTED_FILE_TYPES.pdf
    if (startsWith(bytes, PNG_SIGNATURE)) return ACCEPTED_FILE_TYPES.png
    if (startsWith(bytes, JPEG_SIGNATURE)) return ACCEPTED_FILE_TYPES.jpeg
    if (isWordDocument(bytes)) return ACCEPTED_FILE_TYPES.docx
  } catch {
    // Every read below is bounds-checked; this only keeps the promise should one be missed.
  }
  return null
}

function startsWith(bytes: Buffer, signature: Buffer): boolean {
  return bytes.length >= signature.length && bytes.subarray(0, signature.length).equals(signature)
}

/*
 * DOCX is a ZIP (an OPC package) holding [Content_Types].xml and word/document.xml; XLSX and PPTX hold
 * xl/… and ppt/… instead. The entry names are read from the ZIP structures, nothing is decompressed.
 * OPC compares part names case-insensitively, so names are compared in lower case.
 */
const ZIP_LOCAL_HEADER = 0x04034b50
const ZIP_CENTRAL_HEADER = 0x02014b50
const ZIP_END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06])
const LOCAL_HEADER_SIZE = 30
const CENTRAL_HEADER_SIZE = 46
const END_OF_CENTRAL_DIRECTORY_SIZE = 22
const MAX_ZIP_COMMENT = 0xffff
// A crafted file could hold many end-record signatures; each costs a walk of a directory, so try a few only.
const MAX_END_RECORD_CANDIDATES = 4
const DATA_DESCRIPTOR_FLAG = 0x0008
const ZIP64_SIZE = 0xffffffff
const WORD_DOCUMENT_ENTRIES = ['[content_types].xml', 'word/document.xml']

function isWordDocument(bytes: Buffer): boolean {
  if (bytes.length < LOCAL_HEADER_SIZE || bytes.readUInt32LE(0) !== ZIP_LOCAL_HEADER) return false
  const names = centralDirectoryNames(bytes) ?? completeLocalEntryNames(bytes)
  return WORD_DOCUMENT_ENTRIES.every((entry) => names.has(entry))
}

/** Entry names from the central directory, which is what Word and every ZIP reader trust; null if there is none readable. */
function centralDirectoryNames(bytes: Buffer): Set<string> | null {
  const lowest = Math.max(0, bytes.length - END_OF_CENTRAL_DIRECTORY_SIZE - MAX_ZIP_COMMENT)
  let from = bytes.length - END_OF_CENTRAL_DIRECTORY_SIZE
  for (let candidates = 0; candidates < MAX_END_RECORD_CANDIDATES && from >= lowest; candidates += 1) {
    const record = bytes.lastIndexOf(ZIP_END_OF_CENTRAL_DIRECTORY, from)
    if (record < lowest) return null
    const names = readCentralDirectory(bytes, record)
    if (names) return names
    from = record - 1
  }
  return null
}

function readCentralDirectory(bytes: Buffer, record: number): Set<string> | null {
  const count = bytes.readUInt16LE(record + 10)
  const size = bytes.readUInt32LE(record + 12)
  const start = bytes.readUInt32LE(record + 16)
  const end = start + size
  if (end > record) return null
  const names = new Set<string>()
  let at = start
  for (let i = 0; i < count; i += 1) {
    if (at + CENTRAL_HEADER_SIZE > end || bytes.readUInt32LE(at) !== ZIP_CENTRAL_HEADER) return null
    const nameLength = bytes.readUInt16LE(at + 28)
    const next = at + CENTRAL_HEADER_SIZE + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
    if (next > end) return null
    names.add(bytes.toString('latin1', at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength).toLowerCase())
    at = next
  }
  return names
}

/*
 * Without a readable central directory (a cut-off or damaged file), the local headers from the start, counting
 * only entries whose data is all there; an entry whose size is not in its header (data descriptor, ZIP64)
 * cannot be skipped without decompressing, so the walk stops there.
 */
function completeLocalEntryNames(bytes: Buffer): Set<string> {
  const names = new Set<string>()
  let at = 0
  while (at + LOCAL_HEADER_SIZE <= bytes.length && bytes.readUInt32LE(at) === ZIP_LOCAL_HEADER) {
    const flags = bytes.readUInt16LE(at + 6)
    const compressedSize = bytes.readUInt32LE(at + 18)
    const nameLength = bytes.readUInt16LE(at + 26)
    const nameStart = at + LOCAL_HEADER_SIZE
    const dataEnd = nameStart + nameLength + bytes.readUInt16LE(at + 28) + compressedSize
    if ((flags & DATA_DESCRIPTOR_FLAG) !== 0 || compressedSize === ZIP64_SIZE || dataEnd > bytes.length) break
    names.add(bytes.toString('latin1', nameStart, nameStart + nameLength).toLowerCase())
    at = dataEnd
  }
  return names
}

export const MAX_FILE_NAME_LENGTH = 200
// Beyond this a "extension" is just the tail of a long name with a dot in it.
const MAX_KEPT_EXTENSION_LENGTH = 16

/*
 * Control characters (C0, DEL, C1), lone surrogates (they make the name unencodable), line and paragraph
 * separators, and the bidirectional marks that can make "report\u202Efdp.exe" display as "reportexe.pdf".
 */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu

/**
 * The base name of an uploaded file (no directory part, whether written with / or \), without control
 * characters, NFC-normalised, trimmed, at most 200 characters (the extension kept), never empty, never . or ..
 */
export function safeFileName(name: string): string {
  const cleaned = (typeof name === 'string' ? name : '').replace(UNSAFE_CHARACTERS, '')
  const base = cleaned.slice(Math.max(cleaned.lastIndexOf('/'), cleaned.lastIndexOf('\\')) + 1)
  const shortened = shorten(base.normalize('NFC').trim())
  return /^\.*$/.test(shortened) ? 'file' : shortened
}

function shorten(name: string): string {
  const characters = [...name]
  if (characters.length <= MAX_FILE_NAME_LENGTH) return name
  const dot = characters.lastIndexOf('.')
  const extension = dot > 0 && characters.length - dot <= MAX_KEPT_EXTENSION_LENGTH ? characters.slice(dot) : []
  return characters.slice(0, MAX_FILE_NAME_LENGTH - extension.length).join('').trimEnd() + extension.join('')
}

/**
 * A Content-Disposition value for sending a file under `fileName`: `filename="..."` in plain ASCII for old
 * clients (other characters, quotes, backslashes, slashes and % replaced by _) and `filename*=UTF-8''...` with
 * the name percent-encoded, which current browsers prefer. Whatever the input, the value is printable ASCII.
 */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const name = safeFileName(fileName)
  const type = disposition === 'inline' ? 'inline' : 'attachment'
  return `${type}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeExtValue(name)}`
}

// % too: RFC 6266 appendix D warns that some clients percent-decode the plain filename parameter.
function asciiFallback(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\/%]/gu, '_')
}

// RFC 5987 attr-char allows less than encodeURIComponent leaves alone: ' ( ) * must be encoded as well.
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
