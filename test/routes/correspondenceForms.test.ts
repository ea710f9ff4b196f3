import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import type { Response } from 'supertest'
import { MAX_UPLOAD_BYTES } from '../../server/domain/fileTypes'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { VALIDATION_EN, VALIDATION_HY } from '../helpers/messages'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

/*
 * Bad input through the correspondence forms of Gegharkunik's body: each is refused with 400, its message (in
 * Armenian unless the user chose English) beside the field and in the summary, what was typed kept, and nothing
 * saved. The clock stands on Mon 23.11.2026.
 */
const REGION = 'GEGHARKUNIK'
const OTHER_REGION = 'TAVUSH'

const APPLICATION: Record<string, string> = {
  receivedOn: '20.11.2026',
  channel: 'POST',
  kind: 'CITIZEN_APPLICATION',
  sender: 'Արամ Պետրոսյան',
  senderAddress: 'Գավառ, Կենտրոնական 3',
  subject: 'Տեղեկանքի տրամադրման մասին',
  topic: 'CERTIFICATES_AND_DOCUMENTS',
}

// Locale texts, as the user reads them.
const HY = {
  receivedInFuture: 'Ստացման ամսաթիվը չի կարող լինել ապագայում։',
  senderDateAfterReceipt: 'Ուղարկողի գրության ամսաթիվը չի կարող լինել ստացումից հետո։',
  documentDueNotApplicable: 'Գրությամբ սահմանված ժամկետ լինում է միայն պաշտոնական գրություններում։ Այս տեսակի ժամկետը սահմանում է օրենքը։',
  documentDueBeforeReceipt: 'Գրությամբ սահմանված ժամկետը չի կարող լինել ստացումից առաջ։',
  beneficiaryNotFound: 'Այս համարով անձնական գործ մարմնում չկա։',
  replyBeforeReceipt: 'Պատասխանը չի կարող թվագրվել գրության ստացումից առաջ։',
  closedInFuture: 'Փակման ամսաթիվը չի կարող լինել ապագայում։',
  tooLarge: 'Ֆայլը 20 ՄԲ-ից մեծ է։',
  byContent: 'ստուգվում է բովանդակությամբ',
  badPeriod: 'Նշեք ժամանակահատվածը՝ սկզբի և ավարտի ամսաթվերով (սկիզբը՝ ոչ ուշ, քան ավարտը)։',
}
const EN_RECEIVED_IN_FUTURE = 'The date received cannot be in the future.'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const EXECUTABLE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0x90)])

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')
}

function itemIdOf(location: string | undefined): number {
  return Number(/\/correspondence\/(\d+)$/.exec(location ?? '')![1])
}

function versionOf(page: string): string {
  return /name="version" value="(\d+)"/.exec(page)![1]
}

/** The message beside the field (its id) and again in the error summary at the top. */
function expectFieldError(page: Response, fieldId: string, message: string): void {
  expect(page.text, `the message beside ${fieldId}`).to.contain(`id="${fieldId}-error">${escapeHtml(message)}</div>`)
  expect(page.text, 'the error summary').to.contain('data-error-summary').and.contain(`class="alert-link">${escapeHtml(message)}</a>`)
}

function expectKept(page: Response, values: string[]): void {
  for (const value of values) expect(page.text, `the typed ${value.slice(0, 40)} is kept`).to.contain(`value="${escapeHtml(value)}"`)
}

interface BadRegistration {
  what: string
  fields: Record<string, string>
  field: string
  message: string
  kept: string[]
}

describe('correspondence forms: bad input is refused and nothing is saved', () => {
  let t: TestApp
  let head: TestPerson
  let officer: TestPerson
  let outsider: TestPerson
  let officerBrowser: Browser
  let headBrowser: Browser
  let regionId: number

  const rows = async (table: 'incoming_items' | 'outgoing_letters') =>
    (await t.services.sequelize.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE region_id = :regionId`, { replacements: { regionId }, type: QueryTypes.SELECT }))[0].n
  const attachmentsOf = async (itemId: number) =>
    (await t.services.sequelize.query<{ n: number }>('SELECT count(*)::int AS n FROM correspondence_attachments WHERE incoming_item_id = :itemId', { replacements: { itemId }, type: QueryTypes.SELECT }))[0].n

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2026-11-23T10:00:00+04:00')
    regionId = await regionIdOf(REGION)
    head = await createPerson('REGIONAL_HEAD', REGION)
    officer = await createPerson('SPECIALIST', REGION)
    outsider = await createPerson('SPECIALIST', OTHER_REGION)
    headBrowser = await signIn(t.app, head.username)
    officerBrowser = await signIn(t.app, officer.username)
  })

  async function postRegistration(fields: Record<string, string>, browser = officerBrowser): Promise<Response> {
    return browser.post(`/regions/${regionId}/correspondence/new`, fields)
  }

  async function registerItem(): Promise<number> {
    const response = await postRegistration(APPLICATION)
    expect(response.status, response.text.slice(0, 2000)).to.equal(303)
    return itemIdOf(response.headers.location)
  }

  describe('registering an incoming item', () => {
    const cases: BadRegistration[] = [
      { what: 'an unknown kind', fields: { kind: 'TELEGRAM' }, field: 'kind', message: VALIDATION_HY.choose, kept: [APPLICATION.sender, APPLICATION.subject] },
      { what: 'an impossible date (31.02.2026)', fields: { receivedOn: '31.02.2026' }, field: 'receivedOn', message: VALIDATION_HY.date, kept: ['31.02.2026', APPLICATION.subject] },
      { what: 'a receipt date in the future', fields: { receivedOn: '24.11.2026' }, field: 'receivedOn', message: HY.receivedInFuture, kept: ['24.11.2026', APPLICATION.subject] },
      {
        what: "a sender's letter dated after its receipt",
        fields: { senderReference: '01/2345', senderDate: '21.11.2026' },
        field: 'senderDate',
        message: HY.senderDateAfterReceipt,
        kept: ['21.11.2026', '01/2345'],
      },
      {
        what: 'a date set by an official letter before its receipt',
        fields: { kind: 'STATE_BODY_LETTER', topic: '', sender: 'ՀՀ ոստիկանություն', documentDueDate: '19.11.2026' },
        field: 'documentDueDate',
        message: HY.documentDueBeforeReceipt,
        kept: ['19.11.2026', 'ՀՀ ոստիկանություն'],
      },
      {
        what: "a letter-set date on a citizen's application, where the law sets the term",
        fields: { documentDueDate: '30.11.2026' },
        field: 'documentDueDate',
        message: HY.documentDueNotApplicable,
        kept: ['30.11.2026', APPLICATION.subject],
      },
      {
        what: 'a complaint without its topic',
        fields: { kind: 'COMPLAINT', topic: '', complaintSubject: 'REGIONAL_BODY', complaintAbout: 'Ընդունելության ժամերը' },
        field: 'topic',
        message: VALIDATION_HY.required,
        kept: ['Ընդունելության ժամերը', APPLICATION.subject],
      },
      {
        what: 'a complaint about a staff member who is not chosen',
        fields: { kind: 'COMPLAINT', topic: 'STAFF_CONDUCT', complaintSubject: 'STAFF_MEMBER', complaintStaffUserId: '', complaintAbout: 'Կոպիտ վերաբերմունք' },
        field: 'complaintStaffUserId',
        message: VALIDATION_HY.required,
        kept: ['Կոպիտ վերաբերմունք'],
      },
      {
        what: 'a beneficiary file number that does not exist',
        fields: { beneficiaryFileNumber: 'ԳՂ-1999-99999' },
        field: 'beneficiaryFileNumber',
        message: HY.beneficiaryNotFound,
        kept: ['ԳՂ-1999-99999'],
      },
      { what: 'a subject of 501 characters', fields: { subject: 'ա'.repeat(501) }, field: 'subject', message: VALIDATION_HY.tooLong(500), kept: ['ա'.repeat(501)] },
      {
        what: 'control characters in the sender',
        fields: { sender: 'Արամ\u0007 Պետրոսյան\u001b' },
        field: 'sender',
        message: VALIDATION_HY.controlCharacters,
        kept: ['Արամ\u0007 Պետրոսյան\u001b', APPLICATION.subject],
      },
      { what: 'a subject on two lines', fields: { subject: 'Դիմում\r\nԿեղծ տող' }, field: 'subject', message: VALIDATION_HY.oneLine, kept: [APPLICATION.sender] },
      { what: 'a sender with a bidirectional override', fields: { sender: 'Արամ \u202ePetrosyan' }, field: 'sender', message: VALIDATION_HY.controlCharacters, kept: [APPLICATION.subject] },
    ]

    for (const bad of cases) {
      it(`when it has ${bad.what}, then it is refused beside the field and nothing is saved`, async () => {
        const before = await rows('incoming_items')
        const page = await postRegistration({ ...APPLICATION, ...bad.fields })
        expect(page.status, `status (${/<title>([^<]*)/.exec(page.text)?.[1]})`).to.equal(400)
        expectFieldError(page, bad.field, bad.message)
        expectKept(page, bad.kept)
        expect(await rows('incoming_items')).to.equal(before)
      })
    }

    it('when the complaint names a staff member of another region, then the choice is refused and nothing is saved', async () => {
      const before = await rows('incoming_items')
      const page = await postRegistration({ ...APPLICATION, kind: 'COMPLAINT', topic: 'STAFF_CONDUCT', complaintSubject: 'STAFF_MEMBER', complaintStaffUserId: String(outsider.id), complaintAbout: 'Կոպիտ վերաբերմունք' })
      expect(page.status).to.equal(400)
      expectFieldError(page, 'complaintStaffUserId', VALIDATION_HY.choose)
      expectKept(page, ['Կոպիտ վերաբերմունք'])
      expect(await rows('incoming_items')).to.equal(before)
    })

    it("when the file number is another region's, then it is refused with the very message of a number that does not exist", async () => {
      const elsewhere = await createBeneficiary(await regionIdOf(OTHER_REGION), outsider.id, { fileNumber: `ՏՎ-2026-${String(process.pid).padStart(5, '0')}9`, surname: 'Գասպարյան', surnameLatin: 'Gasparyan' })
      const before = await rows('incoming_items')
      const page = await postRegistration({ ...APPLICATION, beneficiaryFileNumber: elsewhere.fileNumber })
      expect(page.status).to.equal(400)
      expectFieldError(page, 'beneficiaryFileNumber', HY.beneficiaryNotFound)
      expectKept(page, [elsewhere.fileNumber])
      expect(page.text, 'nothing of the other file is disclosed').to.not.contain(elsewhere.surname)
      const unknown = await postRegistration({ ...APPLICATION, beneficiaryFileNumber: 'ՏՎ-1999-99999' })
      const messageOf = (response: Response) => /id="beneficiaryFileNumber-error">([^<]*)</.exec(response.text)?.[1]
      expect(messageOf(page)).to.equal(messageOf(unknown))
      expect(await rows('incoming_items')).to.equal(before)
    })

    it('when the user works in English, then the same refusal is in English', async () => {
      const switched = await officerBrowser.post('/language', { language: 'en', returnTo: '/' })
      expect(switched.status).to.equal(303)
      const before = await rows('incoming_items')
      const page = await postRegistration({ ...APPLICATION, receivedOn: '24.11.2026' })
      expect(page.status).to.equal(400)
      expect(page.text).to.contain('<html lang="en">')
      expect(page.text).to.contain(VALIDATION_EN.summary)
      expectFieldError(page, 'receivedOn', EN_RECEIVED_IN_FUTURE)
      expect(page.text, 'no Armenian message').to.not.contain(HY.receivedInFuture)
      expectKept(page, ['24.11.2026'])
      expect(await rows('incoming_items')).to.equal(before)
    })
  })

  describe('acting on an item', () => {
    it('when a reply is dated before the item was received, then it is refused and no letter is saved', async () => {
      const itemId = await registerItem()
      const page = await headBrowser.get(`/correspondence/${itemId}`)
      const before = await rows('outgoing_letters')
      const refused = await headBrowser.post(`/correspondence/${itemId}/reply`, { addressee: APPLICATION.sender, subject: 'Պատասխան', body: 'Հարգելի պարոն Պետրոսյան', letterDate: '19.11.2026', version: versionOf(page.text) })
      expect(refused.status).to.equal(400)
      expectFieldError(refused, 'reply-letterDate', HY.replyBeforeReceipt)
      expectKept(refused, ['19.11.2026', 'Պատասխան'])
      expect(refused.text).to.contain('Հարգելի պարոն Պետրոսյան</textarea>')
      expect(await rows('outgoing_letters')).to.equal(before)
      expect((await t.services.correspondence.item(itemId)).status).to.equal('REGISTERED')
    })

    it('when the closing date is in the future, then it is refused and the item stays open', async () => {
      const itemId = await registerItem()
      const page = await headBrowser.get(`/correspondence/${itemId}`)
      const refused = await headBrowser.post(`/correspondence/${itemId}/close`, { closedOn: '24.11.2026', reason: 'Դիմողը հետ է վերցրել', version: versionOf(page.text) })
      expect(refused.status).to.equal(400)
      expectFieldError(refused, 'closedOn', HY.closedInFuture)
      expectKept(refused, ['24.11.2026', 'Դիմողը հետ է վերցրել'])
      expect(await t.services.correspondence.item(itemId)).to.include({ status: 'REGISTERED', closedOn: null, closureReason: null })
    })

    it('when the head sets another due date without a reason, then it is refused and the due date stays', async () => {
      const itemId = await registerItem()
      const before = await t.services.correspondence.item(itemId)
      const page = await headBrowser.get(`/correspondence/${itemId}`)
      const refused = await headBrowser.post(`/correspondence/${itemId}/due-date`, { dueDate: '15.12.2026', reason: '', version: versionOf(page.text) })
      expect(refused.status).to.equal(400)
      expectFieldError(refused, 'override-reason', VALIDATION_HY.required)
      expectKept(refused, ['15.12.2026'])
      const after = await t.services.correspondence.item(itemId)
      expect(after).to.include({ dueDate: before.dueDate, version: before.version })
      expect(after.dueChanges).to.deep.equal([])
    })

    it('when a due date is set in the year 9999, then it is refused beside the field and the item still opens for everyone', async () => {
      const itemId = await registerItem()
      const page = await headBrowser.get(`/correspondence/${itemId}`)
      // The clock stands at 23.11.2026: a record's dates run from thirty years back to five ahead.
      for (const dueDate of ['31.12.9999', '01.01.2100', '24.11.2031']) {
        const refused = await headBrowser.post(`/correspondence/${itemId}/due-date`, { dueDate, reason: 'Ժամկետը երկարացվել է', version: versionOf(page.text) })
        expect(refused.status, dueDate).to.equal(400)
        expectFieldError(refused, 'dueDate', VALIDATION_HY.dateRange('23.11.1996', '23.11.2031'))
        expectKept(refused, [dueDate])
      }
      expect((await t.services.correspondence.item(itemId)).dueChanges).to.deep.equal([])
      expect((await headBrowser.get(`/correspondence/${itemId}`)).status).to.equal(200)
      const english = await signIn(t.app, head.username)
      await english.post('/language', { language: 'en', returnTo: `/correspondence/${itemId}` })
      const refusedInEnglish = await english.post(`/correspondence/${itemId}/due-date`, { dueDate: '31.12.9999', reason: 'Extended', version: versionOf(page.text) })
      expectFieldError(refusedInEnglish, 'dueDate', VALIDATION_EN.dateRange('23.11.1996', '23.11.2031'))
    })

    function upload(itemId: number, content: Buffer, fileName: string) {
      return headBrowser.agent.post(`/correspondence/${itemId}/attachments`).field('_csrf', headBrowser.csrf).attach('file', content, fileName)
    }

    it('when an attachment is over 20 MB, then it is refused naming the limit and nothing is stored', async () => {
      const itemId = await registerItem()
      const big = Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES, 0x20)])
      const refused = await upload(itemId, big, 'big.pdf')
      expect(refused.status).to.equal(400)
      expectFieldError(refused, 'file', HY.tooLarge)
      expect(await attachmentsOf(itemId)).to.equal(0)
    })

    it('when an executable is attached under a PDF name, then it is refused by its content and nothing is stored', async () => {
      const itemId = await registerItem()
      const refused = await upload(itemId, EXECUTABLE, 'scan.pdf')
      expect(refused.status).to.equal(400)
      expect(refused.text).to.contain('id="file-error"').and.contain(HY.byContent)
      expect(await attachmentsOf(itemId)).to.equal(0)
      // The same form takes a real PDF: the refusal was about the content, not the form.
      expect((await upload(itemId, PDF, 'scan.pdf')).status).to.equal(303)
      expect(await attachmentsOf(itemId)).to.equal(1)
    })
  })

  describe('exporting the register', () => {
    it('when the period starts after it ends, then the export is refused with 400', async () => {
      const refused = await headBrowser.get(`/regions/${regionId}/correspondence/register.xlsx?register=IN&from=2026-12-01&to=2026-11-30`)
      expect(refused.status).to.equal(400)
      expect(refused.headers['content-type']).to.match(/^text\/html/)
      expect(refused.text).to.contain(HY.badPeriod)
    })
  })
})
