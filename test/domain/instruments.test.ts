import { expect } from 'chai'
import fc from 'fast-check'
import fs from 'node:fs'
import {
  bandFor,
  compareDomainScores,
  formatProblem,
  INSTRUMENT_LIMITS,
  itemsMissingEvidence,
  parseInstrument,
  SAMPLE_DOMAIN_CODES,
  scanJson,
  scoreAssessment,
  UnknownAnswerError,
  type Instrument,
  type InstrumentProblem,
  type Person,
} from '../../server/domain/instruments'
import type { RiskLevel } from '../../server/domain/deadlineRules'
import { SAMPLE_INSTRUMENT_FILE, sampleInstrument } from '../../server/domain/sampleInstrument'

const SAMPLE_TEXT = fs.readFileSync(SAMPLE_INSTRUMENT_FILE, 'utf8')
const sample = sampleInstrument()

const MAN: Person = { sex: 'MALE', ageYears: 35 }
const WOMAN: Person = { sex: 'FEMALE', ageYears: 35 }
const BOY: Person = { sex: 'MALE', ageYears: 16 }
const GIRL: Person = { sex: 'FEMALE', ageYears: 16 }

// Written out by hand from the sample file, not derived from it: the lowest-scoring answer to every item.
const NOTHING_FOUND: Record<string, string> = {
  CH1: 'NONE', CH2: 'FROM_25', CH3: 'NEVER', CH4: 'NO',
  EE1: 'FULL_TIME', EE2: 'YES', EE3: 'YES', EE4: 'WELL',
  FI1: 'ALWAYS', FI2: 'NO', FI3: 'NO',
  FR1: 'YES', FR2: 'NONE', FR3: 'NO', FR4: 'YES',
  AC1: 'YES', AC2: 'NO', AC3: 'YES',
  LE1: 'REGULARLY', LE2: 'LITTLE', LE3: 'NO',
  CO1: 'NONE', CO2: 'SEVERAL', CO3: 'NO',
  AD1: 'NO', AD2: 'NONE', AD3: 'NO', AD4: 'WILLING',
  AT1: 'FULLY', AT2: 'NO', AT3: 'MOTIVATED', AT4: 'YES',
  BW1: 'RARELY', BW2: 'WELL', BW3: 'NO', BW4: 'WELL',
}
const EVERYTHING_FOUND: Record<string, string> = {
  CH1: 'TWO_OR_MORE', CH2: 'UNDER_18', CH3: 'MORE', CH4: 'YES',
  EE1: 'NO', EE2: 'NO', EE3: 'NO', EE4: 'SERIOUS',
  FI1: 'RARELY', FI2: 'GROWING', FI3: 'MOSTLY',
  FR1: 'NO', FR2: 'FREQUENT', FR3: 'YES', FR4: 'NO',
  AC1: 'NO', AC2: 'TWICE_OR_MORE', AC3: 'NO',
  LE1: 'NOT_AT_ALL', LE2: 'MOST', LE3: 'YES',
  CO1: 'MOST', CO2: 'NONE', CO3: 'YES',
  AD1: 'SERIOUS', AD2: 'REGULAR', AD3: 'YES', AD4: 'REFUSES',
  AT1: 'NOT_AT_ALL', AT2: 'GENERALLY', AT3: 'NOT_MOTIVATED', AT4: 'NO',
  BW1: 'OFTEN', BW2: 'POORLY', BW3: 'WITHOUT_HELP', BW4: 'POORLY',
}
// Total 40: the adult men's HIGH cut-off exactly.
const MANY_NEEDS: Record<string, string> = {
  CH1: 'TWO_OR_MORE', CH2: 'UNDER_18', CH3: 'ONCE', CH4: 'YES', // 2+2+1+1 = 6
  EE1: 'NO', EE2: 'NO', EE3: 'STARTED', EE4: 'SOME', // 2+1+1+1 = 5
  FI1: 'SOMETIMES', FI2: 'GROWING', FI3: 'NO', // 1+2+0 = 3, the need threshold exactly
  FR1: 'YES', FR2: 'OCCASIONAL', FR3: 'NO', FR4: 'YES', // 1
  AC1: 'UNSURE', AC2: 'ONCE', AC3: 'YES', // 2, one below the threshold
  LE1: 'NOT_AT_ALL', LE2: 'MOST', LE3: 'YES', // 5
  CO1: 'MOST', CO2: 'ONE_OR_TWO', CO3: 'YES', // 2+1+2 = 5
  AD1: 'SERIOUS', AD2: 'OCCASIONAL', AD3: 'YES', AD4: 'HESITANT', // 2+1+1+1 = 5
  AT1: 'PARTLY', AT2: 'SOMETIMES', AT3: 'AMBIVALENT', AT4: 'PARTLY', // 4
  BW1: 'OFTEN', BW2: 'WITH_DIFFICULTY', BW3: 'NO', BW4: 'WITH_SUPPORT', // 2+1+0+1 = 4
}
// Total 22.
const SOME_NEEDS: Record<string, string> = {
  CH1: 'ONE', CH2: 'FROM_18', CH3: 'NEVER', CH4: 'NO', // 2
  EE1: 'PART_TIME', EE2: 'YES', EE3: 'YES', EE4: 'WELL', // 1
  FI1: 'SOMETIMES', FI2: 'MANAGEABLE', FI3: 'PARTLY', // 3
  FR1: 'UNSURE', FR2: 'FREQUENT', FR3: 'YES', FR4: 'WITH_DIFFICULTY', // 1+2+1+1 = 5
  AC1: 'NO', AC2: 'TWICE_OR_MORE', AC3: 'PARTLY', // 5
  LE1: 'OCCASIONALLY', LE2: 'SOME', LE3: 'NO', // 2
  CO1: 'SOME', CO2: 'SEVERAL', CO3: 'NO', // 1
  AD1: 'NO', AD2: 'NONE', AD3: 'NO', AD4: 'WILLING', // 0
  AT1: 'FULLY', AT2: 'NO', AT3: 'MOTIVATED', AT4: 'PARTLY', // 1
  BW1: 'SOMETIMES', BW2: 'WELL', BW3: 'WITH_HELP', BW4: 'WELL', // 2
}

const DOMAIN_MAX = [7, 7, 6, 7, 6, 5, 6, 7, 8, 8]

interface ScoringCase {
  answers: string
  person: Person
  who: string
  domainScores: number[]
  total: number
  level: RiskLevel
  needs: string[]
}

const ALL_NEEDS = SAMPLE_DOMAIN_CODES.filter((code) => code !== 'CRIMINAL_HISTORY')
const MANY = [6, 5, 3, 1, 2, 5, 5, 5, 4, 4]
const MANY_NEED_CODES = ['EDUCATION_EMPLOYMENT', 'FINANCES', 'LEISURE', 'COMPANIONS', 'ALCOHOL_DRUGS', 'ATTITUDES', 'BEHAVIOUR_WELLBEING']
const SOME = [2, 1, 3, 5, 5, 2, 1, 0, 1, 2]
const SOME_NEED_CODES = ['FINANCES', 'FAMILY_RELATIONSHIPS', 'ACCOMMODATION']
const ANSWER_SETS: Record<string, Record<string, string>> = { NOTHING_FOUND, EVERYTHING_FOUND, MANY_NEEDS, SOME_NEEDS }

const SCORING_CASES: ScoringCase[] = [
  { answers: 'NOTHING_FOUND', person: MAN, who: 'an adult man', domainScores: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], total: 0, level: 'LOW', needs: [] },
  { answers: 'EVERYTHING_FOUND', person: MAN, who: 'an adult man', domainScores: DOMAIN_MAX, total: 67, level: 'HIGH', needs: ALL_NEEDS },
  { answers: 'EVERYTHING_FOUND', person: GIRL, who: 'a 16-year-old girl', domainScores: DOMAIN_MAX, total: 67, level: 'HIGH', needs: ALL_NEEDS },
  { answers: 'MANY_NEEDS', person: MAN, who: 'an adult man', domainScores: MANY, total: 40, level: 'HIGH', needs: MANY_NEED_CODES },
  { answers: 'MANY_NEEDS', person: WOMAN, who: 'an adult woman', domainScores: MANY, total: 40, level: 'MEDIUM', needs: MANY_NEED_CODES },
  { answers: 'MANY_NEEDS', person: BOY, who: 'a 16-year-old boy', domainScores: MANY, total: 40, level: 'HIGH', needs: MANY_NEED_CODES },
  { answers: 'SOME_NEEDS', person: MAN, who: 'an adult man', domainScores: SOME, total: 22, level: 'MEDIUM', needs: SOME_NEED_CODES },
  { answers: 'SOME_NEEDS', person: WOMAN, who: 'an adult woman', domainScores: SOME, total: 22, level: 'LOW', needs: SOME_NEED_CODES },
  { answers: 'SOME_NEEDS', person: BOY, who: 'a 16-year-old boy', domainScores: SOME, total: 22, level: 'MEDIUM', needs: SOME_NEED_CODES },
  { answers: 'SOME_NEEDS', person: GIRL, who: 'a 16-year-old girl', domainScores: SOME, total: 22, level: 'MEDIUM', needs: SOME_NEED_CODES },
]

const BAND_BOUNDARIES: [Person, number, RiskLevel][] = [
  [{ sex: 'MALE', ageYears: 18 }, 19, 'LOW'],
  [{ sex: 'MALE', ageYears: 18 }, 20, 'MEDIUM'],
  [{ sex: 'MALE', ageYears: 120 }, 39, 'MEDIUM'],
  [{ sex: 'MALE', ageYears: 120 }, 40, 'HIGH'],
  [{ sex: 'FEMALE', ageYears: 18 }, 24, 'LOW'],
  [{ sex: 'FEMALE', ageYears: 18 }, 25, 'MEDIUM'],
  [{ sex: 'FEMALE', ageYears: 60 }, 44, 'MEDIUM'],
  [{ sex: 'FEMALE', ageYears: 60 }, 45, 'HIGH'],
  [{ sex: 'FEMALE', ageYears: 17 }, 14, 'LOW'],
  [{ sex: 'FEMALE', ageYears: 17 }, 15, 'MEDIUM'],
  [{ sex: 'MALE', ageYears: 14 }, 34, 'MEDIUM'],
  [{ sex: 'MALE', ageYears: 14 }, 35, 'HIGH'],
  [{ sex: 'MALE', ageYears: 17 }, 67, 'HIGH'],
]

/** The line (1-based) of the n-th occurrence of `fragment`, found by plain text search. */
function lineOf(text: string, fragment: string, occurrence = 1): number {
  let at = -1
  for (let n = 0; n < occurrence; n += 1) {
    at = text.indexOf(fragment, at + 1)
    if (at === -1) throw new Error(`${fragment} occurs fewer than ${occurrence} times`)
  }
  return text.slice(0, at).split('\n').length
}

/** The sample with the n-th occurrence of `fragment` replaced, and the line of the change. */
function edited(fragment: string, replacement: string, occurrence = 1): { text: string; line: number } {
  const line = lineOf(SAMPLE_TEXT, fragment, occurrence)
  let at = -1
  for (let n = 0; n < occurrence; n += 1) at = SAMPLE_TEXT.indexOf(fragment, at + 1)
  return { text: SAMPLE_TEXT.slice(0, at) + replacement + SAMPLE_TEXT.slice(at + fragment.length), line }
}

/** The sample changed as data and printed again, 2-space indented like the file. */
function changed(change: (instrument: Record<string, unknown> & { domains: Record<string, unknown>[]; bandSets: Record<string, unknown>[] }) => void): string {
  const copy = JSON.parse(SAMPLE_TEXT)
  change(copy)
  return JSON.stringify(copy, null, 2)
}

function problemsOf(text: string): readonly InstrumentProblem[] {
  const parsed = parseInstrument(text)
  if (parsed.ok) throw new Error('expected the file to be refused')
  return parsed.problems
}

interface BrokenFile {
  what: string
  text: string
  line: number
  column?: number
  reason: string
}

const trailingComma = edited('"en": "None"\n', '"en": "None",\n')
const trailingCommaColumn = SAMPLE_TEXT.split('\n')[trailingComma.line - 1].indexOf('"en": "None"') + '"en": "None"'.length + 1
const withoutDefaultBands = changed((instrument) => instrument.bandSets.shift())
const BROKEN_FILES: BrokenFile[] = [
  { what: 'a trailing comma', ...trailingComma, column: trailingCommaColumn, reason: 'JSON allows no comma before "}"' },
  { what: 'a missing title', text: changed((instrument) => delete instrument.title), line: 1, reason: 'the field "title" is missing' },
  { what: 'a repeated domain code', ...edited('"code": "ACCOMMODATION"', '"code": "FINANCES"'), reason: 'domain codes repeat ("FINANCES")' },
  { what: 'a repeated option code', ...edited('"code": "ONCE"', '"code": "NO"', 2), reason: 'domain "ACCOMMODATION", item "AC2": option codes repeat ("NO")' },
  { what: 'a negative score', ...edited('"score": 2', '"score": -2'), reason: 'domain "CRIMINAL_HISTORY", item "CH1", option "TWO_OR_MORE": "score" must be a whole number from 0 to 100 (found -2)' },
  { what: 'a fractional score', ...edited('"score": 1', '"score": 1.5'), reason: '"score" must be a whole number from 0 to 100 (found 1.5)' },
  { what: 'a gap between bands', ...edited('"from": 20', '"from": 22'), reason: 'band set 1: no band covers the totals 20–21 (a gap)' },
  { what: 'overlapping bands', ...edited('"from": 20', '"from": 18'), reason: 'band set 1: the totals 18–19 fall in more than one band (an overlap)' },
  { what: 'a band set short of the highest total', ...edited('"to": 67', '"to": 60'), reason: 'band set 1: no band covers the totals 61–67 (a gap)' },
  { what: 'a level not in the list', ...edited('"level": "MEDIUM"', '"level": "MODERATE"'), reason: 'band set 1, band 2: "level" must be one of HIGH, MEDIUM, LOW (found "MODERATE")' },
  { what: 'levels falling as the total rises', ...edited('"level": "HIGH"', '"level": "LOW"'), reason: 'risk levels must rise with the total (LOW, MEDIUM, HIGH, each once): "LOW" comes after "MEDIUM"' },
  { what: 'a need threshold above the domain maximum', ...edited('"needThreshold": 3', '"needThreshold": 30'), reason: `domain "FINANCES": the need threshold (30) is above the domain's highest possible score (6)` },
  { what: 'a need threshold of 0', ...edited('"needThreshold": 3', '"needThreshold": 0'), reason: 'domain "FINANCES": "needThreshold" must be a whole number from 1 to 6 (found 0)' },
  {
    what: 'ambiguous band sets',
    text: edited('"maxAge": 17', '"maxAge": 18, "sex": "FEMALE"').text,
    line: lineOf(SAMPLE_TEXT, '"appliesTo"', 2),
    reason: 'band sets 2 and 3 apply equally to females aged 18: make one more specific or narrow their conditions',
  },
  { what: 'no band set for some people', text: withoutDefaultBands, line: lineOf(withoutDefaultBands, '"bandSets"'), reason: 'no band set applies to males aged 18 and over' },
  { what: 'a repeated key', text: edited('"isSample": true,', '"isSample": true,\n  "isSample": false,').text, line: lineOf(SAMPLE_TEXT, '"isSample"') + 1, reason: 'the key "isSample" appears twice in the same object' },
  { what: 'a misspelt field', ...edited('"evidenceRequired"', '"evidenceRequierd"'), reason: 'domain "CRIMINAL_HISTORY", item "CH1": unknown field "evidenceRequierd" (allowed: code, text, options, evidenceRequired)' },
  { what: 'an empty label', ...edited('"en": "None"', '"en": "  "'), reason: '"label.en" is empty' },
  { what: 'a label without its Armenian text', text: edited('"hy": "Չկա",', '').text, line: lineOf(SAMPLE_TEXT, '"hy": "Չկա",') - 1, reason: 'option "NONE": "label" must be an object with an Armenian ("hy") and an English ("en") text' },
  { what: 'an item with one option', text: changed((instrument) => (instrument.domains[0].items as { options: unknown[] }[])[3].options.pop()), line: lineOf(SAMPLE_TEXT, '"options"', 4), reason: 'item "CH4": "options" must be a list ([ ... ]) of 2 to 10 entries (found 1)' },
  { what: 'version 0', ...edited('"version": 1', '"version": 0'), reason: '"version" must be a whole number from 1 to 1000000 (found 0)' },
  { what: 'a lower-case code', ...edited('"code": "SAMPLE_RNA"', '"code": "sample"'), reason: '"code" must be a code of capital Latin letters, digits and "_"' },
  { what: 'a root that is a list', text: '[\n  1\n]\n', line: 1, reason: 'the file must hold one JSON object ({ ... }) describing the instrument' },
  { what: 'a root that is a text', text: '"SAMPLE_RNA"', line: 1, reason: 'the file must hold one JSON object' },
  { what: 'an empty file', text: '', line: 1, column: 1, reason: 'expected a value (an object, a list, a text, a number, true, false or null) but found the end of the file' },
  { what: 'a file over 1 MB', text: SAMPLE_TEXT + ' '.repeat(INSTRUMENT_LIMITS.fileBytes), line: 1, reason: 'KB); at most 1024 KB is accepted' },
]

// Independent of the scanner: every JSON pointer in a value, and the line JSON.stringify puts it on, found by
// printing the value again with a unique marker in its place (what comes before a value is printed the same
// whatever the value is, so the marker's line is the value's).
const MARKER = '\u0000marker\u0000'
const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

function pointers(value: unknown, path: string[] = []): string[][] {
  const children = Array.isArray(value)
    ? value.flatMap((child, index) => pointers(child, [...path, String(index)]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) => pointers(child, [...path, key]))
      : []
  return [path, ...children]
}

function printedLine(value: unknown, path: string[]): number {
  if (path.length === 0) return 1
  const copy = JSON.parse(JSON.stringify(value)) as unknown
  let parent = copy as Record<string, unknown>
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>
  Object.defineProperty(parent, path[path.length - 1], { value: MARKER, enumerable: true, writable: true, configurable: true })
  return lineOf(JSON.stringify(copy, null, 2), JSON.stringify(MARKER))
}

describe('risk and needs: the instrument framework', () => {
  describe('the sample instrument', () => {
    it('when the sample file is read, then it is a valid, frozen sample over the ten usual domains, 3 to 5 items each', () => {
      const parsed = parseInstrument(SAMPLE_TEXT)
      expect(parsed.ok).to.equal(true)
      expect(sample.code).to.equal('SAMPLE_RNA')
      expect(sample.version).to.equal(1)
      expect(sample.isSample).to.equal(true)
      expect(sample.title.en).to.match(/^Sample .* not approved by the Service$/)
      expect(sample.title.hy).to.contain('օրինակելի գործիք').and.contain('հաստատված չէ')
      expect(sample.domains.map((domain) => domain.code)).to.deep.equal([...SAMPLE_DOMAIN_CODES])
      for (const domain of sample.domains) expect(domain.items.length).to.be.within(3, 5)
      expect(Object.isFrozen(sample.domains[4].items[0].options[1].label)).to.equal(true)
      expect(sampleInstrument()).to.equal(sample)
    })

    for (const c of SCORING_CASES) {
      it(`when ${c.answers} is scored for ${c.who}, then the domains score ${c.domainScores.join(' ')}, the total is ${c.total}, the level ${c.level}`, () => {
        const score = scoreAssessment(sample, ANSWER_SETS[c.answers], c.person)
        expect(score.complete).to.equal(true)
        expect(score.missingItems).to.deep.equal([])
        expect(score.domains.map((domain) => domain.score)).to.deep.equal(c.domainScores)
        expect(score.domains.map((domain) => domain.max)).to.deep.equal(DOMAIN_MAX)
        expect(score.total).to.equal(c.total)
        expect(score.max).to.equal(67)
        expect(score.level).to.equal(c.level)
        expect(score.band?.level).to.equal(c.level)
        expect(score.needs).to.deep.equal(c.needs)
        expect(score.domains.filter((domain) => domain.need).map((domain) => domain.code)).to.deep.equal(c.needs)
        expect(score).to.include({ instrumentCode: 'SAMPLE_RNA', instrumentVersion: 1 })
      })
    }

    for (const [person, total, level] of BAND_BOUNDARIES) {
      it(`when the total is ${total} for a ${person.sex === 'MALE' ? 'male' : 'female'} aged ${person.ageYears}, then the level is ${level}`, () => {
        expect(bandFor(sample, total, person).level).to.equal(level)
      })
    }

    it('when the age is outside 14 to 120 or not whole, then no level is given', () => {
      for (const ageYears of [13, 121, 30.5]) expect(() => bandFor(sample, 10, { sex: 'MALE', ageYears })).to.throw(RangeError, /assessed ages are 14 to 120/)
    })

    it('when items are unanswered or answered with an empty value, then the assessment is incomplete, without a level, with the missing items listed', () => {
      const answers: Record<string, string> = { ...MANY_NEEDS, AC2: '' }
      delete answers.BW4
      const score = scoreAssessment(sample, answers, MAN)
      expect(score.complete).to.equal(false)
      expect(score.level).to.equal(null)
      expect(score.band).to.equal(null)
      expect(score.missingItems).to.deep.equal(['AC2', 'BW4'])
      expect(score.total).to.equal(38)
      expect(score.domains.filter((domain) => !domain.complete).map((domain) => domain.code)).to.deep.equal(['ACCOMMODATION', 'BEHAVIOUR_WELLBEING'])
      // Behaviour falls below its threshold without BW4; attitudes, complete, stays a need.
      expect(score.needs).to.deep.equal(['EDUCATION_EMPLOYMENT', 'FINANCES', 'LEISURE', 'COMPANIONS', 'ALCOHOL_DRUGS', 'ATTITUDES'])
    })

    it('when nothing is answered, then every item is missing and the total is 0', () => {
      const score = scoreAssessment(sample, {}, GIRL)
      expect(score.missingItems).to.have.length(36)
      expect(score).to.include({ complete: false, total: 0, level: null })
    })

    it('when an answer names an unknown item or option, then scoring throws an UnknownAnswerError saying which', () => {
      const unknownItem = () => scoreAssessment(sample, { ...NOTHING_FOUND, XX1: 'YES' }, MAN)
      expect(unknownItem).to.throw(UnknownAnswerError, 'No item XX1').with.property('reason', 'unknownItem')
      const unknownOption = () => scoreAssessment(sample, { ...NOTHING_FOUND, AC2: 'MAYBE' }, MAN)
      expect(unknownOption).to.throw(UnknownAnswerError, 'Item AC2 has no option "MAYBE"').with.property('reason', 'unknownOption')
      const repeated = () => scoreAssessment(sample, { ...NOTHING_FOUND, AC2: ['NO', 'ONCE'] as unknown as string }, MAN)
      expect(repeated).to.throw(UnknownAnswerError).with.property('itemCode', 'AC2')
    })

    it('when criminal-history evidence is blank, then those items are listed as missing evidence', () => {
      expect(itemsMissingEvidence(sample, {})).to.deep.equal(['CH1', 'CH2', 'CH3', 'CH4'])
      expect(itemsMissingEvidence(sample, { CH1: 'Court register extract, 2024', CH2: '  ', AC1: 'not required' })).to.deep.equal(['CH2', 'CH3', 'CH4'])
    })
  })

  describe('importing an instrument file', () => {
    for (const broken of BROKEN_FILES) {
      it(`when the file has ${broken.what}, then it is refused on line ${broken.line} with the reason`, () => {
        const problems = problemsOf(broken.text)
        const match = problems.find((problem) => problem.message.en.includes(broken.reason))
        expect(match, JSON.stringify(problems.map((problem) => formatProblem(problem, 'en')))).to.not.equal(undefined)
        expect(match?.line).to.equal(broken.line)
        if (broken.column !== undefined) expect(match?.column).to.equal(broken.column)
        for (const problem of problems) expect(problem.message.hy.trim()).to.not.equal('')
      })
    }

    it('when a file has several problems, then all are reported, in line order, each in Armenian and English', () => {
      const text = SAMPLE_TEXT.replace('"code": "ACCOMMODATION"', '"code": "FINANCES"').replace('"score": 2', '"score": -2').replace('"level": "MEDIUM"', '"level": "MODERATE"')
      const problems = problemsOf(text)
      expect(problems).to.have.length(3)
      expect(problems.map((problem) => problem.line)).to.deep.equal([...problems.map((problem) => problem.line)].sort((a, b) => a - b))
      expect(formatProblem(problems[1], 'en')).to.equal(`Line ${lineOf(SAMPLE_TEXT, '"code": "ACCOMMODATION"')}: domain codes repeat ("FINANCES").`)
      expect(formatProblem(problems[1], 'hy')).to.equal(`Տող ${lineOf(SAMPLE_TEXT, '"code": "ACCOMMODATION"')}. ոլորտների կոդերը կրկնվում են («FINANCES»)։`)
    })

    it('when a syntax error is reported, then the line and column are given in both languages', () => {
      const [problem] = problemsOf('{\n  "code": "X",\n}')
      expect(formatProblem(problem, 'en')).to.equal('Line 2, column 14: JSON allows no comma before "}"; remove the last comma.')
      expect(formatProblem(problem, 'hy')).to.equal('Տող 2, սյունակ 14. JSON-ում «}»-ից առաջ ստորակետ չի թույլատրվում. հեռացրեք վերջին ստորակետը։')
    })

    it('when the file is exactly 1 MB or starts with a byte-order mark, then it is accepted', () => {
      const padded = SAMPLE_TEXT + ' '.repeat(INSTRUMENT_LIMITS.fileBytes - Buffer.byteLength(SAMPLE_TEXT, 'utf8'))
      expect(Buffer.byteLength(padded, 'utf8')).to.equal(INSTRUMENT_LIMITS.fileBytes)
      expect(parseInstrument(padded).ok).to.equal(true)
      expect(parseInstrument('\uFEFF' + SAMPLE_TEXT).ok).to.equal(true)
    })

    it('when the bands differ only by sex for adults and by age for minors, then every person has exactly one band set', () => {
      expect(parseInstrument(changed((instrument) => instrument.bandSets.push({ appliesTo: { sex: 'MALE', maxAge: 17 }, bands: [{ level: 'LOW', from: 0, to: 9 }, { level: 'HIGH', from: 10, to: 67 }] }))).ok).to.equal(true)
    })
  })

  describe('comparing assessments', () => {
    // Version 2: leisure dropped (-5), an extra finances item (+1), a new domain (+1): the bands end at the new maximum, 64.
    const version2Text = changed((instrument) => {
      instrument.version = 2
      instrument.domains.splice(5, 1)
      const finances = instrument.domains[2] as { items: unknown[] }
      finances.items.push({ code: 'FI4', text: { hy: 'Ունի բանկային հաշիվ', en: 'Has a bank account' }, options: [{ code: 'YES', label: { hy: 'Այո', en: 'Yes' }, score: 0 }, { code: 'NO', label: { hy: 'Ոչ', en: 'No' }, score: 1 }] })
      instrument.domains.push({
        code: 'SUPPORT_NETWORK',
        title: { hy: 'Աջակցության ցանց', en: 'Support network' },
        needThreshold: 1,
        items: [{ code: 'SN1', text: { hy: 'Գիտի, ում դիմել օգնության համար', en: 'Knows whom to ask for help' }, options: [{ code: 'YES', label: { hy: 'Այո', en: 'Yes' }, score: 0 }, { code: 'NO', label: { hy: 'Ոչ', en: 'No' }, score: 1 }] }],
      })
      for (const set of instrument.bandSets as { bands: { to: number }[] }[]) set.bands[2].to = 64
    })
    const parsedVersion2 = parseInstrument(version2Text)
    const version2 = (parsedVersion2.ok ? parsedVersion2.instrument : null) as Instrument

    it('when a new version is imported, then it is valid and version 1 still scores its own assessments unchanged', () => {
      expect(parsedVersion2.ok).to.equal(true)
      expect(version2.version).to.equal(2)
      expect(scoreAssessment(sample, MANY_NEEDS, MAN).total).to.equal(40)
      // Version 1's answers are not silently re-scored by version 2: its leisure items are unknown there.
      expect(() => scoreAssessment(version2, MANY_NEEDS, MAN)).to.throw(UnknownAnswerError, 'No item LE1')
    })

    it('when both assessments use the same version, then each domain shows the previous score, the current score and the change', () => {
      const comparison = compareDomainScores(scoreAssessment(sample, MANY_NEEDS, MAN), scoreAssessment(sample, SOME_NEEDS, MAN))
      expect(comparison.sameVersion).to.equal(true)
      expect(comparison.domains.map((domain) => domain.code)).to.deep.equal([...SAMPLE_DOMAIN_CODES])
      expect(comparison.domains.map((domain) => [domain.previous?.score, domain.current?.score, domain.change])).to.deep.equal(MANY.map((previous, index) => [previous, SOME[index], SOME[index] - previous]))
    })

    it('when the versions differ, then domains are matched by code and those on one side only are marked', () => {
      const withoutLeisure = Object.fromEntries(Object.entries(SOME_NEEDS).filter(([code]) => !code.startsWith('LE')))
      const current = scoreAssessment(version2, { ...withoutLeisure, FI4: 'NO', SN1: 'NO' }, MAN)
      const comparison = compareDomainScores(scoreAssessment(sample, MANY_NEEDS, MAN), current)
      expect(comparison.sameVersion).to.equal(false)
      const byCode = Object.fromEntries(comparison.domains.map((domain) => [domain.code, domain]))
      expect(comparison.domains.map((domain) => domain.code)).to.deep.equal([...SAMPLE_DOMAIN_CODES.filter((code) => code !== 'LEISURE'), 'SUPPORT_NETWORK', 'LEISURE'])
      expect(byCode.FINANCES).to.deep.include({ change: 1 })
      expect([byCode.FINANCES.previous?.max, byCode.FINANCES.current?.max]).to.deep.equal([6, 7])
      expect(byCode.SUPPORT_NETWORK).to.deep.include({ previous: null, change: null })
      expect(byCode.SUPPORT_NETWORK.current).to.deep.include({ score: 1, need: true })
      expect(byCode.LEISURE).to.deep.include({ current: null, change: null })
      expect(byCode.LEISURE.previous?.score).to.equal(5)
      expect(byCode.ATTITUDES.change).to.equal(-3)
    })
  })

  describe('the position-tracking JSON scanner', () => {
    it('when any JSON value is printed with 2-space indents, then the scanner reads the same value and puts every path on the line it is printed on', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const text = JSON.stringify(value, null, 2)
          const scan = scanJson(text, 1000)
          if (!scan.ok) throw new Error(`refused: ${scan.message.en}`)
          expect(scan.value).to.deep.equal(JSON.parse(text))
          const paths = pointers(JSON.parse(text))
          expect([...scan.lines.keys()].sort()).to.deep.equal(paths.map((path) => path.map((key) => `/${escapeToken(key)}`).join('')).sort())
          for (const path of paths) expect(scan.lines.get(path.map((key) => `/${escapeToken(key)}`).join('')), path.join('/')).to.equal(printedLine(value, path))
        }),
        { numRuns: 300 },
      )
    })

    it('when a JSON text is damaged by one character, then the scanner refuses exactly what JSON.parse refuses, on a line of the text', () => {
      const damage = fc.constantFrom(...'{}[],:"\\ \n0-.e+tfnu\'x'.split(''))
      fc.assert(
        fc.property(fc.jsonValue(), fc.nat(), damage, fc.boolean(), (value, position, char, insert) => {
          const text = JSON.stringify(value, null, 2)
          const at = position % (text.length + 1)
          const damaged = insert ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + text.slice(at + 1)
          let parsed: { value: unknown } | null = null
          try {
            parsed = { value: JSON.parse(damaged) }
          } catch {
            parsed = null
          }
          const scan = scanJson(damaged, 1000)
          expect(scan.ok, damaged).to.equal(parsed !== null)
          if (scan.ok) expect(scan.value).to.deep.equal(parsed?.value)
          else expect(scan.line).to.be.within(1, damaged.split('\n').length)
        }),
        { numRuns: 1000 },
      )
    })

    it('when any string is read as JSON, then the scanner agrees with JSON.parse', () => {
      fc.assert(
        fc.property(fc.string(), (text) => {
          let accepted = true
          try {
            JSON.parse(text)
          } catch {
            accepted = false
          }
          expect(scanJson(text, 1000).ok).to.equal(accepted)
        }),
      )
    })

    for (const [text, line, column, reason] of [
      ['{\n  "a": 1,\n  "b" 2\n}', 3, 7, 'expected ":" but found "2"'],
      ['{\n  "a": "open\n}', 2, 8, 'a text is not closed on its line'],
      ['{\n  "a": "\\x"\n}', 2, 9, 'an invalid "\\" escape'],
      ["{\n  'a': 1\n}", 2, 3, `expected a key in double quotes but found "'" (JSON takes double quotes around text)`],
      ['[\n  1,\n  2\n] x', 4, 3, 'there is more text after the end of the JSON value'],
      ['[\n  -\n]', 2, 3, 'an invalid number'],
      ['[\r\n  1,\r\n  2,\r\n]', 3, 4, 'JSON allows no comma before "]"'],
      ['{"a": [1 2]}', 1, 10, 'expected "," or "]" but found "2"'],
      ['[[[[1]]]]', 1, 4, 'nested too deeply (more than 3 levels)'],
    ] as const) {
      it(`when the JSON is ${JSON.stringify(text)}, then the scanner reports line ${line}, column ${column}: ${reason}`, () => {
        const scan = scanJson(text, 3)
        expect(scan.ok).to.equal(false)
        if (!scan.ok) {
          expect([scan.line, scan.column]).to.deep.equal([line, column])
          expect(scan.message.en).to.contain(reason)
        }
      })
    }

    it('when a key repeats or is "__proto__", then the last value is kept as an own property, as JSON.parse does, and the repeat is listed', () => {
      const scan = scanJson('{\n  "a": 1,\n  "__proto__": {"x": 1},\n  "a": 2\n}', 10)
      expect(scan.ok).to.equal(true)
      if (scan.ok) {
        expect(scan.value).to.deep.equal(JSON.parse('{"a": 2, "__proto__": {"x": 1}}'))
        expect(Object.getPrototypeOf(scan.value)).to.equal(Object.prototype)
        expect(scan.duplicateKeys).to.deep.equal([{ path: '/a', key: 'a' }])
        expect(scan.lines.get('/a')).to.equal(4)
        expect(scan.lines.get('/__proto__/x')).to.equal(3)
      }
    })
  })
})
