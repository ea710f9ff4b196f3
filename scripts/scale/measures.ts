/*
 * Court acts, measures and their execution records for the scale dataset (scripts/seed-scale.ts): about 80% of the
 * beneficiaries get one court act with one measure (10% two), with details the catalogue accepts, lifecycle states
 * consistent with the file's status, work sessions, fine payments, the lifecycle's events, and the OPEN deadlines
 * of registered and in-execution measures computed with the real engine (computeDueDate + the calendar_days rows).
 */
import { QueryTypes, type Sequelize } from 'sequelize'
import { WorkingCalendar, type CalendarOverride } from '../../server/domain/calendar'
import { computeDueDate, DEADLINE_RULES, type DeadlineRule, type DeadlineRuleId } from '../../server/domain/deadlineRules'
import { measureType, registrationDeadlineRuleIds, validateMeasureDetails, type MeasureCode } from '../../server/domain/measureCatalogue'
import { periodEnd } from '../../server/domain/measureProgress'
import { ProgressBar, Random, Weighted } from './common'
import { COMMUNITIES, STREETS } from './data'

const DAY_MS = 86_400_000
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

type Value = string | number | boolean | null

/** A file the measures are generated for. */
export interface MeasureTarget {
  id: number
  regionCode: string
  status: string
  closedOn: string | null
  createdOn: string
  officerId: number | null
  createdBy: number
}

const types = new Weighted<MeasureCode>([
  ['PUBLIC_WORKS', 25], ['FINE', 15], ['CONDITIONAL_NON_APPLICATION', 25], ['CONDITIONAL_EARLY_RELEASE', 10], ['ADMINISTRATIVE_SUPERVISION', 5],
  ['HOUSE_ARREST', 5], ['DEPRIVATION_OF_RIGHT', 3], ['RESTRICTION_OF_LIBERTY', 2.5], ['DEFERMENT', 2], ['RELEASE_FROM_SERVING', 1.5],
  ['BAIL', 2], ['BAN_ON_VISITING_PLACES', 1.5], ['PSYCHOLOGICAL_HELP', 1.5], ['EDUCATIONAL_MEASURE', 1],
])
const probationMonths = new Weighted([[6, 6], [12, 22], [18, 14], [24, 22], [36, 18], [48, 8], [60, 10]] as const)
const hoursOrdered = new Weighted([[40, 8], [60, 10], [80, 14], [100, 14], [120, 14], [160, 12], [200, 10], [240, 8], [300, 6], [400, 4]] as const)
const COURTS = [
  'Երևանի ընդհանուր իրավասության առաջին ատյանի դատարան', 'Արարատի և Վայոց ձորի մարզերի առաջին ատյանի դատարան',
  'Արմավիրի մարզի առաջին ատյանի դատարան', 'Կոտայքի մարզի առաջին ատյանի դատարան', 'Լոռու մարզի առաջին ատյանի դատարան',
  'Շիրակի մարզի առաջին ատյանի դատարան', 'Գեղարքունիքի մարզի առաջին ատյանի դատարան', 'Սյունիքի մարզի առաջին ատյանի դատարան',
  'Տավուշի մարզի առաջին ատյանի դատարան', 'Արագածոտնի մարզի առաջին ատյանի դատարան', 'ՀՀ վերաքննիչ քրեական դատարան',
]
const OBLIGATIONS = [
  'Չփոխել մշտական բնակության վայրը առանց պրոբացիայի մարմնին տեղեկացնելու', 'Ամիսը մեկ անգամ ներկայանալ պրոբացիայի մարմին',
  'Չհաճախել խմիչքի վաճառքի կետեր', 'Աշխատանքի տեղավորվել երեք ամսվա ընթացքում', 'Ժամը 22:00-ից հետո չլքել բնակարանը',
  'Անցնել բուժման կուրս', 'Չմոտենալ տուժողին',
]
const PROHIBITED = ['Պետական ծառայության պաշտոններ', 'Տրանսպորտային միջոց վարելու գործունեություն', 'Մանկավարժական գործունեություն', 'Ֆինանսական պաշտոններ']
const PLACES = ['Խաղատներ և մրցույթների կազմակերպման վայրեր', 'Գիշերային ակումբներ', 'Մարզադաշտեր զանգվածային միջոցառումների ժամանակ', 'Տուժողի բնակության վայրը']
const EDUCATIONAL = ['Ծնողների վերահսկողության հանձնում', 'Պատճառված վնասը հատուցելու պարտականություն', 'Ժամանցի սահմանափակում']

// Inserted columns and their PostgreSQL types, in the order of the unnest() arrays.
const TABLES = {
  court_acts: [['id', 'int'], ['beneficiary_id', 'int'], ['court', 'text'], ['case_number', 'text'], ['kind', 'text'], ['act_date', 'date'], ['in_force_date', 'date'], ['received_date', 'date'], ['registered_by_user_id', 'int'], ['created_at', 'timestamptz']],
  measures: [['id', 'int'], ['beneficiary_id', 'int'], ['court_act_id', 'int'], ['type_code', 'text'], ['details', 'jsonb'], ['state', 'text'], ['start_date', 'date'], ['end_date', 'date'], ['ended_on', 'date'], ['end_reason', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['version', 'int']],
  measure_events: [['measure_id', 'int'], ['action', 'text'], ['from_state', 'text'], ['to_state', 'text'], ['on_date', 'date'], ['reason', 'text'], ['court_act_id', 'int'], ['user_id', 'int']],
  work_sessions: [['measure_id', 'int'], ['work_date', 'date'], ['hours', 'numeric'], ['confirmed_by', 'text'], ['recorded_by_user_id', 'int']],
  fine_payments: [['measure_id', 'int'], ['paid_on', 'date'], ['amount_amd', 'numeric'], ['receipt_number', 'text'], ['recorded_by_user_id', 'int']],
  deadlines: [['beneficiary_id', 'int'], ['rule_id', 'text'], ['subject_type', 'text'], ['subject_id', 'int'], ['event_date', 'date'], ['due_date', 'date'], ['explanation', 'jsonb']],
} as const
type Table = keyof typeof TABLES

class Batch {
  readonly columns = Object.fromEntries(Object.entries(TABLES).map(([table, cols]) => [table, cols.map(() => [] as Value[])])) as Record<Table, Value[][]>
  counts: Record<Table, number> = { court_acts: 0, measures: 0, measure_events: 0, work_sessions: 0, fine_payments: 0, deadlines: 0 }

  push(table: Table, values: Value[]): void {
    values.forEach((value, i) => this.columns[table][i].push(value))
    this.counts[table] += 1
  }

  async flush(sequelize: Sequelize): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      // Parents first: measures refer to acts, the rest to measures.
      for (const table of Object.keys(TABLES) as Table[]) {
        const cols = TABLES[table]
        if (this.columns[table][0].length === 0) continue
        await sequelize.query(
          `INSERT INTO ${table} (${cols.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${cols.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`,
          { bind: this.columns[table], transaction },
        )
      }
    })
    for (const table of Object.keys(TABLES) as Table[]) this.columns[table] = TABLES[table].map(() => [])
  }
}

export interface MeasureSeedResult {
  courtActs: number
  measures: number
  events: number
  workSessions: number
  finePayments: number
  openDeadlines: number
  overdueDeadlines: number
}

/** Ids the tables' sequences hand out, reserved up front so children can name their parents in the same batch. */
async function reserveIds(sequelize: Sequelize, sequence: string, n: number): Promise<number[]> {
  if (n === 0) return []
  const rows = await sequelize.query<{ id: number }>(`SELECT nextval('${sequence}')::int AS id FROM generate_series(1, ${n})`, { type: QueryTypes.SELECT })
  return rows.map((row) => row.id)
}

export async function seedMeasures(sequelize: Sequelize, targets: MeasureTarget[], random: Random, today: string, batchSize: number, stop: () => boolean): Promise<MeasureSeedResult> {
  const calendarRows = await sequelize.query<CalendarOverride>('SELECT date::text AS date, working, reason FROM calendar_days ORDER BY date', { type: QueryTypes.SELECT })
  const calendar = new WorkingCalendar(calendarRows)
  const settings = await sequelize.query<{ rule_id: DeadlineRuleId; amount: number }>('SELECT rule_id, amount FROM deadline_rule_settings', { type: QueryTypes.SELECT })
  const amounts = new Map(settings.map((s) => [s.rule_id, s.amount]))
  const ruleOf = (id: DeadlineRuleId): DeadlineRule => (amounts.has(id) ? { ...DEADLINE_RULES[id], offset: { ...DEADLINE_RULES[id].offset, amount: amounts.get(id)! } } : DEADLINE_RULES[id])

  const todayDay = dayOf(today)
  const earliest = todayDay - 3 * 365
  const result: MeasureSeedResult = { courtActs: 0, measures: 0, events: 0, workSessions: 0, finePayments: 0, openDeadlines: 0, overdueDeadlines: 0 }
  const r = random
  const between = (from: number, to: number) => (to <= from ? from : r.between(from, to))
  let validated = 0

  // Files closed before the three-year window cannot carry an act from it; the others share the 80% between them.
  const eligible = targets.filter((t) => !t.closedOn || dayOf(t.closedOn) >= earliest + 60)
  const share = Math.min(1, (0.8 * targets.length) / Math.max(1, eligible.length))
  const progress = new ProgressBar(eligible.length, 'measures     ')
  progress.update(0)

  for (let start = 0; start < eligible.length && !stop(); start += batchSize) {
    const chunk = eligible.slice(start, start + batchSize).filter(() => r.chance(share))
    const actIds = await reserveIds(sequelize, 'court_acts_id_seq', chunk.length)
    const measureIds = await reserveIds(sequelize, 'measures_id_seq', chunk.length * 2)
    let nextMeasure = 0
    const batch = new Batch()
    chunk.forEach((file, index) => {
      const open = file.status === 'ACTIVE' || file.status === 'SUSPENDED'
      const user = file.officerId ?? file.createdBy
      // The act: received within the last three years and before the file closed; act <= in force <= received.
      const lastDay = file.closedOn ? Math.min(dayOf(file.closedOn) - 20, todayDay) : todayDay
      const firstDay = Math.max(earliest, Math.min(dayOf(file.createdOn) - 60, lastDay - 30))
      // Open files: a third of the acts arrived in the last two months, so recent registrations exist.
      const received = open && r.chance(0.3) ? between(Math.max(firstDay, todayDay - 60), lastDay) : between(firstDay, lastDay)
      const inForce = received - between(0, 20)
      const actDate = inForce - between(0, 30)
      const kind = r.chance(0.7) ? 'VERDICT' : 'DECISION'
      const actId = actIds[index]
      batch.push('court_acts', [actId, file.id, r.pick(COURTS), `ԱՐԴ/${r.between(1, 9999)}/${r.pick(['01', '02', '03', '04', '05', '06', '07'])}/${isoOf(actDate).slice(2, 4)}`, kind, isoOf(actDate), isoOf(inForce), isoOf(received), user, new Date(received * DAY_MS + 10 * 3600_000).toISOString()])
      result.courtActs += 1

      const count = r.chance(0.1) ? 2 : 1
      for (let m = 0; m < count; m += 1) {
        const code = types.pick(r)
        const type = measureType(code)
        const measureId = measureIds[nextMeasure++]
        // The state: closed files' measures are over; open files' measures mostly run.
        let state: 'registered' | 'in_execution' | 'suspended' | 'completed' | 'ended'
        if (!open) state = r.chance(0.85) ? 'completed' : 'ended'
        else if (todayDay - received <= 10) state = r.chance(0.7) ? 'registered' : 'in_execution'
        else {
          const x = r.float()
          state = x < 0.02 ? 'registered' : x < (file.status === 'SUSPENDED' ? 0.6 : 0.08) ? 'suspended' : 'in_execution'
        }
        const started = state !== 'registered'
        const startDay = started ? Math.min(received + between(1, 15), todayDay) : null
        // When it was over (closed files): before the file closed, after it started.
        const overDay = !open ? Math.max(startDay ?? received, Math.min(dayOf(file.closedOn ?? today) - between(0, 15), todayDay)) : null

        // Details the catalogue accepts; terms sized so a completed measure's end falls before it was completed.
        const details: Record<string, unknown> = {}
        const monthsUntilOver = overDay !== null && startDay !== null ? Math.floor((overDay - startDay) / 31) : null
        const months = (wanted: number) => (state === 'completed' && monthsUntilOver !== null ? Math.max(1, Math.min(wanted, monthsUntilOver)) : wanted)
        const obligations = () => Array.from(new Set(Array.from({ length: r.between(1, 3) }, () => r.pick(OBLIGATIONS))))
        let hours = 0
        let amount = 0
        switch (code) {
          case 'FINE':
            amount = r.between(5, 200) * 10_000
            details.amountAmd = amount
            if (r.chance(0.4)) details.instalmentsAllowed = r.chance(0.6)
            break
          case 'PUBLIC_WORKS':
            hours = hoursOrdered.pick(r)
            details.hoursOrdered = hours
            if (r.chance(0.1)) details.convertedFromFine = true
            break
          case 'DEPRIVATION_OF_RIGHT':
            details.prohibitedPostOrActivity = r.pick(PROHIBITED)
            details.termMonths = months(r.pick([12, 24, 36, 48, 60]))
            break
          case 'RESTRICTION_OF_LIBERTY':
            details.termMonths = months(r.pick([6, 12, 18, 24]))
            details.courtObligations = obligations()
            break
          case 'CONDITIONAL_NON_APPLICATION':
          case 'CONDITIONAL_EARLY_RELEASE':
          case 'DEFERMENT':
          case 'RELEASE_FROM_SERVING':
            details.probationPeriodMonths = months(probationMonths.pick(r))
            if (r.chance(0.7)) details.courtObligations = obligations()
            break
          case 'HOUSE_ARREST':
          case 'ADMINISTRATIVE_SUPERVISION': {
            if (code === 'HOUSE_ARREST') details.houseArrestAddress = `${r.pick(COMMUNITIES[file.regionCode] ?? ['Երևան'])}, ${r.pick(STREETS)} փ., ${r.between(1, 80)} շ.`
            else details.reportingPerWeek = r.between(1, 3)
            details.termEndDate = periodEnd(isoOf(startDay ?? received), months(r.between(2, 12)))
            if (code === 'ADMINISTRATIVE_SUPERVISION' && r.chance(0.3)) details.electronicMonitoringOrdered = r.chance(0.5)
            if (r.chance(0.5)) details.courtObligations = obligations()
            break
          }
          case 'BAIL':
            details.amountAmd = r.between(10, 100) * 50_000
            if (r.chance(0.5)) details.courtObligations = obligations()
            break
          case 'BAN_ON_VISITING_PLACES':
            details.placesBanned = Array.from(new Set([r.pick(PLACES), r.pick(PLACES)]))
            details.termMonths = months(r.pick([6, 12, 24]))
            break
          case 'PSYCHOLOGICAL_HELP':
            details.termMonths = months(r.pick([3, 6, 12]))
            if (r.chance(0.5)) details.courtObligations = obligations()
            break
          case 'EDUCATIONAL_MEASURE':
            details.educationalMeasures = [r.pick(EDUCATIONAL)]
            if (r.chance(0.6)) details.termMonths = months(r.pick([6, 12]))
            break
        }
        if (validated < 200 || r.chance(0.01)) {
          const problems = validateMeasureDetails(code, details)
          if (problems.length > 0) throw new Error(`seed:scale generated invalid ${code} details ${JSON.stringify(details)}: ${JSON.stringify(problems)}`)
          validated += 1
        }

        // The period: the same end the app computes at start (termEndDate, or start + months for a term to run out).
        const termMonthsValue = (details.probationPeriodMonths ?? details.termMonths) as number | undefined
        let endDate: string | null = null
        if (startDay !== null) {
          if (typeof details.termEndDate === 'string') endDate = details.termEndDate
          else if (typeof termMonthsValue === 'number' && type.completion === 'endDateReached') endDate = periodEnd(isoOf(startDay), termMonthsValue)
        }
        let endedOn: string | null = null
        let endReason: string | null = null
        if (state === 'completed' || state === 'ended') {
          endedOn = isoOf(overDay!)
          // A term still running when the file closed was ended early, never completed after the file closed.
          if (state === 'completed' && endDate !== null && endDate > endedOn) state = 'ended'
          if (state === 'ended') endReason = r.pick(['revoked', 'replaced', 'converted', 'pardon_or_amnesty', 'other'])
        }
        // Open files: a period that ran out is usually completed already; a few stay in execution, overdue.
        if ((state === 'in_execution' || state === 'suspended') && endDate !== null && endDate < today && r.chance(0.8)) {
          state = 'completed'
          endedOn = isoOf(Math.min(dayOf(endDate) + between(0, 10), todayDay))
        }

        // Work and payments; a completed public works has all its hours, a completed fine all its amount.
        if (code === 'PUBLIC_WORKS' && startDay !== null) {
          const lastWorkDay = endedOn ? dayOf(endedOn) : todayDay
          const target = state === 'completed' ? hours : state === 'ended' ? Math.floor(hours * r.float() * 0.8) : Math.min(hours - 1, Math.floor(((lastWorkDay - startDay) / 7) * between(2, 10)))
          let done = 0
          let day = startDay
          while (done < target && day <= lastWorkDay) {
            const h = Math.min(target - done, r.between(2, 8))
            batch.push('work_sessions', [measureId, isoOf(day), h, r.pick(['Համայնքապետարան', 'Բարեկարգման ծառայություն', 'Դպրոցի տնօրինություն']), user])
            done += h
            day += between(1, 7)
          }
          if (state === 'completed' && done < hours) state = 'ended' // ran out of days before the hours: stopped early
          if (state === 'ended') endReason ??= 'other'
        }
        if (code === 'FINE' && startDay !== null) {
          const lastPayDay = endedOn ? dayOf(endedOn) : todayDay
          const target = state === 'completed' ? amount : state === 'ended' ? 0 : r.chance(0.5) ? Math.floor((amount * r.float()) / 10_000) * 10_000 : 0
          const parts = details.instalmentsAllowed === true ? r.between(1, 4) : 1
          let paid = 0
          for (let p = 0; p < parts && paid < target; p += 1) {
            const part = p === parts - 1 ? target - paid : Math.min(target - paid, Math.ceil(target / parts / 1000) * 1000)
            if (part <= 0) break
            batch.push('fine_payments', [measureId, isoOf(between(startDay, lastPayDay)), part, `ԱՆԴ-${r.digits(8)}`, user])
            paid += part
          }
        }

        const measureUpdated = Math.max(received, endedOn ? dayOf(endedOn) : startDay ?? received)
        batch.push('measures', [measureId, file.id, actId, code, JSON.stringify(details), state, startDay !== null ? isoOf(startDay) : null, endDate, endedOn, endReason,
          new Date(received * DAY_MS + 11 * 3600_000).toISOString(), new Date(measureUpdated * DAY_MS + 12 * 3600_000).toISOString(), 1 + (startDay !== null ? 1 : 0) + (endedOn ? 1 : 0)])
        result.measures += 1
        // The lifecycle's history, as the service records it.
        batch.push('measure_events', [measureId, 'register', 'received', 'registered', isoOf(received), null, actId, user])
        if (startDay !== null) batch.push('measure_events', [measureId, 'start', 'registered', 'in_execution', isoOf(startDay), null, null, user])
        if (state === 'suspended') batch.push('measure_events', [measureId, 'suspend', 'in_execution', 'suspended', isoOf(between(startDay!, todayDay)), 'Բուժման մեջ է', null, user])
        if (endedOn) batch.push('measure_events', [measureId, state === 'completed' ? 'complete' : 'end', 'in_execution', state, endedOn, endReason, null, user])

        // OPEN deadlines: a registered measure still owes its registration duties; one in execution its period's report
        // and, for a fine, the payment.
        const deadlineEvents: [DeadlineRuleId, string][] = []
        const ruleIds = registrationDeadlineRuleIds(code, details)
        if (state === 'registered') {
          for (const id of ruleIds) if (id !== 'PERIOD_END_REPORT') deadlineEvents.push([id, id === 'FINE_PAYMENT' ? isoOf(inForce) : isoOf(received)])
        } else if (state === 'in_execution') {
          if (ruleIds.includes('PERIOD_END_REPORT') && endDate) deadlineEvents.push(['PERIOD_END_REPORT', endDate])
          if (code === 'FINE' && (todayDay - inForce < 30 || r.chance(0.08))) deadlineEvents.push(['FINE_PAYMENT', isoOf(inForce)])
        }
        for (const [ruleId, eventDate] of deadlineEvents) {
          const { dueDate, explanation } = computeDueDate(ruleOf(ruleId), eventDate, calendar)
          batch.push('deadlines', [file.id, ruleId, 'measure', measureId, eventDate, dueDate, JSON.stringify(explanation)])
          result.openDeadlines += 1
          if (dueDate < today) result.overdueDeadlines += 1
        }
      }
    })
    await batch.flush(sequelize)
    result.events += batch.counts.measure_events
    result.workSessions += batch.counts.work_sessions
    result.finePayments += batch.counts.fine_payments
    progress.update(Math.min(eligible.length, start + batchSize))
  }
  return result
}
