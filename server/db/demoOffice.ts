import type { Sequelize } from 'sequelize'
import { createSequelize } from './database'
import { Beneficiary, Region, User } from '../../models'
import { addCalendarDays } from '../domain/calendar'
import { ManualClock } from '../domain/clock'
import { romanise } from '../domain/transliteration'
import { previousQuarter, quarterOf, type Quarter } from '../domain/quarterlyReport'
import { sampleInstrument } from '../domain/sampleInstrument'
import { services as buildServices } from '../services'
import type { CardInput } from '../services/beneficiaries'
import type { RequestContext } from '../services/context'
import type { IncomingInput } from '../services/correspondence'
import type { MeasureInput } from '../services/measures'
import { DEMO_PASSWORD, giveDemoKey } from './demoData'
import { hashPassword } from '../services/passwordHashing'

/*
 * A living demo office: Ararat's regional body with about 120 files at every stage, and every other region with a few
 * files and its last quarter's report. Everything goes through the app's own services, with a clock of its own walked
 * through the past year, so every rule holds (deadlines, the ledger, figures) exactly as if the office had worked it.
 * Dates are relative to the day it runs. Deterministic: the same day gives the same office.
 */

type Services = ReturnType<typeof buildServices>

const SURNAMES = ['Պետրոսյան', 'Հովհաննիսյան', 'Ղազարյան', 'Մանուկյան', 'Սարգսյան', 'Խաչատրյան', 'Ավետիսյան', 'Գրիգորյան', 'Վարդանյան', 'Կարապետյան', 'Հակոբյան', 'Մկրտչյան', 'Աբրահամյան', 'Դավթյան', 'Եղիազարյան', 'Զաքարյան', 'Թադևոսյան', 'Իսրայելյան', 'Լալայան', 'Մարտիրոսյան', 'Ներսիսյան', 'Շահինյան', 'Պողոսյան', 'Ռաֆայելյան', 'Սահակյան', 'Տոնոյան', 'Օհանյան', 'Ֆարմանյան']
const MEN = ['Արմեն', 'Տիգրան', 'Դավիթ', 'Գոռ', 'Նարեկ', 'Սուրեն', 'Արամ', 'Հայկ', 'Վահե', 'Կարեն', 'Սամվել', 'Արթուր', 'Ռուբեն', 'Գևորգ', 'Էրիկ', 'Մհեր']
const WOMEN = ['Լիանա', 'Անի', 'Մարիամ', 'Նարինե', 'Սոնա', 'Լուսինե', 'Գայանե', 'Աննա', 'Մարինե', 'Էլեն']
const FATHERS = ['Սամվելի', 'Գագիկի', 'Արամի', 'Հրաչյայի', 'Վահանի', 'Սերգեյի', 'Կարենի', 'Մհերի', 'Արթուրի', 'Աշոտի', 'Վարդանի', 'Ռոբերտի']
const COURT = 'Արարատի և Վայոց ձորի մարզերի առաջին ատյանի դատարան'
const OBLIGATIONS = ['Առանց ծառայությանը տեղյակ պահելու չփոխել բնակության վայրը', 'Ներկայանալ ծառայություն նրա սահմանած օրերին', 'Չհաճախել խմիչքի վաճառքի վայրեր']
const PUBLIC_WORKS_PLACES = ['Արտաշատի համայնքապետարան', 'Մասիսի համայնքապետարան', 'Վեդու բարեկարգման ծառայություն', 'Արարատի համայնքային տնտեսություն']

/** A small deterministic generator (mulberry32), so the demo is the same every time it is made on a day. */
function generator(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
  return { next, between: (low: number, high: number) => low + Math.floor(next() * (high - low + 1)), pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] }
}

/** One kind of story a file goes through; the file's number in the office chooses its story. */
type Story = 'probation' | 'publicWorks' | 'fine' | 'deprivation' | 'houseArrest' | 'administrativeSupervision' | 'psychologicalHelp' | 'minor' | 'newlyArrived'

const ARARAT_STORIES: readonly [Story, number][] = [
  ['probation', 24], ['publicWorks', 20], ['fine', 12], ['deprivation', 8], ['houseArrest', 6], ['administrativeSupervision', 8], ['psychologicalHelp', 6], ['minor', 5], ['newlyArrived', 31],
]

const CATEGORY_OF: Record<Story, CardInput['category']> = {
  probation: 'PROBATION_PERIOD',
  publicWorks: 'NON_CUSTODIAL_PUNISHMENT',
  fine: 'NON_CUSTODIAL_PUNISHMENT',
  deprivation: 'NON_CUSTODIAL_PUNISHMENT',
  houseArrest: 'ALTERNATIVE_PREVENTIVE_MEASURE',
  administrativeSupervision: 'ALTERNATIVE_PREVENTIVE_MEASURE',
  psychologicalHelp: 'SECURITY_MEASURE',
  minor: 'MINOR_EDUCATIONAL_MEASURE',
  newlyArrived: 'NON_CUSTODIAL_PUNISHMENT',
}

interface Staff {
  head: RequestContext
  officers: RequestContext[]
}

function contextOf(user: User): RequestContext {
  return { actor: { id: user.id, role: user.role, regionId: user.regionId ?? null, actingHeadRegionIds: [] }, actorUsername: user.username, sourceIp: null, requestId: 'demo-office' }
}

const BLANK_CARD = Object.fromEntries(['birthPlace', 'citizenship', 'identityDocumentType', 'identityDocumentNumber', 'identityDocumentIssuer', 'identityDocumentIssuedOn', 'publicServiceNumber', 'registeredMarz', 'registeredCommunity', 'registeredStreet', 'actualMarz', 'actualCommunity', 'actualStreet', 'phones', 'email', 'education', 'employer', 'jobTitle', 'familyStatus', 'dependants', 'militaryStatus', 'healthNotes'].map((key) => [key, null])) as unknown as CardInput

/** The office's own clock, database connections and services, and the day it stands at. */
class Office {
  readonly clock: ManualClock
  readonly sequelize: Sequelize
  readonly services: Services
  constructor(databaseUrl: string, readonly today: string) {
    this.clock = new ManualClock(`${today}T09:00:00+04:00`)
    this.sequelize = createSequelize({ url: databaseUrl, poolMax: 2, waitForDisk: false })
    this.services = buildServices({ sequelize: this.sequelize, clock: this.clock })
  }

  /** Sets the clock to a day (at a working hour), never past the real today. */
  at(day: string, time = '10:00'): string {
    const bounded = day > this.today ? this.today : day
    this.clock.set(`${bounded}T${time}:00+04:00`)
    return bounded
  }

  daysAgo(days: number): string {
    return addCalendarDays(this.today, -days)
  }
}

/** Every item of the sample instrument answered: the needs named at their worst, the rest at their best. */
function answersFor(needDomains: readonly string[]) {
  const answers: Record<string, string> = {}
  const evidence: Record<string, string> = {}
  for (const domain of sampleInstrument().domains) {
    for (const item of domain.items) {
      answers[item.code] = needDomains.includes(domain.code) ? item.options[item.options.length - 1].code : item.options[0].code
      if (item.evidenceRequired) evidence[item.code] = 'Դատավճիռը և ոստիկանության տեղեկանքը ուսումնասիրված են'
    }
  }
  return { answers, evidence }
}

async function registerAct(office: Office, beneficiaryId: number, receivedOn: string, caseNumber: string, measures: MeasureInput[], officer: RequestContext) {
  office.at(receivedOn)
  const act = { court: COURT, caseNumber, kind: 'VERDICT' as const, actDate: addCalendarDays(receivedOn, -12), inForceDate: addCalendarDays(receivedOn, -4), receivedDate: receivedOn, documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
  await office.services.measures.registerCourtAct(beneficiaryId, act, measures, officer)
  return office.services.measures.measuresOf(beneficiaryId)
}

async function start(office: Office, measureId: number, on: string, officer: RequestContext) {
  office.at(on)
  await office.services.measures.transition(measureId, 'start', { date: on, reason: null, endReason: null, courtActReference: null }, officer)
}

/** An assessment answered and completed, countersigned by the head the next day unless left waiting for it. */
async function assess(office: Office, beneficiaryId: number, on: string, officer: RequestContext, head: RequestContext, countersigned: boolean, needs: readonly string[]) {
  const { services } = office
  office.at(on, '10:00')
  const assessmentId = await services.assessments.start(beneficiaryId, null, officer)
  const draft = await services.assessments.get(assessmentId)
  const saved = await services.assessments.saveDraft(assessmentId, { ...answersFor(needs), expectedVersion: draft.version }, officer)
  await services.assessments.complete(assessmentId, saved, officer)
  if (!countersigned) return
  office.at(addCalendarDays(on, 1), '11:00')
  await services.assessments.countersign(assessmentId, (await services.assessments.get(assessmentId)).version, head)
}

/** A plan (or its review: a new version of the one in force) drafted, agreed, submitted and, unless left waiting, approved. */
async function plan(office: Office, beneficiaryId: number, on: string, officer: RequestContext, head: RequestContext, approved: boolean) {
  const { services } = office
  office.at(on, '11:30')
  const planId = await services.plans.draftFor(beneficiaryId, officer)
  let draft = await services.plans.get(planId)
  for (const goal of draft.goals) {
    await services.plans.updateGoal(planId, goal.id, { needDomain: goal.needDomain, description: 'Աշխատանք կարիքի ուղղությամբ՝ խորհրդատվություն և ուղեգրում', targetDate: services.plans.defaultTargetDate(), status: 'ACTIVE' }, draft.version, officer)
    draft = await services.plans.get(planId)
  }
  await services.plans.recordAgreement(planId, { agreement: 'AGREES', words: null, on: office.at(on, '11:45') }, draft.version, officer)
  await services.plans.submit(planId, (await services.plans.get(planId)).version, officer)
  if (!approved) return
  office.at(addCalendarDays(on, 1), '12:00')
  await services.plans.decide(planId, { approve: true, comment: null, overrideReason: null }, (await services.plans.get(planId)).version, head)
}

/** The first meeting with the person, at the office, entered with its outcome. */
async function firstMeeting(office: Office, beneficiaryId: number, on: string, officer: RequestContext) {
  office.at(addCalendarDays(on, 1), '09:30')
  await office.services.contacts.book(beneficiaryId, { kind: 'OFFICE_VISIT', scheduledAt: new Date(`${on}T11:00:00+04:00`), durationMinutes: 60, place: 'Արտաշատի գրասենյակ', notes: 'Ծանոթացում պայմաններին և պարտականություններին', outcome: 'ATTENDED_COMPLIED', outcomeNote: null, riskAcknowledged: true }, officer)
}

/**
 * Supervision as the office runs it from a measure's start: the first meeting, the assessment and the plan, contacts at
 * the plan's pace, and the plan reviewed every quarter. `stopAt` leaves the file waiting for the head.
 */
async function superviseFrom(office: Office, beneficiaryId: number, startOn: string, staff: { officer: RequestContext; head: RequestContext }, random: ReturnType<typeof generator>, options: { stopAt: 'countersign' | 'approval' | null; thin: boolean; lowRisk: boolean }) {
  const { officer, head } = staff
  await firstMeeting(office, beneficiaryId, addCalendarDays(startOn, 1), officer)
  // A low risk (one need) means one contact a month; a medium one (several), two.
  const needs = options.lowRisk ? ['FINANCES'] : random.next() < 0.5 ? ['EDUCATION_EMPLOYMENT', 'FINANCES'] : ['ACCOMMODATION', 'LEISURE', 'FINANCES']
  await assess(office, beneficiaryId, addCalendarDays(startOn, 3), officer, head, options.stopAt !== 'countersign', needs)
  if (options.stopAt === 'countersign') return
  await plan(office, beneficiaryId, addCalendarDays(startOn, 5), officer, head, options.stopAt !== 'approval')
  if (options.stopAt === 'approval') return
  for (let review = addCalendarDays(startOn, 90); review < office.daysAgo(2); review = addCalendarDays(review, 90)) await plan(office, beneficiaryId, review, officer, head, true)
  await contactsFrom(office, beneficiaryId, addCalendarDays(startOn, 6), officer, random, { thin: options.thin, everyDays: options.lowRisk ? [24, 28] : [13, 15] })
}

/** Contacts at a pace from a day until yesterday, each entered with its outcome the day after; `thin` skips this month's. */
async function contactsFrom(office: Office, beneficiaryId: number, from: string, officer: RequestContext, random: ReturnType<typeof generator>, pace: { thin: boolean; everyDays: [number, number] }) {
  const { thin } = pace
  const monthStart = `${office.today.slice(0, 8)}01`
  let day = addCalendarDays(from, 7)
  for (; day < office.today; day = addCalendarDays(day, random.between(...pace.everyDays))) {
    if (thin && day >= monthStart) return
    const roll = random.next()
    const outcome = roll < 0.86 ? 'ATTENDED_COMPLIED' : roll < 0.94 ? 'ACCEPTABLE_ABSENCE' : 'UNACCEPTABLE_ABSENCE'
    const home = random.next() < 0.3
    office.at(addCalendarDays(day, 1), '09:30')
    await office.services.contacts.book(beneficiaryId, {
      kind: home ? 'HOME_VISIT' : 'OFFICE_VISIT', scheduledAt: new Date(`${day}T${home ? '15:00' : '11:00'}:00+04:00`), durationMinutes: home ? 45 : 30, place: home ? null : 'Արտաշատի գրասենյակ', notes: null,
      outcome, outcomeNote: outcome === 'ACCEPTABLE_ABSENCE' ? 'Հիվանդ էր, ներկայացրեց տեղեկանք' : outcome === 'UNACCEPTABLE_ABSENCE' ? 'Չներկայացավ, չզանգահարեց' : null, riskAcknowledged: true,
    }, officer)
  }
  // The next one is booked, as an officer does at the end of each meeting.
  office.at(office.daysAgo(1), '17:00')
  await office.services.contacts.book(beneficiaryId, { kind: 'OFFICE_VISIT', scheduledAt: new Date(`${day}T${day === office.today ? '15:30' : '11:00'}:00+04:00`), durationMinutes: 30, place: 'Արտաշատի գրասենյակ', notes: null, outcome: null, outcomeNote: null, riskAcknowledged: true }, officer)
}

async function bookToday(office: Office, beneficiaryId: number, time: string, kind: 'OFFICE_VISIT' | 'HOME_VISIT', officer: RequestContext) {
  office.at(office.daysAgo(3), '09:00')
  await office.services.contacts.book(beneficiaryId, { kind, scheduledAt: new Date(`${office.today}T${time}:00+04:00`), durationMinutes: 45, place: kind === 'OFFICE_VISIT' ? 'Արտաշատի գրասենյակ' : null, notes: null, outcome: null, outcomeNote: null, riskAcknowledged: true }, officer)
}

async function fileStory(office: Office, story: Story, index: number, regionId: number, staff: Staff, random: ReturnType<typeof generator>, recentOnly = false) {
  const { services } = office
  const officer = staff.officers[index % staff.officers.length]
  const woman = random.next() < 0.2
  const surname = random.pick(SURNAMES)
  const givenName = woman ? random.pick(WOMEN) : random.pick(MEN)
  const patronymic = random.pick(FATHERS)
  const minor = story === 'minor'
  const birthDate = addCalendarDays(office.today, -(minor ? random.between(15 * 365, 17 * 365) : random.between(19 * 365, 60 * 365)))
  // When the file came to the office: the newly arrived in the last weeks, the others over the past year.
  // The two files left waiting for the head (index 0 and 1) arrived lately: the head's work is days old, not months.
  const arrived = office.daysAgo(story === 'newlyArrived' ? random.between(1, 20) : index < 2 ? random.between(10, 16) : recentOnly ? random.between(30, 90) : story === 'probation' ? random.between(60, 200) : random.between(30, 150))
  office.at(arrived, '09:15')
  const card: CardInput = {
    ...BLANK_CARD, surname, givenName, patronymic, surnameLatin: romanise(surname), givenNameLatin: romanise(givenName), patronymicLatin: romanise(patronymic),
    sex: woman ? 'FEMALE' : 'MALE', birthDate, citizenship: 'ՀՀ', registeredMarz: 'ARARAT', actualMarz: 'ARARAT', actualCommunity: random.pick(['Արտաշատ', 'Մասիս', 'Վեդի', 'Արարատ']),
    category: CATEGORY_OF[story], status: 'ACTIVE', riskToStaff: index === 3, riskToStaffReason: index === 3 ? 'Տնային այցի ժամանակ սպառնացել է աշխատակցին (2025)։' : null,
  }
  const { id } = await services.beneficiaries.create(regionId, card, { confirmDuplicate: true, responsibleOfficerId: officer.actor!.id }, officer)
  const received = addCalendarDays(arrived, 1)
  const startOn = addCalendarDays(arrived, random.between(3, 6))
  const caseNumber = `ԵԱՐԴ/${String(1000 + index).padStart(4, '0')}/01/${arrived.slice(2, 4)}`

  const supervise = (startedOn: string) => superviseFrom(office, id, startedOn, { officer, head: staff.head }, random, { stopAt: null, thin: false, lowRisk: true })
  switch (story) {
    case 'probation': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'CONDITIONAL_NON_APPLICATION', details: { probationPeriodMonths: random.pick([12, 18, 24]), courtObligations: OBLIGATIONS.slice(0, 2) } }], officer)
      await start(office, measure.id, startOn, officer)
      await superviseFrom(office, id, startOn, { officer, head: staff.head }, random, { stopAt: index === 0 ? 'countersign' : index === 1 ? 'approval' : null, thin: index % 7 === 4, lowRisk: false })
      if (index === 4 || index === 5) {
        office.at(office.daysAgo(index === 4 ? 9 : 2))
        await services.measures.recordViolation(measure.id, { kind: 'MISSED_REPORT', occurredOn: office.daysAgo(index === 4 ? 10 : 3), description: 'Երկու անգամ անհարգելի չի ներկայացել' }, officer)
        if (index === 4) {
          const [violation] = await services.measures.violationsOf(measure.id)
          office.at(office.daysAgo(6))
          await services.measures.decideViolation(violation.id, { outcome: 'WRITTEN_WARNING_GIVEN', decidedOn: office.daysAgo(6) }, staff.head)
        }
      }
      if (index % 6 === 2) await bookToday(office, id, index % 12 === 2 ? '11:00' : '15:30', index % 12 === 2 ? 'OFFICE_VISIT' : 'HOME_VISIT', officer)
      return
    }
    case 'publicWorks': {
      const hours = random.pick([60, 80, 120, 160, 200, 240])
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: hours } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      office.at(startOn)
      await services.measures.addPlacement(measure.id, { organisation: random.pick(PUBLIC_WORKS_PLACES), address: 'ք. Արտաշատ', supervisor: 'Բարեկարգման բաժնի պետ', fromDate: startOn }, officer)
      // Most work steadily; a few fall behind the pace.
      const behind = index % 5 === 0
      let done = 0
      for (let day = addCalendarDays(startOn, 2); day < office.today && done < hours; day = addCalendarDays(day, behind ? 21 : 7)) {
        const sessionHours = Math.min(hours - done, random.pick([4, 6, 8]))
        office.at(addCalendarDays(day, 1))
        await services.measures.addWorkSession(measure.id, { workDate: day, hours: sessionHours, confirmedBy: 'Բարեկարգման բաժնի պետ' }, officer)
        done += sessionHours
      }
      if (done >= hours) {
        office.at(office.daysAgo(1))
        await services.measures.transition(measure.id, 'complete', { date: office.daysAgo(1), reason: null, endReason: null, courtActReference: null }, officer)
      }
      return
    }
    case 'fine': {
      const amount = random.pick([200_000, 300_000, 500_000, 800_000])
      // Most pay at once, within the ten working days; one in four by monthly instalments, late.
      const byInstalments = index % 4 === 0
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'FINE', details: { amountAmd: amount, instalmentsAllowed: byInstalments } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      let paid = 0
      for (let day = addCalendarDays(startOn, 2), receipt = 1; day < office.today && paid < amount; day = addCalendarDays(day, 30), receipt += 1) {
        const instalment = byInstalments ? Math.min(amount - paid, 100_000) : amount
        office.at(addCalendarDays(day, 2))
        await services.measures.addFinePayment(measure.id, { paidOn: day, amountAmd: instalment, receiptNumber: `ԱՐ-${index}-${receipt}` }, officer)
        paid += instalment
      }
      return
    }
    case 'deprivation': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'DEPRIVATION_OF_RIGHT', details: { prohibitedPostOrActivity: random.pick(['Տրանսպորտային միջոց վարելու իրավունք', 'Պետական ծառայությունում պաշտոն զբաղեցնելու իրավունք']), termMonths: random.pick([12, 24, 36]) } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      office.at(addCalendarDays(startOn, 2))
      await services.measures.addRightNotice(measure.id, { addresseeKind: 'LICENSING_BODY', addressee: 'ՀՀ ՆԳՆ ճանապարհային ոստիկանություն', sentOn: addCalendarDays(startOn, 2), letterReference: `ԱՐ/${index}-Ե` }, officer)
      return
    }
    case 'houseArrest': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'HOUSE_ARREST', details: { houseArrestAddress: 'ք. Արտաշատ, Շահումյան 12', termEndDate: addCalendarDays(office.today, random.between(30, 120)), courtObligations: [OBLIGATIONS[0]] } }], officer)
      office.at(received)
      const serial = `RF-AR-${String(index).padStart(3, '0')}`
      await services.monitoring.addDevice(regionId, { serial, kind: 'RF' }, staff.head)
      const device = (await services.monitoring.availableDevices(regionId, ['RF'])).find((available) => available.serial === serial)!
      await services.monitoring.assign(measure.id, { deviceId: device.id, orderedOn: received }, officer)
      const [assignment] = await services.monitoring.assignmentsOf(measure.id)
      office.at(addCalendarDays(received, 1))
      await services.monitoring.mark(measure.id, assignment.id, 'install', addCalendarDays(received, 1), officer)
      await start(office, measure.id, addCalendarDays(received, 1), officer)
      await supervise(addCalendarDays(received, 1))
      return
    }
    case 'administrativeSupervision': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'ADMINISTRATIVE_SUPERVISION', details: { reportingPerWeek: 1, termEndDate: addCalendarDays(office.today, random.between(30, 200)) } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      for (let day = addCalendarDays(startOn, 7); day < office.today; day = addCalendarDays(day, 7)) {
        office.at(day, '17:00')
        await services.measures.recordReport(measure.id, { expectedOn: day, reported: random.next() < 0.95, note: null }, officer)
      }
      return
    }
    case 'psychologicalHelp': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'PSYCHOLOGICAL_HELP', details: { termMonths: 12 } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      return
    }
    case 'minor': {
      const [measure] = await registerAct(office, id, received, caseNumber, [{ typeCode: 'EDUCATIONAL_MEASURE', details: { educationalMeasures: ['Ծնողների հսկողության հանձնում', 'Ուսումը շարունակելու պարտավորություն'], termMonths: 12 } }], officer)
      await start(office, measure.id, startOn, officer)
      await supervise(startOn)
      return
    }
    case 'newlyArrived': {
      // Those of the last days wait for their first meeting and (but one in three) have their act to register; the
      // others had both, bar one left behind.
      const settled = arrived <= office.daysAgo(6) && index % 10 !== 7
      if (settled) await firstMeeting(office, id, addCalendarDays(arrived, 2), officer)
      if (index % 3 === 0) return
      const [measure] = await registerAct(office, id, received, caseNumber, [random.next() < 0.5 ? { typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: random.pick([40, 80, 120]) } } : { typeCode: 'CONDITIONAL_NON_APPLICATION', details: { probationPeriodMonths: 12, courtObligations: OBLIGATIONS.slice(0, 1) } }], officer)
      if (settled) await start(office, measure.id, addCalendarDays(received, 2), officer)
      return
    }
  }
}

const NO_EXTRAS = { senderAddress: null, senderReference: null, senderDate: null, summary: null, beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null } as const

/** Ararat's correspondence at every stage: answered and sent, a reply waiting for the head's signature, assigned, new. */
async function correspondence(office: Office, regionId: number, staff: Staff) {
  const { services } = office
  const [officer1, officer2, officer3, senior1] = staff.officers
  const items: { daysAgo: number; by: RequestContext; assignTo?: RequestContext; reply?: 'sent' | 'signature'; input: Omit<IncomingInput, 'receivedOn'> }[] = [
    { daysAgo: 40, by: officer1, assignTo: officer1, reply: 'sent', input: { ...NO_EXTRAS, channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Արարատի մարզպետարան', subject: 'Հանրային աշխատանքների վայրերի ցանկի ճշտում', senderReference: '01/14-2231' } },
    { daysAgo: 25, by: officer2, assignTo: officer2, reply: 'signature', input: { ...NO_EXTRAS, channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'ՀՀ արդարադատության նախարարություն', subject: 'Տեղեկություններ փորձաշրջանի կրման վերաբերյալ', senderReference: '4/27-1190' } },
    { daysAgo: 12, by: officer2, assignTo: officer2, input: { ...NO_EXTRAS, channel: 'IN_PERSON', kind: 'COMPLAINT', sender: 'Անահիտ Գրիգորյան', senderAddress: 'ք. Արտաշատ, Օգոստոսի 23, 5', subject: 'Հանդիպումների ժամերը համընկնում են աշխատանքի ժամերին', topic: 'SUPERVISION_CONDITIONS', complaintSubject: 'REGIONAL_BODY' } },
    { daysAgo: 8, by: officer1, assignTo: senior1, input: { ...NO_EXTRAS, channel: 'E_GOVERNMENT', kind: 'UNIT_REQUEST', sender: 'Քրեակատարողական ծառայության «Արթիկ» հիմնարկ', subject: 'Զեկույց պայմանական վաղաժամկետ ազատման համար', reportRequested: true, reportPurpose: 'EARLY_RELEASE' } },
    { daysAgo: 6, by: officer3, assignTo: officer3, input: { ...NO_EXTRAS, channel: 'POST', kind: 'PARDON_PETITION', sender: 'Վահե Սահակյան', senderAddress: 'ք. Մասիս, Երևանյան 40', subject: 'Ներման միջնորդություն' } },
    { daysAgo: 3, by: officer3, input: { ...NO_EXTRAS, channel: 'OFFICIAL_EMAIL', kind: 'INFORMATION_REQUEST', sender: 'Լրագրող Ս. Մանուկյան', senderAddress: 'news@example.am', subject: 'Մարզում հանրային աշխատանքներ կատարող անձանց թիվը', topic: 'ACCESS_TO_INFORMATION' } },
    { daysAgo: 1, by: officer2, input: { ...NO_EXTRAS, channel: 'SOCIAL_NETWORK', kind: 'SOCIAL_MEDIA_INQUIRY', sender: 'Facebook-ի օգտատեր «Արամ Ա.»', subject: 'Ինչպես ստանալ տեղեկանք պատժի կրման մասին', topic: 'CERTIFICATES_AND_DOCUMENTS' } },
  ]
  for (const item of items) {
    const receivedOn = office.at(office.daysAgo(item.daysAgo), '10:30')
    const { id } = await services.correspondence.registerIncoming(regionId, { ...item.input, receivedOn }, item.by)
    if (!item.assignTo) continue
    office.at(receivedOn, '12:00')
    await services.correspondence.assign(id, { assigneeId: item.assignTo.actor!.id, resolution: 'Ուսումնասիրել և պատրաստել պատասխանը', expectedVersion: 1 }, staff.head)
    if (!item.reply) continue
    const draftedOn = office.at(addCalendarDays(receivedOn, 5), '15:00')
    const letterId = await services.correspondence.draftReply(id, { addressee: item.input.sender, addresseeAddress: null, subject: `Պատասխան՝ ${item.input.subject}`, body: 'Հարգելի գործընկերներ,\n\nՁեր գրությանն ի պատասխան տեղեկացնում ենք, որ պահանջվող տեղեկությունները կցվում են։', letterDate: draftedOn, expectedVersion: (await services.correspondence.item(id)).version }, item.assignTo)
    if (item.reply !== 'sent') continue
    office.at(addCalendarDays(receivedOn, 6), '11:00')
    await services.correspondence.sign(letterId, (await services.correspondence.letter(letterId)).version, staff.head)
    office.at(addCalendarDays(receivedOn, 7), '10:00')
    await services.correspondence.send(letterId, { sentOn: addCalendarDays(receivedOn, 7), sendingMethod: 'POST', replyDueDate: null, expectedVersion: (await services.correspondence.letter(letterId)).version }, item.assignTo)
  }
}

/** The last completed quarter's report submitted (Ararat's also accepted), and the one before returned and resubmitted. */
async function quarterlyReports(office: Office, araratId: number, heads: Map<number, RequestContext>, serviceHead: RequestContext) {
  const { services } = office
  const last = previousQuarter(quarterOf(office.today))
  const before = previousQuarter(last)
  const dueOf = async (quarter: Quarter) => (await services.quarterlyReports.report(araratId, quarter)).dueDate
  const latestVersion = async (regionId: number, quarter: Quarter) => (await services.quarterlyReports.report(regionId, quarter)).versions[0].version
  const narrative = { problems: 'Մեկ մասնագետի հաստիքը թափուր է. տնային այցերի տրանսպորտը բավարար չէ։', proposals: 'Համալրել հաստիքը, հատկացնել ծառայողական մեքենա։' }
  const araratHead = heads.get(araratId)!

  const beforeDue = await dueOf(before)
  office.at(addCalendarDays(beforeDue, -2), '16:00')
  await services.quarterlyReports.submit(araratId, before, { ...narrative, expectedVersion: 0 }, araratHead)
  office.at(addCalendarDays(beforeDue, 1), '10:00')
  await services.quarterlyReports.decide(araratId, before, { decision: 'return', grade: null, comment: 'Խնդրում ենք մանրամասնել ժամկետանց գործերի պատճառները։', expectedVersion: await latestVersion(araratId, before) }, serviceHead)
  office.at(addCalendarDays(beforeDue, 3), '15:00')
  // A returned report is resubmitted as a new version (expected version 0: a new row).
  await services.quarterlyReports.submit(araratId, before, { problems: `${narrative.problems} Ժամկետանց գործերի պատճառը ուշ ստացված դատական ակտերն են։`, proposals: narrative.proposals, expectedVersion: 0 }, araratHead)
  office.at(addCalendarDays(beforeDue, 5), '11:00')
  await services.quarterlyReports.decide(araratId, before, { decision: 'accept', grade: 'SATISFACTORY', comment: 'Ընդունված է։', expectedVersion: await latestVersion(araratId, before) }, serviceHead)

  const lastDue = await dueOf(last)
  for (const [regionId, head] of heads) {
    office.at(addCalendarDays(lastDue, -3), '16:00')
    await services.quarterlyReports.submit(regionId, last, { ...narrative, expectedVersion: 0 }, head)
  }
  office.at(addCalendarDays(lastDue, 2), '10:00')
  await services.quarterlyReports.decide(araratId, last, { decision: 'accept', grade: 'GOOD', comment: 'Լավ աշխատանք։', expectedVersion: await latestVersion(araratId, last) }, serviceHead)
}

/** Each other region's head and officer (made here: the printed demo accounts are Ararat's, Shirak's and the Service's). */
async function regionalStaff(regions: Region[], passwordHash: string): Promise<Map<number, { head: RequestContext; officer: RequestContext }>> {
  const staff = new Map<number, { head: RequestContext; officer: RequestContext }>()
  for (const region of regions) {
    const account = async (suffix: string, role: 'REGIONAL_HEAD' | 'SPECIALIST', fullName: string) => {
      const username = `${region.code.toLowerCase().replace(/_/g, '-')}.${suffix}`
      const [user] = await User.findOrCreate({ where: { username }, defaults: { username, fullName, email: null, role, regionId: region.id, passwordHash, passwordChangedAt: null, failedSignInSince: null, lockedUntil: null, lastSignInAt: null } })
      await giveDemoKey([username])
      return contextOf(user)
    }
    staff.set(region.id, { head: await account('head', 'REGIONAL_HEAD', `${region.nameHy}ի պետ`), officer: await account('officer1', 'SPECIALIST', `${region.nameHy}ի մասնագետ`) })
  }
  return staff
}

/** Files are made in this many lanes at once, each with its own clock and connections: the work is mostly waiting on the database. */
const LANES = 3

interface FilePlan {
  story: Story
  index: number
  regionId: number
  staff: Staff
  recentOnly: boolean
}

/**
 * Fills an empty database with the demo office (the demo accounts must exist). Skipped when any file exists. Returns
 * how many files it made.
 */
export async function seedDemoOffice(databaseUrl: string, today: string): Promise<number> {
  if ((await Beneficiary.count()) > 0) return 0
  const offices = Array.from({ length: LANES }, () => new Office(databaseUrl, today))
  try {
    return await fillOffice(offices, today)
  } finally {
    await Promise.all(offices.map((office) => office.sequelize.close()))
  }
}

async function fillOffice(offices: Office[], today: string): Promise<number> {
  const seed = Number(today.replace(/-/g, ''))
  const regions = await Region.findAll({ where: { active: true }, order: [['id', 'ASC']] })
  const byUsername = async (username: string) => contextOf((await User.findOne({ where: { username } }))!)
  const ararat = regions.find((region) => region.code === 'ARARAT')!
  const araratStaff: Staff = { head: await byUsername('ararat.head'), officers: await Promise.all(['ararat.officer1', 'ararat.officer2', 'ararat.officer3', 'ararat.senior1', 'ararat.senior2'].map(byUsername)) }
  // Every other region: a handful of recent files on public works or a fine, under its own head and officer.
  const others = regions.filter((region) => region.id !== ararat.id)
  const staff = await regionalStaff(others.filter((region) => region.code !== 'SHIRAK'), await hashPassword(DEMO_PASSWORD))
  staff.set(others.find((region) => region.code === 'SHIRAK')!.id, { head: await byUsername('shirak.head'), officer: await byUsername('shirak.officer1') })

  const plans: FilePlan[] = []
  for (const [story, count] of ARARAT_STORIES) {
    for (let n = 0; n < count; n += 1) plans.push({ story, index: plans.length, regionId: ararat.id, staff: araratStaff, recentOnly: false })
  }
  for (const region of others) {
    const { head, officer } = staff.get(region.id)!
    for (let n = 0; n < 4; n += 1) plans.push({ story: n % 2 === 0 ? 'publicWorks' : 'fine', index: plans.length, regionId: region.id, staff: { head, officers: [officer] }, recentOnly: true })
  }
  await Promise.all(offices.map(async (office, lane) => {
    const random = generator(seed + lane)
    for (const plan of plans.filter((_, position) => position % offices.length === lane)) await fileStory(office, plan.story, plan.index, plan.regionId, plan.staff, random, plan.recentOnly)
  }))

  const [office] = offices
  await correspondence(office, ararat.id, araratStaff)
  await quarterlyReports(office, ararat.id, new Map([[ararat.id, araratStaff.head], ...[...staff].map(([regionId, people]) => [regionId, people.head] as const)]), await byUsername('service.head'))
  office.at(today, '09:00')
  return plans.length
}

