import { expect } from 'chai'
import fc from 'fast-check'
import { loadConfig } from '../../server/config'
import { dateOfDayNumber, dayNumber, daysInMonth } from '../../server/domain/calendar'
import {
  countsAsHeld,
  countsTowardViolation,
  monthlyCompliance,
  monthsBetween,
  requiredInMonth,
  scheduleProblem,
  shouldPromptViolation,
  violationPrompt,
  yerevanMoment,
  type ContactRecord,
  type FrequencyPeriod,
} from '../../server/domain/contacts'

// Plan version 1 (medium risk, 2 a month) approved on 20 January 2030; version 2 (high risk, 4 a month) on 16 March.
const PERIODS: FrequencyPeriod[] = [
  { from: '2030-01-20', to: '2030-03-16', contactsPerMonth: 2 },
  { from: '2030-03-16', to: null, contactsPerMonth: 4 },
]

const CONTACTS: ContactRecord[] = [
  { date: '2030-01-25', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-02-05', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-02-12', kind: 'HOME_VISIT', outcome: 'ACCEPTABLE_ABSENCE' },
  { date: '2030-02-19', kind: 'EMPLOYER_CONTACT', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-02-26', kind: 'PHONE', outcome: 'UNACCEPTABLE_ABSENCE' },
  { date: '2030-03-03', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_FAILED_TO_COMPLY' },
  { date: '2030-03-10', kind: 'PHONE', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-03-17', kind: 'VIDEO', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-03-24', kind: 'HOME_VISIT', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-04-02', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED' },
  { date: '2030-04-08', kind: 'OFFICE_VISIT', outcome: null },
  { date: '2030-04-20', kind: 'OFFICE_VISIT', outcome: null },
]

describe('contacts: what counts as a contact held', () => {
  for (const [kind, outcome, held, towardViolation] of [
    ['OFFICE_VISIT', 'ATTENDED_COMPLIED', true, false],
    ['HOME_VISIT', 'ATTENDED_FAILED_TO_COMPLY', true, false],
    ['PHONE', 'ACCEPTABLE_ABSENCE', false, false],
    ['VIDEO', 'UNACCEPTABLE_ABSENCE', false, true],
    ['OFFICE_VISIT', null, false, false],
    ['EMPLOYER_CONTACT', 'ATTENDED_COMPLIED', false, false],
    ['FAMILY_CONTACT', 'UNACCEPTABLE_ABSENCE', false, false],
    ['POLICE_CONTACT', 'ATTENDED_FAILED_TO_COMPLY', false, false],
  ] as const) {
    it(`when a contact of kind ${kind} ends ${outcome ?? 'without an outcome'}, then it ${held ? 'is' : 'is not'} a contact held and ${towardViolation ? 'counts' : 'does not count'} toward the absences rule`, () => {
      expect(countsAsHeld(kind, outcome)).to.equal(held)
      expect(countsTowardViolation(kind, outcome)).to.equal(towardViolation)
    })
  }
})

describe('contacts: monthly compliance against the plan frequency', () => {
  it('when the hand-computed example is run, then each month shows what the plans required and what was held', () => {
    // January: 2 × 12/31 days in force = 0.77, so 1. February: 2. March: (15 days × 2 + 16 days × 4) / 31 = 3.03, so 4.
    // April is still running on 10 April: 1 held of 4, one past appointment without an outcome, one to come.
    const months = monthlyCompliance(CONTACTS, PERIODS, monthsBetween('2030-01-20', '2030-04-10'), '2030-04-10')
    expect(months).to.deep.equal([
      { month: '2030-01', required: 1, held: 1, acceptableAbsences: 0, unacceptableAbsences: 0, awaitingOutcome: 0, compliant: true, status: 'COMPLIANT' },
      { month: '2030-02', required: 2, held: 1, acceptableAbsences: 1, unacceptableAbsences: 1, awaitingOutcome: 0, compliant: false, status: 'NOT_COMPLIANT' },
      { month: '2030-03', required: 4, held: 4, acceptableAbsences: 0, unacceptableAbsences: 0, awaitingOutcome: 0, compliant: true, status: 'COMPLIANT' },
      { month: '2030-04', required: 4, held: 1, acceptableAbsences: 0, unacceptableAbsences: 0, awaitingOutcome: 1, compliant: null, status: 'IN_PROGRESS' },
    ])
  })

  it('when a month had no plan in force, then it is not judged; when the running month is already met, then it is compliant', () => {
    const months = monthlyCompliance([{ date: '2029-12-28', kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED' }, ...CONTACTS], PERIODS, ['2029-12', '2030-03'], '2030-03-28')
    expect(months.map((month) => [month.month, month.required, month.held, month.status])).to.deep.equal([
      ['2029-12', 0, 1, 'NO_PLAN'],
      ['2030-03', 4, 4, 'COMPLIANT'],
    ])
  })

  it('when months are listed across a year end, then every month is there once', () => {
    expect(monthsBetween('2029-11-15', '2030-02-01')).to.deep.equal(['2029-11', '2029-12', '2030-01', '2030-02'])
    expect(monthsBetween('2030-05-31', '2030-05-01')).to.deep.equal(['2030-05'])
  })

  it('when any plans cover a month, then the requirement equals a day-by-day count of the rate in force, rounded up', () => {
    // The oracle walks the month day by day and looks up the plan in force on each day.
    const oracle = (month: string, periods: FrequencyPeriod[]) => {
      const length = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))
      let sum = 0
      for (let day = 0; day < length; day += 1) {
        const date = dateOfDayNumber(dayNumber(`${month}-01`) + day)
        const period = periods.find((candidate) => candidate.from <= date && (candidate.to === null || date < candidate.to))
        sum += period?.contactsPerMonth ?? 0
      }
      return Math.ceil(sum / length)
    }
    const start = dayNumber('2029-01-01')
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 800 }), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 30 }), (offsets, rates, monthIndex) => {
        const approvals = [...offsets].sort((a, b) => a - b).map((offset) => dateOfDayNumber(start + offset))
        const periods = approvals.map((from, index) => ({ from, to: approvals[index + 1] ?? null, contactsPerMonth: rates[index] }))
        const month = monthsBetween('2029-01-01', '2031-12-01')[monthIndex]
        expect(requiredInMonth(month, periods)).to.equal(oracle(month, periods))
      }),
    )
  })
})

describe('contacts: the absences rule', () => {
  const absence = (date: string, kind: ContactRecord['kind'] = 'OFFICE_VISIT'): ContactRecord => ({ date, kind, outcome: 'UNACCEPTABLE_ABSENCE' })
  const attended = (date: string): ContactRecord => ({ date, kind: 'OFFICE_VISIT', outcome: 'ATTENDED_COMPLIED' })

  it('when the threshold is counted, then only unacceptable absences count', () => {
    expect(shouldPromptViolation(['UNACCEPTABLE_ABSENCE', 'ACCEPTABLE_ABSENCE', null, 'ATTENDED_COMPLIED'], 2)).to.equal(false)
    expect(shouldPromptViolation(['UNACCEPTABLE_ABSENCE', 'ATTENDED_COMPLIED', 'UNACCEPTABLE_ABSENCE'], 2)).to.equal(true)
    expect(shouldPromptViolation(['UNACCEPTABLE_ABSENCE'], 1)).to.equal(true)
  })

  for (const { why, contacts, planInForceFrom, lastMissedReportOn, counted } of [
    { why: 'absences need not be consecutive', contacts: [absence('2030-03-20'), attended('2030-03-27'), absence('2030-04-03')], planInForceFrom: '2030-03-16', lastMissedReportOn: null, counted: ['2030-03-20', '2030-04-03'] },
    { why: 'absences before the plan in force do not count', contacts: [absence('2030-03-02'), absence('2030-03-20')], planInForceFrom: '2030-03-16', lastMissedReportOn: null, counted: ['2030-03-20'] },
    { why: 'without a plan every absence counts', contacts: [absence('2030-01-02'), absence('2030-03-20')], planInForceFrom: null, lastMissedReportOn: null, counted: ['2030-01-02', '2030-03-20'] },
    { why: 'a missed-report violation starts the count again', contacts: [absence('2030-03-20'), absence('2030-03-27'), absence('2030-04-03')], planInForceFrom: '2030-03-16', lastMissedReportOn: '2030-03-27', counted: ['2030-04-03'] },
    { why: 'absences from collateral contacts do not count', contacts: [absence('2030-03-20', 'EMPLOYER_CONTACT'), absence('2030-03-27', 'PHONE')], planInForceFrom: '2030-03-16', lastMissedReportOn: null, counted: ['2030-03-27'] },
  ]) {
    it(`when ${why}, then the prompt counts ${counted.length}`, () => {
      const result = violationPrompt(contacts, { threshold: 2, planInForceFrom, lastMissedReportOn })
      expect(result.absences.map((counted) => counted.date)).to.deep.equal(counted)
      expect(result.prompt).to.equal(counted.length >= 2)
    })
  }
})

describe('contacts: when an appointment may be booked', () => {
  const now = yerevanMoment('2030-04-10', '12:00')
  for (const [when, hasOutcome, problem] of [
    [yerevanMoment('2030-04-11', '10:00'), false, null],
    [yerevanMoment('2031-04-11', '10:00'), false, null],
    [yerevanMoment('2031-04-12', '12:01'), false, 'tooFarAhead'],
    [yerevanMoment('2030-04-10', '11:00'), false, 'pastNeedsOutcome'],
    [yerevanMoment('2030-04-10', '11:00'), true, null],
    [yerevanMoment('2030-01-10', '12:00'), true, null],
    [yerevanMoment('2030-01-10', '11:59'), true, 'tooFarBack'],
    [yerevanMoment('2030-04-10', '12:30'), true, 'outcomeBeforeAppointment'],
  ] as const) {
    it(`when it is set for ${when.toISOString()} ${hasOutcome ? 'with' : 'without'} an outcome, then ${problem ?? 'it is accepted'}`, () => {
      expect(scheduleProblem(when, now, hasOutcome)).to.equal(problem)
    })
  }

  it('when a Yerevan wall-clock time is read, then it is four hours ahead of UTC', () => {
    expect(yerevanMoment('2030-01-15', '10:30').toISOString()).to.equal('2030-01-15T06:30:00.000Z')
  })
})

describe('contacts: configuration of the absences threshold', () => {
  it('when nothing is set, then two unacceptable absences prompt; a set value is used; a malformed one fails naming it', () => {
    expect(loadConfig({}).unacceptableAbsencesBeforeViolation).to.equal(2)
    expect(loadConfig({ UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION: '3' }).unacceptableAbsencesBeforeViolation).to.equal(3)
    expect(() => loadConfig({ UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION: '0' })).to.throw(/UNACCEPTABLE_ABSENCES_BEFORE_VIOLATION/)
  })
})
