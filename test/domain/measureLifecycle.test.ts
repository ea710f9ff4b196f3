import { expect } from 'chai'
import fc from 'fast-check'
import { MEASURE_CODES, measureType, type MeasureCode } from '../../server/domain/measureCatalogue'
import {
  applyTransition,
  availableTransitions,
  END_REASON_CODES,
  isTerminal,
  LIFECYCLE_ACTIONS,
  LIFECYCLE_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
  type EndReason,
  type LifecycleAction,
  type LifecycleFacts,
  type LifecycleState,
  type TransitionInput,
} from '../../server/domain/measureLifecycle'

// Written by hand from the brief, not from the module: the table the data must reproduce.
const EXPECTED: Record<LifecycleState, Partial<Record<LifecycleAction, LifecycleState>>> = {
  received: { register: 'registered' },
  registered: { start: 'in_execution', end: 'ended' },
  in_execution: { suspend: 'suspended', complete: 'completed', end: 'ended' },
  suspended: { resume: 'in_execution', end: 'ended' },
  completed: {},
  ended: {},
}

const TODAY = '2026-11-23'
/** Facts under which every guard passes, whatever the measure. */
const SETTLED: LifecycleFacts = { hoursOutstanding: 0, fineBalanceAmd: 0, endDate: '2026-11-20', today: TODAY }
/** An input every transition accepts. */
const COMPLETE_INPUT: TransitionInput = { date: TODAY, reason: 'Դատարանի որոշում', endReason: 'revoked', courtActReference: 'ԵԴ/0123/01/26' }

describe('measure lifecycle', () => {
  describe('measure lifecycle state × action matrix', () => {
    it('when the transitions are read as a matrix, then it is the hand-written table', () => {
      const fromData: Record<string, Record<string, string>> = Object.fromEntries(LIFECYCLE_STATES.map((state) => [state, {}]))
      for (const transition of TRANSITIONS) {
        expect(fromData[transition.from], `${transition.from} ${transition.action} twice`).to.not.have.property(transition.action)
        fromData[transition.from][transition.action] = transition.to
      }
      expect(fromData).to.deep.equal(EXPECTED)
    })

    for (const state of LIFECYCLE_STATES) {
      for (const action of LIFECYCLE_ACTIONS) {
        const to = EXPECTED[state][action]
        const outcome = to ? `leads to ${to}` : 'is refused'
        it(`when ${action} is asked in ${state}, then it ${outcome} for every measure`, () => {
          for (const code of MEASURE_CODES) {
            const result = applyTransition(state, action, COMPLETE_INPUT, code, SETTLED)
            const refusal = TERMINAL_STATES.includes(state) ? 'TERMINAL_STATE' : 'ACTION_NOT_ALLOWED'
            expect(result, code).to.deep.equal(to ? { ok: true, to } : { ok: false, reason: refusal })
            const offered = availableTransitions(state, code, SETTLED).some((transition) => transition.action === action)
            expect(offered, code).to.equal(to !== undefined)
          }
        })
      }
    }

    it('when walking the graph, then every state is reachable from received and a terminal state from every other', () => {
      const reachableFrom = (start: LifecycleState): Set<LifecycleState> => {
        const seen = new Set<LifecycleState>([start])
        for (let grown = true; grown; ) {
          grown = false
          for (const transition of TRANSITIONS) {
            if (seen.has(transition.from) && !seen.has(transition.to)) {
              seen.add(transition.to)
              grown = true
            }
          }
        }
        return seen
      }
      expect([...reachableFrom('received')].sort()).to.deep.equal([...LIFECYCLE_STATES].sort())
      for (const state of LIFECYCLE_STATES) {
        expect([...reachableFrom(state)].some(isTerminal), state).to.equal(true)
      }
    })
  })

  describe('measure lifecycle terminal states', () => {
    it('when listed, then completed and ended are terminal and nothing leaves them', () => {
      expect(TERMINAL_STATES).to.deep.equal(['completed', 'ended'])
      for (const transition of TRANSITIONS) expect(isTerminal(transition.from), transition.action).to.equal(false)
    })

    it('when in a terminal state, then no action is offered or accepted whatever the facts and input (property)', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...TERMINAL_STATES),
          fc.constantFrom(...LIFECYCLE_ACTIONS),
          fc.constantFrom(...MEASURE_CODES),
          factsArbitrary(),
          (state, action, code, facts) => {
            expect(availableTransitions(state, code, facts)).to.deep.equal([])
            expect(applyTransition(state, action, COMPLETE_INPUT, code, facts)).to.deep.equal({ ok: false, reason: 'TERMINAL_STATE' })
          },
        ),
      )
    })
  })

  describe('measure lifecycle guards', () => {
    const complete = (code: MeasureCode, facts: LifecycleFacts, date = TODAY) =>
      applyTransition('in_execution', 'complete', { date }, code, facts)
    const offersCompletion = (code: MeasureCode, facts: LifecycleFacts) =>
      availableTransitions('in_execution', code, facts).some((transition) => transition.action === 'complete')

    it('when public works have hours outstanding, then they cannot be completed unless a court act allows it', () => {
      expect(complete('PUBLIC_WORKS', { hoursOutstanding: 12 })).to.deep.equal({ ok: false, reason: 'HOURS_OUTSTANDING' })
      expect(offersCompletion('PUBLIC_WORKS', { hoursOutstanding: 12 })).to.equal(false)
      expect(complete('PUBLIC_WORKS', { hoursOutstanding: 12, courtActAllowsEarlyCompletion: true })).to.deep.equal({ ok: true, to: 'completed' })
      expect(complete('PUBLIC_WORKS', { hoursOutstanding: 0 })).to.deep.equal({ ok: true, to: 'completed' })
      expect(offersCompletion('PUBLIC_WORKS', { hoursOutstanding: 0 })).to.equal(true)
    })

    it('when a fine has a balance outstanding, then it cannot be completed unless a court act converted or wrote it off', () => {
      expect(complete('FINE', { fineBalanceAmd: 50_000 })).to.deep.equal({ ok: false, reason: 'FINE_BALANCE_OUTSTANDING' })
      expect(offersCompletion('FINE', { fineBalanceAmd: 50_000 })).to.equal(false)
      expect(complete('FINE', { fineBalanceAmd: 50_000, courtActSettlesFineBalance: true })).to.deep.equal({ ok: true, to: 'completed' })
      expect(complete('FINE', { fineBalanceAmd: 0 })).to.deep.equal({ ok: true, to: 'completed' })
    })

    it('when a probation period has not reached its end date, then it cannot be completed; on the end date it can', () => {
      for (const code of MEASURE_CODES.filter((candidate) => measureType(candidate).group === 'PROBATION_PERIOD')) {
        expect(complete(code, { endDate: '2026-11-24', today: TODAY }), code).to.deep.equal({ ok: false, reason: 'END_DATE_NOT_REACHED' })
        expect(offersCompletion(code, { endDate: '2026-11-24', today: TODAY }), code).to.equal(false)
        expect(complete(code, { endDate: TODAY, today: TODAY }), code).to.deep.equal({ ok: true, to: 'completed' })
        expect(complete(code, { endDate: '2026-11-01', today: TODAY }), code).to.deep.equal({ ok: true, to: 'completed' })
      }
    })

    it('when a completion is dated before the end date, then it is refused even though the end date has passed', () => {
      expect(complete('CONDITIONAL_EARLY_RELEASE', { endDate: '2026-11-20', today: TODAY }, '2026-11-19')).to.deep.equal({
        ok: false,
        reason: 'END_DATE_NOT_REACHED',
      })
    })

    it('when the facts a guard needs are unknown, then completion is refused rather than assumed', () => {
      expect(complete('PUBLIC_WORKS', {})).to.deep.equal({ ok: false, reason: 'FACTS_MISSING' })
      expect(complete('FINE', { fineBalanceAmd: Number.NaN })).to.deep.equal({ ok: false, reason: 'FACTS_MISSING' })
      expect(complete('CONDITIONAL_NON_APPLICATION', { endDate: '2026-11-20' })).to.deep.equal({ ok: false, reason: 'FACTS_MISSING' })
      expect(complete('HOUSE_ARREST', { today: TODAY })).to.deep.equal({ ok: false, reason: 'FACTS_MISSING' })
    })

    it("when a guard belongs to another measure's completion, then it does not hold this one back", () => {
      expect(complete('FINE', { fineBalanceAmd: 0, hoursOutstanding: 40, endDate: '2030-01-01', today: TODAY })).to.deep.equal({ ok: true, to: 'completed' })
      expect(complete('BAIL', {})).to.deep.equal({ ok: true, to: 'completed' })
      expect(complete('EDUCATIONAL_MEASURE', { endDate: '2030-01-01', today: TODAY })).to.deep.equal({ ok: true, to: 'completed' })
    })

    it('when any facts are given, then an action is accepted with a full input exactly when it is offered (property)', () => {
      fc.assert(
        fc.property(fc.constantFrom(...LIFECYCLE_STATES), fc.constantFrom(...MEASURE_CODES), factsArbitrary(), (state, code, facts) => {
          const offered = availableTransitions(state, code, facts).map((transition) => transition.action)
          const input = { ...COMPLETE_INPUT, date: facts.today ?? TODAY }
          for (const action of LIFECYCLE_ACTIONS) {
            expect(applyTransition(state, action, input, code, facts).ok, action).to.equal(offered.includes(action))
          }
        }),
      )
    })
  })

  describe('measure lifecycle required inputs', () => {
    const transitionsFromData = TRANSITIONS.map((transition) => [transition.from, transition.action] as const)

    it('when any transition comes without a date, or with a malformed or future one, then it is refused', () => {
      for (const [from, action] of transitionsFromData) {
        const undated = { ...COMPLETE_INPUT, date: undefined }
        expect(applyTransition(from, action, undated, 'BAIL', SETTLED), action).to.deep.equal({ ok: false, reason: 'DATE_REQUIRED' })
        for (const bad of ['23.11.2026', '2026-02-30', 'yesterday']) {
          expect(applyTransition(from, action, { ...COMPLETE_INPUT, date: bad }, 'BAIL', SETTLED), bad).to.deep.equal({ ok: false, reason: 'DATE_INVALID' })
        }
        expect(applyTransition(from, action, { ...COMPLETE_INPUT, date: '2026-11-24' }, 'BAIL', SETTLED)).to.deep.equal({
          ok: false,
          reason: 'DATE_IN_FUTURE',
        })
      }
    })

    it('when a measure is suspended or ended without a reason, then it is refused; other steps need none', () => {
      for (const [from, action] of transitionsFromData) {
        for (const reason of [undefined, '', '   ']) {
          const result = applyTransition(from, action, { ...COMPLETE_INPUT, reason }, 'BAIL', SETTLED)
          const needsReason = action === 'suspend' || action === 'end'
          expect(result, `${action} ${JSON.stringify(reason)}`).to.deep.equal(needsReason ? { ok: false, reason: 'REASON_REQUIRED' } : { ok: true, to: EXPECTED[from][action] })
        }
      }
    })

    it('when a measure is ended without a known end reason, then it is refused', () => {
      for (const from of ['registered', 'in_execution', 'suspended'] as const) {
        expect(applyTransition(from, 'end', { ...COMPLETE_INPUT, endReason: undefined }, 'FINE', SETTLED)).to.deep.equal({
          ok: false,
          reason: 'END_REASON_REQUIRED',
        })
        for (const unknown of ['REVOKED', 'escaped', 'toString']) {
          expect(applyTransition(from, 'end', { ...COMPLETE_INPUT, endReason: unknown }, 'FINE', SETTLED), unknown).to.deep.equal({
            ok: false,
            reason: 'END_REASON_UNKNOWN',
          })
        }
      }
    })

    // Hand-written: which ends cite a court act, before the end date (early) and on or after it.
    const COURT_ACT_NEEDED: Record<EndReason, { early: boolean; atEnd: boolean }> = {
      revoked: { early: true, atEnd: true },
      replaced: { early: true, atEnd: true },
      converted: { early: true, atEnd: true },
      pardon_or_amnesty: { early: false, atEnd: false },
      death: { early: false, atEnd: false },
      other: { early: true, atEnd: false },
    }

    for (const endReason of END_REASON_CODES) {
      const { early, atEnd } = COURT_ACT_NEEDED[endReason]
      it(`when ended as ${endReason} without a court act reference, then it is ${early ? 'refused' : 'accepted'} early and ${atEnd ? 'refused' : 'accepted'} at the end`, () => {
        const input = { date: TODAY, reason: 'ըստ որոշման', endReason, courtActReference: '  ' }
        const earlyFacts = { endDate: '2027-05-01', today: TODAY }
        const endedFacts = { endDate: '2026-11-01', today: TODAY }
        const refused = { ok: false, reason: 'COURT_ACT_REQUIRED' }
        const accepted = { ok: true, to: 'ended' }
        expect(applyTransition('in_execution', 'end', input, 'CONDITIONAL_NON_APPLICATION', earlyFacts)).to.deep.equal(early ? refused : accepted)
        expect(applyTransition('in_execution', 'end', input, 'CONDITIONAL_NON_APPLICATION', endedFacts)).to.deep.equal(atEnd ? refused : accepted)
        // A measure without an end date is never ended early.
        expect(applyTransition('in_execution', 'end', input, 'BAIL', { today: TODAY })).to.deep.equal(atEnd ? refused : accepted)
        expect(applyTransition('in_execution', 'end', { ...input, courtActReference: 'ԵԴ/0123/01/26' }, 'CONDITIONAL_NON_APPLICATION', earlyFacts)).to.deep.equal(accepted)
      })
    }

    it('when the measure code is unknown, then nothing is offered and every action is refused', () => {
      const stranger = 'PRISON' as MeasureCode
      expect(availableTransitions('in_execution', stranger, SETTLED)).to.deep.equal([])
      expect(applyTransition('received', 'register', COMPLETE_INPUT, stranger, SETTLED)).to.deep.equal({ ok: false, reason: 'UNKNOWN_MEASURE' })
    })
  })

  describe('measure lifecycle walks', () => {
    it('when any actions are tried in any order, then the state stays known and never leaves a terminal state (property)', () => {
      fc.assert(
        fc.property(fc.constantFrom(...MEASURE_CODES), fc.array(fc.constantFrom(...LIFECYCLE_ACTIONS), { maxLength: 30 }), (code, actions) => {
          let state: LifecycleState = 'received'
          for (const action of actions) {
            const result = applyTransition(state, action, COMPLETE_INPUT, code, SETTLED)
            if (isTerminal(state)) expect(result.ok).to.equal(false)
            if (result.ok) {
              expect(result.to).to.equal(EXPECTED[state][action])
              state = result.to
            }
            expect(LIFECYCLE_STATES).to.include(state)
          }
        }),
      )
    })
  })
})

function factsArbitrary(): fc.Arbitrary<LifecycleFacts> {
  const isoDate = fc.constantFrom('2026-11-01', '2026-11-23', '2026-11-24', '2027-05-01', 'not a date')
  return fc.record(
    {
      hoursOutstanding: fc.oneof(fc.integer({ min: 0, max: 2200 }), fc.constant(Number.NaN)),
      courtActAllowsEarlyCompletion: fc.boolean(),
      fineBalanceAmd: fc.integer({ min: 0, max: 10_000_000 }),
      courtActSettlesFineBalance: fc.boolean(),
      endDate: isoDate,
      today: fc.constantFrom('2026-11-01', '2026-11-23', '2027-05-01'),
    },
    { requiredKeys: [] },
  )
}
