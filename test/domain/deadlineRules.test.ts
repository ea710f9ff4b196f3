import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import fc from 'fast-check'
import { addCalendarDays, WorkingCalendar, type CalendarOverride } from '../../server/domain/calendar'
import {
  computeDueDate,
  CONTACT_FREQUENCY_BY_RISK,
  DEADLINE_RULE_IDS,
  DEADLINE_RULES,
  deadlineRuleProblems,
  explainDueDate,
  explainDueDateLines,
  extendDueDate,
  extensionWindow,
  formatOffset,
  RISK_LEVELS,
  type ComputeOptions,
  type DeadlineRule,
  type DeadlineRuleId,
  type Offset,
  type RiskLevel,
} from '../../server/domain/deadlineRules'

const calendar = new WorkingCalendar()
// Independence Day 2027 is a Tuesday: the Monday before made a day off, the Saturday after a working day.
const BRIDGE_2027: CalendarOverride[] = [
  { date: '2027-09-20', working: false, reason: 'Կառավարության որոշում. ոչ աշխատանքային օր' },
  { date: '2027-09-25', working: true, reason: 'Կառավարության որոշում. աշխատանքային շաբաթ' },
]
const bridged = new WorkingCalendar(BRIDGE_2027)

interface Case {
  rule: DeadlineRuleId
  event: string
  due: string
  why: string
  options?: ComputeOptions
  calendar?: WorkingCalendar
}

const CASES: Case[] = [
  { rule: 'FINE_ACT_REGISTER', event: '2026-12-30', due: '2027-01-04', why: 'across 31 December – 2 January and a Sunday' },
  { rule: 'FINE_ACT_REGISTER', event: '2026-04-23', due: '2026-04-27', why: '24 April on a Friday, then the weekend' },
  { rule: 'FINE_PAYMENT', event: '2026-04-20', due: '2026-05-06', why: '10 working days over 24 April and 1 May' },
  { rule: 'ACT_REGISTER', event: '2026-01-26', due: '2026-01-30', why: '28 January not counted' },
  { rule: 'EARLY_RELEASE_REPORT_FILE', event: '2025-12-30', due: '2026-01-12', why: 'New Year, 6 January; 7 January counted' },
  { rule: 'FIRST_CONTACT', event: '2026-04-23', due: '2026-04-28', why: '24 April and the weekend' },
  { rule: 'FIRST_CONTACT', event: '2027-09-17', due: '2027-09-22', why: 'Independence Day on a Tuesday' },
  { rule: 'FIRST_CONTACT', event: '2027-09-17', due: '2027-09-23', why: 'the Monday before made a holiday', calendar: bridged },
  { rule: 'INITIAL_ASSESSMENT', event: '2026-04-21', due: '2026-05-14', why: 'the 24 April / 1 May / 9 May cluster of 2026' },
  { rule: 'INITIAL_ASSESSMENT', event: '2027-04-22', due: '2027-05-13', why: 'the 2027 cluster on weekends, not carried over' },
  { rule: 'PLAN_AFTER_ASSESSMENT', event: '2026-05-25', due: '2026-06-02', why: '28 May not counted' },
  { rule: 'REASSESSMENT', event: '2026-08-31', due: '2027-03-01', why: '31 August + 6 months = 28 February 2027, a Sunday' },
  { rule: 'REASSESSMENT', event: '2026-09-08', due: '2027-03-09', why: '8 March 2027 is a Monday holiday' },
  { rule: 'REASSESSMENT_AFTER_VIOLATION', event: '2026-09-11', due: '2026-10-05', why: '15 working days; 21 September not counted' },
  { rule: 'PLAN_REVIEW', event: '2026-10-28', due: '2027-01-29', why: '28 January 2027 is a Thursday holiday' },
  { rule: 'PLAN_REVIEW', event: '2027-11-30', due: '2028-02-29', why: 'clamped to the leap day' },
  { rule: 'VIOLATION_ACTION', event: '2026-09-11', due: '2026-09-28', why: '21 September not counted' },
  { rule: 'VIOLATION_ACTION', event: '2027-09-23', due: '2027-10-07', why: 'no decision in force' },
  { rule: 'VIOLATION_ACTION', event: '2027-09-23', due: '2027-10-06', why: 'the Saturday made working is counted', calendar: bridged },
  { rule: 'EM_INSTALLATION', event: '2026-03-06', due: '2026-03-09', why: '8 March on a Sunday' },
  { rule: 'EM_INSTALLATION', event: '2027-03-05', due: '2027-03-09', why: '8 March on a Monday' },
  { rule: 'PERIOD_END_REPORT', event: '2026-06-19', due: '2026-06-12', why: 'a plain week' },
  { rule: 'PERIOD_END_REPORT', event: '2026-05-29', due: '2026-05-21', why: 'back over 28 May and a weekend' },
  { rule: 'PERIOD_END_REPORT', event: '2027-01-11', due: '2026-12-30', why: 'back over 6 January and the New Year' },
  { rule: 'PETITION_REPLY', event: '2026-12-02', due: '2027-01-04', why: '2 January 2027, then a Sunday' },
  { rule: 'PETITION_REPLY', event: '2026-01-31', due: '2026-03-02', why: 'clamped to 28 February, a Saturday' },
  { rule: 'PETITION_REPLY', event: '2026-03-24', due: '2026-04-27', why: '24 April on a Friday' },
  { rule: 'FOI_REPLY', event: '2026-04-28', due: '2026-05-04', why: '5 calendar days count 1 May; the Sunday end moves' },
  { rule: 'FOI_REPLY', event: '2026-04-28', due: '2026-05-29', why: 'the 30-day term ends on 28 May', options: { longerTerm: true } },
  { rule: 'ADMIN_PROCEEDING', event: '2026-08-22', due: '2026-09-22', why: '30 calendar days end on 21 September' },
  { rule: 'OFFICIAL_LETTER_REPLY', event: '2026-12-23', due: '2027-01-11', why: '10 working days over New Year and 6 January' },
  { rule: 'OFFICIAL_LETTER_REPLY', event: '2026-06-01', due: '2026-07-06', why: 'the letter sets 5 July, a Sunday holiday', options: { documentDueDate: '2026-07-05' } },
  { rule: 'OFFICIAL_LETTER_REPLY', event: '2026-12-20', due: '2026-12-22', why: 'the letter sets an earlier date than the default', options: { documentDueDate: '2026-12-22' } },
  { rule: 'PARDON_PETITION_FORWARD', event: '2026-12-24', due: '2027-01-12', why: '10 working days over New Year and 6 January; 7 January counted' },
  { rule: 'QUARTERLY_REPORT', event: '2026-03-31', due: '2026-04-06', why: '5 April 2026 is a Sunday' },
  { rule: 'QUARTERLY_REPORT', event: '2026-06-30', due: '2026-07-06', why: '5 July 2026 is a Sunday holiday' },
  { rule: 'QUARTERLY_REPORT', event: '2026-12-31', due: '2027-01-05', why: 'the fourth quarter reports in January' },
  { rule: 'QUARTERLY_REPORT', event: '2027-12-31', due: '2028-01-05', why: '5 January 2028 is a Wednesday' },
  { rule: 'MEDIATION_REPORT', event: '2026-05-22', due: '2026-06-08', why: '10 working days from the conclusion; 28 May not counted' },
]

/** The section of docs/rules.md under `heading`, up to the next second-level heading; fails when it is missing. */
function rulesSection(heading: string): string {
  const rules = readFileSync(path.resolve(__dirname, '../../docs/rules.md'), 'utf8')
  const start = rules.indexOf(`\n${heading}\n`)
  expect(start, heading).to.be.at.least(0)
  const end = rules.indexOf('\n## ', start + 1)
  return rules.slice(start, end < 0 ? undefined : end)
}

/** The rows of the section's table whose first cell is a code in backticks, as trimmed cells. */
function tableRows(section: string): string[][] {
  return section
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('| `') && line.endsWith('|'))
    .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim()))
}

/** A term as docs/rules.md writes it, read back into an offset; null when it is not one of the known forms. */
function parseTerm(term: string): Offset | null {
  const forms: [RegExp, Offset['unit']][] = [
    [/^(\d+) working days? before$/, 'workingDaysBefore'],
    [/^(\d+) working days?$/, 'workingDays'],
    [/^(\d+) calendar days?$/, 'calendarDays'],
    [/^(\d+) months?$/, 'months'],
    [/^the (\d+)(?:st|nd|rd|th) day of the following month$/, 'dayOfFollowingMonth'],
  ]
  for (const [form, unit] of forms) {
    const match = form.exec(term)
    if (match) return { amount: Number(match[1]), unit }
  }
  return null
}

describe('deadline rules: docs/rules.md and the code agree', () => {
  it('when the deadline table is read, then it lists every rule in order, each with the code\'s trigger, term and status', () => {
    const rows = tableRows(rulesSection('## Deadlines'))
    expect(rows.map((cells) => cells[0])).to.deep.equal(DEADLINE_RULE_IDS.map((id) => `\`${id}\``))
    for (const cells of rows) {
      expect(cells, cells[0]).to.have.length(6)
      const [idCell, trigger, due, term, status, source] = cells
      const rule = DEADLINE_RULES[idCell.slice(1, -1) as DeadlineRuleId]
      expect(/\(`([A-Z_]+)`\)$/.exec(trigger)?.[1], `${rule.id} trigger`).to.equal(rule.trigger.code)
      expect(parseTerm(term), `${rule.id} term "${term}"`).to.deep.equal(rule.offset)
      expect(status, `${rule.id} status`).to.equal(rule.basis === 'law' ? 'V' : 'A')
      expect(due, `${rule.id} duty`).to.not.equal('')
      expect(source, `${rule.id} source`).to.not.equal('')
    }
  })

  it('when the contact frequency table is read, then it gives the code\'s contacts a month for each risk level, as a default', () => {
    const rows = tableRows(rulesSection('## Contact frequency'))
    expect(rows.map((cells) => cells[0])).to.deep.equal(RISK_LEVELS.map((level) => `\`${level}\``))
    for (const [levelCell, , perMonth, status] of rows) {
      const level = levelCell.slice(1, -1) as RiskLevel
      expect(perMonth, level).to.equal(String(CONTACT_FREQUENCY_BY_RISK.contactsPerMonth[level]))
      expect(status, level).to.equal(CONTACT_FREQUENCY_BY_RISK.basis === 'law' ? 'V' : 'A')
    }
  })

  it('when a term is written in a form the reader does not know, then it is not read as any offset', () => {
    for (const term of ['5 days', 'five working days', '1 week', '5 working days after', 'the 5th of the month']) expect(parseTerm(term), term).to.equal(null)
    expect(parseTerm('1 working day')).to.deep.equal({ amount: 1, unit: 'workingDays' })
    expect(parseTerm('the 21st day of the following month')).to.deep.equal({ amount: 21, unit: 'dayOfFollowingMonth' })
  })
})

describe('deadline rules: due dates for every rule', () => {
  it('when the rules are read, then there is one for each id, usable and frozen', () => {
    expect(Object.keys(DEADLINE_RULES).sort()).to.deep.equal([...DEADLINE_RULE_IDS].sort())
    for (const id of DEADLINE_RULE_IDS) {
      expect(DEADLINE_RULES[id].id).to.equal(id)
      expect(deadlineRuleProblems(DEADLINE_RULES[id]), id).to.deep.equal([])
    }
    expect(Object.isFrozen(DEADLINE_RULES.PETITION_REPLY.offset)).to.equal(true)
    expect(new Set(CASES.map((c) => c.rule))).to.have.property('size', DEADLINE_RULE_IDS.length)
  })

  it('when a rule is marked law or default, then exactly the ones docs/rules.md marks V are law', () => {
    const law = DEADLINE_RULE_IDS.filter((id) => DEADLINE_RULES[id].basis === 'law')
    expect(law.sort()).to.deep.equal(['ADMIN_PROCEEDING', 'EARLY_RELEASE_REPORT_FILE', 'FINE_ACT_REGISTER', 'FINE_PAYMENT', 'FOI_REPLY', 'PETITION_REPLY'])
  })

  for (const c of CASES) {
    it(`when ${c.rule} is triggered on ${c.event}${c.options ? ` with ${JSON.stringify(c.options)}` : ''}, then it is due ${c.due} (${c.why})`, () => {
      const result = computeDueDate(DEADLINE_RULES[c.rule], c.event, c.calendar ?? calendar, c.options)
      expect(result.dueDate).to.equal(c.due)
      expect(result.explanation.dueDate).to.equal(c.due)
      expect(result.explanation.countedFrom).to.equal(c.event)
    })
  }

  it('when the contact frequency is read, then it is a rate by risk level marked as a default', () => {
    expect(CONTACT_FREQUENCY_BY_RISK.contactsPerMonth).to.deep.equal({ HIGH: 4, MEDIUM: 2, LOW: 1 })
    expect(CONTACT_FREQUENCY_BY_RISK.basis).to.equal('default')
    expect(Object.isFrozen(CONTACT_FREQUENCY_BY_RISK.contactsPerMonth)).to.equal(true)
  })

  it('when an authorised user changes FOI_REPLY to working days, then the changed rule is used as given', () => {
    const changed: DeadlineRule = { ...DEADLINE_RULES.FOI_REPLY, offset: { amount: 5, unit: 'workingDays' } }
    expect(computeDueDate(changed, '2026-04-28', calendar).dueDate).to.equal('2026-05-06')
    expect(computeDueDate(DEADLINE_RULES.FOI_REPLY, '2026-04-28', calendar).dueDate).to.equal('2026-05-04')
  })

  it('when a report is due 0 working days before an end on a holiday, then it moves EARLIER, never past the end', () => {
    const sameDay: DeadlineRule = { ...DEADLINE_RULES.PERIOD_END_REPORT, offset: { amount: 0, unit: 'workingDaysBefore' } }
    const { dueDate, explanation } = computeDueDate(sameDay, '2026-07-05', calendar)
    expect(dueDate).to.equal('2026-07-03')
    expect(explanation).to.deep.include({ rawDueDate: '2026-07-05', moved: 'earlier' })
    expect(explanation.skipped.map((day) => [day.date, day.effect])).to.deep.equal([
      ['2026-07-04', 'movedOver'],
      ['2026-07-05', 'movedOver'],
    ])
  })

  it('when a term of 0 working days starts on a holiday, then it is due on the next working day', () => {
    const sameDay: DeadlineRule = { ...DEADLINE_RULES.EM_INSTALLATION, offset: { amount: 0, unit: 'workingDays' } }
    expect(computeDueDate(sameDay, '2026-12-31', calendar).dueDate).to.equal('2027-01-04')
    expect(computeDueDate(sameDay, '2026-12-30', calendar).dueDate).to.equal('2026-12-30')
  })

  it('when options do not fit the rule or the input is wrong, then the computation refuses', () => {
    expect(() => computeDueDate(DEADLINE_RULES.FIRST_CONTACT, '2026-04-23', calendar, { documentDueDate: '2026-05-01' })).to.throw(RangeError)
    expect(() => computeDueDate(DEADLINE_RULES.PETITION_REPLY, '2026-04-23', calendar, { longerTerm: true })).to.throw(RangeError)
    expect(() => computeDueDate(DEADLINE_RULES.OFFICIAL_LETTER_REPLY, '2026-04-23', calendar, { documentDueDate: '23.05.2026' })).to.throw(RangeError)
    expect(() => computeDueDate(DEADLINE_RULES.FIRST_CONTACT, '2026-02-30', calendar)).to.throw(RangeError)
    const broken: DeadlineRule = { ...DEADLINE_RULES.FIRST_CONTACT, offset: { amount: -2, unit: 'workingDays' } }
    expect(deadlineRuleProblems(broken)).to.have.length(1)
    expect(() => computeDueDate(broken, '2026-04-23', calendar)).to.throw(RangeError)
  })

  it('when any rule is applied to any date, then the due date is a working day on the right side of the event (property)', () => {
    const day0 = Date.UTC(2020, 0, 1)
    const anyDate = fc.integer({ min: 0, max: 5843 }).map((days) => new Date(day0 + days * 86_400_000).toISOString().slice(0, 10))
    fc.assert(
      fc.property(fc.constantFrom(...DEADLINE_RULE_IDS), anyDate, (id, event) => {
        const rule = DEADLINE_RULES[id]
        const { dueDate, explanation } = computeDueDate(rule, event, calendar)
        expect(calendar.isWorkingDay(dueDate)).to.equal(true)
        if (rule.offset.unit === 'workingDaysBefore') {
          expect(dueDate < event).to.equal(true)
          expect(calendar.workingDaysBetween(dueDate, addCalendarDays(event, -1))).to.equal(rule.offset.amount - 1)
        } else {
          expect(dueDate > event).to.equal(true)
        }
        if (rule.offset.unit === 'workingDays') expect(calendar.workingDaysBetween(event, dueDate)).to.equal(rule.offset.amount)
        for (const day of explanation.skipped) expect(calendar.isWorkingDay(day.date)).to.equal(false)
        expect(explanation.moved === null).to.equal(explanation.rawDueDate === dueDate)
      }),
      { numRuns: 400 },
    )
  })
})

describe('deadline rules: explanations', () => {
  it('when a working-day count passes holidays and a weekend, then the structure lists each with its reason as not counted', () => {
    const { explanation } = computeDueDate(DEADLINE_RULES.FIRST_CONTACT, '2026-04-23', calendar)
    expect(explanation).to.deep.include({
      ruleId: 'FIRST_CONTACT',
      basis: 'default',
      countedFrom: '2026-04-23',
      rawDueDate: '2026-04-28',
      dueDate: '2026-04-28',
      moved: null,
      setByDocument: false,
    })
    expect(explanation.offset).to.deep.equal({ amount: 2, unit: 'workingDays' })
    expect(explanation.skipped.map((day) => [day.date, day.effect, day.reason.kind])).to.deep.equal([
      ['2026-04-24', 'notCounted', 'holiday'],
      ['2026-04-25', 'notCounted', 'weekend'],
      ['2026-04-26', 'notCounted', 'weekend'],
    ])
  })

  it('when a due date is moved over New Year, then English and Armenian texts name the skipped days, the move and the law', () => {
    const { explanation } = computeDueDate(DEADLINE_RULES.PETITION_REPLY, '2026-12-02', calendar)
    expect(explanation).to.deep.include({ rawDueDate: '2027-01-02', dueDate: '2027-01-04', moved: 'later', basis: 'law' })
    expect(explanation.skipped.map((day) => [day.date, day.effect])).to.deep.equal([
      ['2027-01-02', 'movedOver'],
      ['2027-01-03', 'movedOver'],
    ])
    const en = explainDueDate(explanation, 'en')
    expect(en).to.include('due 04.01.2027 (Monday)')
    expect(en).to.include('02.01.2027 (New Year), 03.01.2027 (Sunday)')
    expect(en).to.include('moves to the next working day, 04.01.2027')
    expect(en).to.include('Source: Law on Petitions (2018), art. 10.')
    expect(en).not.to.match(/default/i)
    const hy = explainDueDate(explanation, 'hy')
    expect(hy).to.include('ժամկետը՝ 04.01.2027 (երկուշաբթի)')
    expect(hy).to.include('02.01.2027 (Ամանոր), 03.01.2027 (կիրակի)')
    expect(hy).to.include('տեղափոխվում է հաջորդ աշխատանքային օրը՝ 04.01.2027')
    expect(hy).to.include('Աղբյուր՝ «Հանրագրերի մասին» ՀՀ օրենք (2018), հոդված 10։')
    expect(hy).not.to.include('Կանխադրված')
  })

  it('when a working-day count passes holidays, then both texts list them as not counted, with holiday names', () => {
    const { explanation } = computeDueDate(DEADLINE_RULES.FINE_PAYMENT, '2026-04-20', calendar)
    const en = explainDueDate(explanation, 'en')
    expect(en).to.include('Counted 10 working days from the day after 20.04.2026 (the day of the event itself is not counted).')
    expect(en).to.include('Non-working days not counted: 24.04.2026 (Genocide Remembrance Day), 25.04.2026 (Saturday), 26.04.2026 (Sunday), 01.05.2026 (Labour Day), 02.05.2026 (Saturday), 03.05.2026 (Sunday).')
    expect(en).to.include('to be confirmed that it still applies')
    const hy = explainDueDate(explanation, 'hy')
    expect(hy).to.include('Հաշվարկվել է 20.04.2026-ին հաջորդող օրվանից՝ 10 աշխատանքային օր (իրադարձության օրը չի հաշվվում)։')
    expect(hy).to.include('Չեն հաշվվել ոչ աշխատանքային օրերը՝ 24.04.2026 (Ցեղասպանության զոհերի հիշատակի օր), 25.04.2026 (շաբաթ)')
    expect(hy).to.include('01.05.2026 (Աշխատանքի օր)')
    expect(hy).to.include('Աղբյուր՝ ՀՀ քրեակատարողական օրենսգիրք')
  })

  it('when a Government override is in the way, then its reason appears in both texts', () => {
    const { explanation } = computeDueDate(DEADLINE_RULES.FIRST_CONTACT, '2027-09-17', bridged)
    expect(explanation.skipped.map((day) => day.date)).to.deep.equal(['2027-09-18', '2027-09-19', '2027-09-20', '2027-09-21'])
    expect(explainDueDate(explanation, 'en')).to.include(`20.09.2027 (${BRIDGE_2027[0].reason}), 21.09.2027 (Independence Day)`)
    expect(explainDueDate(explanation, 'hy')).to.include(`20.09.2027 (${BRIDGE_2027[0].reason}), 21.09.2027 (Անկախության օր)`)
  })

  for (const id of DEADLINE_RULE_IDS) {
    it(`when ${id} is explained, then it is marked ${DEADLINE_RULES[id].basis === 'law' ? 'with its legal source' : 'as a default, not law'} in both languages`, () => {
      const { explanation } = computeDueDate(DEADLINE_RULES[id], '2026-11-23', calendar)
      const en = explainDueDate(explanation, 'en')
      const hy = explainDueDate(explanation, 'hy')
      if (DEADLINE_RULES[id].basis === 'default') {
        expect(en).to.include('Default term, not from law.')
        expect(hy).to.include('Կանխադրված ժամկետ է, օրենքով սահմանված չէ։')
        expect(en).not.to.include('Source:')
        expect(hy).not.to.include('Աղբյուր՝')
      } else {
        expect(en).to.include(`Source: ${DEADLINE_RULES[id].source.en}.`)
        expect(hy).to.include(`Աղբյուր՝ ${DEADLINE_RULES[id].source.hy}։`)
        expect(en).not.to.match(/default term/i)
      }
      // The Armenian text is Armenian: no Latin words (the "PA" of a US standard's name aside).
      expect(hy).not.to.match(/[A-Za-z]{3,}/)
      expect(hy.trim().endsWith('։')).to.equal(true)
      expect(explainDueDateLines(explanation, 'en').every((line) => /[.]$/.test(line))).to.equal(true)
    })
  }

  it('when the letter sets its own date or the longer FOI term applies, then the explanation says so', () => {
    const byDocument = computeDueDate(DEADLINE_RULES.OFFICIAL_LETTER_REPLY, '2026-06-01', calendar, { documentDueDate: '2026-07-05' }).explanation
    expect(byDocument).to.deep.include({ setByDocument: true, offset: null, rawDueDate: '2026-07-05', moved: 'later' })
    expect(explainDueDate(byDocument, 'en')).to.include('The date set in the document itself, 05.07.2026, is used instead of the default term.')
    expect(explainDueDate(byDocument, 'hy')).to.include('Կիրառվել է փաստաթղթում նշված ժամկետը՝ 05.07.2026')
    const longer = computeDueDate(DEADLINE_RULES.FOI_REPLY, '2026-04-28', calendar, { longerTerm: true }).explanation
    expect(longer.longerTerm?.noticeDueDate).to.equal('2026-05-04')
    expect(longer.offset).to.deep.equal({ amount: 30, unit: 'calendarDays' })
    expect(explainDueDate(longer, 'en')).to.include('the requester must be notified by 04.05.2026')
    expect(explainDueDate(longer, 'hy')).to.include('դիմողին պետք է ծանուցել մինչև 04.05.2026')
  })

  it('when the quarterly and the period-end rules are explained, then the special counts read correctly', () => {
    const quarterly = computeDueDate(DEADLINE_RULES.QUARTERLY_REPORT, '2026-06-30', calendar).explanation
    expect(explainDueDate(quarterly, 'en')).to.include('Set as the 5th day of the month following 30.06.2026.')
    expect(explainDueDate(quarterly, 'hy')).to.include('Հաշվարկվել է որպես 30.06.2026-ին հաջորդող ամսվա 5-րդ օր։')
    expect(explainDueDate(quarterly, 'hy')).to.include('05.07.2026 (Սահմանադրության օր)')
    const report = computeDueDate(DEADLINE_RULES.PERIOD_END_REPORT, '2026-05-29', calendar).explanation
    expect(explainDueDate(report, 'en')).to.include('Counted 5 working days before 29.05.2026 (that day itself is not counted).')
    expect(explainDueDate(report, 'hy')).to.include('Հաշվարկվել է 29.05.2026-ից 5 աշխատանքային օր առաջ (այդ օրը չի հաշվվում)։')
    expect(explainDueDate(report, 'en')).to.include('28.05.2026 (Republic Day)')
  })

  it('when offsets are shown on the rules page, then both languages read naturally', () => {
    expect(formatOffset({ amount: 1, unit: 'workingDays' }, 'en')).to.equal('1 working day')
    expect(formatOffset({ amount: 5, unit: 'workingDays' }, 'hy')).to.equal('5 աշխատանքային օր')
    expect(formatOffset({ amount: 1, unit: 'months' }, 'hy')).to.equal('1 ամիս')
    expect(formatOffset({ amount: 1, unit: 'dayOfFollowingMonth' }, 'hy')).to.equal('հաջորդ ամսվա 1-ին օրը')
    expect(formatOffset({ amount: 22, unit: 'dayOfFollowingMonth' }, 'en')).to.equal('the 22nd day of the following month')
    expect(formatOffset({ amount: 11, unit: 'dayOfFollowingMonth' }, 'en')).to.equal('the 11th day of the following month')
  })
})

describe('deadline rules: extending a petition reply', () => {
  const rule = DEADLINE_RULES.PETITION_REPLY

  it('when the due date is a Friday, then an extension may be announced until the Tuesday before, inclusive', () => {
    expect(extensionWindow(rule, '2026-06-19', calendar, '2026-05-19')).to.deep.equal({ from: '2026-05-19', until: '2026-06-16' })
    expect(extensionWindow(rule, '2026-06-19', calendar)).to.deep.equal({ from: null, until: '2026-06-16' })
  })

  it('when 1 May lies in the last working days, then the window closes earlier', () => {
    expect(extensionWindow(rule, '2026-05-04', calendar)?.until).to.equal('2026-04-28')
  })

  it('when the receipt is after the last notice day or the rule has no extension, then there is no window', () => {
    expect(extensionWindow(rule, '2026-06-19', calendar, '2026-06-17')).to.equal(null)
    expect(extensionWindow(DEADLINE_RULES.FOI_REPLY, '2026-06-19', calendar)).to.equal(null)
  })

  it('when extended on the last notice day, then the new due date is one month later, moved to a working day', () => {
    const result = extendDueDate(rule, '2026-06-19', calendar, { noticeDate: '2026-06-16', timesExtended: 0 })
    expect(result).to.deep.include({ ok: true, previousDueDate: '2026-06-19', dueDate: '2026-07-20', latestAllowed: '2026-07-20', timesExtended: 1 })
    expect(result.ok && result.skipped.map((day) => day.date)).to.deep.equal(['2026-07-19'])
  })

  it('when a shorter extension to a holiday is asked for, then it moves to the next working day', () => {
    const result = extendDueDate(rule, '2026-06-19', calendar, { noticeDate: '2026-06-01', timesExtended: 0, newDueDate: '2026-07-05' })
    expect(result).to.deep.include({ ok: true, dueDate: '2026-07-06' })
  })

  for (const [why, request, refusal] of [
    ['already extended once', { noticeDate: '2026-06-10', timesExtended: 1 }, 'alreadyExtended'],
    ['the notice comes 2 working days before', { noticeDate: '2026-06-17', timesExtended: 0 }, 'noticeTooLate'],
    ['the notice precedes the receipt', { noticeDate: '2026-05-10', timesExtended: 0, receivedOn: '2026-05-19' }, 'noticeBeforeReceipt'],
    ['more than a month is asked for', { noticeDate: '2026-06-10', timesExtended: 0, newDueDate: '2026-07-21' }, 'beyondMaximum'],
    ['the new date is not later', { noticeDate: '2026-06-10', timesExtended: 0, newDueDate: '2026-06-19' }, 'notLater'],
  ] as const) {
    it(`when ${why}, then the extension is refused (${refusal})`, () => {
      expect(extendDueDate(rule, '2026-06-19', calendar, request)).to.deep.equal({ ok: false, refusal, latestNoticeDate: '2026-06-16' })
    })
  }

  it('when a rule without an extension is extended, then it is refused', () => {
    expect(extendDueDate(DEADLINE_RULES.ADMIN_PROCEEDING, '2026-06-19', calendar, { noticeDate: '2026-06-01', timesExtended: 0 })).to.deep.equal({
      ok: false,
      refusal: 'notExtendable',
      latestNoticeDate: null,
    })
  })
})
