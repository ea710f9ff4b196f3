import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { AuditEvent } from '../../models'
import { ManualClock } from '../../server/domain/clock'
import { INCOMING_KIND_CODES, incomingKind, type IncomingKindCode } from '../../server/domain/correspondence'
import { serviceDateOf } from '../../server/domain/dates'
import { services as buildServices, type Services } from '../../server/services'
import { ServiceError, StaleEditError, type RequestContext } from '../../server/services/context'
import { OTHER_MATCHES_LIMIT, type IncomingInput, type LetterInput } from '../../server/services/correspondence'
import { testDatabase } from '../helpers/database'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

/*
 * The tests use Aragatsotn's registers (prefix ԱԳ). Register numbers run per region and year, and the
 * summary and control views read whole periods, so each test works in its own stretch of time:
 *   2025 — the control view (nothing else of this region is due that early);
 *   2026–2028, 2031 — due dates by rule (the clock stands in 2031, after every receipt);
 *   2029 Q1 — concurrent numbering; 2029 Q4 — the quarter summary (no other test receives anything then);
 *   2030 — extensions, signing and sending, closing, audit.
 */
const REGION = 'ARAGATSOTN'
const PREFIX = 'ԱԳ'

function at(date: string): string {
  return `${date}T10:00:00+04:00`
}

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

async function staleness(promise: Promise<unknown>): Promise<StaleEditError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof StaleEditError) return error
    throw error
  }
  throw new Error('expected a stale edit')
}

function contextOf(person: TestPerson): RequestContext {
  return { actor: { id: person.id, role: person.role, regionId: person.regionId, actingHeadRegionIds: [] }, actorUsername: person.username, sourceIp: null, requestId: null }
}

/** An incoming item as the registrar types it; petitions get a topic and complaints a subject unless told otherwise. */
function incoming(kind: IncomingKindCode, receivedOn: string, extra: Partial<IncomingInput> = {}): IncomingInput {
  const rules = incomingKind(kind)
  return {
    receivedOn,
    channel: 'POST',
    kind,
    sender: 'Աննա Սարգսյան',
    senderAddress: 'Աշտարակ, Նարեկացու 5',
    senderReference: null,
    senderDate: null,
    subject: 'Փորձարկման գրություն',
    summary: null,
    beneficiaryFileNumber: null,
    topic: rules.hasTopic ? 'OTHER' : null,
    complaintSubject: rules.isComplaint ? 'REGIONAL_BODY' : null,
    complaintStaffUserId: null,
    complaintAbout: null,
    documentDueDate: null,
    reportRequested: false,
    reportPurpose: null,
    ...extra,
  }
}

function letterOn(letterDate: string, extra: Partial<LetterInput> = {}): LetterInput {
  return { addressee: 'Աննա Սարգսյան', addresseeAddress: 'Աշտարակ, Նարեկացու 5', subject: 'Պատասխան', body: 'Հարգելի տիկին Սարգսյան…', letterDate, ...extra }
}

function sequenceOf(number: string, register: 'Մ' | 'Ե', year: number): number {
  const match = new RegExp(`^${PREFIX}-${register}-${year}-(\\d{4})$`).exec(number)
  expect(match, `${number} is a ${register} number of ${year}`).to.not.equal(null)
  return Number(match![1])
}

interface DueRow {
  kind: IncomingKindCode
  receivedOn: string
  documentDueDate?: string
  overrides?: { date: string; working: boolean }[]
  due: string
  why: string
}

/*
 * Every due date below is counted by hand from the calendar of docs/rules.md: a term in working days starts the day
 * after receipt and skips weekends and holidays; a term in months ends on the same day of the month (or the last
 * day of a shorter month); a term in calendar days counts every day; whichever way, a last day that is not a
 * working day moves to the next working day.
 */
const DUE_DATES: DueRow[] = [
  {
    kind: 'STATE_BODY_LETTER',
    receivedOn: '2026-12-23',
    due: '2027-01-11',
    // Wed 23.12.2026 + 10 working days: 24, 25, 28, 29, 30 Dec (5); 31 Dec, 1–2 Jan are New Year, 3 Jan Sunday;
    // 4, 5 Jan (7); 6 Jan is Christmas; 7, 8 Jan (9); 9–10 Jan weekend; Mon 11 Jan (10).
    why: 'just before New Year',
  },
  {
    kind: 'UNIT_REQUEST',
    receivedOn: '2026-03-02',
    documentDueDate: '2026-03-08',
    due: '2026-03-09',
    // The letter sets Sun 08.03.2026, which is also Women's Day: the next working day is Mon 09.03.2026.
    why: "the letter's own date on a Sunday holiday",
  },
  {
    kind: 'COURT_LETTER',
    receivedOn: '2031-03-03',
    due: '2031-03-17',
    // Mon 03.03.2031 + 10 working days: 4–7 Mar (4); 8 Mar Saturday (and Women's Day), 9 Mar Sunday;
    // 10–14 Mar (9); 15–16 Mar weekend; Mon 17 Mar (10).
    why: 'a plain term of 10 working days',
  },
  {
    kind: 'COURT_LETTER',
    receivedOn: '2031-03-03',
    overrides: [{ date: '2031-03-10', working: false }],
    due: '2031-03-18',
    // The same letter when the Government makes Mon 10.03.2031 a day off: 4–7 Mar (4); 11–14 Mar (8);
    // 17, 18 Mar (10): one working day later, Tue 18 Mar.
    why: 'a Monday the Government made a day off',
  },
  {
    kind: 'COURT_LETTER',
    receivedOn: '2031-03-03',
    overrides: [{ date: '2031-03-15', working: true }],
    due: '2031-03-15',
    // The same letter when the Government makes Sat 15.03.2031 a working day: 4–7 Mar (4); 10–14 Mar (9);
    // Sat 15 Mar counts (10).
    why: 'a Saturday the Government made a working day',
  },
  {
    kind: 'CITIZEN_APPLICATION',
    receivedOn: '2027-01-29',
    due: '2027-03-01',
    // Fri 29.01.2027 + 1 month: February 2027 has no 29th, so its last day, Sun 28.02.2027; next working day Mon 01.03.2027.
    why: "a month ending on a shorter month's last day, a Sunday",
  },
  {
    kind: 'BENEFICIARY_APPLICATION',
    receivedOn: '2027-04-28',
    due: '2027-05-31',
    // Wed 28.04.2027 + 1 month = Fri 28.05.2027, Republic Day; 29–30 May weekend; Mon 31.05.2027.
    why: 'a month ending on a holiday before a weekend',
  },
  {
    kind: 'COMPLAINT',
    receivedOn: '2027-12-01',
    due: '2028-01-03',
    // Wed 01.12.2027 + 1 month = Sat 01.01.2028 (New Year), Sun 02.01 (New Year); Mon 03.01.2028.
    why: 'a month ending on New Year',
  },
  {
    kind: 'SOCIAL_MEDIA_INQUIRY',
    receivedOn: '2026-06-05',
    due: '2026-07-06',
    // Fri 05.06.2026 + 1 month = Sun 05.07.2026, Constitution Day; Mon 06.07.2026.
    why: 'a month ending on a Sunday holiday',
  },
  {
    kind: 'EMAIL_INQUIRY',
    receivedOn: '2026-08-21',
    due: '2026-09-22',
    // Fri 21.08.2026 + 1 month = Mon 21.09.2026, Independence Day; Tue 22.09.2026.
    why: 'a month ending on a Monday holiday',
  },
  {
    kind: 'INFORMATION_REQUEST',
    receivedOn: '2026-04-29',
    due: '2026-05-04',
    // Wed 29.04.2026 + 5 calendar days: 30 Apr, 1 May (Labour Day, counted all the same), 2, 3, 4 May: Mon 04.05.2026.
    why: 'five calendar days across 1 May',
  },
  {
    kind: 'PARDON_PETITION',
    receivedOn: '2027-01-04',
    due: '2027-01-19',
    // Mon 04.01.2027 + 10 working days: 5 Jan (1); 6 Jan Christmas; 7, 8 Jan (3); 11–15 Jan (8); 18, 19 Jan (10).
    why: 'ten working days across 6 January',
  },
]

describe('correspondence service (real database)', () => {
  let s: Services
  let clock: ManualClock
  let regionId: number
  let head: TestPerson
  let officer: TestPerson

  const count = async (sql: string, replacements: Record<string, unknown>) =>
    (await testDatabase().sequelize.query<{ n: number }>(sql, { replacements, type: QueryTypes.SELECT }))[0].n
  const counter = async (register: 'IN' | 'OUT', year: number) =>
    count('SELECT coalesce(max(last_number), 0)::int AS n FROM register_counters WHERE region_id = :regionId AND register = :register AND year = :year', { regionId, register, year })

  beforeEach(async () => {
    clock = new ManualClock(at('2030-02-04'))
    s = buildServices({ sequelize: testDatabase().sequelize, clock })
    regionId = await regionIdOf(REGION)
    head = await createPerson('REGIONAL_HEAD', REGION)
    officer = await createPerson('SPECIALIST', REGION)
  })

  /** A reply drafted, signed by the head and sent on today's date. */
  async function answer(itemId: number): Promise<number> {
    const today = serviceDateOf(clock.now())
    const item = await s.correspondence.item(itemId)
    const letterId = await s.correspondence.draftReply(itemId, { ...letterOn(today), expectedVersion: item.version }, contextOf(officer))
    await s.correspondence.sign(letterId, 1, contextOf(head))
    await s.correspondence.send(letterId, { sentOn: today, sendingMethod: 'POST', replyDueDate: null, expectedVersion: 2 }, contextOf(officer))
    return letterId
  }

  describe('due dates by kind', () => {
    it('when the table is read, then every incoming kind has a row', () => {
      expect([...new Set(DUE_DATES.map((row) => row.kind))].sort()).to.deep.equal([...INCOMING_KIND_CODES].sort())
    })

    for (const row of DUE_DATES) {
      const overrides = row.overrides?.map((o) => `${o.date} ${o.working ? 'working' : 'off'}`).join(', ')
      it(`when ${/^[AEIOU]/.test(row.kind) ? 'an' : 'a'} ${row.kind} is received on ${row.receivedOn}${row.documentDueDate ? ` setting ${row.documentDueDate}` : ''}${overrides ? ` (${overrides})` : ''} — ${row.why} — then the reply is due on ${row.due}`, async () => {
        clock.set(at('2031-06-02'))
        const admin = await createPerson('ADMINISTRATOR', null)
        for (const override of row.overrides ?? []) await s.deadlines.setOverride(override.date, override.working, 'Կառավարության որոշում (թեստ)', contextOf(admin))
        try {
          const registered = await s.correspondence.registerIncoming(regionId, incoming(row.kind, row.receivedOn, { documentDueDate: row.documentDueDate ?? null }), contextOf(officer))
          expect(registered.dueDate).to.equal(row.due)
          const item = await s.correspondence.item(registered.id)
          expect(item).to.include({ dueDate: row.due, computedDueDate: row.due, ruleId: incomingKind(row.kind).rule, receivedOn: row.receivedOn })
          expect(item.dueExplanation.dueDate).to.equal(row.due)
        } finally {
          for (const override of row.overrides ?? []) await s.deadlines.removeOverride(override.date, contextOf(admin))
        }
      })
    }
  })

  describe('a report on conduct for early release', () => {
    it('when a unit asks for a report on conduct for early release or replacement, then the file is due within 5 working days of the notice (order 336-L), not the 10 of an official letter; a date the requester sets stands', async () => {
      clock.set(at('2027-04-21'))
      const due = async (purpose: 'EARLY_RELEASE' | 'REPLACEMENT' | 'OTHER') => {
        const registered = await s.correspondence.registerIncoming(regionId, incoming('UNIT_REQUEST', '2027-04-21', { reportRequested: true, reportPurpose: purpose }), contextOf(officer))
        const item = await s.correspondence.item(registered.id)
        return [item.dueDate, item.ruleId]
      }
      // 21.04.2027 is a Wednesday; 24 April (a Saturday that year) changes nothing; five working days end on the 28th.
      expect(await due('EARLY_RELEASE')).to.deep.equal(['2027-04-28', 'EARLY_RELEASE_REPORT_FILE'])
      expect(await due('REPLACEMENT')).to.deep.equal(['2027-04-28', 'EARLY_RELEASE_REPORT_FILE'])
      expect(await due('OTHER')).to.deep.equal(['2027-05-05', 'OFFICIAL_LETTER_REPLY'])
      // A date the requester sets stands.
      const dated = await s.correspondence.registerIncoming(regionId, incoming('UNIT_REQUEST', '2027-04-21', { reportRequested: true, reportPurpose: 'EARLY_RELEASE', documentDueDate: '2027-05-10' }), contextOf(officer))
      expect(dated.dueDate).to.equal('2027-05-10')
    })
  })

  describe('numbering', () => {
    it('when 50 items are registered at once, then they get 50 distinct consecutive numbers with no gap', async () => {
      clock.set(at('2029-03-02'))
      const before = await counter('IN', 2029)
      const registered = await Promise.all(
        Array.from({ length: 50 }, (_, i) => s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2029-03-02', { subject: `Դիմում ${i + 1}` }), contextOf(officer))),
      )
      const sequences = registered.map((item) => sequenceOf(item.number, 'Մ', 2029)).sort((a, b) => a - b)
      expect(sequences).to.deep.equal(Array.from({ length: 50 }, (_, i) => before + 1 + i))
      expect(new Set(registered.map((item) => item.number)).size).to.equal(50)
      expect(await counter('IN', 2029)).to.equal(before + 50)
    })

    it('when 20 letters are signed at once, then they get 20 consecutive outgoing numbers with no gap', async () => {
      clock.set(at('2029-03-02'))
      const drafts: number[] = []
      for (let i = 0; i < 20; i++) drafts.push(await s.correspondence.draftStandalone(regionId, { ...letterOn('2029-03-02', { subject: `Ծանուցում ${i + 1}` }), beneficiaryFileNumber: null }, contextOf(officer)))
      const before = await counter('OUT', 2029)
      const numbers = await Promise.all(drafts.map((letterId) => s.correspondence.sign(letterId, 1, contextOf(head))))
      const sequences = numbers.map((number) => sequenceOf(number, 'Ե', 2029)).sort((a, b) => a - b)
      expect(sequences).to.deep.equal(Array.from({ length: 20 }, (_, i) => before + 1 + i))
      for (const [i, letterId] of drafts.entries()) expect(await s.correspondence.letter(letterId)).to.include({ status: 'SIGNED', number: numbers[i], signedOn: '2029-03-02' })
    })
  })

  describe('extensions', () => {
    // A petition received Mon 08.04.2030 is due a month later, Wed 08.05.2030. The notice must go 3 working days
    // before: Tue 07.05 (1), Mon 06.05 (2), [weekend], Fri 03.05.2030 (3) — the last allowed day. At most one
    // month more: Sat 08.06.2030, moved to Mon 10.06.2030.
    it('when a petition is extended on the last day of its window, then the due date moves by a month to a working day and a sent, numbered notice is recorded', async () => {
      clock.set(at('2030-04-08'))
      const { id, dueDate } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-04-08'), contextOf(officer))
      expect(dueDate).to.equal('2030-05-08')
      expect(await s.correspondence.extensionOffer(id)).to.deep.equal({ kind: 'EXTENSION', latestNoticeDate: '2030-05-03', newDueDate: '2030-06-10' })

      clock.set(at('2030-05-03'))
      expect(await s.correspondence.extensionOffer(id)).to.deep.equal({ kind: 'EXTENSION', latestNoticeDate: '2030-05-03', newDueDate: '2030-06-10' })
      const before = await s.correspondence.item(id)
      const extended = await s.correspondence.extend(id, { noticeDate: '2030-05-03', newDueDate: null, addressee: 'Աննա Սարգսյան', body: 'Անհրաժեշտ են լրացուցիչ ուսումնասիրություններ', sendingMethod: 'POST', expectedVersion: before.version }, contextOf(head))
      expect(extended.dueDate).to.equal('2030-06-10')

      const after = await s.correspondence.item(id)
      expect(after).to.include({ dueDate: '2030-06-10', computedDueDate: '2030-05-08', timesExtended: 1 })
      const [notice] = await s.correspondence.lettersOf(id)
      expect(notice).to.include({ purpose: 'EXTENSION_NOTICE', status: 'SENT', sentOn: '2030-05-03', signedOn: '2030-05-03', incomingItemId: id })
      sequenceOf(notice.number!, 'Ե', 2030)
      expect(after.dueChanges).to.deep.equal([{ kind: 'EXTENSION', from: '2030-05-08', to: '2030-06-10', on: '2030-05-03', reason: null, letterId: notice.id, byUserId: head.id }])
      // Once extended, no further extension is offered or allowed.
      expect(await s.correspondence.extensionOffer(id)).to.equal(null)
      const again = await refusal(s.correspondence.extend(id, { noticeDate: '2030-05-03', newDueDate: null, addressee: 'x', body: 'y', sendingMethod: 'POST', expectedVersion: after.version }, contextOf(head)))
      expect(again.code).to.equal('correspondence.extension.alreadyExtended')
      expect((await s.correspondence.item(id)).dueDate).to.equal('2030-06-10')
      expect(await s.correspondence.lettersOf(id)).to.have.length(1)
    })

    it('when the notice is one working day too late, then the extension is refused naming the last allowed day, and nothing changes', async () => {
      clock.set(at('2030-04-08'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('COMPLAINT', '2030-04-08'), contextOf(officer))
      // Mon 06.05.2030 is the first working day after the window closed on Fri 03.05.2030.
      clock.set(at('2030-05-06'))
      expect(await s.correspondence.extensionOffer(id)).to.equal(null)
      const before = await s.correspondence.item(id)
      const late = await refusal(s.correspondence.extend(id, { noticeDate: '2030-05-06', newDueDate: null, addressee: 'x', body: 'y', sendingMethod: 'POST', expectedVersion: before.version }, contextOf(head)))
      expect(late.code).to.equal('correspondence.extension.noticeTooLate')
      expect(late.field).to.equal('noticeDate')
      expect(late.params.latest).to.equal('2030-05-03')
      const after = await s.correspondence.item(id)
      expect(after).to.include({ dueDate: '2030-05-08', timesExtended: 0, version: before.version })
      expect(await s.correspondence.lettersOf(id)).to.deep.equal([])
    })

    it('when the new due date asked for is beyond one month, then it is refused; a Sunday inside the month moves to the Monday', async () => {
      clock.set(at('2030-04-08'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('BENEFICIARY_APPLICATION', '2030-04-08'), contextOf(officer))
      clock.set(at('2030-05-02'))
      const item = await s.correspondence.item(id)
      // The longest is Mon 10.06.2030; Tue 11.06.2030 is one day too far.
      const beyond = await refusal(s.correspondence.extend(id, { noticeDate: '2030-05-02', newDueDate: '2030-06-11', addressee: 'x', body: 'y', sendingMethod: 'POST', expectedVersion: item.version }, contextOf(head)))
      expect(beyond.code).to.equal('correspondence.extension.beyondMaximum')
      expect(beyond.field).to.equal('newDueDate')
      expect(await s.correspondence.lettersOf(id)).to.deep.equal([])
      // Sun 09.06.2030 is not a working day: the new due date is Mon 10.06.2030.
      const extended = await s.correspondence.extend(id, { noticeDate: '2030-05-02', newDueDate: '2030-06-09', addressee: 'x', body: 'y', sendingMethod: 'REGISTERED_POST', expectedVersion: item.version }, contextOf(head))
      expect(extended.dueDate).to.equal('2030-06-10')
    })

    it('when an official letter is to be extended, then it is refused as not extendable and nothing is offered', async () => {
      clock.set(at('2030-04-08'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('STATE_BODY_LETTER', '2030-04-08'), contextOf(officer))
      expect(await s.correspondence.extensionOffer(id)).to.equal(null)
      const refused = await refusal(s.correspondence.extend(id, { noticeDate: '2030-04-08', newDueDate: null, addressee: 'x', body: 'y', sendingMethod: 'POST', expectedVersion: 1 }, contextOf(head)))
      expect(refused.code).to.equal('correspondence.extension.notExtendable')
      expect(await s.correspondence.lettersOf(id)).to.deep.equal([])
    })

    // A request for information received Wed 04.09.2030 is due in 5 calendar days, Mon 09.09.2030; the longer
    // term is 30 calendar days, Fri 04.10.2030, announced within 5 days: by Mon 09.09.2030. Day 6 is Tue 10.09.
    it('when a request for information takes the longer term within 5 days, then it is due on the 30th day; on day 6 it is refused', async () => {
      clock.set(at('2030-09-04'))
      const first = await s.correspondence.registerIncoming(regionId, incoming('INFORMATION_REQUEST', '2030-09-04'), contextOf(officer))
      const second = await s.correspondence.registerIncoming(regionId, incoming('INFORMATION_REQUEST', '2030-09-04'), contextOf(officer))
      expect(first.dueDate).to.equal('2030-09-09')
      expect(await s.correspondence.extensionOffer(first.id)).to.deep.equal({ kind: 'LONGER_TERM', latestNoticeDate: '2030-09-09', newDueDate: '2030-10-04' })

      clock.set(at('2030-09-09'))
      const extended = await s.correspondence.extend(first.id, { noticeDate: '2030-09-09', newDueDate: null, addressee: 'Աննա Սարգսյան', body: 'Անհրաժեշտ է լրացուցիչ աշխատանք', sendingMethod: 'OFFICIAL_EMAIL', expectedVersion: 1 }, contextOf(head))
      expect(extended.dueDate).to.equal('2030-10-04')
      expect(await s.correspondence.item(first.id)).to.include({ dueDate: '2030-10-04', longerTerm: true })
      const [notice] = await s.correspondence.lettersOf(first.id)
      expect(notice).to.include({ purpose: 'EXTENSION_NOTICE', status: 'SENT' })
      sequenceOf(notice.number!, 'Ե', 2030)

      clock.set(at('2030-09-10'))
      expect(await s.correspondence.extensionOffer(second.id)).to.equal(null)
      const late = await refusal(s.correspondence.extend(second.id, { noticeDate: '2030-09-10', newDueDate: null, addressee: 'x', body: 'y', sendingMethod: 'POST', expectedVersion: 1 }, contextOf(head)))
      expect(late.code).to.equal('correspondence.extension.noticeTooLate')
      expect(late.params.latest).to.equal('2030-09-09')
      expect(await s.correspondence.item(second.id)).to.include({ dueDate: '2030-09-09', longerTerm: false })
    })
  })

  describe('signing and sending', () => {
    it('when an unsigned letter is sent, then it is refused', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-02-04'), contextOf(officer))
      const letterId = await s.correspondence.draftReply(id, { ...letterOn('2030-02-04'), expectedVersion: 1 }, contextOf(officer))
      const refused = await refusal(s.correspondence.send(letterId, { sentOn: '2030-02-04', sendingMethod: 'POST', replyDueDate: null, expectedVersion: 1 }, contextOf(officer)))
      expect(refused.code).to.equal('letter.notSigned')
      expect(await s.correspondence.letter(letterId)).to.include({ status: 'DRAFT', number: null, sentOn: null })
      expect((await s.correspondence.item(id)).status).to.equal('REPLY_DRAFTED')
    })

    it('when a letter is sent dated before the day it was signed, then it is refused', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-02-04'), contextOf(officer))
      const letterId = await s.correspondence.draftReply(id, { ...letterOn('2030-02-04'), expectedVersion: 1 }, contextOf(officer))
      clock.set(at('2030-02-06'))
      await s.correspondence.sign(letterId, 1, contextOf(head))
      const refused = await refusal(s.correspondence.send(letterId, { sentOn: '2030-02-05', sendingMethod: 'POST', replyDueDate: null, expectedVersion: 2 }, contextOf(officer)))
      expect(refused.code).to.equal('letter.sentBeforeSigned')
      expect(refused.field).to.equal('sentOn')
      expect(await s.correspondence.letter(letterId)).to.include({ status: 'SIGNED', signedOn: '2030-02-06', sentOn: null })
      expect((await s.correspondence.item(id)).answeredOn).to.equal(null)
    })

    it('when a reply to a report request is signed before the head approves the report, then it is refused; the head cannot approve a report they submitted', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('UNIT_REQUEST', '2030-02-04', { reportRequested: true, reportPurpose: 'EARLY_RELEASE' }), contextOf(officer))
      const taskId = (await s.correspondence.taskOf(id))!
      expect(taskId).to.be.a('number')
      const letterId = await s.correspondence.draftReply(id, { ...letterOn('2030-02-04'), expectedVersion: 1 }, contextOf(officer))
      const before = await counter('OUT', 2030)
      expect((await refusal(s.correspondence.sign(letterId, 1, contextOf(head)))).code).to.equal('letter.taskNotApproved')
      expect(await s.correspondence.letter(letterId)).to.include({ status: 'DRAFT', number: null })
      expect(await counter('OUT', 2030), 'no number was spent').to.equal(before)

      const sections = Object.fromEntries(['PERSON', 'CONDUCT', 'COMPLIANCE', 'RISK_AND_NEEDS', 'SOCIAL_SITUATION', 'CONCLUSION'].map((code) => [code, `Տեքստ ${code}`]))
      await s.correspondence.saveSections(taskId, sections, (await s.correspondence.task(taskId)).version, contextOf(officer))
      await s.correspondence.submitTask(taskId, (await s.correspondence.task(taskId)).version, contextOf(head))
      const own = await refusal(s.correspondence.decideTask(taskId, { approve: true, comment: null, expectedVersion: (await s.correspondence.task(taskId)).version }, contextOf(head)))
      expect(own.code).to.equal('task.ownWork')
      expect((await s.correspondence.task(taskId)).status).to.equal('SUBMITTED')
      expect((await refusal(s.correspondence.sign(letterId, 1, contextOf(head)))).code).to.equal('letter.taskNotApproved')

      // Another head (e.g. the acting one) approves: now the reply can be signed.
      const otherHead = await createPerson('REGIONAL_HEAD', REGION)
      await s.correspondence.decideTask(taskId, { approve: true, comment: null, expectedVersion: (await s.correspondence.task(taskId)).version }, contextOf(otherHead))
      sequenceOf(await s.correspondence.sign(letterId, 1, contextOf(head)), 'Ե', 2030)
    })

    it('when an action carries a stale version, then it is refused as a stale edit and nothing changes', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('COMPLAINT', '2030-02-04'), contextOf(officer))
      await s.correspondence.assign(id, { assigneeId: officer.id, resolution: 'Առաջին', expectedVersion: 1 }, contextOf(head))
      const assigned = await s.correspondence.item(id)
      await staleness(s.correspondence.assign(id, { assigneeId: head.id, resolution: 'Երկրորդ', expectedVersion: 1 }, contextOf(head)))
      expect(await s.correspondence.item(id)).to.deep.equal(assigned)

      const letterId = await s.correspondence.draftReply(id, { ...letterOn('2030-02-04'), expectedVersion: assigned.version }, contextOf(officer))
      await s.correspondence.editDraft(letterId, { ...letterOn('2030-02-04', { body: 'Խմբագրված' }), expectedVersion: 1 }, contextOf(officer))
      const before = await counter('OUT', 2030)
      await staleness(s.correspondence.sign(letterId, 1, contextOf(head)))
      expect(await s.correspondence.letter(letterId)).to.include({ status: 'DRAFT', number: null, version: 2, body: 'Խմբագրված' })
      expect(await counter('OUT', 2030), 'no number was spent').to.equal(before)
    })
  })

  describe('closing', () => {
    it('when an item without a sent reply is closed without a reason, then it is refused; with a reason it closes', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-02-04'), contextOf(officer))
      const refused = await refusal(s.correspondence.close(id, { closedOn: '2030-02-04', reason: null, expectedVersion: 1 }, contextOf(head)))
      expect(refused.code).to.equal('correspondence.closeNeedsReason')
      expect(refused.field).to.equal('reason')
      expect(await s.correspondence.item(id)).to.include({ status: 'REGISTERED', closedOn: null, version: 1 })
      await s.correspondence.close(id, { closedOn: '2030-02-04', reason: 'Դիմողը հետ է վերցրել', expectedVersion: 1 }, contextOf(head))
      expect(await s.correspondence.item(id)).to.include({ status: 'CLOSED', closedOn: '2030-02-04', closureReason: 'Դիմողը հետ է վերցրել', answeredOn: null })
    })

    it('when the reply was sent, then the item closes without a reason', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-02-04'), contextOf(officer))
      await answer(id)
      const sent = await s.correspondence.item(id)
      expect(sent).to.include({ status: 'SENT', answeredOn: '2030-02-04' })
      await s.correspondence.close(id, { closedOn: '2030-02-04', reason: null, expectedVersion: sent.version }, contextOf(officer))
      expect(await s.correspondence.item(id)).to.include({ status: 'CLOSED', closureReason: null, answeredOn: '2030-02-04' })
    })

    it('when the database is told directly to close an item with neither a reply nor a reason, then its CHECK refuses', async () => {
      clock.set(at('2030-02-04'))
      const { id } = await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2030-02-04'), contextOf(officer))
      let error: unknown
      try {
        await testDatabase().sequelize.query(`UPDATE incoming_items SET status = 'CLOSED', closed_on = '2030-02-04' WHERE id = :id`, { replacements: { id } })
      } catch (caught) {
        error = caught
      }
      expect(error, 'the UPDATE failed').to.be.instanceOf(Error)
      expect(String((error as Error).message)).to.match(/check constraint/i)
      expect((await s.correspondence.item(id)).status).to.equal('REGISTERED')
    })
  })

  describe('quarter summary', () => {
    /*
     * Q4 2029 (01.10–31.12.2029), seen on 10.01.2030. Received Mon 01.10.2029:
     *   A citizen application, DELAYS, due Thu 01.11.2029, answered 10.10 → on time
     *   B complaint about a staff member, STAFF_CONDUCT, due 01.11.2029, answered 05.11 → late
     *   C complaint about the regional body, DELAYS, due 01.11.2029, never answered → open, overdue
     *   D state body letter, due 10 working days later, Mon 15.10.2029, answered 10.10 → on time
     *   E state body letter, due 15.10.2029, answered 05.11 → late
     *   F request for information, ACCESS_TO_INFORMATION, due Sat 06.10 → Mon 08.10.2029, closed 10.10 as withdrawn
     * Received Thu 20.12.2029:
     *   G citizen application, DELAYS, due Sun 20.01.2030 → Mon 21.01.2030 → open, not overdue
     * Outside the quarter: one received 28.09.2029 and one received 03.01.2030.
     */
    it('when a quarter holds items answered on time, late, open overdue, closed and still open, then every figure matches a hand count', async () => {
      clock.set(at('2029-10-01'))
      const register = async (kind: IncomingKindCode, receivedOn: string, extra: Partial<IncomingInput> = {}) => (await s.correspondence.registerIncoming(regionId, incoming(kind, receivedOn, extra), contextOf(officer))).id
      const a = await register('CITIZEN_APPLICATION', '2029-10-01', { topic: 'DELAYS' })
      const b = await register('COMPLAINT', '2029-10-01', { topic: 'STAFF_CONDUCT', complaintSubject: 'STAFF_MEMBER', complaintStaffUserId: officer.id })
      await register('COMPLAINT', '2029-10-01', { topic: 'DELAYS', complaintSubject: 'REGIONAL_BODY' })
      const d = await register('STATE_BODY_LETTER', '2029-10-01')
      const e = await register('STATE_BODY_LETTER', '2029-10-01')
      const f = await register('INFORMATION_REQUEST', '2029-10-01', { topic: 'ACCESS_TO_INFORMATION' })
      await register('CITIZEN_APPLICATION', '2029-09-28', { topic: 'DELAYS' })
      expect((await s.correspondence.item(d)).dueDate).to.equal('2029-10-15')
      expect((await s.correspondence.item(f)).dueDate).to.equal('2029-10-08')

      clock.set(at('2029-10-10'))
      await answer(a)
      await answer(d)
      await s.correspondence.close(f, { closedOn: '2029-10-10', reason: 'Հարցումը հետ է վերցվել', expectedVersion: 1 }, contextOf(head))
      clock.set(at('2029-11-05'))
      await answer(b)
      await answer(e)
      clock.set(at('2029-12-20'))
      expect((await s.correspondence.registerIncoming(regionId, incoming('CITIZEN_APPLICATION', '2029-12-20', { topic: 'DELAYS' }), contextOf(officer))).dueDate).to.equal('2030-01-21')
      clock.set(at('2030-01-10'))
      await register('COMPLAINT', '2030-01-03', { topic: 'STAFF_CONDUCT', complaintSubject: 'STAFF_MEMBER', complaintStaffUserId: officer.id })

      const summary = await s.correspondence.quarterSummary(regionId, 2029, 4)
      expect(summary.from).to.equal('2029-10-01')
      expect(summary.to).to.equal('2029-12-31')
      expect(summary.byKind).to.deep.equal([
        { kind: 'CITIZEN_APPLICATION', received: 2, answeredOnTime: 1, answeredLate: 0, openOverdue: 0, open: 1 },
        { kind: 'COMPLAINT', received: 2, answeredOnTime: 0, answeredLate: 1, openOverdue: 1, open: 1 },
        { kind: 'INFORMATION_REQUEST', received: 1, answeredOnTime: 0, answeredLate: 0, openOverdue: 0, open: 0 },
        { kind: 'STATE_BODY_LETTER', received: 2, answeredOnTime: 1, answeredLate: 1, openOverdue: 0, open: 0 },
      ])
      expect(summary.byTopic).to.deep.equal([
        { topic: 'DELAYS', received: 3, answeredOnTime: 1, answeredLate: 0, openOverdue: 1 },
        { topic: 'ACCESS_TO_INFORMATION', received: 1, answeredOnTime: 0, answeredLate: 0, openOverdue: 0 },
        { topic: 'STAFF_CONDUCT', received: 1, answeredOnTime: 0, answeredLate: 1, openOverdue: 0 },
      ])
      expect([...summary.complaintsBySubject].sort((x, y) => x.subject.localeCompare(y.subject))).to.deep.equal([
        { subject: 'REGIONAL_BODY', received: 1 },
        { subject: 'STAFF_MEMBER', received: 1 },
      ])
    })
  })

  describe('control view', () => {
    /*
     * Wed 11.06.2025; the week runs to Wed 18.06.2025. Open items:
     *   FOI received Mon 02.06, due Sat 07.06 → Mon 09.06   overdue   officer 1
     *   state body letter setting Tue 10.06                 overdue   officer 1
     *   unit request setting Wed 11.06                      today     officer 2
     *   FOI received Tue 10.06, due Sun 15.06 → Mon 16.06   week      officer 2
     *   court letter setting Wed 18.06                      week      nobody
     * Left out: a court letter setting Thu 19.06 (after the week), an FOI due 09.06 but answered, and a state
     * body letter setting 05.06 but closed.
     */
    it('when items are overdue, due today and due this week, then they are grouped and counted per assignee and per kind', async () => {
      clock.set(at('2025-06-11'))
      const officer2 = await createPerson('SPECIALIST', REGION)
      const register = async (kind: IncomingKindCode, receivedOn: string, documentDueDate: string | null, assignee: TestPerson | null) => {
        const { id } = await s.correspondence.registerIncoming(regionId, incoming(kind, receivedOn, { documentDueDate }), contextOf(officer))
        if (assignee) await s.correspondence.assign(id, { assigneeId: assignee.id, resolution: 'Կատարել', expectedVersion: 1 }, contextOf(head))
        return id
      }
      const foiOverdue = await register('INFORMATION_REQUEST', '2025-06-02', null, officer)
      const letterOverdue = await register('STATE_BODY_LETTER', '2025-06-02', '2025-06-10', officer)
      const unitToday = await register('UNIT_REQUEST', '2025-06-02', '2025-06-11', officer2)
      const foiWeek = await register('INFORMATION_REQUEST', '2025-06-10', null, officer2)
      const courtWeek = await register('COURT_LETTER', '2025-06-02', '2025-06-18', null)
      await register('COURT_LETTER', '2025-06-02', '2025-06-19', officer)
      await answer(await register('INFORMATION_REQUEST', '2025-06-02', null, officer))
      const closed = await register('STATE_BODY_LETTER', '2025-06-02', '2025-06-05', null)
      await s.correspondence.close(closed, { closedOn: '2025-06-11', reason: 'Ուղարկվել է ըստ ենթակայության', expectedVersion: 1 }, contextOf(head))

      const view = await s.correspondence.control({ regionId })
      expect(view).to.include({ today: '2025-06-11', weekEnd: '2025-06-18' })
      expect(view.counts).to.deep.equal({ overdue: 2, today: 1, week: 2 })
      expect(view.groups.overdue.map((line) => line.id)).to.deep.equal([foiOverdue, letterOverdue])
      expect(view.groups.today.map((line) => line.id)).to.deep.equal([unitToday])
      expect(view.groups.week.map((line) => line.id)).to.deep.equal([foiWeek, courtWeek])
      expect(view.groups.overdue.map((line) => line.dueDate)).to.deep.equal(['2025-06-09', '2025-06-10'])
      expect(view.byAssignee.map((line) => [line.assigneeUserId, line.counts])).to.deep.equal([
        [officer.id, { overdue: 2, today: 0, week: 0 }],
        [officer2.id, { overdue: 0, today: 1, week: 1 }],
        [null, { overdue: 0, today: 0, week: 1 }],
      ])
      expect([...view.byKind].sort((x, y) => x.kind.localeCompare(y.kind)).map((line) => [line.kind, line.counts])).to.deep.equal([
        ['COURT_LETTER', { overdue: 0, today: 0, week: 1 }],
        ['INFORMATION_REQUEST', { overdue: 1, today: 0, week: 1 }],
        ['STATE_BODY_LETTER', { overdue: 1, today: 0, week: 0 }],
        ['UNIT_REQUEST', { overdue: 0, today: 1, week: 0 }],
      ])
      const mine = await s.correspondence.control({ regionId, assigneeId: officer2.id })
      expect(mine.counts).to.deep.equal({ overdue: 0, today: 1, week: 1 })
    })
  })

  describe('audit', () => {
    it('when an item is registered and assigned and its reply signed and sent, then each step is in the audit log', async () => {
      clock.set(at('2030-02-04'))
      const { id, number } = await s.correspondence.registerIncoming(regionId, incoming('COMPLAINT', '2030-02-04'), contextOf(officer))
      await s.correspondence.assign(id, { assigneeId: officer.id, resolution: 'Պատասխանել', expectedVersion: 1 }, contextOf(head))
      const letterId = await answer(id)
      const letter = await s.correspondence.letter(letterId)

      const itemLines = await AuditEvent.findAll({ where: { category: 'correspondence', targetType: 'incomingItem', targetId: String(id) }, order: [['id', 'ASC']] })
      const register = itemLines.find((line) => line.action === 'correspondence.register')
      expect(register, 'registration audited').to.not.equal(undefined)
      expect(register).to.include({ actorUserId: officer.id, regionId, outcome: 'success' })
      expect(register!.details).to.include({ number, kind: 'COMPLAINT', dueDate: '2030-03-04' })
      const assign = itemLines.find((line) => line.action === 'correspondence.assign')
      expect(assign, 'assignment audited').to.not.equal(undefined)
      expect(assign).to.include({ actorUserId: head.id, regionId })
      expect(assign!.details).to.deep.equal({ before: { assigneeId: null }, after: { assigneeId: officer.id } })

      const letterLines = await AuditEvent.findAll({ where: { category: 'correspondence', targetType: 'outgoingLetter', targetId: String(letterId) }, order: [['id', 'ASC']] })
      const sign = letterLines.find((line) => line.action === 'letter.sign')
      expect(sign, 'signing audited').to.not.equal(undefined)
      expect(sign).to.include({ actorUserId: head.id, regionId })
      expect(sign!.details).to.deep.equal({ number: letter.number })
      const send = letterLines.find((line) => line.action === 'letter.send')
      expect(send, 'sending audited').to.not.equal(undefined)
      expect(send).to.include({ actorUserId: officer.id, regionId })
      expect(send!.details).to.deep.equal({ sentOn: '2030-02-04', sendingMethod: 'POST' })
    })
  })

  it('when a search is also run against the other register, then its matches are counted up to the limit and no further', async () => {
    clock.set(at('2032-02-02'))
    const other = await createPerson('SPECIALIST', REGION)
    // One more than the limit carry the word; three of them a second one too.
    for (let index = 0; index <= OTHER_MATCHES_LIMIT; index += 1) {
      await s.correspondence.registerIncoming(regionId, incoming('STATE_BODY_LETTER', '2032-02-02', { subject: `Հաշվետվություն ${index < 3 ? 'Ճամբարակ' : 'Դիլիջան'} ${index}` }), contextOf(other))
    }
    expect(await s.correspondence.matchesIn('IN', regionId, 'ճամբարակ')).to.equal(3)
    expect(await s.correspondence.matchesIn('IN', regionId, 'Ճամբարակ 1')).to.equal(1)
    expect(await s.correspondence.matchesIn('IN', regionId, 'հաշվետվություն')).to.equal(OTHER_MATCHES_LIMIT + 1)
    expect(await s.correspondence.matchesIn('OUT', regionId, 'ճամբարակ')).to.equal(0)
    expect(await s.correspondence.matchesIn('IN', await regionIdOf('LORI'), 'ճամբարակ')).to.equal(0)
  })
})
