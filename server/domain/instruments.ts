/*
 * Risk-and-needs instruments (docs/rules.md, "Risk and needs instruments") as versioned data, and what the application
 * does with one: read and validate an imported JSON file, pointing at the line of every problem; score an
 * assessment against the version it was started with; compare two assessments domain by domain. No instrument's
 * content lives here: the shipped sample is a data file (data/instruments/).
 *
 * Scoring: an item scores its chosen option's score, a domain the sum of its items, the total the sum of the
 * domains. A domain is a need when its score reaches its need threshold; a domain whose threshold is null (e.g.
 * criminal history, which cannot change) is never a need. The risk level comes from the total through the bands
 * of the band set that applies to the person.
 *
 * Which band set applies: the MOST SPECIFIC of those whose conditions the person meets, a condition on sex
 * counting one and a condition on age (minAge and/or maxAge) one; a set without conditions is the fallback.
 * Validation requires that, for both sexes and every age from 14 to 120, exactly one set is the most specific: a
 * tie is an error in the file, never settled by the order of the sets.
 */
import { MINIMUM_AGE_YEARS, SEXES } from './beneficiaryCatalogue'
import { deepFreeze, type LocalizedText } from './calendar'
import { RISK_LEVELS, type Language, type RiskLevel } from './deadlineRules'

export type Sex = (typeof SEXES)[number]

export interface AnswerOption {
  readonly code: string
  readonly label: LocalizedText
  readonly score: number
}

export interface Item {
  readonly code: string
  readonly text: LocalizedText
  readonly options: readonly AnswerOption[]
  /** Every item takes free-text evidence; when true, the assessment cannot be finished without it. */
  readonly evidenceRequired?: boolean
}

export interface Domain {
  readonly code: string
  readonly title: LocalizedText
  /** The domain score at or above which the domain counts as a need; null: never a need. */
  readonly needThreshold: number | null
  readonly items: readonly Item[]
}

/** Totals from `from` to `to`, both included. */
export interface Band {
  readonly level: RiskLevel
  readonly from: number
  readonly to: number
}

/** Absent conditions match everyone: no `sex` means either sex; ages are whole years, both ends included. */
export interface BandConditions {
  readonly sex?: Sex
  readonly minAge?: number
  readonly maxAge?: number
}

export interface BandSet {
  readonly appliesTo?: BandConditions
  readonly bands: readonly Band[]
}

export interface Instrument {
  readonly code: string
  readonly version: number
  readonly title: LocalizedText
  readonly description?: LocalizedText
  /** Shown as a sample wherever the instrument or an assessment made with it appears. */
  readonly isSample: boolean
  readonly domains: readonly Domain[]
  readonly bandSets: readonly BandSet[]
}

export interface Person {
  readonly sex: Sex
  readonly ageYears: number
}

/** The domains of the shipped sample: the usual criminogenic domains of docs/rules.md, in its order. */
export const SAMPLE_DOMAIN_CODES = [
  'CRIMINAL_HISTORY',
  'EDUCATION_EMPLOYMENT',
  'FINANCES',
  'FAMILY_RELATIONSHIPS',
  'ACCOMMODATION',
  'LEISURE',
  'COMPANIONS',
  'ALCOHOL_DRUGS',
  'ATTITUDES',
  'BEHAVIOUR_WELLBEING',
] as const

/** The ages every instrument must have exactly one band set for. */
export const ASSESSED_AGES = deepFreeze({ min: MINIMUM_AGE_YEARS, max: 120 })

export const INSTRUMENT_LIMITS = deepFreeze({
  fileBytes: 1024 * 1024,
  // An instrument nests 7 levels (root, domains, a domain, items, an item, options, an option's label).
  nestingDepth: 16,
  codeLength: 32,
  version: 1_000_000,
  domains: { min: 1, max: 30 },
  itemsPerDomain: { min: 1, max: 30 },
  optionsPerItem: { min: 2, max: 10 },
  optionScore: 100,
  bandSets: { min: 1, max: 20 },
  // Levels must rise with the total, each at most once.
  bandsPerSet: { min: 1, max: RISK_LEVELS.length },
  bandTotal: 100_000,
  textLength: { title: 200, description: 2000, itemText: 500, optionLabel: 200 },
})

const CODE = new RegExp(`^[A-Z0-9][A-Z0-9_]{0,${INSTRUMENT_LIMITS.codeLength - 1}}$`)

// ---------------------------------------------------------------------------------------------------------
// Messages: every problem in both languages. Each starts in lower case: formatProblem puts the line before it.

const quoted = (text: string): LocalizedText => ({ hy: `«${text}»`, en: `"${text}"` })
const found = (value: unknown): string => {
  const shown = JSON.stringify(value)
  return shown.length > 40 ? `${shown.slice(0, 39)}…` : shown
}
const range = (from: number, to: number): string => (from === to ? `${from}` : `${from}–${to}`)
const ages = (from: number, to: number): LocalizedText =>
  to === ASSESSED_AGES.max ? { hy: `${from} և ավելի`, en: `${from} and over` } : { hy: range(from, to), en: range(from, to) }
const group = (sex: Sex, from: number, to: number): LocalizedText => ({
  hy: `${sex === 'MALE' ? 'արական' : 'իգական'} սեռի ${ages(from, to).hy} տարեկան անձանց`,
  en: `${sex === 'MALE' ? 'males' : 'females'} aged ${ages(from, to).en}`,
})
const numbers = (list: readonly number[], and: string): string => `${list.slice(0, -1).join(', ')} ${and} ${list[list.length - 1]}`
/** A field named in a message, or the value itself when the breadcrumbs already say what it is. */
const subject = (field: string | null): LocalizedText => (field ? { hy: `«${field}» դաշտը`, en: `"${field}"` } : { hy: 'արժեքը', en: 'the value' })

const SAY = {
  tooLarge: (kilobytes: number) => ({
    hy: `ֆայլը չափազանց մեծ է (${kilobytes} ԿԲ). թույլատրվում է առավելագույնը ${INSTRUMENT_LIMITS.fileBytes / 1024} ԿԲ`,
    en: `the file is too large (${kilobytes} KB); at most ${INSTRUMENT_LIMITS.fileBytes / 1024} KB is accepted`,
  }),
  notAnInstrument: {
    hy: 'ֆայլը պետք է պարունակի մեկ JSON օբյեկտ ({ ... })՝ գործիքի նկարագրությամբ',
    en: 'the file must hold one JSON object ({ ... }) describing the instrument',
  },
  expected: (what: LocalizedText, char: string | undefined) => {
    const seen =
      char === undefined
        ? { hy: 'ֆայլի վերջը', en: 'the end of the file' }
        : char === "'"
          ? { hy: '«\'» (JSON-ում տեքստը վերցվում է կրկնակի չակերտների մեջ՝ ")', en: `"'" (JSON takes double quotes around text)` }
          : quoted(char)
    return { hy: `սպասվում էր ${what.hy}, բայց հանդիպել է ${seen.hy}`, en: `expected ${what.en} but found ${seen.en}` }
  },
  aValue: { hy: 'արժեք (օբյեկտ, ցուցակ, տեքստ, թիվ, true, false կամ null)', en: 'a value (an object, a list, a text, a number, true, false or null)' },
  aKey: { hy: 'բանալի կրկնակի չակերտների մեջ', en: 'a key in double quotes' },
  colon: quoted(':'),
  commaOr: (close: string) => ({ hy: `«,» կամ «${close}»`, en: `"," or "${close}"` }),
  trailingComma: (close: string) => ({
    hy: `JSON-ում «${close}»-ից առաջ ստորակետ չի թույլատրվում. հեռացրեք վերջին ստորակետը`,
    en: `JSON allows no comma before "${close}"; remove the last comma`,
  }),
  unclosedString: {
    hy: 'տեքստային արժեքը չի փակվում նույն տողում (կամ պարունակում է կառավարող նշան, օրինակ՝ tab)',
    en: 'a text is not closed on its line (or holds a control character such as a tab)',
  },
  badEscape: { hy: 'անթույլատրելի «\\» հաջորդականություն տեքստային արժեքում', en: 'an invalid "\\" escape in a text' },
  badNumber: { hy: 'անվավեր թիվ', en: 'an invalid number' },
  textAfterEnd: { hy: 'JSON արժեքի ավարտից հետո կա ավելորդ տեքստ', en: 'there is more text after the end of the JSON value' },
  tooDeep: (depth: number) => ({ hy: `ներդրվածությունը չափազանց խորն է (ավելի քան ${depth} մակարդակ)`, en: `nested too deeply (more than ${depth} levels)` }),
  duplicateKey: (key: string) => ({ hy: `«${key}» բանալին կրկնվում է նույն օբյեկտում`, en: `the key "${key}" appears twice in the same object` }),
  missing: (field: string) => ({ hy: `բացակայում է «${field}» դաշտը`, en: `the field "${field}" is missing` }),
  unknownField: (field: string, allowed: readonly string[]) => ({
    hy: `անհայտ դաշտ «${field}» (թույլատրելի են՝ ${allowed.join(', ')})`,
    en: `unknown field "${field}" (allowed: ${allowed.join(', ')})`,
  }),
  notObject: (field: string | null) => ({ hy: `${subject(field).hy} պետք է լինի օբյեկտ ({ ... })`, en: `${subject(field).en} must be an object ({ ... })` }),
  listLength: (field: string, min: number, max: number, value: unknown) => ({
    hy: `${subject(field).hy} պետք է լինի ${min}-ից ${max} տարր պարունակող ցուցակ ([ ... ]) (այժմ՝ ${Array.isArray(value) ? `${value.length} տարր` : found(value)})`,
    en: `${subject(field).en} must be a list ([ ... ]) of ${min} to ${max} entries (found ${Array.isArray(value) ? `${value.length}` : found(value)})`,
  }),
  notCode: (field: string, value: unknown) => ({
    hy: `${subject(field).hy} պետք է լինի կոդ՝ լատինական մեծատառերից, թվանշաններից և «_»-ից, առավելագույնը ${INSTRUMENT_LIMITS.codeLength} նիշ (այժմ՝ ${found(value)})`,
    en: `${subject(field).en} must be a code of capital Latin letters, digits and "_", at most ${INSTRUMENT_LIMITS.codeLength} characters (found ${found(value)})`,
  }),
  notText: (field: string) => ({
    hy: `${subject(field).hy} պետք է լինի օբյեկտ՝ հայերեն («hy») և անգլերեն («en») տեքստով`,
    en: `${subject(field).en} must be an object with an Armenian ("hy") and an English ("en") text`,
  }),
  notString: (field: string, value: unknown) => ({ hy: `${subject(field).hy} պետք է լինի տեքստ (այժմ՝ ${found(value)})`, en: `${subject(field).en} must be a text (found ${found(value)})` }),
  emptyText: (field: string) => ({ hy: `${subject(field).hy} դատարկ է`, en: `${subject(field).en} is empty` }),
  textTooLong: (field: string, max: number, length: number) => ({
    hy: `${subject(field).hy} ավելի երկար է, քան ${max} նիշ (${length})`,
    en: `${subject(field).en} is longer than ${max} characters (${length})`,
  }),
  notInteger: (field: string, min: number, max: number, value: unknown) => ({
    hy: `${subject(field).hy} պետք է լինի ամբողջ թիվ՝ ${min}-ից ${max} (այժմ՝ ${found(value)})`,
    en: `${subject(field).en} must be a whole number from ${min} to ${max} (found ${found(value)})`,
  }),
  notBoolean: (field: string, value: unknown) => ({
    hy: `${subject(field).hy} պետք է լինի true կամ false (այժմ՝ ${found(value)})`,
    en: `${subject(field).en} must be true or false (found ${found(value)})`,
  }),
  notOneOf: (field: string, allowed: readonly string[], value: unknown) => ({
    hy: `${subject(field).hy} պետք է լինի հետևյալներից մեկը՝ ${allowed.join(', ')} (այժմ՝ ${found(value)})`,
    en: `${subject(field).en} must be one of ${allowed.join(', ')} (found ${found(value)})`,
  }),
  repeatedDomain: (code: string) => ({ hy: `ոլորտների կոդերը կրկնվում են («${code}»)`, en: `domain codes repeat ("${code}")` }),
  repeatedItem: (code: string, firstDomain: LocalizedText) => ({
    hy: `հարցերի կոդերը կրկնվում են գործիքում («${code}», առաջին անգամ՝ ${firstDomain.hy})`,
    en: `item codes repeat in the instrument ("${code}", first in ${firstDomain.en})`,
  }),
  repeatedOption: (code: string) => ({ hy: `պատասխանի տարբերակների կոդերը կրկնվում են («${code}»)`, en: `option codes repeat ("${code}")` }),
  needAboveMax: (threshold: number, max: number) => ({
    hy: `կարիքի շեմը (${threshold}) գերազանցում է ոլորտի առավելագույն հնարավոր միավորը (${max})`,
    en: `the need threshold (${threshold}) is above the domain's highest possible score (${max})`,
  }),
  bandReversed: (from: number, to: number) => ({ hy: `միջակայքի սկիզբը (${from}) մեծ է դրա վերջից (${to})`, en: `the band starts (${from}) after it ends (${to})` }),
  gap: (from: number, to: number) => ({
    hy: `${range(from, to)} ընդհանուր միավորը չի ընկնում ոչ մի միջակայքի մեջ (բաց)`,
    en: `no band covers the total${from === to ? '' : 's'} ${range(from, to)} (a gap)`,
  }),
  overlap: (from: number, to: number) => ({
    hy: `${range(from, to)} ընդհանուր միավորն ընկնում է մեկից ավելի միջակայքի մեջ (վերածածկ)`,
    en: `the total${from === to ? '' : 's'} ${range(from, to)} fall${from === to ? 's' : ''} in more than one band (an overlap)`,
  }),
  beyondMax: (to: number, max: number) => ({
    hy: `միջակայքերը հասնում են ${to}-ի, մինչդեռ ընդհանուր միավորի առավելագույն հնարավոր արժեքը ${max} է`,
    en: `the bands reach ${to}, above the highest possible total (${max})`,
  }),
  levelOrder: (level: string, previous: string) => ({
    hy: `ռիսկի մակարդակները պետք է աճեն ընդհանուր միավորի հետ (LOW, MEDIUM, HIGH, յուրաքանչյուրը՝ մեկ անգամ). «${level}»-ը գալիս է «${previous}»-ից հետո`,
    en: `risk levels must rise with the total (LOW, MEDIUM, HIGH, each once): "${level}" comes after "${previous}"`,
  }),
  agesReversed: (min: number, max: number) => ({ hy: `«minAge»-ը (${min}) մեծ է «maxAge»-ից (${max})`, en: `"minAge" (${min}) is above "maxAge" (${max})` }),
  noBandSet: (who: LocalizedText) => ({ hy: `միջակայքերի ոչ մի խումբ չի կիրառվում ${who.hy} նկատմամբ`, en: `no band set applies to ${who.en}` }),
  ambiguousBandSets: (sets: readonly number[], who: LocalizedText) => ({
    hy: `միջակայքերի № ${numbers(sets, 'և')} խմբերը հավասարապես կիրառվում են ${who.hy} նկատմամբ. դարձրեք դրանցից մեկն ավելի կոնկրետ կամ նեղացրեք պայմանները`,
    en: `band sets ${numbers(sets, 'and')} apply equally to ${who.en}: make one more specific or narrow their conditions`,
  }),
  domain: (code: string) => ({ hy: `ոլորտ «${code}»`, en: `domain "${code}"` }),
  item: (code: string) => ({ hy: `հարց «${code}»`, en: `item "${code}"` }),
  option: (code: string) => ({ hy: `տարբերակ «${code}»`, en: `option "${code}"` }),
  domainNumber: (n: number) => ({ hy: `ոլորտ № ${n}`, en: `domain ${n}` }),
  itemNumber: (n: number) => ({ hy: `հարց № ${n}`, en: `item ${n}` }),
  optionNumber: (n: number) => ({ hy: `տարբերակ № ${n}`, en: `option ${n}` }),
  bandSet: (n: number) => ({ hy: `միջակայքերի խումբ № ${n}`, en: `band set ${n}` }),
  band: (n: number) => ({ hy: `միջակայք № ${n}`, en: `band ${n}` }),
}

// ---------------------------------------------------------------------------------------------------------
// A JSON reader that knows where each value starts, so that a problem can name its line: JSON.parse tells where
// no value is, and a syntax error only as an offset, in a message worded by the engine in English.

export type JsonScan =
  | { readonly ok: true; readonly value: unknown; readonly lines: ReadonlyMap<string, number>; readonly duplicateKeys: readonly { path: string; key: string }[] }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly message: LocalizedText }

/** RFC 6901: `parent` + one reference token. */
function jsonPointer(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`
}

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: LocalizedText,
  ) {}
}

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r'])
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y
const JSON_LITERALS: readonly (readonly [string, unknown])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
]

/**
 * Parses `text` as JSON.parse does (the same value, the same texts refused) and records the line on which each
 * value starts, by JSON pointer ('' for the root). A repeated key keeps its last value, as in JSON.parse, and is
 * listed in duplicateKeys. Lines end with '\n' ('\r\n' counts once).
 */
export function scanJson(text: string, maxDepth: number): JsonScan {
  const lineStarts = [0]
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1)
  const lineAt = (offset: number): number => {
    let low = 0
    let high = lineStarts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (lineStarts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return low + 1
  }
  const lines = new Map<string, number>()
  const duplicateKeys: { path: string; key: string }[] = []
  let pos = 0

  const fail = (offset: number, message: LocalizedText): never => {
    throw new JsonSyntaxError(offset, message)
  }
  const expected = (what: LocalizedText): never => fail(pos, SAY.expected(what, text[pos]))
  const skipWhitespace = () => {
    while (JSON_WHITESPACE.has(text[pos])) pos += 1
  }
  const match = (pattern: RegExp): string | null => {
    pattern.lastIndex = pos
    return pattern.exec(text)?.[0] ?? null
  }

  const parseString = (): string => {
    const start = pos
    for (pos += 1; text[pos] !== '"'; ) {
      if (pos >= text.length || text.charCodeAt(pos) < 0x20) fail(start, SAY.unclosedString)
      if (text[pos] === '\\') pos += (match(JSON_ESCAPE) ?? fail(pos, SAY.badEscape)).length
      else pos += 1
    }
    pos += 1
    return JSON.parse(text.slice(start, pos)) as string
  }

  // After an element: the closing bracket ends the container, a comma announces another element.
  const nextElement = (close: string): boolean => {
    skipWhitespace()
    if (text[pos] === close) {
      pos += 1
      return false
    }
    if (text[pos] !== ',') expected(SAY.commaOr(close))
    const comma = pos
    pos += 1
    skipWhitespace()
    if (text[pos] === close) fail(comma, SAY.trailingComma(close))
    return true
  }

  const parseArray = (path: string, depth: number): unknown[] => {
    const array: unknown[] = []
    pos += 1
    skipWhitespace()
    if (text[pos] === ']') {
      pos += 1
      return array
    }
    do array.push(parseValue(jsonPointer(path, array.length), depth))
    while (nextElement(']'))
    return array
  }

  const parseObject = (path: string, depth: number): Record<string, unknown> => {
    const object: Record<string, unknown> = {}
    pos += 1
    skipWhitespace()
    if (text[pos] === '}') {
      pos += 1
      return object
    }
    do {
      skipWhitespace()
      if (text[pos] !== '"') expected(SAY.aKey)
      const key = parseString()
      skipWhitespace()
      if (text[pos] !== ':') expected(SAY.colon)
      pos += 1
      const keyPath = jsonPointer(path, key)
      if (Object.hasOwn(object, key)) duplicateKeys.push({ path: keyPath, key })
      // Not `object[key] =`: a key "__proto__" must become a property, as JSON.parse makes it.
      Object.defineProperty(object, key, { value: parseValue(keyPath, depth), enumerable: true, writable: true, configurable: true })
    } while (nextElement('}'))
    return object
  }

  const parseValue = (path: string, depth: number): unknown => {
    skipWhitespace()
    lines.set(path, lineAt(pos))
    const char = text[pos]
    if (char === '{' || char === '[') {
      if (depth >= maxDepth) fail(pos, SAY.tooDeep(maxDepth))
      return char === '{' ? parseObject(path, depth + 1) : parseArray(path, depth + 1)
    }
    if (char === '"') return parseString()
    if (char === '-' || (char >= '0' && char <= '9')) {
      const number = match(JSON_NUMBER) ?? fail(pos, SAY.badNumber)
      pos += number.length
      return Number(number)
    }
    for (const [word, value] of JSON_LITERALS) {
      if (text.startsWith(word, pos)) {
        pos += word.length
        return value
      }
    }
    return expected(SAY.aValue)
  }

  try {
    const value = parseValue('', 0)
    skipWhitespace()
    if (pos < text.length) fail(pos, SAY.textAfterEnd)
    return { ok: true, value, lines, duplicateKeys }
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error
    const line = lineAt(error.offset)
    return { ok: false, line, column: error.offset - lineStarts[line - 1] + 1, message: error.message }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading an instrument file

export interface InstrumentProblem {
  readonly line: number
  /** Syntax errors only. */
  readonly column?: number
  /** JSON pointer of the value at fault ('' for the file as a whole). */
  readonly path: string
  readonly message: LocalizedText
}

export type ParsedInstrument = { readonly ok: true; readonly instrument: Instrument } | { readonly ok: false; readonly problems: readonly InstrumentProblem[] }

/** "Line 42: domain "ACCOMMODATION", item "AC2": option codes repeat ("A")." */
export function formatProblem(problem: InstrumentProblem, lang: Language): string {
  const column = problem.column === undefined ? '' : lang === 'hy' ? `, սյունակ ${problem.column}` : `, column ${problem.column}`
  return lang === 'hy' ? `Տող ${problem.line}${column}. ${problem.message.hy}։` : `Line ${problem.line}${column}: ${problem.message.en}.`
}

type JsonObject = Record<string, unknown>
/** Where in the instrument a problem is, from the outside in: domain "X", item "Y". */
type Where = readonly LocalizedText[]

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)
const isInteger = (value: unknown, min: number, max: number): value is number => Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max

class Checker {
  readonly problems: InstrumentProblem[] = []

  constructor(private readonly lines: ReadonlyMap<string, number>) {}

  /** A missing value is reported on the line of the nearest value that is there: its parent object. */
  report(path: string, where: Where, what: LocalizedText): void {
    let known = path
    while (known && !this.lines.has(known)) known = known.slice(0, known.lastIndexOf('/'))
    const message = where.length === 0 ? what : { hy: `${where.map((w) => w.hy).join(', ')}՝ ${what.hy}`, en: `${where.map((w) => w.en).join(', ')}: ${what.en}` }
    this.problems.push({ line: this.lines.get(known) ?? 1, path, message })
  }

  /** The object at `path` with its unknown fields and missing required fields reported; null if not an object. */
  object(value: unknown, path: string, where: Where, field: string | null, required: readonly string[], optional: readonly string[] = []): JsonObject | null {
    if (!isObject(value)) {
      this.report(path, where, SAY.notObject(field))
      return null
    }
    const allowed = [...required, ...optional]
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.report(jsonPointer(path, key), where, SAY.unknownField(key, allowed))
    for (const key of required) if (!Object.hasOwn(value, key)) this.report(jsonPointer(path, key), where, SAY.missing(key))
    return value
  }

  // The field readers below return null, silently, for an absent field: `object` has reported it if required.

  list(object: JsonObject, field: string, path: string, where: Where, count: { min: number; max: number }): unknown[] | null {
    if (!Object.hasOwn(object, field)) return null
    const value = object[field]
    if (Array.isArray(value) && value.length >= count.min && value.length <= count.max) return value
    this.report(jsonPointer(path, field), where, SAY.listLength(field, count.min, count.max, value))
    return null
  }

  code(object: JsonObject, field: string, path: string, where: Where): string | null {
    if (!Object.hasOwn(object, field)) return null
    const value = object[field]
    if (typeof value === 'string' && CODE.test(value)) return value
    this.report(jsonPointer(path, field), where, SAY.notCode(field, value))
    return null
  }

  text(object: JsonObject, field: string, path: string, where: Where, maxLength: number): void {
    if (!Object.hasOwn(object, field)) return
    const textPath = jsonPointer(path, field)
    const value = object[field]
    if (!isObject(value) || !Object.hasOwn(value, 'hy') || !Object.hasOwn(value, 'en')) {
      this.report(textPath, where, SAY.notText(field))
      return
    }
    this.object(value, textPath, [...where, quoted(field)], null, ['hy', 'en'])
    for (const lang of ['hy', 'en'] as const) {
      const text = value[lang]
      const name = `${field}.${lang}`
      if (typeof text !== 'string') this.report(jsonPointer(textPath, lang), where, SAY.notString(name, text))
      else if (!text.trim()) this.report(jsonPointer(textPath, lang), where, SAY.emptyText(name))
      else if ([...text].length > maxLength) this.report(jsonPointer(textPath, lang), where, SAY.textTooLong(name, maxLength, [...text].length))
    }
  }

  integer(object: JsonObject, field: string, path: string, where: Where, min: number, max: number): number | null {
    if (!Object.hasOwn(object, field)) return null
    const value = object[field]
    if (isInteger(value, min, max)) return value
    this.report(jsonPointer(path, field), where, SAY.notInteger(field, min, max, value))
    return null
  }

  boolean(object: JsonObject, field: string, path: string, where: Where): void {
    if (Object.hasOwn(object, field) && typeof object[field] !== 'boolean') this.report(jsonPointer(path, field), where, SAY.notBoolean(field, object[field]))
  }

  oneOf<T extends string>(object: JsonObject, field: string, path: string, where: Where, allowed: readonly T[]): T | null {
    if (!Object.hasOwn(object, field)) return null
    const value = object[field]
    if (allowed.includes(value as T)) return value as T
    this.report(jsonPointer(path, field), where, SAY.notOneOf(field, allowed, value))
    return null
  }
}

/** The highest possible score of an item: its best-scoring option. */
function itemMax(item: Item): number {
  return Math.max(...item.options.map((option) => option.score))
}

export function domainMax(domain: Domain): number {
  return domain.items.reduce((sum, item) => sum + itemMax(item), 0)
}

export function instrumentMax(instrument: Instrument): number {
  return instrument.domains.reduce((sum, domain) => sum + domainMax(domain), 0)
}

/** A domain, item or option named by its code in messages, or by its number while it has no valid code. */
function named(value: unknown, byCode: (code: string) => LocalizedText, byNumber: LocalizedText): LocalizedText {
  return isObject(value) && typeof value.code === 'string' && CODE.test(value.code) ? byCode(value.code) : byNumber
}

/** An item's code, and its highest possible score (null when a score in it is invalid). */
function checkItem(check: Checker, value: unknown, path: string, domainWhere: Where, index: number): { code: string | null; max: number | null } {
  const where = [...domainWhere, named(value, SAY.item, SAY.itemNumber(index + 1))]
  const item = check.object(value, path, where, null, ['code', 'text', 'options'], ['evidenceRequired'])
  if (!item) return { code: null, max: null }
  const code = check.code(item, 'code', path, where)
  check.text(item, 'text', path, where, INSTRUMENT_LIMITS.textLength.itemText)
  check.boolean(item, 'evidenceRequired', path, where)
  const options = check.list(item, 'options', path, where, INSTRUMENT_LIMITS.optionsPerItem)
  if (!options) return { code, max: null }
  const optionCodes = new Set<string>()
  let max: number | null = 0
  options.forEach((optionValue, optionIndex) => {
    const optionPath = jsonPointer(jsonPointer(path, 'options'), optionIndex)
    const optionWhere = [...where, named(optionValue, SAY.option, SAY.optionNumber(optionIndex + 1))]
    const option = check.object(optionValue, optionPath, optionWhere, null, ['code', 'label', 'score'])
    if (!option) {
      max = null
      return
    }
    const optionCode = check.code(option, 'code', optionPath, optionWhere)
    if (optionCode && optionCodes.has(optionCode)) check.report(jsonPointer(optionPath, 'code'), where, SAY.repeatedOption(optionCode))
    if (optionCode) optionCodes.add(optionCode)
    check.text(option, 'label', optionPath, optionWhere, INSTRUMENT_LIMITS.textLength.optionLabel)
    const score = check.integer(option, 'score', optionPath, optionWhere, 0, INSTRUMENT_LIMITS.optionScore)
    max = max === null || score === null ? null : Math.max(max, score)
  })
  return { code, max }
}

/** The highest possible total, or null when a score in the file is invalid. */
function checkDomains(check: Checker, root: JsonObject): number | null {
  const domains = check.list(root, 'domains', '', [], INSTRUMENT_LIMITS.domains)
  if (!domains) return null
  const domainCodes = new Set<string>()
  const itemDomains = new Map<string, LocalizedText>()
  let total: number | null = 0
  domains.forEach((value, index) => {
    const path = jsonPointer('/domains', index)
    const where = [named(value, SAY.domain, SAY.domainNumber(index + 1))]
    const domain = check.object(value, path, where, null, ['code', 'title', 'needThreshold', 'items'])
    if (!domain) {
      total = null
      return
    }
    const code = check.code(domain, 'code', path, where)
    if (code && domainCodes.has(code)) check.report(jsonPointer(path, 'code'), [], SAY.repeatedDomain(code))
    if (code) domainCodes.add(code)
    check.text(domain, 'title', path, where, INSTRUMENT_LIMITS.textLength.title)

    let max: number | null = null
    const items = check.list(domain, 'items', path, where, INSTRUMENT_LIMITS.itemsPerDomain)
    if (items) {
      max = 0
      items.forEach((itemValue, itemIndex) => {
        const itemPath = jsonPointer(jsonPointer(path, 'items'), itemIndex)
        const item = checkItem(check, itemValue, itemPath, where, itemIndex)
        const first = item.code === null ? undefined : itemDomains.get(item.code)
        if (item.code && first) check.report(jsonPointer(itemPath, 'code'), where, SAY.repeatedItem(item.code, first))
        else if (item.code) itemDomains.set(item.code, where[0])
        max = max === null || item.max === null ? null : max + item.max
      })
    }
    total = total === null || max === null ? null : total + max

    const threshold = domain.needThreshold
    if (max !== null && isInteger(threshold, max + 1, Infinity)) check.report(jsonPointer(path, 'needThreshold'), where, SAY.needAboveMax(threshold, max))
    else if (threshold !== null) check.integer(domain, 'needThreshold', path, where, 1, max ?? INSTRUMENT_LIMITS.optionScore * INSTRUMENT_LIMITS.itemsPerDomain.max)
  })
  return total
}

const RISK_RANK: Readonly<Record<RiskLevel, number>> = { LOW: 0, MEDIUM: 1, HIGH: 2 }

/** Gaps, overlaps and the order of levels of one set's bands, once each band is valid on its own. */
function checkBandCoverage(check: Checker, bands: readonly (Band & { path: string })[], where: Where, maxTotal: number | null): void {
  const sorted = [...bands].sort((a, b) => a.from - b.from || a.to - b.to)
  let nextUncovered = 0
  sorted.forEach((band, index) => {
    if (band.from > nextUncovered) check.report(jsonPointer(band.path, 'from'), where, SAY.gap(nextUncovered, band.from - 1))
    else if (band.from < nextUncovered) check.report(jsonPointer(band.path, 'from'), where, SAY.overlap(band.from, Math.min(nextUncovered - 1, band.to)))
    nextUncovered = Math.max(nextUncovered, band.to + 1)
    const previous = sorted[index - 1]
    if (previous && RISK_RANK[band.level] <= RISK_RANK[previous.level]) check.report(jsonPointer(band.path, 'level'), where, SAY.levelOrder(band.level, previous.level))
  })
  if (maxTotal === null) return
  const highest = jsonPointer(sorted.reduce((a, b) => (b.to > a.to ? b : a)).path, 'to')
  if (nextUncovered - 1 < maxTotal) check.report(highest, where, SAY.gap(nextUncovered, maxTotal))
  else if (nextUncovered - 1 > maxTotal) check.report(highest, where, SAY.beyondMax(nextUncovered - 1, maxTotal))
}

function checkBandSets(check: Checker, root: JsonObject, maxTotal: number | null): void {
  const sets = check.list(root, 'bandSets', '', [], INSTRUMENT_LIMITS.bandSets)
  if (!sets) return
  let conditionsValid = true
  sets.forEach((value, index) => {
    const path = jsonPointer('/bandSets', index)
    const where = [SAY.bandSet(index + 1)]
    const set = check.object(value, path, where, null, ['bands'], ['appliesTo'])
    if (!set) {
      conditionsValid = false
      return
    }
    if (Object.hasOwn(set, 'appliesTo')) {
      const problemsBefore = check.problems.length
      const conditionsPath = jsonPointer(path, 'appliesTo')
      const conditions = check.object(set.appliesTo, conditionsPath, where, 'appliesTo', [], ['sex', 'minAge', 'maxAge'])
      if (conditions) {
        check.oneOf(conditions, 'sex', conditionsPath, where, SEXES)
        const minAge = check.integer(conditions, 'minAge', conditionsPath, where, ASSESSED_AGES.min, ASSESSED_AGES.max)
        const maxAge = check.integer(conditions, 'maxAge', conditionsPath, where, ASSESSED_AGES.min, ASSESSED_AGES.max)
        if (minAge !== null && maxAge !== null && minAge > maxAge) check.report(jsonPointer(conditionsPath, 'minAge'), where, SAY.agesReversed(minAge, maxAge))
      }
      if (check.problems.length > problemsBefore) conditionsValid = false
    }
    const bands = check.list(set, 'bands', path, where, INSTRUMENT_LIMITS.bandsPerSet)
    if (!bands) return
    const valid: (Band & { path: string })[] = []
    bands.forEach((bandValue, bandIndex) => {
      const bandPath = jsonPointer(jsonPointer(path, 'bands'), bandIndex)
      const bandWhere = [...where, SAY.band(bandIndex + 1)]
      const band = check.object(bandValue, bandPath, bandWhere, null, ['level', 'from', 'to'])
      if (!band) return
      const level = check.oneOf(band, 'level', bandPath, bandWhere, RISK_LEVELS)
      const from = check.integer(band, 'from', bandPath, bandWhere, 0, INSTRUMENT_LIMITS.bandTotal)
      const to = check.integer(band, 'to', bandPath, bandWhere, 0, INSTRUMENT_LIMITS.bandTotal)
      if (from !== null && to !== null && from > to) check.report(jsonPointer(bandPath, 'from'), bandWhere, SAY.bandReversed(from, to))
      else if (level !== null && from !== null && to !== null) valid.push({ level, from, to, path: bandPath })
    })
    if (valid.length === bands.length) checkBandCoverage(check, valid, where, maxTotal)
  })
  if (conditionsValid) checkBandSetsApplicability(check, sets as BandSet[])
}

/** Exactly one most specific band set for each sex and assessed age, reported as age ranges. */
function checkBandSetsApplicability(check: Checker, sets: readonly BandSet[]): void {
  for (const sex of SEXES) {
    const runs: { winners: number[]; from: number; to: number }[] = []
    for (let age = ASSESSED_AGES.min; age <= ASSESSED_AGES.max; age += 1) {
      const winners = mostSpecificBandSets(sets, { sex, ageYears: age })
      const last = runs[runs.length - 1]
      if (last && last.winners.join() === winners.join()) last.to = age
      else runs.push({ winners, from: age, to: age })
    }
    for (const { winners, from, to } of runs) {
      const who = group(sex, from, to)
      if (winners.length === 0) check.report('/bandSets', [], SAY.noBandSet(who))
      else if (winners.length > 1) check.report(jsonPointer(jsonPointer('/bandSets', winners[winners.length - 1]), 'appliesTo'), [], SAY.ambiguousBandSets(winners.map((index) => index + 1), who))
    }
  }
}

/**
 * Reads an instrument file. A refused file comes with every problem found, each on the line of the value at
 * fault (a missing field: on the line of the object that lacks it), in line order. Unknown fields are refused,
 * so that a misspelt optional field is not silently ignored. A byte-order mark at the start is allowed.
 */
export function parseInstrument(jsonText: string): ParsedInstrument {
  const bytes = Buffer.byteLength(jsonText, 'utf8')
  if (bytes > INSTRUMENT_LIMITS.fileBytes) return { ok: false, problems: [{ line: 1, path: '', message: SAY.tooLarge(Math.ceil(bytes / 1024)) }] }
  const scan = scanJson(jsonText.replace(/^\uFEFF/, ''), INSTRUMENT_LIMITS.nestingDepth)
  if (!scan.ok) return { ok: false, problems: [{ line: scan.line, column: scan.column, path: '', message: scan.message }] }

  const check = new Checker(scan.lines)
  for (const { path, key } of scan.duplicateKeys) check.report(path, [], SAY.duplicateKey(key))
  const root = scan.value
  if (!isObject(root)) check.report('', [], SAY.notAnInstrument)
  else {
    check.object(root, '', [], null, ['code', 'version', 'title', 'isSample', 'domains', 'bandSets'], ['description'])
    check.code(root, 'code', '', [])
    check.integer(root, 'version', '', [], 1, INSTRUMENT_LIMITS.version)
    check.text(root, 'title', '', [], INSTRUMENT_LIMITS.textLength.title)
    check.text(root, 'description', '', [], INSTRUMENT_LIMITS.textLength.description)
    check.boolean(root, 'isSample', '', [])
    checkBandSets(check, root, checkDomains(check, root))
  }
  if (check.problems.length > 0) return { ok: false, problems: [...check.problems].sort((a, b) => a.line - b.line) }
  // Every field has been checked and no other field is there: the value is an Instrument.
  return { ok: true, instrument: deepFreeze(scan.value as Instrument) }
}

// ---------------------------------------------------------------------------------------------------------
// Scoring

function conditionsMet(conditions: BandConditions | undefined, person: Person): boolean {
  if (!conditions) return true
  if (conditions.sex !== undefined && conditions.sex !== person.sex) return false
  if (conditions.minAge !== undefined && person.ageYears < conditions.minAge) return false
  return conditions.maxAge === undefined || person.ageYears <= conditions.maxAge
}

function specificity(conditions: BandConditions | undefined): number {
  if (!conditions) return 0
  return (conditions.sex === undefined ? 0 : 1) + (conditions.minAge === undefined && conditions.maxAge === undefined ? 0 : 1)
}

/** Indexes of the band sets that apply to the person and are the most specific of those (one, in a valid instrument). */
export function mostSpecificBandSets(sets: readonly BandSet[], person: Person): number[] {
  const applying = sets.flatMap((set, index) => (conditionsMet(set.appliesTo, person) ? [index] : []))
  const best = Math.max(...applying.map((index) => specificity(sets[index].appliesTo)))
  return applying.filter((index) => specificity(sets[index].appliesTo) === best)
}

/** The band a complete assessment's total falls in, for this person. */
export function bandFor(instrument: Instrument, total: number, person: Person): Band {
  if (!SEXES.includes(person.sex) || !isInteger(person.ageYears, ASSESSED_AGES.min, ASSESSED_AGES.max)) throw new RangeError(`No risk level for ${String(person.sex)} aged ${person.ageYears}: assessed ages are ${ASSESSED_AGES.min} to ${ASSESSED_AGES.max}`)
  const sets = mostSpecificBandSets(instrument.bandSets, person)
  if (sets.length !== 1) throw new RangeError(`${instrument.code} v${instrument.version}: ${sets.length} band sets apply to ${person.sex} aged ${person.ageYears}, not one`)
  const band = instrument.bandSets[sets[0]].bands.find((candidate) => total >= candidate.from && total <= candidate.to)
  if (!band) throw new RangeError(`${instrument.code} v${instrument.version}: no band for the total ${total}`)
  return band
}

/**
 * Answers come from a form built from the same instrument version, so an item or option code the version does
 * not have means a wrong version or a forged request, never an ordinary state of an assessment: scoring throws
 * this, for the route to answer 400.
 */
/** Each question's number as the form shows it: counted through the domains in order, from 1. */
export function questionNumbers(instrument: Instrument): Map<string, number> {
  return new Map(instrument.domains.flatMap((domain) => domain.items).map((item, index) => [item.code, index + 1]))
}

export class UnknownAnswerError extends Error {
  constructor(
    readonly reason: 'unknownItem' | 'unknownOption',
    readonly itemCode: string,
    readonly optionCode: unknown,
  ) {
    super(reason === 'unknownItem' ? `No item ${itemCode} in the instrument` : `Item ${itemCode} has no option ${found(optionCode)}`)
    this.name = 'UnknownAnswerError'
  }
}

export interface DomainScore {
  readonly code: string
  readonly score: number
  readonly max: number
  /** Already true in an incomplete domain once its score reaches the threshold: more answers never lower it. */
  readonly need: boolean
  readonly complete: boolean
}

export interface AssessmentScore {
  readonly instrumentCode: string
  readonly instrumentVersion: number
  readonly complete: boolean
  /** Item codes without an answer, in the instrument's order. */
  readonly missingItems: readonly string[]
  readonly domains: readonly DomainScore[]
  readonly total: number
  readonly max: number
  /** Null while an item is unanswered. */
  readonly level: RiskLevel | null
  readonly band: Band | null
  /** Codes of the domains that are needs, in the instrument's order. */
  readonly needs: readonly string[]
}

/**
 * Scores answers (item code → option code; an absent or empty answer is unanswered) with the instrument version
 * the assessment recorded. Throws UnknownAnswerError for a code the version does not have.
 */
export function scoreAssessment(instrument: Instrument, answers: Readonly<Record<string, string>>, person: Person): AssessmentScore {
  const items = new Map(instrument.domains.flatMap((domain) => domain.items.map((item) => [item.code, item] as const)))
  for (const [itemCode, optionCode] of Object.entries(answers)) {
    const item = items.get(itemCode)
    if (!item) throw new UnknownAnswerError('unknownItem', itemCode, optionCode)
    // Checked at run time too: a repeated form field arrives as an array.
    if (typeof optionCode !== 'string' || (optionCode !== '' && !item.options.some((option) => option.code === optionCode))) throw new UnknownAnswerError('unknownOption', itemCode, optionCode)
  }
  const missingItems: string[] = []
  const domains = instrument.domains.map((domain): DomainScore => {
    let score = 0
    for (const item of domain.items) {
      const chosen = Object.hasOwn(answers, item.code) ? item.options.find((option) => option.code === answers[item.code]) : undefined
      if (chosen) score += chosen.score
      else missingItems.push(item.code)
    }
    const complete = domain.items.every((item) => !missingItems.includes(item.code))
    return { code: domain.code, score, max: domainMax(domain), need: domain.needThreshold !== null && score >= domain.needThreshold, complete }
  })
  const total = domains.reduce((sum, domain) => sum + domain.score, 0)
  const complete = missingItems.length === 0
  const band = complete ? bandFor(instrument, total, person) : null
  return {
    instrumentCode: instrument.code,
    instrumentVersion: instrument.version,
    complete,
    missingItems,
    domains,
    total,
    max: instrumentMax(instrument),
    level: band?.level ?? null,
    band,
    needs: domains.filter((domain) => domain.need).map((domain) => domain.code),
  }
}

/** Items whose evidence is required and blank (evidence: item code → free text). */
export function itemsMissingEvidence(instrument: Instrument, evidence: Readonly<Record<string, string | undefined>>): string[] {
  return instrument.domains.flatMap((domain) => domain.items.filter((item) => item.evidenceRequired && !(Object.hasOwn(evidence, item.code) && evidence[item.code]?.trim())).map((item) => item.code))
}

export interface DomainChange {
  readonly code: string
  /** Null: the domain is not in the previous assessment's instrument version. */
  readonly previous: DomainScore | null
  /** Null: the domain is not in the current assessment's instrument version. */
  readonly current: DomainScore | null
  /** Current score minus previous score; null when the domain is on one side only. */
  readonly change: number | null
}

/**
 * The change from the previous assessment, domain by domain, matched by domain code: the current version's
 * domains in its order, then those only the previous version had. Across versions a domain's maximum may
 * differ: both sides carry their own.
 */
export function compareDomainScores(previous: AssessmentScore, current: AssessmentScore): { sameVersion: boolean; domains: DomainChange[] } {
  const before = new Map(previous.domains.map((domain) => [domain.code, domain]))
  const now = new Map(current.domains.map((domain) => [domain.code, domain]))
  const codes = [...now.keys(), ...[...before.keys()].filter((code) => !now.has(code))]
  return {
    sameVersion: previous.instrumentCode === current.instrumentCode && previous.instrumentVersion === current.instrumentVersion,
    domains: codes.map((code) => {
      const was = before.get(code) ?? null
      const is = now.get(code) ?? null
      return { code, previous: was, current: is, change: was && is ? is.score - was.score : null }
    }),
  }
}
