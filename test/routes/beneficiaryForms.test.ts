import { expect } from 'chai'
import { Op, QueryTypes } from 'sequelize'
import type request from 'supertest'
import { AuditEvent, Beneficiary, BeneficiaryNote } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { VALIDATION_EN, VALIDATION_HY } from '../helpers/messages'
import { requiredFieldsOf } from '../../server/validation'
import { newCardSchema } from '../../routes/beneficiaries/schemas'

/*
 * Bad input on the registration card and the personal file's forms, through HTTP: each rejected
 * submission must answer 400, never 500; say what is wrong beside the field and in the error summary,
 * in the user's language; give back what was typed (escaped); and save nothing.
 */

type Fields = Record<string, string>
type Response = request.Response

// Exact strings of locales/hy.json (Armenian is the default language), beyond the shared ones.
const HY = {
  ...VALIDATION_HY,
  armenianLetters: 'Օգտագործեք հայերեն տառեր (թույլատրվում են գծիկ և բացատ)։',
  latinLetters: 'Օգտագործեք լատինական տառեր (թույլատրվում են գծիկ, ապաթարց և բացատ)։',
  documentNumber: '5-ից 20 լատինատառ մեծատառեր և թվեր, ինչպես փաստաթղթում է։',
  publicServiceNumber: 'ՀԾՀ-ն ունի ճիշտ 10 թվանշան։',
  phones: 'Թվեր, բացատ, +, -, փակագծեր. մի քանի համար բաժանեք ստորակետով։',
  birthInFuture: 'Ծննդյան ամսաթիվը ապագայում է։',
  tooYoung: 'Անձը 14 տարեկանից փոքր է. ստուգեք ծննդյան ամսաթիվը։',
  documentDate: 'Տրման ամսաթիվը պետք է լինի ծնվելուց հետո և ոչ ապագայում։',
  officerNotEligible: 'Ընտրեք այս Մարմնի ակտիվ աշխատակցի։',
  closedInFuture: 'Փակման ամսաթիվը չի կարող լինել ապագայում։',
  notOpen: 'Կարելի է փակել միայն ակտիվ կամ կասեցված գործը։',
  notClosed: 'Կարելի է վերաբացել միայն փակված գործը։',
  accessReasonTitle: 'Գործը բացելու հիմքը',
}

// Exact strings of locales/en.json.
const EN = {
  ...VALIDATION_EN,
  armenianLetters: 'Use Armenian letters (hyphen and space allowed).',
  birthInFuture: 'The date of birth is in the future.',
  closedInFuture: 'The closing date cannot be in the future.',
}

// Yerevan: 23 November 2026, 10:00. "Tomorrow" is 24.11.2026; a 14-year-old was born on or before 23.11.2012.
const NOW = '2026-11-23T10:00:00+04:00'
const TOMORROW = '24.11.2026'

const SCRIPT = '<script>alert(1)</script>'
const SCRIPT_ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;'
const LONG = 'a'.repeat(5000)
const LONG_ARMENIAN = 'Ա'.repeat(5000)
const BELL = 'abc\u0007def'
const NUL = '\u0000'

/** The text as EJS's `<%= %>` writes it into the page. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
}

function unhtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function title(page: Response): string | undefined {
  return /<title>([^<]*)/.exec(page.text)?.[1]
}

/** The opening tag of the input with that attribute (`id` for visible fields, `name` for hidden ones). */
function inputTag(page: Response, attribute: 'id' | 'name', value: string): string {
  const match = new RegExp(`<input\\b[^>]*\\b${attribute}="${escapeRegExp(value)}"[^>]*>`).exec(page.text)
  expect(match, `an <input ${attribute}="${value}"> on the page`).to.not.equal(null)
  return match![0]
}

/** The value attribute of an input as it stands in the HTML (still escaped). */
function valueAttribute(page: Response, attribute: 'id' | 'name', value: string): string {
  const match = /\bvalue="([^"]*)"/.exec(inputTag(page, attribute, value))
  return match ? match[1] : ''
}

/** The content of a textarea as it stands in the HTML (still escaped). */
function textareaContent(page: Response, id: string): string {
  const match = new RegExp(`<textarea\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page.text)
  expect(match, `a <textarea id="${id}"> on the page`).to.not.equal(null)
  return match![1]
}

function selectOptions(page: Response, id: string): { values: string[]; selected: string[] } {
  const select = new RegExp(`<select\\b[^>]*\\bid="${escapeRegExp(id)}"[^>]*>([\\s\\S]*?)</select>`).exec(page.text)
  expect(select, `a <select id="${id}"> on the page`).to.not.equal(null)
  const values = [...select![1].matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])
  const selected = [...select![1].matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1])
  return { values, selected }
}

function radios(page: Response, name: string): { values: string[]; checked: string[] } {
  const tags = [...page.text.matchAll(new RegExp(`<input\\b[^>]*\\btype="radio"[^>]*\\bname="${escapeRegExp(name)}"[^>]*>`, 'g'))].map((m) => m[0])
  const valueOf = (tag: string) => /\bvalue="([^"]*)"/.exec(tag)?.[1] ?? ''
  return { values: tags.map(valueOf), checked: tags.filter((tag) => /\schecked\b/.test(tag)).map(valueOf) }
}

/** What a browser would send from a form on the page, as it stands (CSRF token left out: the Browser adds it). */
function formFields(page: Response, action: string): Fields {
  const form = new RegExp(`<form method="post" action="${escapeRegExp(action)}"[^>]*>([\\s\\S]*?)</form>`).exec(page.text)
  expect(form, `a form posting to ${action}`).to.not.equal(null)
  const fields: Fields = {}
  for (const [tag] of form![1].matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1]
    if (!name || name === '_csrf') continue
    const type = /\btype="([^"]*)"/.exec(tag)?.[1] ?? 'text'
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue
    fields[name] = unhtml(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')
  }
  for (const [, name, options] of form![1].matchAll(/<select\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected>/.exec(options) ?? /<option value="([^"]*)"/.exec(options)
    fields[name] = unhtml(selected ? selected[1] : '')
  }
  for (const [, name, content] of form![1].matchAll(/<textarea\b[^>]*\bname="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[name] = unhtml(content)
  return fields
}

/** What kinds of inputs a form has, to check that typed values come back. */
interface FormSpec {
  text?: string[]
  textareas?: string[]
  selects?: string[]
  hidden?: string[]
  checkboxes?: string[]
  radios?: string[]
  /** False for a form whose page has no error summary (checked by a test of its own). */
  summary?: boolean
  /** The id of the element that holds a field's message (default `<field>-error`). */
  errorId?: (field: string) => string
}

/** The message beside the field and as a link in the error summary. */
function expectFieldError(page: Response, field: string, message: string, spec: FormSpec = {}): void {
  const errorId = spec.errorId ? spec.errorId(field) : `${field}-error`
  expect(page.text, `message beside ${field}`).to.contain(`id="${errorId}">${html(message)}</div>`)
  if (spec.summary !== false) expectSummaryEntry(page, field, message)
}

/** A problem with a field the page does not show (the hidden version): at least the error summary says it. */
function expectSummaryEntry(page: Response, field: string, message: string): void {
  expect(page.text, `error summary entry for ${field}`).to.contain(`<a href="#${field}" class="alert-link">${html(message)}</a>`)
}

function expectErrorSummary(page: Response, heading = HY.summary): void {
  expect(page.text, 'the error summary').to.contain('data-error-summary')
  expect(page.text, 'the error summary heading').to.contain(html(heading))
}

function expectTypedValuesKept(page: Response, body: Fields, spec: FormSpec): void {
  for (const field of spec.text ?? []) {
    if (field in body) expect(valueAttribute(page, 'id', field), `typed ${field} kept`).to.equal(html(body[field]))
  }
  for (const field of spec.textareas ?? []) {
    if (field in body) expect(textareaContent(page, field), `typed ${field} kept`).to.equal(html(body[field]))
  }
  for (const field of spec.hidden ?? []) {
    if (field in body) expect(valueAttribute(page, 'name', field), `typed ${field} kept`).to.equal(html(body[field]))
  }
  for (const field of spec.selects ?? []) {
    if (!(field in body)) continue
    const { values, selected } = selectOptions(page, field)
    // An unknown option cannot be shown as chosen; a known one must stay chosen (and alone).
    if (values.includes(body[field])) expect(selected, `chosen ${field} kept`).to.deep.equal([body[field]])
    else expect(selected, `nothing pretends to be the unknown ${field}`).to.have.length.at.most(1)
  }
  for (const field of spec.checkboxes ?? []) {
    const ticked = /\schecked\b/.test(inputTag(page, 'id', field))
    expect(ticked, `${field} ${body[field] === '1' ? 'stays ticked' : 'stays unticked'}`).to.equal(body[field] === '1')
  }
  for (const field of spec.radios ?? []) {
    const { values, checked } = radios(page, field)
    expect(checked, `chosen ${field} kept`).to.deep.equal(values.includes(body[field] ?? '') ? [body[field]] : [])
  }
}

function expectNoRawScript(page: Response): void {
  expect(page.text, 'the script payload never comes back raw').to.not.contain(SCRIPT)
}

interface BadInput {
  when: string
  /** Overrides of the form's otherwise valid values. */
  fields: Fields
  /** Field → message expected beside it (and in the summary). */
  errors: Record<string, string>
  /** Field → message expected in the summary only (fields the page does not show). */
  summaryOnly?: Record<string, string>
}

/** Every check of a rejected submission but the "nothing saved" one, which the caller makes. */
function expectRejected(page: Response, body: Fields, input: BadInput, spec: FormSpec): void {
  expect(page.status, `status (page: ${title(page)})`).to.equal(400)
  if (spec.summary !== false) expectErrorSummary(page)
  for (const [field, message] of Object.entries(input.errors)) expectFieldError(page, field, message, spec)
  for (const [field, message] of Object.entries(input.summaryOnly ?? {})) expectSummaryEntry(page, field, message)
  expectTypedValuesKept(page, body, spec)
  expectNoRawScript(page)
  // Typed into a field the page gives back (a choice that is not on the list cannot be shown).
  const shown = [...(spec.text ?? []), ...(spec.textareas ?? []), ...(spec.hidden ?? [])]
  if (shown.some((field) => body[field]?.includes(SCRIPT))) expect(page.text, 'the script comes back escaped').to.contain(SCRIPT_ESCAPED)
}

async function useEnglish(browser: Browser): Promise<void> {
  const switched = await browser.post('/language', { language: 'en', returnTo: '/' })
  expect(switched.status).to.equal(303)
}

function expectEnglish(page: Response, field: string, message: string, armenian: string, spec: FormSpec = {}): void {
  expect(page.status, `status (page: ${title(page)})`).to.equal(400)
  expect(page.text).to.contain('<html lang="en">')
  if (spec.summary !== false) expectErrorSummary(page, EN.summary)
  expectFieldError(page, field, message, spec)
  expect(page.text, 'no Armenian message').to.not.contain(html(armenian))
}

async function fileState(id: number) {
  const row = await Beneficiary.findByPk(id)
  expect(row, `file ${id} still there`).to.not.equal(null)
  return row!.toJSON()
}

/** Everything a registration would change: the cards, the region's number counters, the audit log. */
async function registrationState() {
  const counters = await Beneficiary.sequelize!.query('SELECT region_id, year, last_number FROM file_number_counters ORDER BY region_id, year', { type: QueryTypes.SELECT })
  return { cards: await Beneficiary.count(), counters, created: await AuditEvent.count({ where: { action: 'beneficiary.create' } }) }
}

/* ------------------------------------------------------------------------------------------------ */
/* The registration card                                                                             */
/* ------------------------------------------------------------------------------------------------ */

// A complete, valid card; each case below spoils one thing. (Not used elsewhere: no duplicate warning.)
const CARD: Fields = {
  surname: 'Պետրոսյան',
  givenName: 'Վարդան',
  patronymic: 'Գագիկի',
  surnameLatin: 'Petrosyan',
  givenNameLatin: 'Vardan',
  patronymicLatin: 'Gagiki',
  sex: 'MALE',
  birthDate: '17.08.1987',
  birthPlace: 'Արտաշատ',
  citizenship: 'ՀՀ',
  identityDocumentType: 'PASSPORT',
  identityDocumentNumber: 'AN0123456',
  identityDocumentIssuer: '023',
  identityDocumentIssuedOn: '15.05.2010',
  publicServiceNumber: '9876501234',
  registeredMarz: 'ARARAT',
  registeredCommunity: 'Արտաշատ',
  registeredStreet: 'Օգոստոսի 23 փ., 5',
  actualMarz: 'YEREVAN',
  actualCommunity: 'Երևան',
  actualStreet: 'Մաշտոցի պող., 10, բն. 4',
  phones: '+374 91 123456, (010) 55-66-77',
  email: 'vardan.petrosyan@example.am',
  education: 'SECONDARY',
  employer: 'Արարատցեմենտ',
  jobTitle: 'Բանվոր',
  familyStatus: 'MARRIED',
  dependants: '2',
  militaryStatus: 'SERVED',
  healthNotes: 'Շաքարային դիաբետ',
  category: 'PROBATION_PERIOD',
  status: 'ACTIVE',
  riskToStaff: '1',
  riskToStaffReason: 'Սպառնացել է մասնագետին',
}

/** The same card as a database row, for the file the edit cases work on. */
const CARD_ROW = {
  ...CARD,
  birthDate: '1987-08-17',
  identityDocumentIssuedOn: '2010-05-15',
  dependants: 2,
  riskToStaff: true,
  category: 'PROBATION_PERIOD' as const,
  status: 'ACTIVE' as const,
}

const ARMENIAN_NAMES = ['surname', 'givenName', 'patronymic']
const LATIN_NAMES = ['surnameLatin', 'givenNameLatin', 'patronymicLatin']
/** Free text without a format, with its maximum length. */
const FREE_TEXT: [string, number][] = [
  ['birthPlace', 200],
  ['citizenship', 100],
  ['identityDocumentIssuer', 200],
  ['registeredCommunity', 100],
  ['registeredStreet', 200],
  ['actualCommunity', 100],
  ['actualStreet', 200],
  ['employer', 200],
  ['jobTitle', 200],
  ['riskToStaffReason', 500],
]
const CARD_SPEC: FormSpec = {
  text: [
    ...ARMENIAN_NAMES, ...LATIN_NAMES, 'birthDate', 'birthPlace', 'citizenship', 'identityDocumentNumber', 'identityDocumentIssuer', 'identityDocumentIssuedOn',
    'publicServiceNumber', 'registeredCommunity', 'registeredStreet', 'actualCommunity', 'actualStreet', 'phones', 'email', 'employer', 'jobTitle', 'dependants',
    'riskToStaffReason',
  ],
  textareas: ['healthNotes'],
  selects: ['sex', 'identityDocumentType', 'registeredMarz', 'actualMarz', 'education', 'familyStatus', 'militaryStatus', 'category', 'status'],
  checkboxes: ['riskToStaff'],
}

/** The bad cards, the same for registering and for editing. */
function cardCases(): BadInput[] {
  const cases: BadInput[] = []
  const add = (when: string, fields: Fields, errors: Record<string, string>, summaryOnly?: Record<string, string>) => cases.push({ when, fields, errors, summaryOnly })

  // Required fields.
  add('every required field is empty', { surname: '', givenName: '', sex: '', birthDate: '', category: '' }, { surname: HY.required, givenName: HY.required, sex: HY.required, birthDate: HY.required, category: HY.required })
  for (const field of ['surname', 'givenName', 'sex', 'birthDate', 'category']) add(`the ${field} is empty`, { [field]: '' }, { [field]: HY.required })
  add('the surname is only spaces', { surname: '   ' }, { surname: HY.required })
  add('the birth date is only spaces', { birthDate: '   ' }, { birthDate: HY.required })

  // 5000 characters in every free-text field.
  for (const field of ARMENIAN_NAMES) add(`the ${field} is 5000 Armenian letters`, { [field]: LONG_ARMENIAN }, { [field]: HY.tooLong(100) })
  for (const field of LATIN_NAMES) add(`the ${field} is 5000 Latin letters`, { [field]: LONG }, { [field]: HY.tooLong(100) })
  for (const [field, max] of FREE_TEXT) add(`the ${field} is 5000 characters long`, { [field]: LONG }, { [field]: HY.tooLong(max) })
  add('the health notes are 5000 characters long', { healthNotes: LONG }, { healthNotes: HY.tooLong(2000) })
  add('the phones are 5000 digits', { phones: '1'.repeat(5000) }, { phones: HY.tooLong(200) })
  add('the e-mail is 5000 characters long', { email: `${LONG}@example.am` }, { email: HY.tooLong(200) })
  add('the document number is 5000 characters long', { identityDocumentNumber: 'A'.repeat(5000) }, { identityDocumentNumber: HY.documentNumber })
  add('the public service number is 5000 digits', { publicServiceNumber: '1'.repeat(5000) }, { publicServiceNumber: HY.publicServiceNumber })
  add('the birth date is 5000 characters long', { birthDate: LONG }, { birthDate: HY.date })
  add('the document date is 5000 characters long', { identityDocumentIssuedOn: LONG }, { identityDocumentIssuedOn: HY.date })

  // Control characters.
  add('the surname contains a control character', { surname: 'Պետրոս\u0007յան' }, { surname: HY.controlCharacters })
  add('the surname is a NUL character', { surname: NUL }, { surname: HY.controlCharacters })
  add('the given name contains an escape sequence', { givenName: 'Վարդան\u001b[31m' }, { givenName: HY.controlCharacters })
  add('the patronymic contains a control character', { patronymic: 'Գագ\u0008իկի' }, { patronymic: HY.controlCharacters })
  for (const field of LATIN_NAMES) add(`the ${field} contains a control character`, { [field]: 'Petro\u0007syan' }, { [field]: HY.controlCharacters })
  for (const [field] of FREE_TEXT) add(`the ${field} contains a control character`, { [field]: BELL }, { [field]: HY.controlCharacters })
  add('the health notes contain a control character', { healthNotes: BELL }, { healthNotes: HY.controlCharacters })
  add('the health notes are a NUL character', { healthNotes: NUL }, { healthNotes: HY.controlCharacters })
  add('the phones contain a control character', { phones: '091\u0007123456' }, { phones: HY.controlCharacters })
  // A one-line field refuses a line break (CR, LF or both): it would split the value in lists, exports and letters.
  for (const [field] of FREE_TEXT) add(`the ${field} has a line break`, { [field]: 'Արտաշատ\r\nՄասիս' }, { [field]: HY.oneLine })
  add('the phones are on two lines', { phones: '091123456\n091654321' }, { phones: HY.oneLine })
  add('the e-mail contains a control character', { email: `vardan${'\u0007'}@example.am` }, { email: HY.email })
  add('the document number contains a control character', { identityDocumentNumber: 'AN01\u000723456' }, { identityDocumentNumber: HY.documentNumber })
  add('the public service number contains a NUL character', { publicServiceNumber: `98765${NUL}01234` }, { publicServiceNumber: HY.publicServiceNumber })
  add('the birth date contains a control character', { birthDate: '17.08.1987\u0007' }, { birthDate: HY.date })

  // A script in every text field: refused where the field has a format, otherwise kept (escaped) beside another error.
  for (const field of ARMENIAN_NAMES) add(`the ${field} is a script`, { [field]: SCRIPT }, { [field]: HY.armenianLetters })
  for (const field of LATIN_NAMES) add(`the ${field} is a script`, { [field]: SCRIPT }, { [field]: HY.latinLetters })
  for (const [field] of FREE_TEXT) add(`the ${field} is a script and the surname is empty`, { [field]: SCRIPT, surname: '' }, { surname: HY.required })
  add('the health notes are a script and the surname is empty', { healthNotes: SCRIPT, surname: '' }, { surname: HY.required })
  add('the birth date is a script', { birthDate: SCRIPT }, { birthDate: HY.date })
  add('the document date is a script', { identityDocumentIssuedOn: SCRIPT }, { identityDocumentIssuedOn: HY.date })
  add('the document number is a script', { identityDocumentNumber: SCRIPT }, { identityDocumentNumber: HY.documentNumber })
  add('the public service number is a script', { publicServiceNumber: SCRIPT }, { publicServiceNumber: HY.publicServiceNumber })
  add('the phones are a script', { phones: SCRIPT }, { phones: HY.phones })
  add('the e-mail is a script', { email: SCRIPT }, { email: HY.email })
  add('the dependants are a script', { dependants: SCRIPT }, { dependants: HY.number })
  add('the sex is a script', { sex: SCRIPT }, { sex: HY.choose })

  // Alphabets.
  add('the Armenian surname is in Latin letters', { surname: 'Petrosyan' }, { surname: HY.armenianLetters })
  add('the Armenian given name is in Latin letters', { givenName: 'Vardan' }, { givenName: HY.armenianLetters })
  add('the Armenian patronymic mixes in a Latin letter', { patronymic: 'Գագիկi' }, { patronymic: HY.armenianLetters })
  add('the Armenian surname has a digit', { surname: 'Պետրոսյան2' }, { surname: HY.armenianLetters })
  add('the Latin surname is in Armenian letters', { surnameLatin: 'Պետրոսյան' }, { surnameLatin: HY.latinLetters })
  add('the Latin given name is in Cyrillic letters', { givenNameLatin: 'Вардан' }, { givenNameLatin: HY.latinLetters })
  add('the Latin patronymic has a digit', { patronymicLatin: 'Gagiki2' }, { patronymicLatin: HY.latinLetters })

  // Dates that do not exist or cannot be right.
  add('the birth date is 31.02.1990', { birthDate: '31.02.1990' }, { birthDate: HY.date })
  add('the birth date is 2026-13-01', { birthDate: '2026-13-01' }, { birthDate: HY.date })
  add('the birth date is 29.02.1987 (not a leap year)', { birthDate: '29.02.1987' }, { birthDate: HY.date })
  add('the birth date is in American order', { birthDate: '08/17/1987' }, { birthDate: HY.date })
  add('the birth date is a word', { birthDate: 'yesterday' }, { birthDate: HY.date })
  add('the document date is 31.02.2010', { identityDocumentIssuedOn: '31.02.2010' }, { identityDocumentIssuedOn: HY.date })
  add('the document date is 2026-13-01', { identityDocumentIssuedOn: '2026-13-01' }, { identityDocumentIssuedOn: HY.date })
  add('the birth date is tomorrow', { birthDate: TOMORROW }, { birthDate: HY.birthInFuture })
  add('the birth date is in 2030', { birthDate: '2030-01-01' }, { birthDate: HY.birthInFuture })
  add('the person was born in 2015 (under 14)', { birthDate: '01.06.2015' }, { birthDate: HY.tooYoung })
  add('the person turns 14 tomorrow', { birthDate: '24.11.2012' }, { birthDate: HY.tooYoung })
  add('the document was issued before the birth', { identityDocumentIssuedOn: '16.08.1987' }, { identityDocumentIssuedOn: HY.documentDate })
  add('the document was issued long before the birth', { identityDocumentIssuedOn: '01.01.1970' }, { identityDocumentIssuedOn: HY.documentDate })
  add('the document is issued tomorrow', { identityDocumentIssuedOn: TOMORROW }, { identityDocumentIssuedOn: HY.documentDate })

  // Numbers with a format.
  add('the public service number has 9 digits', { publicServiceNumber: '987650123' }, { publicServiceNumber: HY.publicServiceNumber })
  add('the public service number has letters', { publicServiceNumber: '98765O1234' }, { publicServiceNumber: HY.publicServiceNumber })
  add('the public service number has 11 digits', { publicServiceNumber: '98765012345' }, { publicServiceNumber: HY.publicServiceNumber })
  add('the public service number has a space inside', { publicServiceNumber: '98765 01234' }, { publicServiceNumber: HY.publicServiceNumber })
  add('the document number is too short', { identityDocumentNumber: 'AN12' }, { identityDocumentNumber: HY.documentNumber })
  add('the document number has a hyphen', { identityDocumentNumber: 'AN-0123456' }, { identityDocumentNumber: HY.documentNumber })
  add('the document number has a full stop', { identityDocumentNumber: 'AN.0123456' }, { identityDocumentNumber: HY.documentNumber })
  add('the document number has Armenian letters', { identityDocumentNumber: 'ԱՆ0123456' }, { identityDocumentNumber: HY.documentNumber })
  add('the document number is 21 characters long', { identityDocumentNumber: 'A'.repeat(21) }, { identityDocumentNumber: HY.documentNumber })
  add('the phones have a letter', { phones: '+374 91 12345a' }, { phones: HY.phones })
  add('the phones have a slash', { phones: '091/123456' }, { phones: HY.phones })
  add('the phones have a hash', { phones: '091 123 456 #2' }, { phones: HY.phones })
  add('the e-mail has no @', { email: 'vardan.example.am' }, { email: HY.email })
  add('the e-mail has nothing after the @', { email: 'vardan@' }, { email: HY.email })
  add('the e-mail has two @', { email: 'vardan@@example.am' }, { email: HY.email })
  add('the e-mail has a space', { email: 'vardan petrosyan@example.am' }, { email: HY.email })

  // Values that are not on the closed lists.
  add('the registered marz is unknown', { registeredMarz: 'ATLANTIS' }, { registeredMarz: HY.choose })
  add('the actual marz is unknown', { actualMarz: 'MOSCOW' }, { actualMarz: HY.choose })
  add('the sex is unknown', { sex: 'OTHER' }, { sex: HY.choose })
  add('the sex is in lower case', { sex: 'male' }, { sex: HY.choose })
  add('the category is unknown', { category: 'PAROLE' }, { category: HY.choose })
  add('the status is CLOSED (closing has its own procedure)', { status: 'CLOSED' }, { status: HY.choose })
  add('the status is unknown', { status: 'DELETED' }, { status: HY.choose })
  add('the document type is unknown', { identityDocumentType: 'DRIVING_LICENCE' }, { identityDocumentType: HY.choose })
  add('the education is unknown', { education: 'PHD' }, { education: HY.choose })
  add('the family status is unknown', { familyStatus: 'POLYGAMOUS' }, { familyStatus: HY.choose })
  add('the military status is unknown', { militaryStatus: 'GENERAL' }, { militaryStatus: HY.choose })

  // Dependants.
  add('the dependants are -1', { dependants: '-1' }, { dependants: HY.numberMin(0) })
  add('the dependants are 31', { dependants: '31' }, { dependants: HY.numberMax(30) })
  add('the dependants are "abc"', { dependants: 'abc' }, { dependants: HY.number })
  add('the dependants are 1.5', { dependants: '1.5' }, { dependants: HY.wholeNumber })

  // The risk flag.
  add('the risk to staff is ticked without a reason', { riskToStaff: '1', riskToStaffReason: '' }, { riskToStaffReason: HY.required })
  add('the risk to staff is ticked with a reason of spaces', { riskToStaff: '1', riskToStaffReason: '   ' }, { riskToStaffReason: HY.required })
  add('the risk to staff box sends "yes"', { riskToStaff: 'yes' }, {}, { riskToStaff: HY.invalid })
  return cases
}

/* ------------------------------------------------------------------------------------------------ */

describe('registration card forms with bad input', () => {
  let t: TestApp
  let ararat: number
  let officer: TestPerson
  let head: TestPerson
  let colleague: TestPerson
  let officerBrowser: Browser
  let headBrowser: Browser
  let colleagueBrowser: Browser
  let englishOfficer: Browser
  let englishHead: Browser
  let englishColleague: Browser

  before(async () => {
    t = buildTestApp()
    t.clock.set(NOW)
    ararat = await regionIdOf('ARARAT')
    officer = await createPerson('SPECIALIST', 'ARARAT')
    head = await createPerson('REGIONAL_HEAD', 'ARARAT')
    colleague = await createPerson('SPECIALIST', 'ARARAT')
    officerBrowser = await signIn(t.app, officer.username)
    headBrowser = await signIn(t.app, head.username)
    colleagueBrowser = await signIn(t.app, colleague.username)
    englishOfficer = await signIn(t.app, officer.username)
    englishHead = await signIn(t.app, head.username)
    englishColleague = await signIn(t.app, colleague.username)
    for (const browser of [englishOfficer, englishHead, englishColleague]) await useEnglish(browser)
  })

  beforeEach(() => {
    t.clock.set(NOW)
  })

  describe('new registration card (POST /regions/:regionId/beneficiaries/new)', () => {
    const path = () => `/regions/${ararat}/beneficiaries/new`

    it('when the form is opened, then it marks exactly the fields its schema requires, for the eye and for assistive technology', async () => {
      const page = (await officerBrowser.get(path())).text
      const marked = [...page.matchAll(/name="([^"]+)" aria-required="true"/g)].map((match) => match[1]).sort()
      expect(marked).to.deep.equal(requiredFieldsOf(newCardSchema).sort())
      expect(marked).to.include.members(['surname', 'givenName', 'sex', 'birthDate', 'category'])
      expect(page.match(/class="required-mark"/g)).to.have.length(marked.length)
      expect(page).to.contain('data-testid="required-note"').and.contain('* նշանով դաշտերը պարտադիր են')
    })

    for (const input of cardCases()) {
      it(`when ${input.when}, then it answers 400 with the message beside the field, keeps what was typed and registers nothing`, async () => {
        const body = { ...CARD, ...input.fields }
        const before = await registrationState()
        const page = await officerBrowser.post(path(), body)
        expectRejected(page, body, input, CARD_SPEC)
        expect(await registrationState(), 'no card, no file number used, no audit line').to.deep.equal(before)
      })
    }

    for (const [field, second, message] of [['sex', 'FEMALE', HY.choose], ['surname', 'Սարգսյան', HY.invalid], ['birthDate', '18.08.1987', HY.invalid]]) {
      it(`when the ${field} is sent twice, then it answers 400, not 500, and registers nothing`, async () => {
        const before = await registrationState()
        const body = new URLSearchParams({ ...CARD, _csrf: officerBrowser.csrf })
        body.append(field, second)
        const page = await officerBrowser.agent.post(path()).type('form').send(body.toString())
        expect(page.status, `status (page: ${title(page)})`).to.equal(400)
        expectFieldError(page, field, message)
        expect(await registrationState()).to.deep.equal(before)
      })
    }

    for (const regionId of ['abc', '999999999', '99999999999']) {
      it(`when the region id in the address is "${regionId}", then it answers 404, not 500, and registers nothing`, async () => {
        const before = await registrationState()
        const page = await officerBrowser.post(`/regions/${regionId}/beneficiaries/new`, CARD)
        expect(page.status).to.equal(404)
        expect(await registrationState()).to.deep.equal(before)
      })
    }

    it('when the Latin spellings are left empty, then the card is registered with them generated from the Armenian (Պետրոսյան → Petrosyan)', async () => {
      const before = await Beneficiary.count()
      const body = { ...CARD, surnameLatin: '', givenNameLatin: '', patronymicLatin: '', publicServiceNumber: '', birthDate: '03.03.1983', confirmDuplicate: '1' }
      const response = await officerBrowser.post(path(), body)
      expect(response.status, `status (page: ${title(response)})`).to.equal(303)
      const id = Number(/^\/beneficiaries\/(\d+)$/.exec(response.headers.location)?.[1])
      expect(await Beneficiary.count()).to.equal(before + 1)
      const row = await Beneficiary.findByPk(id)
      expect(row).to.include({ surname: 'Պետրոսյան', surnameLatin: 'Petrosyan', givenNameLatin: 'Vardan', patronymicLatin: 'Gagiki', responsibleOfficerId: officer.id, regionId: ararat })
      const page = await officerBrowser.get(`/beneficiaries/${id}`)
      expect(page.status).to.equal(200)
      expect(page.text, 'the Latin spelling on the file page').to.contain('Petrosyan Vardan Gagiki')
    })

    it('when the interface is in English and the surname is in Latin letters, then the message is in English', async () => {
      const before = await registrationState()
      const page = await englishOfficer.post(path(), { ...CARD, surname: 'Petrosyan' })
      expectEnglish(page, 'surname', EN.armenianLetters, HY.armenianLetters)
      expect(valueAttribute(page, 'id', 'surname')).to.equal('Petrosyan')
      expect(await registrationState()).to.deep.equal(before)
    })

    it('when the interface is in English and the birth date is in the future, then the message is in English', async () => {
      const before = await registrationState()
      const page = await englishOfficer.post(path(), { ...CARD, birthDate: TOMORROW })
      expectEnglish(page, 'birthDate', EN.birthInFuture, HY.birthInFuture)
      expect(await registrationState()).to.deep.equal(before)
    })
  })

  describe('edit of a registration card (POST /beneficiaries/:id/edit)', () => {
    let file: Beneficiary
    const spec: FormSpec = { ...CARD_SPEC, hidden: ['version'] }
    const path = () => `/beneficiaries/${file.id}/edit`
    /** The form as the responsible officer gets it: what a browser would send back unchanged. */
    const currentForm = async (browser = officerBrowser): Promise<Fields> => {
      const page = await browser.get(path())
      expect(page.status, `the edit form (page: ${title(page)})`).to.equal(200)
      return formFields(page, path())
    }

    before(async () => {
      file = await createBeneficiary(ararat, officer.id, { ...CARD_ROW })
    })

    it('when the form is sent back unchanged, then it is exactly the card (the baseline of the cases below is sound)', async () => {
      const form = await currentForm()
      const { version, ...card } = form
      expect(version).to.equal(String(file.version))
      expect(card).to.deep.equal(CARD)
    })

    const cases: BadInput[] = [
      ...cardCases(),
      { when: 'the version is missing', fields: { version: '' }, errors: {}, summaryOnly: { version: HY.required } },
      { when: 'the version is not a number', fields: { version: 'abc' }, errors: {}, summaryOnly: { version: HY.number } },
      { when: 'the version is zero', fields: { version: '0' }, errors: {}, summaryOnly: { version: HY.number } },
    ]

    for (const input of cases) {
      it(`when ${input.when}, then the edit answers 400 with the message beside the field, keeps what was typed and leaves the card unchanged`, async () => {
        const body = { ...(await currentForm()), ...input.fields }
        const before = await fileState(file.id)
        const auditBefore = await AuditEvent.count({ where: { targetType: 'beneficiary', targetId: String(file.id), action: 'beneficiary.update' } })
        const page = await officerBrowser.post(path(), body)
        expectRejected(page, body, input, spec)
        expect(await fileState(file.id), 'the card is unchanged').to.deep.equal(before)
        expect(await AuditEvent.count({ where: { targetType: 'beneficiary', targetId: String(file.id), action: 'beneficiary.update' } }), 'no audit line').to.equal(auditBefore)
      })
    }

    for (const id of ['abc', '999999999', '99999999999']) {
      it(`when the file id in the address is "${id}", then the edit answers 404, not 500`, async () => {
        const page = await officerBrowser.post(`/beneficiaries/${id}/edit`, { ...CARD, version: '1' })
        expect(page.status).to.equal(404)
      })
    }

    it('when one field is changed, then the card is saved and the audit line lists exactly that field, before and after', async () => {
      const edited = await createBeneficiary(ararat, officer.id, { ...CARD_ROW, birthDate: '1983-03-04' })
      const editPath = `/beneficiaries/${edited.id}/edit`
      const form = formFields(await officerBrowser.get(editPath), editPath)
      const before = await fileState(edited.id)
      const response = await officerBrowser.post(editPath, { ...form, employer: 'Արարատի գինու գործարան' })
      expect(response.status, `status (page: ${title(response)})`).to.equal(303)
      const after = await fileState(edited.id)
      expect(after).to.include({ employer: 'Արարատի գինու գործարան', version: before.version + 1 })
      const lines = await AuditEvent.findAll({ where: { targetType: 'beneficiary', targetId: String(edited.id), action: 'beneficiary.update' } })
      expect(lines).to.have.length(1)
      expect(lines[0].actorUserId).to.equal(officer.id)
      expect(lines[0].details).to.deep.equal({ before: { employer: 'Արարատցեմենտ' }, after: { employer: 'Արարատի գինու գործարան' } })
    })

    it('when the interface is in English and the given name is empty, then the message is in English', async () => {
      const before = await fileState(file.id)
      const page = await englishOfficer.post(path(), { ...(await currentForm(englishOfficer)), givenName: '' })
      expectEnglish(page, 'givenName', EN.required, HY.required)
      expect(await fileState(file.id)).to.deep.equal(before)
    })
  })

  describe('note on a personal file (POST /beneficiaries/:id/notes)', () => {
    let file: Beneficiary
    // The file page shows no error summary for the note: a test of its own below says so.
    const spec: FormSpec = { textareas: ['body'] }
    const path = () => `/beneficiaries/${file.id}/notes`
    const notes = () => BeneficiaryNote.count({ where: { beneficiaryId: file.id } })

    before(async () => {
      file = await createBeneficiary(ararat, officer.id)
    })

    // The note may be 5000 characters long: 5001 is the over-long one.
    const cases: BadInput[] = [
      { when: 'the note is empty', fields: { body: '' }, errors: { body: HY.required } },
      { when: 'the note is only spaces and line breaks', fields: { body: '  \r\n  ' }, errors: { body: HY.required } },
      { when: 'the note is 5001 characters long', fields: { body: 'a'.repeat(5001) }, errors: { body: HY.tooLong(5000) } },
      { when: 'the note contains a control character', fields: { body: BELL }, errors: { body: HY.controlCharacters } },
      { when: 'the note is a NUL character', fields: { body: NUL }, errors: { body: HY.controlCharacters } },
      { when: 'the note is a script of more than 5000 characters', fields: { body: SCRIPT + 'x'.repeat(5000) }, errors: { body: HY.tooLong(5000) } },
    ]

    for (const input of cases) {
      it(`when ${input.when}, then it answers 400 with the message beside the note, keeps the text and adds no note`, async () => {
        const body = input.fields
        const before = await notes()
        const page = await officerBrowser.post(path(), body)
        expectRejected(page, body, input, spec)
        expect(await notes(), 'no note added').to.equal(before)
      })
    }

    it('when a note is rejected, then the file page also shows the error summary, as every other form does', async () => {
      const before = await notes()
      const page = await officerBrowser.post(path(), { body: '' })
      expect(page.status).to.equal(400)
      expectErrorSummary(page)
      expectSummaryEntry(page, 'body', HY.required)
      expect(await notes()).to.equal(before)
    })

    it('when a note is a script, then it is saved and shown escaped, never raw', async () => {
      const response = await officerBrowser.post(path(), { body: SCRIPT })
      expect(response.status).to.equal(303)
      const page = await officerBrowser.get(`/beneficiaries/${file.id}`)
      expect(page.text).to.contain(`<div class="preserve-lines">${SCRIPT_ESCAPED}</div>`)
      expectNoRawScript(page)
    })

    it('when the interface is in English and the note is empty, then the message is in English', async () => {
      const before = await notes()
      const page = await englishOfficer.post(path(), { body: '' })
      expectEnglish(page, 'body', EN.required, HY.required, spec)
      expect(await notes()).to.equal(before)
    })
  })

  describe('assignment of the responsible officer (POST /beneficiaries/:id/assign)', () => {
    let file: Beneficiary
    // The radios share the name; the message stands in the element the summary links to.
    const spec: FormSpec = { radios: ['officerId'] }
    const path = () => `/beneficiaries/${file.id}/assign`
    const others: Record<string, TestPerson> = {}

    before(async () => {
      file = await createBeneficiary(ararat, officer.id)
      others.shirak = await createPerson('SPECIALIST', 'SHIRAK')
      others.inactive = await createPerson('SPECIALIST', 'ARARAT', { active: false })
      others.administrator = await createPerson('ADMINISTRATOR', null)
      others.serviceHead = await createPerson('SERVICE_HEAD', null)
    })

    const cases: { when: string; officerId: string | (() => string); message: string }[] = [
      { when: 'no officer is chosen', officerId: '', message: HY.required },
      { when: 'the officer id is not a number', officerId: 'abc', message: HY.number },
      { when: 'the officer id is -1', officerId: '-1', message: HY.number },
      { when: 'the officer id is 1.5', officerId: '1.5', message: HY.number },
      { when: 'the officer id is beyond any id', officerId: '99999999999', message: HY.number },
      { when: 'the officer id is a script', officerId: SCRIPT, message: HY.number },
      { when: 'the officer does not exist', officerId: '999999999', message: HY.officerNotEligible },
      { when: 'the officer works in another region', officerId: () => String(others.shirak.id), message: HY.officerNotEligible },
      { when: 'the officer is inactive', officerId: () => String(others.inactive.id), message: HY.officerNotEligible },
      { when: 'the officer is an administrator', officerId: () => String(others.administrator.id), message: HY.officerNotEligible },
      { when: 'the officer is the service head', officerId: () => String(others.serviceHead.id), message: HY.officerNotEligible },
    ]

    for (const { when, officerId, message } of cases) {
      it(`when ${when}, then it answers 400 with the message beside the officers and in the summary, and assigns nobody`, async () => {
        const body = { officerId: typeof officerId === 'function' ? officerId() : officerId }
        const before = await fileState(file.id)
        const page = await headBrowser.post(path(), body)
        expectRejected(page, body, { when, fields: body, errors: { officerId: message } }, spec)
        expect(await fileState(file.id), 'the file is unchanged').to.deep.equal(before)
      })
    }

    it('when the interface is in English and the officer id is not a number, then the message is in English', async () => {
      const before = await fileState(file.id)
      const page = await englishHead.post(path(), { officerId: 'abc' })
      expectEnglish(page, 'officerId', EN.number, HY.number, spec)
      expect(await fileState(file.id)).to.deep.equal(before)
    })
  })

  describe('closing a personal file (POST /beneficiaries/:id/close)', () => {
    let file: Beneficiary
    const spec: FormSpec = { text: ['closedOn', 'note'], selects: ['reason'], hidden: ['version'] }
    const path = () => `/beneficiaries/${file.id}/close`
    const valid = (): Fields => ({ reason: 'MEASURE_COMPLETED', closedOn: '20.11.2026', note: 'Պատիժը կրել է ամբողջությամբ', version: String(file.version) })

    before(async () => {
      file = await createBeneficiary(ararat, officer.id)
    })

    const cases: BadInput[] = [
      { when: 'every field is empty', fields: { reason: '', closedOn: '', note: '' }, errors: { reason: HY.required, closedOn: HY.required } },
      { when: 'the reason is empty', fields: { reason: '' }, errors: { reason: HY.required } },
      { when: 'the reason is unknown', fields: { reason: 'FORGOTTEN' }, errors: { reason: HY.choose } },
      { when: 'the reason is a script', fields: { reason: SCRIPT }, errors: { reason: HY.choose } },
      { when: 'the closing date is empty', fields: { closedOn: '' }, errors: { closedOn: HY.required } },
      { when: 'the closing date is 31.02.2026', fields: { closedOn: '31.02.2026' }, errors: { closedOn: HY.date } },
      { when: 'the closing date is 2026-13-01', fields: { closedOn: '2026-13-01' }, errors: { closedOn: HY.date } },
      { when: 'the closing date is 5000 characters long', fields: { closedOn: LONG }, errors: { closedOn: HY.date } },
      { when: 'the closing date is a script', fields: { closedOn: SCRIPT }, errors: { closedOn: HY.date } },
      { when: 'the closing date is tomorrow', fields: { closedOn: TOMORROW }, errors: { closedOn: HY.closedInFuture } },
      { when: 'the closing date is next year', fields: { closedOn: '2027-01-01' }, errors: { closedOn: HY.closedInFuture } },
      { when: 'the note is 5000 characters long', fields: { note: LONG }, errors: { note: HY.tooLong(1000) } },
      { when: 'the note contains a control character', fields: { note: BELL }, errors: { note: HY.controlCharacters } },
      { when: 'the note is a NUL character', fields: { note: NUL }, errors: { note: HY.controlCharacters } },
      { when: 'the note is a script and the reason is empty', fields: { note: SCRIPT, reason: '' }, errors: { reason: HY.required } },
      { when: 'the version is missing', fields: { version: '' }, errors: {}, summaryOnly: { version: HY.required } },
      { when: 'the version is not a number', fields: { version: 'abc' }, errors: {}, summaryOnly: { version: HY.number } },
    ]

    for (const input of cases) {
      it(`when ${input.when}, then it answers 400 with the message beside the field, keeps what was typed and does not close the file`, async () => {
        const body = { ...valid(), ...input.fields }
        const before = await fileState(file.id)
        const page = await officerBrowser.post(path(), body)
        expectRejected(page, body, input, spec)
        expect(await fileState(file.id), 'the file is unchanged').to.deep.equal(before)
      })
    }

    it('when the head closes a file that is already closed, then it answers 400 with the reason in the summary and changes nothing', async () => {
      const closed = await createBeneficiary(ararat, officer.id, { status: 'CLOSED', closedOn: '2026-10-01', closeReason: 'DEATH', closeNote: null })
      const before = await fileState(closed.id)
      const body = { reason: 'OTHER', closedOn: '20.11.2026', note: 'Կրկին', version: String(closed.version) }
      const page = await headBrowser.post(`/beneficiaries/${closed.id}/close`, body)
      expect(page.status, `status (page: ${title(page)})`).to.equal(400)
      expectErrorSummary(page)
      expect(page.text).to.contain(html(HY.notOpen))
      expectTypedValuesKept(page, body, spec)
      expect(await fileState(closed.id)).to.deep.equal(before)
    })

    it('when the interface is in English and the closing date is in the future, then the message is in English', async () => {
      const before = await fileState(file.id)
      const page = await englishOfficer.post(path(), { ...valid(), closedOn: TOMORROW })
      expectEnglish(page, 'closedOn', EN.closedInFuture, HY.closedInFuture)
      expect(await fileState(file.id)).to.deep.equal(before)
    })
  })

  describe('reopening a closed personal file (POST /beneficiaries/:id/reopen)', () => {
    let file: Beneficiary
    const spec: FormSpec = { text: ['reason'] }
    const path = () => `/beneficiaries/${file.id}/reopen`
    const valid = (): Fields => ({ reason: 'Դատարանի որոշումը բեկանվել է', version: String(file.version) })

    before(async () => {
      file = await createBeneficiary(ararat, officer.id, { status: 'CLOSED', closedOn: '2026-10-01', closeReason: 'MEASURE_COMPLETED', closeNote: null })
    })

    const cases: BadInput[] = [
      { when: 'the reason is empty', fields: { reason: '' }, errors: { reason: HY.required } },
      { when: 'the reason is only spaces', fields: { reason: '   ' }, errors: { reason: HY.required } },
      { when: 'the reason is 5000 characters long', fields: { reason: LONG }, errors: { reason: HY.tooLong(500) } },
      { when: 'the reason contains a control character', fields: { reason: BELL }, errors: { reason: HY.controlCharacters } },
      { when: 'the reason is a NUL character', fields: { reason: NUL }, errors: { reason: HY.controlCharacters } },
      { when: 'the reason is a script of more than 500 characters', fields: { reason: SCRIPT + 'x'.repeat(500) }, errors: { reason: HY.tooLong(500) } },
      { when: 'the version is missing', fields: { version: '' }, errors: {}, summaryOnly: { version: HY.required } },
      { when: 'the version is not a number', fields: { version: 'abc' }, errors: {}, summaryOnly: { version: HY.number } },
    ]

    for (const input of cases) {
      it(`when ${input.when}, then it answers 400 with the message beside the reason, keeps what was typed and leaves the file closed`, async () => {
        const body = { ...valid(), ...input.fields }
        const before = await fileState(file.id)
        const page = await headBrowser.post(path(), body)
        expectRejected(page, body, input, spec)
        expect(await fileState(file.id), 'the file is unchanged').to.deep.equal(before)
      })
    }

    it('when the head reopens a file that is open, then it answers 400 with the message beside the reason and changes nothing', async () => {
      const open = await createBeneficiary(ararat, officer.id)
      const before = await fileState(open.id)
      const body = { reason: 'Սխալմամբ', version: String(open.version) }
      const page = await headBrowser.post(`/beneficiaries/${open.id}/reopen`, body)
      expectRejected(page, body, { when: 'open', fields: body, errors: { reason: HY.notClosed } }, spec)
      expect(await fileState(open.id)).to.deep.equal(before)
    })

    it('when the interface is in English and the reason is empty, then the message is in English', async () => {
      const before = await fileState(file.id)
      const page = await englishHead.post(path(), { ...valid(), reason: '' })
      expectEnglish(page, 'reason', EN.required, HY.required)
      expect(await fileState(file.id)).to.deep.equal(before)
    })
  })

  describe('reason for opening a file off one\'s caseload (POST /beneficiaries/:id/access-reason)', () => {
    let file: Beneficiary
    const spec: FormSpec = { text: ['reason'] }
    const path = () => `/beneficiaries/${file.id}/access-reason`
    const reasonsGiven = () => AuditEvent.count({ where: { targetType: 'beneficiary', targetId: String(file.id), action: { [Op.in]: ['beneficiary.accessReason', 'beneficiary.view'] } } })

    before(async () => {
      // The officer is responsible; the colleague, a specialist of the same region, is not.
      file = await createBeneficiary(ararat, officer.id)
    })

    const cases: BadInput[] = [
      { when: 'the reason is empty', fields: { reason: '' }, errors: { reason: HY.required } },
      { when: 'the reason is only spaces', fields: { reason: '   ' }, errors: { reason: HY.required } },
      { when: 'the reason is shorter than 5 characters', fields: { reason: 'abc' }, errors: { reason: HY.tooShort(5) } },
      { when: 'the reason is 5000 characters long', fields: { reason: LONG }, errors: { reason: HY.tooLong(500) } },
      { when: 'the reason contains a control character', fields: { reason: BELL }, errors: { reason: HY.controlCharacters } },
      { when: 'the reason is a NUL character', fields: { reason: NUL }, errors: { reason: HY.controlCharacters } },
      { when: 'the reason is a script of more than 500 characters', fields: { reason: SCRIPT + 'x'.repeat(500) }, errors: { reason: HY.tooLong(500) } },
    ]

    for (const input of cases) {
      it(`when ${input.when}, then it answers 400 with the message beside the reason, keeps what was typed, records nothing and the file stays shut`, async () => {
        const body = input.fields
        const before = await reasonsGiven()
        const page = await colleagueBrowser.post(path(), body)
        expectRejected(page, body, input, spec)
        expect(await reasonsGiven(), 'no reason and no view recorded').to.equal(before)
        const next = await colleagueBrowser.get(`/beneficiaries/${file.id}`)
        expect(next.status).to.equal(200)
        expect(next.text, 'the reason is still asked for').to.contain(`action="/beneficiaries/${file.id}/access-reason"`)
        expect(next.text).to.contain(html(HY.accessReasonTitle))
      })
    }

    it('when the interface is in English and the reason is too short, then the message is in English', async () => {
      const before = await reasonsGiven()
      const page = await englishColleague.post(path(), { reason: 'abc' })
      expectEnglish(page, 'reason', EN.tooShort(5), HY.tooShort(5))
      expect(await reasonsGiven()).to.equal(before)
    })
  })
})
