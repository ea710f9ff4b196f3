import { expect } from 'chai'
import fc from 'fast-check'
import { addCalendarDays } from '../../server/domain/calendar'
import {
  BREAKDOWNS,
  changeFrom,
  decisionOutcome,
  emptyFigureSet,
  FIGURE_CODES,
  FIGURES,
  fromSnapshot,
  monthsOf,
  percentOf,
  preparationStep,
  previousQuarter,
  quarterHasEnded,
  quarterOf,
  quarterPeriod,
  quarterToReport,
  recentQuarters,
  REPORT_SECTIONS,
  rollupSource,
  submissionProblems,
  submittedLate,
  toSnapshot,
  type Quarter,
  type QuarterNumber,
} from '../../server/domain/quarterlyReport'

const quarter = fc.record({ year: fc.integer({ min: 2020, max: 2099 }), quarter: fc.constantFrom<QuarterNumber>(1, 2, 3, 4) })

describe('quarterly report: quarters, figures and the life of a version', () => {
  it('when a quarter is turned into dates, then it runs from the first day of its first month to the last day of its third', () => {
    expect(quarterPeriod({ year: 2033, quarter: 1 })).to.deep.equal({ from: '2033-01-01', to: '2033-03-31' })
    expect(quarterPeriod({ year: 2033, quarter: 2 })).to.deep.equal({ from: '2033-04-01', to: '2033-06-30' })
    expect(quarterPeriod({ year: 2032, quarter: 3 })).to.deep.equal({ from: '2032-07-01', to: '2032-09-30' })
    expect(quarterPeriod({ year: 2033, quarter: 4 })).to.deep.equal({ from: '2033-10-01', to: '2033-12-31' })
  })

  it('when quarters follow each other, then each starts the day after the previous one ends, across years', () => {
    fc.assert(fc.property(quarter, (q) => {
      const before = previousQuarter(q)
      expect(addCalendarDays(quarterPeriod(before).to, 1)).to.equal(quarterPeriod(q).from)
      expect(quarterOf(quarterPeriod(q).from)).to.deep.equal(q)
      expect(quarterOf(quarterPeriod(q).to)).to.deep.equal(q)
    }))
    expect(previousQuarter({ year: 2033, quarter: 1 })).to.deep.equal({ year: 2032, quarter: 4 })
  })

  it('when a quarter is split into months, then the three months cover it exactly, each ending where the next starts', () => {
    expect(monthsOf({ year: 2033, quarter: 1 })).to.deep.equal([
      { from: '2033-01-01', until: '2033-02-01' }, { from: '2033-02-01', until: '2033-03-01' }, { from: '2033-03-01', until: '2033-04-01' },
    ])
    expect(monthsOf({ year: 2032, quarter: 4 }).map((month) => month.until)).to.deep.equal(['2032-11-01', '2032-12-01', '2033-01-01'])
  })

  it('when today is a given day, then the report due is the previous quarter\'s, which can be submitted only after its last day', () => {
    expect(quarterToReport('2033-04-04')).to.deep.equal({ year: 2033, quarter: 1 })
    expect(quarterToReport('2033-01-03')).to.deep.equal({ year: 2032, quarter: 4 })
    expect(quarterHasEnded({ year: 2033, quarter: 1 }, '2033-03-31')).to.equal(false)
    expect(quarterHasEnded({ year: 2033, quarter: 1 }, '2033-04-01')).to.equal(true)
    expect(recentQuarters({ year: 2033, quarter: 2 }, 3)).to.deep.equal([{ year: 2033, quarter: 2 }, { year: 2033, quarter: 1 }, { year: 2032, quarter: 4 }])
  })

  it('when the figures are listed, then codes are unique, every section has figures and every breakdown is a known list', () => {
    expect(new Set(FIGURE_CODES).size).to.equal(FIGURES.length)
    for (const section of REPORT_SECTIONS) expect(FIGURES.some((figure) => figure.section === section), section).to.equal(true)
    for (const figure of FIGURES) {
      if ('breakdown' in figure) expect(Object.keys(BREAKDOWNS), figure.code).to.include(figure.breakdown)
    }
  })

  it('when a figure set is frozen into a snapshot and read back, then values, parts and ids come back; without ids only the values', () => {
    const set = emptyFigureSet()
    set.newBeneficiaries = { value: 3, ids: [4, 7, 9], parts: { PROBATION_PERIOD: { value: 2, ids: [4, 9] }, SECURITY_MEASURE: { value: 1, ids: [7] } } }
    set.publicWorksHoursWorked = { value: 15.5, ids: [1, 2], parts: {} }
    const snapshot = JSON.parse(JSON.stringify(toSnapshot(set)))
    expect(snapshot.figures.newBeneficiaries).to.deep.equal({ value: 3, parts: { PROBATION_PERIOD: 2, SECURITY_MEASURE: 1 } })
    expect(snapshot.recordIds.newBeneficiaries).to.deep.equal({ ids: [4, 7, 9], parts: { PROBATION_PERIOD: [4, 9], SECURITY_MEASURE: [7] } })
    const back = fromSnapshot(snapshot.figures, snapshot.recordIds)
    expect(back.newBeneficiaries).to.deep.equal(set.newBeneficiaries)
    expect(back.publicWorksHoursWorked).to.deep.equal(set.publicWorksHoursWorked)
    expect(back.caseloadAtStart).to.deep.equal({ value: 0, ids: [], parts: {} })
    expect(fromSnapshot(snapshot.figures, null).newBeneficiaries.parts.SECURITY_MEASURE).to.deep.equal({ value: 1, ids: null })
  })

  it('when shares and changes are computed, then nothing divided by zero has a share and no previous figure has no change', () => {
    expect([percentOf(1, 3), percentOf(2, 3), percentOf(0, 0), percentOf(5, 5)]).to.deep.equal([33, 67, null, 100])
    expect([changeFrom(12, 9), changeFrom(2, 7.5), changeFrom(4, 4), changeFrom(4, null), changeFrom(0.3, 0.1)]).to.deep.equal([3, -5.5, 0, null, 0.2])
  })

  it('when a report is prepared, then the first save starts version 1, a draft is worked on, a return starts the next version, and a pending or accepted report refuses', () => {
    expect(preparationStep(null)).to.deep.equal({ kind: 'create', versionNumber: 1 })
    expect(preparationStep({ versionNumber: 1, status: 'DRAFT' })).to.deep.equal({ kind: 'update', versionNumber: 1 })
    expect(preparationStep({ versionNumber: 1, status: 'RETURNED' })).to.deep.equal({ kind: 'create', versionNumber: 2 })
    expect(preparationStep({ versionNumber: 2, status: 'SUBMITTED' })).to.deep.equal({ kind: 'refused', reason: 'awaitingDecision' })
    expect(preparationStep({ versionNumber: 2, status: 'ACCEPTED' })).to.deep.equal({ kind: 'refused', reason: 'accepted' })
  })

  it('when a report is submitted, then its quarter must be over and both parts of the narrative written', () => {
    const q1: Quarter = { year: 2033, quarter: 1 }
    expect(submissionProblems({ quarter: q1, today: '2033-04-01', problems: 'Staff shortage', proposals: 'Hire two officers' })).to.deep.equal([])
    expect(submissionProblems({ quarter: q1, today: '2033-03-31', problems: ' ', proposals: null })).to.deep.equal(['quarterNotEnded', 'problemsMissing', 'proposalsMissing'])
    expect(submittedLate({ submittedOn: '2033-04-05', dueDate: '2033-04-05' })).to.equal(false)
    expect(submittedLate({ submittedOn: '2033-04-06', dueDate: '2033-04-05' })).to.equal(true)
    expect(submittedLate({ submittedOn: null, dueDate: '2033-04-05' })).to.equal(false)
  })

  it('when the service head decides, then only a submitted version is decided, accepting needs a grade and returning drops one', () => {
    expect(decisionOutcome('SUBMITTED', 'accept', 'GOOD')).to.deep.equal({ ok: true, status: 'ACCEPTED', grade: 'GOOD' })
    expect(decisionOutcome('SUBMITTED', 'accept', null)).to.deep.equal({ ok: false, reason: 'gradeMissing' })
    expect(decisionOutcome('SUBMITTED', 'return', 'EXCELLENT')).to.deep.equal({ ok: true, status: 'RETURNED', grade: null })
    for (const status of ['DRAFT', 'ACCEPTED', 'RETURNED'] as const) expect(decisionOutcome(status, 'accept', 'GOOD')).to.deep.equal({ ok: false, reason: 'notSubmitted' })
  })

  it('when the roll-up picks a region\'s figures, then the accepted version wins, then the one awaiting a decision, else the live figures', () => {
    const v = (versionNumber: number, status: 'DRAFT' | 'SUBMITTED' | 'ACCEPTED' | 'RETURNED') => ({ versionNumber, status })
    expect(rollupSource([v(2, 'ACCEPTED'), v(1, 'RETURNED')])).to.deep.equal({ source: 'accepted', version: v(2, 'ACCEPTED') })
    expect(rollupSource([v(2, 'SUBMITTED'), v(1, 'RETURNED')])).to.deep.equal({ source: 'submitted', version: v(2, 'SUBMITTED') })
    expect(rollupSource([v(2, 'DRAFT'), v(1, 'RETURNED')])).to.deep.equal({ source: 'live', version: null })
    expect(rollupSource([])).to.deep.equal({ source: 'live', version: null })
  })
})
