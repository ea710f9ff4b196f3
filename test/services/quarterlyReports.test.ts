import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { ManualClock } from '../../server/domain/clock'
import { CONTACT_KINDS, CONTACT_OUTCOMES, countsAsHeld, HELD_OUTCOMES, PERSON_CONTACT_KINDS, requiredInMonth, type ContactKind, type ContactOutcome, type FrequencyPeriod } from '../../server/domain/contacts'
import { serviceDateOf } from '../../server/domain/dates'
import { FIGURE_CODES, monthsOf, type FigureSet, type Quarter } from '../../server/domain/quarterlyReport'
import { services as buildServices, type Services } from '../../server/services'
import { createBeneficiary } from '../helpers/beneficiaries'
import { testDatabase } from '../helpers/database'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

/*
 * The figures' set-based queries against simple oracles: each person's contacts against the plans' frequency counted
 * with the contacts domain's own rules (requiredInMonth, countsAsHeld, the day in Yerevan), on a seeded random dataset
 * of plans and contacts (months split between plans, files closed mid-month, contacts either side of midnight in
 * Yerevan, a quarter still running); a file registered either side of a quarter's first midnight; and the same figures
 * whether computed for one region, several regions and quarters at once, with or without the records behind them.
 * The dataset is in Syunik's and Vayots Dzor's bodies in 2037; what the file's database holds before it is the baseline.
 */
const Q1: Quarter = { year: 2037, quarter: 1 }
const Q2: Quarter = { year: 2037, quarter: 2 }
// The second quarter is running: April is over and judged, May and June are not.
const TODAY = '2037-05-20T10:00:00+04:00'

/** A small seeded generator, so that a failure is reproducible. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

interface PlanSpec { approvedOn: string; version: number; perMonth: number; status: 'APPROVED' | 'SUPERSEDED' | 'DRAFT' }
interface ContactSpec { at: string; kind: ContactKind; outcome: ContactOutcome | null; cancelled: boolean }
interface PersonSpec { key: string; region: 'SYUNIK' | 'VAYOTS_DZOR'; closedOn: string | null; plans: PlanSpec[]; contacts: ContactSpec[] }

function dataset(): PersonSpec[] {
  const next = random(20370520)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]
  const day = (from: string, days: number) => {
    const date = new Date(`${from}T00:00:00Z`)
    date.setUTCDate(date.getUTCDate() + Math.floor(next() * days))
    return date.toISOString().slice(0, 10)
  }
  const people: PersonSpec[] = []
  for (let n = 0; n < 36; n += 1) {
    const approvals = Array.from({ length: Math.floor(next() * 4) }, () => day('2036-11-15', 230)).sort()
    // Now and then two plans approved the same day: the later version is the one in force.
    if (approvals.length > 1 && next() < 0.3) approvals[1] = approvals[0]
    const plans: PlanSpec[] = approvals.map((approvedOn, i) => ({ approvedOn, version: i + 1, perMonth: Math.floor(next() * 4), status: i === approvals.length - 1 ? 'APPROVED' : 'SUPERSEDED' }))
    if (next() < 0.2) plans.push({ approvedOn: day('2037-01-01', 150), version: plans.length + 1, perMonth: 9, status: 'DRAFT' })
    const contacts: ContactSpec[] = Array.from({ length: Math.floor(next() * 36) }, () => {
      // Around midnight often: the month is the day in Yerevan, not in UTC.
      const time = pick(['00:10', '03:30', '10:00', '16:45', '23:50'])
      const cancelled = next() < 0.1
      return { at: `${day('2036-12-25', 200)}T${time}:00+04:00`, kind: pick(CONTACT_KINDS), outcome: cancelled ? null : pick([...CONTACT_OUTCOMES, null]), cancelled }
    })
    contacts.push({ at: '2037-01-31T23:50:00+04:00', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED', cancelled: false })
    contacts.push({ at: '2037-04-01T00:10:00+04:00', kind: 'PHONE', outcome: 'ATTENDED_FAILED_TO_COMPLY', cancelled: false })
    people.push({ key: `P${n}`, region: n % 3 === 0 ? 'VAYOTS_DZOR' : 'SYUNIK', closedOn: next() < 0.3 ? day('2037-01-10', 150) : null, plans, contacts })
  }
  return people
}

type ContactFigures = Record<'contactsRequired' | 'contactsHeld' | 'peopleMeetingStandard' | 'peopleBelowStandard', { value: number; ids: number[] }>

/** The contacts figures of some people for a quarter, by the contacts domain's rules, person by person. */
function oracle(people: readonly PersonSpec[], quarter: Quarter, today: string, ids: { file: Map<string, number>; contact: Map<string, number> }): ContactFigures {
  const figures: ContactFigures = { contactsRequired: { value: 0, ids: [] }, contactsHeld: { value: 0, ids: [] }, peopleMeetingStandard: { value: 0, ids: [] }, peopleBelowStandard: { value: 0, ids: [] } }
  const months = monthsOf(quarter)
  for (const person of people) {
    const inForce = person.plans.filter((plan) => plan.status !== 'DRAFT').sort((a, b) => a.approvedOn.localeCompare(b.approvedOn) || a.version - b.version)
    const periods: FrequencyPeriod[] = inForce.map((plan, i) => {
      const ends = [inForce[i + 1]?.approvedOn, person.closedOn ?? undefined].filter((end): end is string => end !== undefined).sort()
      return { from: plan.approvedOn, to: ends[0] ?? null, contactsPerMonth: plan.perMonth }
    })
    const required = months.map((month) => (month.until <= today ? requiredInMonth(month.from.slice(0, 7), periods) : 0))
    const heldContacts = person.contacts.map((contact, i) => ({ ...contact, i, date: serviceDateOf(new Date(contact.at)) })).filter((contact) => !contact.cancelled && countsAsHeld(contact.kind, contact.outcome))
    const held = months.map((month) => heldContacts.filter((contact) => contact.date >= month.from && contact.date < month.until))
    const fileId = ids.file.get(person.key)!
    for (const contact of held.flat()) {
      figures.contactsHeld.value += 1
      figures.contactsHeld.ids.push(ids.contact.get(`${person.key}-${contact.i}`)!)
    }
    const total = required.reduce((sum, value) => sum + value, 0)
    if (total === 0) continue
    figures.contactsRequired.value += total
    figures.contactsRequired.ids.push(fileId)
    const standard = required.every((value, m) => held[m].length >= value) ? figures.peopleMeetingStandard : figures.peopleBelowStandard
    standard.value += 1
    standard.ids.push(fileId)
  }
  return figures
}

const sorted = (list: readonly number[]) => [...new Set(list)].sort((a, b) => a - b)
const valuesOf = (set: FigureSet) => Object.fromEntries(FIGURE_CODES.map((code) => [code, { value: set[code].value, parts: Object.fromEntries(Object.entries(set[code].parts).map(([key, part]) => [key, part.value])) }]))

describe('quarterly report figures (service, real database)', () => {
  let s: Services
  let officer: TestPerson
  let head: TestPerson
  const regions = {} as Record<PersonSpec['region'], number>
  const people = dataset()
  const ids = { file: new Map<string, number>(), contact: new Map<string, number>() }
  const baseline = new Map<string, FigureSet>()
  const key = (region: PersonSpec['region'], quarter: Quarter) => `${region} ${quarter.year}-${quarter.quarter}`
  const sql = <T extends object>(text: string, replacements: Record<string, unknown>) => testDatabase().sequelize.query<T>(text, { replacements, type: QueryTypes.SELECT })

  before(async () => {
    s = buildServices({ sequelize: testDatabase().sequelize, clock: new ManualClock(TODAY) })
    regions.SYUNIK = await regionIdOf('SYUNIK')
    regions.VAYOTS_DZOR = await regionIdOf('VAYOTS_DZOR')
    officer = await createPerson('SENIOR_SPECIALIST', 'SYUNIK')
    head = await createPerson('REGIONAL_HEAD', 'SYUNIK')
    for (const region of ['SYUNIK', 'VAYOTS_DZOR'] as const) for (const quarter of [Q1, Q2]) baseline.set(key(region, quarter), await s.quarterlyReports.figures(regions[region], quarter))

    await s.assessments.ensureSample()
    const [instrument] = await sql<{ id: number }>('SELECT id FROM instrument_versions ORDER BY id LIMIT 1', {})
    for (const person of people) {
      const card = await createBeneficiary(regions[person.region], officer.id, person.closedOn ? { status: 'CLOSED', closedOn: person.closedOn, closeReason: 'MEASURE_COMPLETED' } : {})
      await sql('UPDATE beneficiaries SET created_at = :at WHERE id = :id', { at: new Date('2036-10-01T12:00:00+04:00'), id: card.id })
      ids.file.set(person.key, card.id)
      if (person.plans.length > 0) {
        const [assessment] = await sql<{ id: number }>(
          `INSERT INTO assessments (beneficiary_id, instrument_version_id, kind, reason, status, result, author_user_id, completed_on)
           VALUES (:beneficiaryId, :instrumentId, 'INITIAL', 'REGISTRATION', 'COMPLETED', '{}', :officerId, '2036-11-01') RETURNING id`,
          { beneficiaryId: card.id, instrumentId: instrument.id, officerId: officer.id },
        )
        for (const plan of person.plans) {
          const approved = plan.status !== 'DRAFT'
          await sql(
            `INSERT INTO supervision_plans (beneficiary_id, assessment_id, plan_version, status, contacts_per_month, frequency_basis, author_user_id, submitted_by_user_id, submitted_on, approved_by_user_id, approved_on)
             VALUES (:beneficiaryId, :assessmentId, :version, :status, :perMonth, '{}', :officerId, :officerId, :approvedOn, :approvedBy, :approvedOnOrNull) RETURNING id`,
            { beneficiaryId: card.id, assessmentId: assessment.id, version: plan.version, status: plan.status, perMonth: plan.perMonth, officerId: officer.id, approvedOn: plan.approvedOn, approvedBy: approved ? head.id : null, approvedOnOrNull: approved ? plan.approvedOn : null },
          )
        }
      }
      for (const [i, contact] of person.contacts.entries()) {
        const at = new Date(contact.at)
        const [appointment] = await sql<{ id: number }>(
          `INSERT INTO appointments (beneficiary_id, kind, scheduled_at, booked_by_user_id, booked_at, outcome, outcome_recorded_at, outcome_recorded_by_user_id, cancelled_at, cancelled_by_user_id, cancel_reason)
           VALUES (:beneficiaryId, :kind, :at, :officerId, :at, :outcome, :recordedAt, :recordedBy, :cancelledAt, :cancelledBy, :cancelReason) RETURNING id`,
          {
            beneficiaryId: card.id, kind: contact.kind, at, officerId: officer.id, outcome: contact.outcome, recordedAt: contact.outcome ? at : null, recordedBy: contact.outcome ? officer.id : null,
            cancelledAt: contact.cancelled ? at : null, cancelledBy: contact.cancelled ? officer.id : null, cancelReason: contact.cancelled ? 'ill' : null,
          },
        )
        ids.contact.set(`${person.key}-${i}`, appointment.id)
      }
    }
    // Registered in Yerevan on the last evening of the first quarter, and just after the second one's first midnight.
    for (const [name, createdAt] of [['late', '2037-03-31T23:50:00+04:00'], ['early', '2037-04-01T00:10:00+04:00']] as const) {
      const card = await createBeneficiary(regions.SYUNIK, officer.id)
      await sql('UPDATE beneficiaries SET created_at = :at WHERE id = :id', { at: new Date(createdAt), id: card.id })
      ids.file.set(name, card.id)
    }
  })

  it('when the contacts standard is counted, then every region\'s quarter is what the contacts domain\'s rules give person by person', async () => {
    for (const region of ['SYUNIK', 'VAYOTS_DZOR'] as const) {
      for (const quarter of [Q1, Q2]) {
        const figures = await s.quarterlyReports.figures(regions[region], quarter)
        const before = baseline.get(key(region, quarter))!
        const wanted = oracle(people.filter((person) => person.region === region), quarter, serviceDateOf(new Date(TODAY)), ids)
        for (const code of ['contactsRequired', 'contactsHeld', 'peopleMeetingStandard', 'peopleBelowStandard'] as const) {
          expect({ value: figures[code].value, ids: figures[code].ids }, `${region} ${quarter.quarter} ${code}`).to.deep.equal({
            value: before[code].value + wanted[code].value,
            ids: sorted([...(before[code].ids ?? []), ...wanted[code].ids]),
          })
        }
      }
    }
    // The dataset is not trivial: people both meeting and missing the standard, in the quarter running too.
    const syunik = people.filter((person) => person.region === 'SYUNIK')
    for (const quarter of [Q1, Q2]) {
      const wanted = oracle(syunik, quarter, serviceDateOf(new Date(TODAY)), ids)
      expect([wanted.peopleMeetingStandard.value, wanted.peopleBelowStandard.value, wanted.contactsHeld.value].every((value) => value > 0), `${quarter.quarter}`).to.equal(true)
    }
  })

  it('when a file is created in the last minutes of a quarter in Yerevan, then it is registered in that quarter and in the next one\'s caseload at the start', async () => {
    const [first, second] = [await s.quarterlyReports.figures(regions.SYUNIK, Q1), await s.quarterlyReports.figures(regions.SYUNIK, Q2)]
    const [late, early] = [ids.file.get('late')!, ids.file.get('early')!]
    expect(first.newBeneficiaries.ids).to.include(late).and.not.include(early)
    expect(first.caseloadAtEnd.ids).to.include(late).and.not.include(early)
    expect(second.caseloadAtStart.ids).to.include(late).and.not.include(early)
    expect(second.newBeneficiaries.ids).to.include(early).and.not.include(late)
  })

  it('when several regions and quarters are computed at once, with or without the records, then each is the figures of that region\'s quarter alone, and only the pairs asked come back', async () => {
    const [syunik, vayotsDzor] = [regions.SYUNIK, regions.VAYOTS_DZOR]
    const alone = new Map<string, FigureSet>()
    for (const region of [syunik, vayotsDzor]) for (const quarter of [Q1, Q2]) alone.set(`${region} ${quarter.quarter}`, await s.quarterlyReports.figures(region, quarter))
    const requests = [{ regionIds: [syunik, vayotsDzor], quarter: Q2 }, { regionIds: [], quarter: { year: 2036, quarter: 4 } as Quarter }, { regionIds: [vayotsDzor], quarter: Q1 }]
    const [withIds, withoutIds] = [await s.quarterlyReports.computeFigures(requests, true), await s.quarterlyReports.computeFigures(requests, false)]
    for (const result of [withIds, withoutIds]) expect(result.map((map) => [...map.keys()].sort((a, b) => a - b))).to.deep.equal([[syunik, vayotsDzor].sort((a, b) => a - b), [], [vayotsDzor]])
    for (const [n, quarter] of [[0, Q2], [2, Q1]] as const) {
      for (const region of requests[n].regionIds) {
        const expected = alone.get(`${region} ${quarter.quarter}`)!
        expect(withIds[n].get(region), `${region} ${quarter.quarter} with ids`).to.deep.equal(expected)
        expect(valuesOf(withoutIds[n].get(region)!), `${region} ${quarter.quarter} without ids`).to.deep.equal(valuesOf(expected))
        for (const code of FIGURE_CODES) expect(withoutIds[n].get(region)![code].ids, code).to.equal(null)
      }
    }
  })

  it('when the national roll-up shows a region\'s live figures, then it shows those computed less than ten minutes ago, computes older ones again, and the background pass stores fresh ones', async () => {
    const clock = new ManualClock('2037-08-10T10:00:00+04:00')
    const later = (minutes: number) => clock.set(new Date(new Date('2037-08-10T10:00:00+04:00').getTime() + minutes * 60_000))
    const reports = buildServices({ sequelize: testDatabase().sequelize, clock }).quarterlyReports
    const syunik = async () => {
      const view = await reports.rollup(Q2)
      const row = view.rows.find((line) => line.regionId === regions.SYUNIK)!
      return { source: row.source, registered: row.values.newBeneficiaries, liveAsOf: view.liveAsOf?.toISOString() }
    }
    const registered = async () => (await reports.figures(regions.SYUNIK, Q2)).newBeneficiaries.value
    const registerOne = async () => createBeneficiary(regions.SYUNIK, officer.id, { createdAt: new Date('2037-05-02T10:00:00+04:00') })

    const before = await registered()
    expect(await syunik()).to.deep.equal({ source: 'live', registered: before, liveAsOf: '2037-08-10T06:00:00.000Z' })
    await registerOne()
    later(9)
    expect(await syunik(), 'stored nine minutes ago').to.deep.equal({ source: 'live', registered: before, liveAsOf: '2037-08-10T06:00:00.000Z' })
    later(10)
    expect(await syunik(), 'ten minutes old: computed again').to.deep.equal({ source: 'live', registered: before + 1, liveAsOf: '2037-08-10T06:10:00.000Z' })
    await registerOne()
    later(12)
    await reports.refreshLiveFigures()
    later(13)
    expect(await syunik(), 'the background pass at 10:12').to.deep.equal({ source: 'live', registered: before + 2, liveAsOf: '2037-08-10T06:12:00.000Z' })
    expect(await registered()).to.equal(before + 2)
  })

  it('when the contacts held are read through their index, then the index holds exactly the kinds and outcomes the contacts domain counts as held', async () => {
    const [index] = await sql<{ definition: string }>(`SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indexrelid = 'appointments_held_by_file'::regclass`, {})
    const listAfter = (column: string) => /ARRAY\[([^\]]*)\]/.exec(index.definition.slice(index.definition.indexOf(`(${column} = ANY`)))![1].match(/'([A-Z_]+)'/g)!.map((quoted) => quoted.slice(1, -1)).sort()
    expect(listAfter('kind')).to.deep.equal([...PERSON_CONTACT_KINDS].sort())
    expect(listAfter('outcome')).to.deep.equal([...HELD_OUTCOMES].sort())
    expect(index.definition).to.contain('cancelled_at IS NULL')
  })
})
