/*
 * Assessments, supervision plans, contacts and activities for the scale dataset (scripts/seed-scale.ts), set-based in
 * SQL so that a million appointments take seconds, not minutes. For the supervised files (isSupervisedCategory) that
 * are open, and about 60% of those closed in the last two years:
 *
 * - assessments with the shipped sample instrument (stored as the app stores it, assessments.ensureSample): the
 *   initial one a few days after registration, reassessments about every six months (at most five, spread evenly up
 *   to the latest, which is within the last 200 days: ~5% of the open reassessment deadlines are overdue). Answers,
 *   evidence and results come from a few hundred answer profiles scored in JS by the real scoreAssessment for each
 *   band set of the instrument, so the result page, levels and needs are what the app would have frozen. Earlier
 *   assessments are countersigned by the head (a senior specialist when the head wrote it); a recent latest one often
 *   awaits countersignature; some files have a draft. Most files of the last weeks are not assessed yet
 *   (INITIAL_ASSESSMENT open), and 1.5% of the others are late with it.
 * - plans: the previous assessment's plan (superseded), the latest one's (approved, or not made yet, a draft, or
 *   submitted when the assessment is recent; 1.5% late with it) and, once its review date has passed, usually a
 *   reviewed version approved around it; a goal per need (a general goal when none) with one or two steps, the
 *   person's agreement, the contact frequency from the risk level and the court's reporting obligations
 *   (contactFrequency), review dates.
 * - appointments, `contacts` of them in all (10 per file by default): at the in-force plan's frequency (two a month
 *   before a plan) from the first contact a few days after registration, over the last W days, W chosen so the total
 *   comes out right, and booked up to four weeks ahead; mostly office visits and calls; past ones mostly attended,
 *   some absences, some cancelled, a few still without an outcome.
 * - deadlines: OPEN FIRST_CONTACT, INITIAL_ASSESSMENT, PLAN_AFTER_ASSESSMENT, REASSESSMENT and PLAN_REVIEW where due
 *   (open files only), and the DONE ones due in the last 400 days (for the boards' and reports' "done on time"), with
 *   the due date and explanation of computeDueDate on the calendar_days calendar, as scripts/scale/measures.ts.
 * - resocialisation events every two weeks per region (once: not again with --append) with a few participants each,
 *   their attendance and a goal.
 *
 * Pseudo-random values come from a hash of the row's key and --seed (hashint8extended), so the same seed on the same
 * files gives the same data. Everything runs in one transaction; the foreign keys of the tables written are dropped
 * for it and added back at the end (checked then in one pass each, not row by row).
 */
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import { ACTIVITY_KINDS } from '../../server/domain/activities'
import { BENEFICIARY_CATEGORIES, SEXES } from '../../server/domain/beneficiaryCatalogue'
import { WorkingCalendar, type CalendarOverride } from '../../server/domain/calendar'
import { computeDueDate, CONTACT_FREQUENCY_BY_RISK, DEADLINE_RULES, RISK_LEVELS, type DeadlineRule, type DeadlineRuleId, type RiskLevel } from '../../server/domain/deadlineRules'
import { ASSESSED_AGES, mostSpecificBandSets, scoreAssessment, type Instrument, type Person } from '../../server/domain/instruments'
import { sampleInstrument } from '../../server/domain/sampleInstrument'
import { contactFrequency, isSupervisedCategory, STEP_KINDS } from '../../server/domain/supervision'
import { formatDuration, mulberry32, Random } from './common'
import {
  ACTIVITY_TITLES, BENEFICIARY_DISAGREEMENTS, CANCEL_REASONS, CONTACT_NOTES, EVIDENCE_TEXTS, GOAL_TEXTS, OUTCOME_NOTES, SCALE_USERNAME_PREFIX, scaleUsername, STEP_TEMPLATES,
} from './data'

const DAY_MS = 86_400_000
const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

/** Answer profiles: each scored once per band set of the instrument. */
const PROFILES = 240
/** Average days between two contacts at one contact a month. */
const DAYS_PER_MONTH = 30.44
/** Appointments are booked up to this many days ahead. */
const BOOKED_AHEAD_DAYS = 28
/** Closed files are supervised when closed this recently; activities go this far back. */
const HISTORY_DAYS = 730
/** DONE deadlines are written for due dates this far back (the boards and reports look at the recent quarters). */
const DONE_HISTORY_DAYS = 400
const SUPERVISION_RULES: readonly DeadlineRuleId[] = ['FIRST_CONTACT', 'INITIAL_ASSESSMENT', 'PLAN_AFTER_ASSESSMENT', 'REASSESSMENT', 'PLAN_REVIEW']
/** The tables written, whose foreign keys are checked once at the end rather than row by row. */
const SEEDED_TABLES = ['assessments', 'supervision_plans', 'plan_goals', 'plan_steps', 'appointments', 'deadlines', 'activity_events', 'activity_participants']

export interface SupervisionSeedResult {
  files: number
  assessments: number
  drafts: number
  awaitingCountersignature: number
  plans: number
  plansApproved: number
  plansSuperseded: number
  plansSubmitted: number
  plansDraft: number
  goals: number
  steps: number
  appointments: number
  appointmentsPast: number
  appointmentsAwaitingOutcome: number
  appointmentsFuture: number
  appointmentsCancelled: number
  contactWindowDays: number
  openDeadlines: number
  overdueDeadlines: number
  doneDeadlines: number
  activityEvents: number
  participants: number
}

export interface SupervisionSeedOptions {
  /** Appointments wanted in all (about). */
  contacts: number
  /** Only files with a larger id (--append: this run's files); 0 for every scale file. */
  afterId: number
  seed: number
  /** The service day (Yerevan) and the moment the data is generated for. */
  today: string
  now: Date
}

/** The app's own way of storing the sample instrument (the same row the first assessment would create). */
export interface InstrumentStore {
  ensureSample(transaction?: Transaction): Promise<void>
}

// ----------------------------------------------------------------------------------------------- pieces computed in JS

interface Profile {
  answers: Record<string, string>
  evidence: Record<string, string>
  draftAnswers: Record<string, string>
  draftEvidence: Record<string, string>
}

/** Answer sets from mild to severe; each domain leans around the profile's severity, each item picks by its options' scores. */
function answerProfiles(instrument: Instrument, random: Random, representative: Person): Profile[] {
  const scored: { profile: Profile; total: number }[] = []
  for (let p = 0; p < PROFILES; p += 1) {
    const severity = Math.pow(random.float(), 1.2)
    const answers: Record<string, string> = {}
    const evidence: Record<string, string> = {}
    for (const domain of instrument.domains) {
      const lean = Math.min(1, Math.max(0, severity + (random.float() - 0.5) * 0.6))
      for (const item of domain.items) {
        const byScore = [...item.options].sort((a, b) => a.score - b.score)
        const rank = Math.min(byScore.length - 1, Math.floor(Math.pow(random.float(), (1 - lean) * 3 + 0.35) * byScore.length))
        answers[item.code] = byScore[rank].code
        if (item.evidenceRequired || random.chance(0.1)) evidence[item.code] = random.pick(EVIDENCE_TEXTS)
      }
    }
    // A draft: the first part of the form answered, the evidence typed so far.
    const items = instrument.domains.flatMap((domain) => domain.items.map((item) => item.code))
    const answered = new Set(items.slice(0, Math.max(1, Math.floor(items.length * (0.2 + random.float() * 0.7)))))
    const draftAnswers = Object.fromEntries(Object.entries(answers).filter(([code]) => answered.has(code)))
    const draftEvidence = Object.fromEntries(Object.entries(evidence).filter(([code]) => answered.has(code)))
    scored.push({ profile: { answers, evidence, draftAnswers, draftEvidence }, total: scoreAssessment(instrument, answers, representative).total })
  }
  // Ordered from the mildest: a later assessment of the same person takes a nearby, usually milder, profile.
  return scored.sort((a, b) => a.total - b.total).map((entry) => entry.profile)
}

/** For every sex and assessed age, the band set the instrument applies (its index), and one person of each set. */
function bandClasses(instrument: Instrument): { rows: { sex: string; age: number; bandSet: number }[]; people: Map<number, Person> } {
  const rows: { sex: string; age: number; bandSet: number }[] = []
  const people = new Map<number, Person>()
  for (const sex of SEXES) {
    for (let age = ASSESSED_AGES.min; age <= ASSESSED_AGES.max; age += 1) {
      const person = { sex, ageYears: age }
      const sets = mostSpecificBandSets(instrument.bandSets, person)
      if (sets.length !== 1) throw new Error(`the instrument has ${sets.length} band sets for ${sex} aged ${age}`)
      rows.push({ sex, age, bandSet: sets[0] })
      if (!people.has(sets[0])) people.set(sets[0], person)
    }
  }
  return { rows, people }
}

/** Texts by domain, falling back to the general ones for a domain without its own. */
function textsFor<T>(domains: readonly string[], table: Record<string, readonly T[]>): { domain: string; variant: number; value: T }[] {
  return [...domains, 'GENERAL'].flatMap((domain) => (table[domain] ?? table.GENERAL).map((value, variant) => ({ domain, variant, value })))
}

// ----------------------------------------------------------------------------------------------- the seed

export async function seedSupervision(sequelize: Sequelize, instruments: InstrumentStore, options: SupervisionSeedOptions): Promise<SupervisionSeedResult> {
  if (!Number.isInteger(options.seed) || options.seed < 0) throw new Error('seed must be a non-negative integer')
  const { today } = options
  const now = options.now.toISOString()
  const random = new Random(mulberry32((options.seed * 0x27d4eb2d + 0x5e7) >>> 0))

  // The instrument exactly as the app stores and reads it.
  await instruments.ensureSample()
  const sample = sampleInstrument()
  const [stored] = await sequelize.query<{ id: number; definition: Instrument }>('SELECT id, definition FROM instrument_versions WHERE code = :code AND version = :version', {
    replacements: { code: sample.code, version: sample.version },
    type: QueryTypes.SELECT,
  })
  if (!stored) throw new Error(`instrument ${sample.code} version ${sample.version} is missing after ensureSample`)
  const instrument = stored.definition
  const classes = bandClasses(instrument)
  const representative = classes.people.get(classes.rows.find((row) => row.sex === 'MALE' && row.age === 30)!.bandSet)!
  const profiles = answerProfiles(instrument, random, representative)
  const profileRows = profiles.flatMap((profile, index) =>
    [...classes.people].map(([bandSet, person]) => {
      const score = scoreAssessment(instrument, profile.answers, person)
      if (!score.complete || !score.level) throw new Error('a generated answer profile is incomplete')
      return { index, bandSet, profile, score }
    }),
  )

  // The contact frequency a plan states for each risk level and court reporting obligation (none, or 1 to 7 a week).
  const settings = await sequelize.query<{ risk_level: RiskLevel; contacts_per_month: number }>('SELECT risk_level, contacts_per_month FROM contact_frequency_settings', { type: QueryTypes.SELECT })
  const frequencyTable = { ...CONTACT_FREQUENCY_BY_RISK.contactsPerMonth }
  for (const row of settings) frequencyTable[row.risk_level] = row.contacts_per_month
  const frequencies = RISK_LEVELS.flatMap((level) => [0, 1, 2, 3, 4, 5, 6, 7].map((weekly) => ({ level, weekly, frequency: contactFrequency(level, frequencyTable, weekly > 0 ? [weekly] : []) })))

  // Goal and step texts per domain of the instrument.
  const domains = instrument.domains.map((domain) => domain.code)
  const goalTexts = textsFor(domains, GOAL_TEXTS)
  const stepTexts = textsFor(domains, STEP_TEMPLATES)
  for (const { value } of stepTexts) if (!(STEP_KINDS as readonly string[]).includes(value[0])) throw new Error(`unknown step kind ${value[0]} in STEP_TEMPLATES`)

  // Due dates by the real engine: the rules with their values in force, on the calendar_days calendar.
  const calendarRows = await sequelize.query<CalendarOverride>('SELECT date::text AS date, working, reason FROM calendar_days ORDER BY date', { type: QueryTypes.SELECT })
  const calendar = new WorkingCalendar(calendarRows)
  const ruleSettings = await sequelize.query<{ rule_id: DeadlineRuleId; amount: number }>('SELECT rule_id, amount FROM deadline_rule_settings', { type: QueryTypes.SELECT })
  const amounts = new Map(ruleSettings.map((s) => [s.rule_id, s.amount]))
  const ruleOf = (id: DeadlineRuleId): DeadlineRule => (amounts.has(id) ? { ...DEADLINE_RULES[id], offset: { ...DEADLINE_RULES[id].offset, amount: amounts.get(id)! } } : DEADLINE_RULES[id])

  const unsupervised = BENEFICIARY_CATEGORIES.filter((category) => !isSupervisedCategory(category))
  const regions = await sequelize.query<{ id: number; code: string }>('SELECT id, code FROM regions WHERE active ORDER BY id', { type: QueryTypes.SELECT })

  return sequelize.transaction(async (transaction) => {
    const run = (sql: string, replacements: Record<string, unknown> = {}) => sequelize.query(sql, { replacements: { today, now, ...replacements }, transaction })
    const select = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) => sequelize.query<T>(sql, { replacements: { today, now, ...replacements }, type: QueryTypes.SELECT, transaction })

    let phaseStartedAt = Date.now()
    const phase = (label: string) => {
      process.stderr.write(`  ${label.padEnd(13)} ${formatDuration(Date.now() - phaseStartedAt)}\n`)
      phaseStartedAt = Date.now()
    }
    await run(`SET LOCAL work_mem = '256MB'`)
    // u(key, n): a uniform value in [0, 1) from the key, the draw's number n and --seed (an integer, checked above).
    await run(`CREATE OR REPLACE FUNCTION pg_temp.u(k bigint, n int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
                 AS $$ SELECT (hashint8extended(k, ${options.seed} * 128 + n) & 9007199254740991)::float8 / 9007199254740992 $$`)
    // The working day on or before a date (Saturday and Sunday back to Friday), for things done in the office.
    await run(`CREATE OR REPLACE FUNCTION pg_temp.weekday_before(d date) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
                 AS $$ SELECT d - CASE extract(isodow FROM d)::int WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END $$`)
    // pick(list, x): the element of a JSON list of texts at x in [0, 1).
    await run(`CREATE OR REPLACE FUNCTION pg_temp.pick(list jsonb, x float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                 AS $$ SELECT list ->> floor(x * jsonb_array_length(list))::int $$`)

    // ------------------------------------------------------------------------------------- reference tables
    // Filled from JS arrays through bound parameters (INSERT … SELECT unnest($n), as the other scale steps).
    const load = async (table: string, columns: string, rows: Record<string, unknown[]>, types: string[]) => {
      await run(`CREATE TEMP TABLE ${table} (${columns}) ON COMMIT DROP`)
      const names = columns.split(',').map((column) => column.trim().split(' ')[0])
      await sequelize.query(`INSERT INTO ${table} SELECT * FROM unnest(${types.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`, { bind: names.map((name) => rows[name]), transaction })
    }
    await load('scale_staff_names', 'region_id int, head text, senior text', {
      region_id: regions.map((r) => r.id), head: regions.map((r) => scaleUsername.head(r.code)), senior: regions.map((r) => scaleUsername.senior(r.code, 1)),
    }, ['int', 'text', 'text'])
    await run(
      `CREATE TEMP TABLE scale_staff ON COMMIT DROP AS
       SELECT s.region_id, h.id AS head_id, coalesce(sn.id, h.id) AS senior_id
         FROM scale_staff_names s JOIN users h ON lower(h.username) = s.head LEFT JOIN users sn ON lower(sn.username) = s.senior`,
    )
    await load('scale_band_class', 'sex text, age int, band_set int', {
      sex: classes.rows.map((row) => row.sex), age: classes.rows.map((row) => row.age), band_set: classes.rows.map((row) => row.bandSet),
    }, ['text', 'int', 'int'])
    await load('scale_profiles', 'idx int, band_set int, answers jsonb, evidence jsonb, result jsonb, risk_level text, needs_json jsonb, draft_answers jsonb, draft_evidence jsonb', {
      idx: profileRows.map((row) => row.index), band_set: profileRows.map((row) => row.bandSet),
      answers: profileRows.map((row) => JSON.stringify(row.profile.answers)), evidence: profileRows.map((row) => JSON.stringify(row.profile.evidence)),
      result: profileRows.map((row) => JSON.stringify(row.score)), risk_level: profileRows.map((row) => row.score.level), needs_json: profileRows.map((row) => JSON.stringify(row.score.needs)),
      draft_answers: profileRows.map((row) => JSON.stringify(row.profile.draftAnswers)), draft_evidence: profileRows.map((row) => JSON.stringify(row.profile.draftEvidence)),
    }, ['int', 'int', 'jsonb', 'jsonb', 'jsonb', 'text', 'jsonb', 'jsonb', 'jsonb'])
    await run(`ALTER TABLE scale_profiles ADD COLUMN needs text[]; UPDATE scale_profiles SET needs = ARRAY(SELECT jsonb_array_elements_text(needs_json)); CREATE UNIQUE INDEX ON scale_profiles (idx, band_set)`)
    await load('scale_frequency', 'risk_level text, weekly int, per_month int, basis jsonb', {
      risk_level: frequencies.map((f) => f.level), weekly: frequencies.map((f) => f.weekly), per_month: frequencies.map((f) => f.frequency.contactsPerMonth),
      basis: frequencies.map((f) => JSON.stringify(f.frequency.basis)),
    }, ['text', 'int', 'int', 'jsonb'])
    await load('scale_goal_texts', 'domain text, variant int, description text', {
      domain: goalTexts.map((g) => g.domain), variant: goalTexts.map((g) => g.variant), description: goalTexts.map((g) => g.value),
    }, ['text', 'int', 'text'])
    await load('scale_step_texts', 'domain text, variant int, kind text, description text, responsible text', {
      domain: stepTexts.map((s) => s.domain), variant: stepTexts.map((s) => s.variant), kind: stepTexts.map((s) => s.value[0]),
      description: stepTexts.map((s) => s.value[1]), responsible: stepTexts.map((s) => s.value[2]),
    }, ['text', 'int', 'text', 'text', 'text'])

    // ------------------------------------------------------------------------------------- the files
    await run(
      `CREATE TEMP TABLE scale_sup_files ON COMMIT DROP AS
       SELECT b.id, b.region_id, b.sex, b.birth_date, b.closed_on, b.risk_to_staff, b.status IN ('ACTIVE', 'SUSPENDED') AS open,
              (b.created_at AT TIME ZONE 'Asia/Yerevan')::date AS registered_on, least(coalesce(b.closed_on, DATE :today), DATE :today) AS end_day,
              coalesce(b.responsible_officer_id, s.head_id) AS officer_id, s.head_id, s.senior_id
         FROM beneficiaries b JOIN scale_staff s ON s.region_id = b.region_id
        WHERE b.created_by_user_id IN (SELECT id FROM users WHERE username LIKE :prefix) AND b.id > :afterId AND b.anonymised_at IS NULL
          AND b.category NOT IN (:unsupervised)
          AND (b.status IN ('ACTIVE', 'SUSPENDED') OR (b.status IN ('CLOSED', 'ARCHIVED') AND b.closed_on >= DATE :today - ${HISTORY_DAYS} AND pg_temp.u(b.id, 1) < 0.6))
          AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.beneficiary_id = b.id)`,
      { prefix: `${SCALE_USERNAME_PREFIX}%`, afterId: options.afterId, unsupervised },
    )
    await run('ANALYZE scale_sup_files')
    const [{ files, firstDay }] = await select<{ files: number; firstDay: string | null }>('SELECT count(*)::int AS files, min(registered_on)::text AS "firstDay" FROM scale_sup_files')
    const empty: SupervisionSeedResult = {
      files: 0, assessments: 0, drafts: 0, awaitingCountersignature: 0, plans: 0, plansApproved: 0, plansSuperseded: 0, plansSubmitted: 0, plansDraft: 0, goals: 0, steps: 0,
      appointments: 0, appointmentsPast: 0, appointmentsAwaitingOutcome: 0, appointmentsFuture: 0, appointmentsCancelled: 0, contactWindowDays: 0, openDeadlines: 0, overdueDeadlines: 0,
      doneDeadlines: 0, activityEvents: 0, participants: 0,
    }
    if (files === 0 || !firstDay) return empty

    // Every due date a generated event can need: each rule, each day from the first registration to today.
    const due: { rule: string; event: string; due: string; explanation: string }[] = []
    for (let day = dayOf(firstDay); day <= dayOf(today); day += 1) {
      for (const id of SUPERVISION_RULES) {
        const computed = computeDueDate(ruleOf(id), isoOf(day), calendar)
        due.push({ rule: id, event: isoOf(day), due: computed.dueDate, explanation: JSON.stringify(computed.explanation) })
      }
    }
    await load('scale_due', 'rule_id text, event_date date, due_date date, explanation jsonb', {
      rule_id: due.map((d) => d.rule), event_date: due.map((d) => d.event), due_date: due.map((d) => d.due), explanation: due.map((d) => d.explanation),
    }, ['text', 'date', 'date', 'jsonb'])
    await run('CREATE UNIQUE INDEX ON scale_due (rule_id, event_date)')

    // Foreign keys are checked row by row (a million appointments: ~22 s of checks against ~7 s of inserting); they
    // are dropped here and added back, with the same definitions, at the end, which checks every row in one pass.
    const foreignKeys = await select<{ table: string; name: string; definition: string }>(
      `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
         FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (:tables) ORDER BY conrelid::regclass::text, conname`,
      { tables: SEEDED_TABLES },
    )
    for (const key of foreignKeys) await run(`ALTER TABLE ${key.table} DROP CONSTRAINT "${key.name}"`)
    phase('preparation')

    // ------------------------------------------------------------------------------------- assessments
    // Per file: the initial assessment a few days after registration; r reassessments spread up to the latest.
    await run(
      `CREATE TEMP TABLE scale_chain ON COMMIT DROP AS
       WITH base AS (
         SELECT f.*, pg_temp.weekday_before(f.registered_on + 3 + floor(pg_temp.u(f.id, 2) * 16)::int) AS initial_on, pg_temp.u(f.id, 3) AS u3
           FROM scale_sup_files f
       ), assessed AS (
         SELECT b.*, CASE WHEN b.open THEN b.initial_on <= DATE :today AND NOT (DATE :today - b.registered_on < 25 AND b.u3 < 0.75) AND b.u3 >= 0.015
                          ELSE b.initial_on <= b.end_day END AS assessed
           FROM base b
       ), counted AS (
         SELECT a.*, CASE WHEN a.assessed THEN least(5, floor((a.end_day - a.initial_on) / 182.0))::int ELSE 0 END AS r FROM assessed a
       )
       SELECT c.*, CASE WHEN c.r = 0 THEN c.initial_on ELSE pg_temp.weekday_before(c.end_day - floor(pg_temp.u(c.id, 4) * least(200, (c.end_day - c.initial_on) - 60 * c.r))::int) END AS latest_on,
              floor(pg_temp.u(c.id, 5) * ${PROFILES})::int AS profile_base
         FROM counted c`,
    )
    await run('ANALYZE scale_chain')
    await run(
      `CREATE TEMP TABLE scale_assessments ON COMMIT DROP AS
       SELECT nextval('assessments_id_seq')::int AS id, x.*,
              CASE WHEN x.j = x.r AND x.open AND ((x.completed_on >= DATE :today - 10 AND pg_temp.u(x.beneficiary_id, 6) < 0.55) OR pg_temp.u(x.beneficiary_id, 6) < 0.01)
                   THEN 'COMPLETED' ELSE 'COUNTERSIGNED' END AS status
         FROM (SELECT c.id AS beneficiary_id, g.j, c.r, c.open, c.officer_id, c.head_id, c.senior_id, c.sex, c.birth_date,
                      CASE WHEN g.j = 0 THEN c.initial_on WHEN g.j = c.r THEN c.latest_on
                           ELSE pg_temp.weekday_before(c.initial_on + round(g.j * (c.latest_on - c.initial_on)::numeric / c.r)::int) END AS completed_on,
                      greatest(0, least(${PROFILES - 1}, c.profile_base - 3 * g.j + floor(pg_temp.u(c.id * 8 + g.j, 7) * 13)::int - 6)) AS profile
                 FROM scale_chain c CROSS JOIN LATERAL generate_series(0, c.r) AS g (j)
                WHERE c.assessed ORDER BY c.id, g.j) x;
       CREATE UNIQUE INDEX ON scale_assessments (beneficiary_id, j);
       ANALYZE scale_assessments`,
    )
    // Completed rows are written final (the trigger refuses changes to them); the age is whole years as ageOn() counts them.
    await run(
      `INSERT INTO assessments (id, beneficiary_id, instrument_version_id, kind, reason, status, answers, evidence, result, risk_level, needs, author_user_id,
                                completed_on, countersigned_by_user_id, countersigned_on, version, created_at, updated_at)
       SELECT a.id, a.beneficiary_id, :versionId, CASE WHEN a.j = 0 THEN 'INITIAL' ELSE 'REASSESSMENT' END,
              CASE WHEN a.j = 0 THEN 'REGISTRATION' WHEN pg_temp.u(a.id, 8) < 0.05 THEN 'VIOLATION' WHEN pg_temp.u(a.id, 8) < 0.1 THEN 'CHANGE_OF_CIRCUMSTANCES' ELSE 'SCHEDULED' END,
              a.status, p.answers, p.evidence, p.result, p.risk_level, p.needs, a.officer_id, a.completed_on,
              CASE WHEN a.status = 'COUNTERSIGNED' THEN CASE WHEN a.officer_id = a.head_id THEN a.senior_id ELSE a.head_id END END,
              CASE WHEN a.status = 'COUNTERSIGNED' THEN least(DATE :today, a.completed_on + floor(pg_temp.u(a.id, 9) * 6)::int) END,
              CASE WHEN a.status = 'COUNTERSIGNED' THEN 4 ELSE 3 END + floor(pg_temp.u(a.id, 10) * 25)::int,
              ((a.completed_on - 1 - floor(pg_temp.u(a.id, 11) * 5)::int) + time '10:00') AT TIME ZONE 'Asia/Yerevan',
              (a.completed_on + CASE WHEN a.status = 'COUNTERSIGNED' THEN floor(pg_temp.u(a.id, 9) * 6)::int ELSE 0 END + time '16:00') AT TIME ZONE 'Asia/Yerevan'
         FROM scale_assessments a
         JOIN scale_band_class k ON k.sex = a.sex AND k.age = greatest(${ASSESSED_AGES.min}, least(${ASSESSED_AGES.max},
              extract(year FROM a.completed_on)::int - extract(year FROM a.birth_date)::int - CASE WHEN to_char(a.completed_on, 'MM-DD') < to_char(a.birth_date, 'MM-DD') THEN 1 ELSE 0 END))
         JOIN scale_profiles p ON p.idx = a.profile AND p.band_set = k.band_set
        ORDER BY a.id`,
      { versionId: stored.id },
    )
    // Drafts: most new files' initial assessment under way, a few reassessments; the newest row of their file.
    await run(
      `INSERT INTO assessments (beneficiary_id, instrument_version_id, kind, reason, status, answers, evidence, author_user_id, version, created_at, updated_at)
       SELECT c.id, :versionId, CASE WHEN c.assessed THEN 'REASSESSMENT' ELSE 'INITIAL' END,
              CASE WHEN NOT c.assessed THEN 'REGISTRATION' WHEN pg_temp.u(c.id, 13) < 0.5 THEN 'CHANGE_OF_CIRCUMSTANCES' ELSE 'SCHEDULED' END,
              'DRAFT', p.draft_answers, p.draft_evidence, c.officer_id, 1 + floor(pg_temp.u(c.id, 14) * 30)::int,
              (d.started_on + time '11:00') AT TIME ZONE 'Asia/Yerevan', least(TIMESTAMPTZ :now, (d.started_on + 1 + time '12:00') AT TIME ZONE 'Asia/Yerevan')
         FROM scale_chain c
        CROSS JOIN LATERAL (SELECT least(DATE :today, CASE WHEN c.assessed THEN greatest(c.latest_on + 1, DATE :today - 10) ELSE greatest(c.registered_on, DATE :today - 10) END) AS started_on) d
         JOIN scale_profiles p ON p.idx = c.profile_base AND p.band_set = (SELECT min(band_set) FROM scale_profiles)
        WHERE c.open AND ((NOT c.assessed AND pg_temp.u(c.id, 12) < 0.45) OR (c.assessed AND pg_temp.u(c.id, 12) < 0.02))
        ORDER BY c.id`,
      { versionId: stored.id },
    )
    // The tables' statistics still say empty inside this transaction: the later joins need the real sizes.
    await run('ANALYZE assessments')
    phase('assessments')

    // ------------------------------------------------------------------------------------- plans
    // Per assessed file: p1 on the previous assessment, p2 on the latest (state by how recent it is), p3 its review.
    await run(
      `CREATE TEMP TABLE scale_plan_files ON COMMIT DROP AS
       WITH court AS (
         SELECT m.beneficiary_id, least(7, max((m.details ->> 'reportingPerWeek')::int)) AS weekly FROM measures m
          WHERE m.type_code = 'ADMINISTRATIVE_SUPERVISION' AND m.state IN ('registered', 'in_execution') AND m.details ? 'reportingPerWeek'
            AND m.beneficiary_id IN (SELECT id FROM scale_sup_files) GROUP BY m.beneficiary_id
       ), latest AS (
         SELECT c.id AS beneficiary_id, c.open, c.end_day, c.officer_id, c.head_id, c.senior_id, coalesce(court.weekly, 0) AS weekly,
                cur.id AS cur_id, cur.completed_on AS cur_on, prev.id AS prev_id, prev.completed_on AS prev_on,
                CASE WHEN NOT c.open THEN 'APPROVED'
                     -- A few officers are late with the plan: the previous one stays in force.
                     WHEN cur.completed_on < DATE :today - 8 THEN CASE WHEN pg_temp.u(c.id, 20) < 0.015 THEN 'NONE' ELSE 'APPROVED' END
                     WHEN pg_temp.u(c.id, 20) < 0.45 THEN 'NONE' WHEN pg_temp.u(c.id, 20) < 0.6 THEN 'DRAFT' WHEN pg_temp.u(c.id, 20) < 0.85 THEN 'SUBMITTED' ELSE 'APPROVED' END AS cur_state
           FROM scale_chain c JOIN scale_assessments cur ON cur.beneficiary_id = c.id AND cur.j = c.r
           LEFT JOIN scale_assessments prev ON prev.beneficiary_id = c.id AND prev.j = c.r - 1 LEFT JOIN court ON court.beneficiary_id = c.id
          WHERE c.assessed
       ), dated AS (
         SELECT l.*, CASE WHEN l.cur_state = 'APPROVED' THEN least(l.end_day, l.cur_on + 2 + floor(pg_temp.u(l.beneficiary_id, 21) * 9)::int) END AS approved2,
                CASE WHEN l.prev_id IS NOT NULL THEN least(l.cur_on - 1, l.prev_on + 2 + floor(pg_temp.u(l.beneficiary_id, 22) * 9)::int) END AS approved1
           FROM latest l
       )
       SELECT d.*, r.due_date AS review2,
              d.cur_state = 'APPROVED' AND r.due_date <= d.end_day - 3 AND pg_temp.u(d.beneficiary_id, 23) < 0.85 AS reviewed
         FROM dated d LEFT JOIN scale_due r ON r.rule_id = 'PLAN_REVIEW' AND r.event_date = d.approved2;
       ANALYZE scale_plan_files`,
    )
    await run(
      `CREATE TEMP TABLE scale_plans ON COMMIT DROP AS
       WITH versions AS (
         SELECT f.beneficiary_id, 1 AS seq, f.prev_id AS assessment_id, f.prev_on AS assessed_on, 'APPROVED' AS state, f.approved1 AS approved_on, f.officer_id, f.head_id, f.senior_id, f.weekly, f.open
           FROM scale_plan_files f WHERE f.prev_id IS NOT NULL
         UNION ALL
         SELECT f.beneficiary_id, 2, f.cur_id, f.cur_on, f.cur_state, f.approved2, f.officer_id, f.head_id, f.senior_id, f.weekly, f.open
           FROM scale_plan_files f WHERE f.cur_state <> 'NONE'
         UNION ALL
         SELECT f.beneficiary_id, 3, f.cur_id, f.cur_on, 'APPROVED', greatest(f.approved2 + 1, least(f.end_day, f.review2 - 5 + floor(pg_temp.u(f.beneficiary_id, 24) * 12)::int)),
                f.officer_id, f.head_id, f.senior_id, f.weekly, f.open
           FROM scale_plan_files f WHERE f.reviewed
       ), ordered AS (
         SELECT v.*, row_number() OVER (PARTITION BY v.beneficiary_id ORDER BY v.seq)::int AS plan_version,
                -- The last approved version is in force; earlier approved ones are superseded.
                v.approved_on IS NOT NULL AND v.approved_on = max(v.approved_on) OVER (PARTITION BY v.beneficiary_id) AS in_force
           FROM versions v ORDER BY v.beneficiary_id, v.seq
       )
       SELECT nextval('supervision_plans_id_seq')::int AS id, o.*,
              CASE WHEN o.state <> 'APPROVED' THEN o.state WHEN o.in_force THEN 'APPROVED' ELSE 'SUPERSEDED' END AS status,
              CASE WHEN o.state = 'SUBMITTED' THEN least(DATE :today, o.assessed_on + floor(pg_temp.u(o.beneficiary_id * 4 + o.seq, 25) * 4)::int)
                   WHEN o.state = 'APPROVED' THEN greatest(o.assessed_on, o.approved_on - floor(pg_temp.u(o.beneficiary_id * 4 + o.seq, 25) * 3)::int) END AS submitted_on
         FROM ordered o;
       ALTER TABLE scale_plans ADD COLUMN previous_id int;
       UPDATE scale_plans p SET previous_id = q.id FROM scale_plans q WHERE q.beneficiary_id = p.beneficiary_id AND q.plan_version = p.plan_version - 1;
       CREATE INDEX ON scale_plans (beneficiary_id);
       ANALYZE scale_plans`,
    )
    await run(
      `INSERT INTO supervision_plans (id, beneficiary_id, assessment_id, plan_version, previous_plan_id, status, contacts_per_month, frequency_basis, review_date,
                                      agreement, beneficiary_words, agreement_recorded_on, author_user_id, submitted_by_user_id, submitted_on, approved_by_user_id, approved_on,
                                      version, created_at, updated_at)
       SELECT p.id, p.beneficiary_id, p.assessment_id, p.plan_version, p.previous_id, p.status, fr.per_month, fr.basis, r.due_date,
              CASE WHEN p.status = 'DRAFT' AND pg_temp.u(p.id, 26) < 0.5 THEN NULL WHEN pg_temp.u(p.id, 27) < 0.08 THEN 'DISAGREES' ELSE 'AGREES' END,
              CASE WHEN p.status = 'DRAFT' AND pg_temp.u(p.id, 26) < 0.5 THEN NULL WHEN pg_temp.u(p.id, 27) < 0.08 THEN pg_temp.pick(CAST(:disagreements AS jsonb), pg_temp.u(p.id, 28)) END,
              CASE WHEN p.status = 'DRAFT' AND pg_temp.u(p.id, 26) < 0.5 THEN NULL ELSE coalesce(p.submitted_on, least(DATE :today, p.assessed_on + 1)) END,
              p.officer_id, CASE WHEN p.submitted_on IS NOT NULL THEN p.officer_id END, p.submitted_on,
              CASE WHEN p.approved_on IS NOT NULL THEN CASE WHEN p.officer_id = p.head_id THEN p.senior_id ELSE p.head_id END END, p.approved_on,
              3 + floor(pg_temp.u(p.id, 29) * 12)::int,
              (p.assessed_on + time '12:00') AT TIME ZONE 'Asia/Yerevan',
              least(TIMESTAMPTZ :now, (coalesce(p.approved_on, p.submitted_on, p.assessed_on) + time '15:00') AT TIME ZONE 'Asia/Yerevan')
         FROM scale_plans p JOIN assessments a ON a.id = p.assessment_id JOIN scale_frequency fr ON fr.risk_level = a.risk_level AND fr.weekly = p.weekly
         LEFT JOIN scale_due r ON r.rule_id = 'PLAN_REVIEW' AND r.event_date = p.approved_on
        ORDER BY p.id`,
      { disagreements: JSON.stringify(BENEFICIARY_DISAGREEMENTS) },
    )
    // A goal per need found (a general goal when none), in the instrument's order; one or two steps each.
    await run(
      `CREATE TEMP TABLE scale_goals ON COMMIT DROP AS
       SELECT nextval('plan_goals_id_seq')::int AS id, x.* FROM (
         SELECT p.id AS plan_id, p.status AS plan_status, p.seq, coalesce(p.approved_on, p.submitted_on, p.assessed_on) AS since, n.need AS need_domain, n.position::int AS position
           FROM scale_plans p JOIN assessments a ON a.id = p.assessment_id
           CROSS JOIN LATERAL unnest(CASE WHEN cardinality(a.needs) > 0 THEN a.needs ELSE ARRAY[NULL]::text[] END) WITH ORDINALITY AS n (need, position)
          ORDER BY p.id, n.position) x;
       ANALYZE scale_goals;
       INSERT INTO plan_goals (id, plan_id, need_domain, description, target_date, status, position)
       SELECT g.id, g.plan_id, g.need_domain,
              CASE WHEN g.plan_status = 'DRAFT' AND pg_temp.u(g.id, 30) < 0.3 THEN '' ELSE t.description END,
              CASE WHEN g.plan_status = 'DRAFT' AND pg_temp.u(g.id, 30) < 0.3 THEN NULL ELSE g.since + 90 + floor(pg_temp.u(g.id, 31) * 90)::int END,
              CASE WHEN g.plan_status = 'SUPERSEDED' AND pg_temp.u(g.id, 32) < 0.3 THEN 'ACHIEVED' WHEN g.seq = 3 AND pg_temp.u(g.id, 32) < 0.1 THEN 'ACHIEVED' ELSE 'ACTIVE' END,
              g.position
         FROM scale_goals g
         JOIN LATERAL (SELECT count(*) AS n FROM scale_goal_texts WHERE domain = coalesce(g.need_domain, 'GENERAL')) c ON true
         JOIN scale_goal_texts t ON t.domain = coalesce(g.need_domain, 'GENERAL') AND t.variant = floor(pg_temp.u(g.id, 33) * c.n)::int
        ORDER BY g.id;
       INSERT INTO plan_steps (goal_id, kind, description, responsible, due_date, position)
       SELECT g.id, t.kind, t.description, t.responsible, g.since + 30 + floor(pg_temp.u(g.id * 2 + s.n, 35) * 120)::int, s.n
         FROM scale_goals g CROSS JOIN LATERAL generate_series(1, 1 + (pg_temp.u(g.id, 34) < 0.55)::int) AS s (n)
         JOIN LATERAL (SELECT count(*) AS n FROM scale_step_texts WHERE domain = coalesce(g.need_domain, 'GENERAL')) c ON true
         JOIN scale_step_texts t ON t.domain = coalesce(g.need_domain, 'GENERAL') AND t.variant = (floor(pg_temp.u(g.id, 36) * c.n)::int + s.n - 1) % c.n
        WHERE NOT (g.plan_status = 'DRAFT' AND pg_temp.u(g.id, 30) < 0.3)
        ORDER BY g.id, s.n`,
    )
    await run('ANALYZE supervision_plans, plan_goals, plan_steps')
    phase('plans')

    // ------------------------------------------------------------------------------------- appointments
    // Per file: from the first contact (within a week of registration) to four weeks ahead (or the closing day), at the
    // in-force plan's frequency (two a month without one); the approved versions date the plan each one is booked under.
    await run(
      `CREATE TEMP TABLE scale_contact_files ON COMMIT DROP AS
       SELECT f.id AS beneficiary_id, f.open, f.officer_id, f.risk_to_staff, f.registered_on, f.registered_on + floor(pg_temp.u(f.id, 40) * 4)::int AS first_day,
              CASE WHEN f.open THEN DATE :today + ${BOOKED_AHEAD_DAYS} ELSE f.closed_on END AS last_day,
              coalesce(v.per_month, 2) AS per_month, coalesce(v.plan_ids, '{}') AS plan_ids, coalesce(v.plan_days, '{}') AS plan_days
         FROM scale_sup_files f
         LEFT JOIN (SELECT p.beneficiary_id, max(sp.contacts_per_month) FILTER (WHERE p.status = 'APPROVED') AS per_month,
                           array_agg(p.id ORDER BY p.approved_on DESC) AS plan_ids, array_agg(p.approved_on ORDER BY p.approved_on DESC) AS plan_days
                      FROM scale_plans p JOIN supervision_plans sp ON sp.id = p.id WHERE p.approved_on IS NOT NULL GROUP BY p.beneficiary_id) v ON v.beneficiary_id = f.id`,
    )
    await run('ANALYZE scale_contact_files')
    // The window (days back from today) that gives about the number of contacts asked for.
    const spans = await select<{ first: number; last: number; perMonth: number }>(
      `SELECT first_day - DATE :today AS first, last_day - DATE :today AS last, per_month AS "perMonth" FROM scale_contact_files`,
    )
    const contactsFor = (window: number) =>
      spans.reduce((sum, s) => {
        const start = Math.max(s.first, -window)
        return s.last < start ? sum : sum + Math.floor(((s.last - start) * s.perMonth) / DAYS_PER_MONTH) + 1
      }, 0)
    let low = 0
    let high = 20 * 366
    while (low < high) {
      const mid = Math.floor((low + high) / 2)
      if (contactsFor(mid) < options.contacts) low = mid + 1
      else high = mid
    }
    const window = low
    await run(
      `INSERT INTO appointments (beneficiary_id, plan_id, kind, scheduled_at, duration_minutes, place, notes, booked_by_user_id, booked_at,
                                 outcome, outcome_note, outcome_recorded_at, outcome_recorded_by_user_id, cancelled_at, cancelled_by_user_id, cancel_reason, version, created_at, updated_at)
       -- The stages are materialised: inlined, every use of a column would compute its whole expression again.
       WITH series AS (
         SELECT f.*, g.i, f.beneficiary_id::bigint * 1000 + g.i AS k, greatest(f.first_day, DATE :today - :window) AS start_day, ${DAYS_PER_MONTH}::float8 / f.per_month AS step
           FROM scale_contact_files f
           CROSS JOIN LATERAL generate_series(0, CASE WHEN f.last_day < greatest(f.first_day, DATE :today - :window) THEN -1
                                                      ELSE least(999, floor((f.last_day - greatest(f.first_day, DATE :today - :window)) * f.per_month / ${DAYS_PER_MONTH})::int) END) AS g (i)
       ), dated AS MATERIALIZED (
         SELECT s.*, d.day, (d.day + time '09:00' + floor(pg_temp.u(s.k, 42) * 17)::int * interval '30 minutes') AT TIME ZONE 'Asia/Yerevan' AS at,
                pg_temp.u(s.k, 43) AS x_kind
           FROM series s
           CROSS JOIN LATERAL (SELECT least(s.last_day, greatest(s.start_day, s.start_day + floor(s.i * s.step + (pg_temp.u(s.k, 41) - 0.5) * s.step * 0.6)::int)) AS raw) r
           CROSS JOIN LATERAL (SELECT r.raw + CASE extract(isodow FROM r.raw)::int WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS day) d
          WHERE d.day <= s.last_day
       ), typed AS (
         SELECT d.*,
                CASE WHEN d.x_kind < 0.55 THEN 'OFFICE_VISIT' WHEN d.x_kind < 0.80 THEN 'PHONE' WHEN d.x_kind < 0.88 THEN CASE WHEN d.risk_to_staff AND d.x_kind < 0.86 THEN 'OFFICE_VISIT' ELSE 'HOME_VISIT' END
                     WHEN d.x_kind < 0.91 THEN 'VIDEO' WHEN d.x_kind < 0.95 THEN 'EMPLOYER_CONTACT' WHEN d.x_kind < 0.98 THEN 'FAMILY_CONTACT' ELSE 'POLICE_CONTACT' END AS kind,
                d.at <= TIMESTAMPTZ :now AS past,
                greatest((d.registered_on + time '09:00') AT TIME ZONE 'Asia/Yerevan', d.at - (1 + floor(pg_temp.u(d.k, 44) * 20)::int) * interval '1 day' - interval '3 hours') AS booked_raw,
                pg_temp.u(d.k, 45) AS x_cancel, pg_temp.u(d.k, 46) AS x_pending, pg_temp.u(d.k, 47) AS x_outcome
           FROM dated d
       ), settled AS MATERIALIZED (
         SELECT t.*, least(TIMESTAMPTZ :now - interval '1 hour', t.booked_raw) AS booked_at,
                t.x_cancel < CASE WHEN t.past THEN 0.04 ELSE 0.03 END AS cancelled,
                t.past AND ((t.at > TIMESTAMPTZ :now - interval '14 days' AND t.x_pending < 0.15) OR t.x_pending < 0.003) AS pending
           FROM typed t
       ), outcomes AS MATERIALIZED (
         SELECT s.*, CASE WHEN s.past AND NOT s.cancelled AND NOT s.pending THEN
                       CASE WHEN s.x_outcome < 0.86 THEN 'ATTENDED_COMPLIED' WHEN s.x_outcome < 0.89 THEN 'ATTENDED_FAILED_TO_COMPLY' WHEN s.x_outcome < 0.95 THEN 'ACCEPTABLE_ABSENCE' ELSE 'UNACCEPTABLE_ABSENCE' END END AS outcome,
                CASE s.kind WHEN 'PHONE' THEN 15 WHEN 'VIDEO' THEN 30 WHEN 'HOME_VISIT' THEN 60 ELSE (ARRAY[30, 45, 60])[1 + floor(pg_temp.u(s.k, 48) * 3)::int] END AS minutes
           FROM settled s
       ), finished AS (
         SELECT o.*, CASE WHEN o.outcome IS NOT NULL THEN least(TIMESTAMPTZ :now, o.at + (o.minutes + floor(pg_temp.u(o.k, 49) * 36 * 60)) * interval '1 minute') END AS recorded_at,
                CASE WHEN o.cancelled THEN least(TIMESTAMPTZ :now, o.booked_at + (o.at - o.booked_at) * pg_temp.u(o.k, 50)) END AS cancelled_at
           FROM outcomes o
       )
       SELECT f.beneficiary_id,
              -- The plan in force that day: the approved versions, newest first (three at most).
              CASE WHEN f.plan_days[1] <= f.day THEN f.plan_ids[1] WHEN f.plan_days[2] <= f.day THEN f.plan_ids[2] WHEN f.plan_days[3] <= f.day THEN f.plan_ids[3] END,
              f.kind, f.at, f.minutes,
              CASE f.kind WHEN 'OFFICE_VISIT' THEN 'Պրոբացիայի ծառայության գրասենյակ' WHEN 'HOME_VISIT' THEN 'Բնակության վայր' WHEN 'VIDEO' THEN 'Տեսազանգ' END,
              CASE WHEN pg_temp.u(f.k, 51) < 0.1 THEN pg_temp.pick(CAST(:notes AS jsonb), pg_temp.u(f.k, 52)) END,
              f.officer_id, f.booked_at,
              f.outcome, CASE WHEN f.outcome <> 'ATTENDED_COMPLIED' THEN CAST(:outcomeNotes AS jsonb) ->> f.outcome END, f.recorded_at, CASE WHEN f.outcome IS NOT NULL THEN f.officer_id END,
              f.cancelled_at, CASE WHEN f.cancelled THEN f.officer_id END, CASE WHEN f.cancelled THEN pg_temp.pick(CAST(:cancelReasons AS jsonb), pg_temp.u(f.k, 53)) END,
              1 + (f.outcome IS NOT NULL)::int + f.cancelled::int, f.booked_at, coalesce(f.recorded_at, f.cancelled_at, f.booked_at)
         FROM finished f
        ORDER BY f.beneficiary_id, f.at`,
      { window, notes: JSON.stringify(CONTACT_NOTES), outcomeNotes: JSON.stringify(OUTCOME_NOTES), cancelReasons: JSON.stringify(CANCEL_REASONS) },
    )
    await run('ANALYZE appointments')
    phase('appointments')

    // ------------------------------------------------------------------------------------- deadlines
    // OPEN where due (open files only) and DONE over the last two years, each with the engine's due date and explanation.
    await run(
      `CREATE TEMP TABLE scale_first_contacts ON COMMIT DROP AS
       SELECT ap.beneficiary_id, min((ap.scheduled_at AT TIME ZONE 'Asia/Yerevan')::date) AS held_on
         FROM appointments ap JOIN scale_sup_files f ON f.id = ap.beneficiary_id
        WHERE ap.kind IN ('OFFICE_VISIT', 'HOME_VISIT', 'PHONE', 'VIDEO') AND ap.outcome IN ('ATTENDED_COMPLIED', 'ATTENDED_FAILED_TO_COMPLY')
        GROUP BY ap.beneficiary_id`,
    )
    await run(
      `INSERT INTO deadlines (beneficiary_id, rule_id, subject_type, subject_id, event_date, due_date, explanation, status, done_on, created_at)
       SELECT e.beneficiary_id, e.rule_id, e.subject_type, e.subject_id, e.event_date, d.due_date, d.explanation, e.status, e.done_on, (e.event_date + time '17:00') AT TIME ZONE 'Asia/Yerevan'
         FROM (
           -- The first contact: open while none was held (new files); done on the first one held, when it is in the data.
           SELECT f.id AS beneficiary_id, 'FIRST_CONTACT' AS rule_id, 'beneficiary' AS subject_type, f.id AS subject_id, f.registered_on AS event_date,
                  CASE WHEN fc.held_on IS NULL THEN 'OPEN' ELSE 'DONE' END AS status, fc.held_on AS done_on
             FROM scale_sup_files f LEFT JOIN scale_first_contacts fc ON fc.beneficiary_id = f.id
            WHERE f.registered_on >= DATE :today - :window AND (fc.held_on IS NOT NULL OR (f.open AND f.registered_on >= DATE :today - 60))
           UNION ALL
           -- The initial assessment: open until completed.
           SELECT c.id, 'INITIAL_ASSESSMENT', 'beneficiary', c.id, c.registered_on, CASE WHEN c.assessed THEN 'DONE' ELSE 'OPEN' END, CASE WHEN c.assessed THEN c.initial_on END
             FROM scale_chain c WHERE c.assessed OR c.open
           UNION ALL
           -- Each reassessment closes the one due after the assessment before it; the latest one's next is open.
           SELECT a.beneficiary_id, 'REASSESSMENT', 'beneficiary', a.beneficiary_id, prev.completed_on, 'DONE', a.completed_on
             FROM scale_assessments a JOIN scale_assessments prev ON prev.beneficiary_id = a.beneficiary_id AND prev.j = a.j - 1
           UNION ALL
           SELECT c.id, 'REASSESSMENT', 'beneficiary', c.id, c.latest_on, 'OPEN', NULL FROM scale_chain c WHERE c.assessed AND c.open
           UNION ALL
           -- The plan after an assessment: done when submitted; open while the latest assessment has none submitted.
           SELECT p.beneficiary_id, 'PLAN_AFTER_ASSESSMENT', 'assessment', p.assessment_id, p.assessed_on, 'DONE', p.submitted_on
             FROM scale_plans p WHERE p.seq IN (1, 2) AND p.submitted_on IS NOT NULL
           UNION ALL
           SELECT f.beneficiary_id, 'PLAN_AFTER_ASSESSMENT', 'assessment', f.cur_id, f.cur_on, 'OPEN', NULL FROM scale_plan_files f WHERE f.open AND f.cur_state IN ('NONE', 'DRAFT')
           UNION ALL
           -- The review of a plan: done by the next approved version; open for the one in force.
           SELECT p.beneficiary_id, 'PLAN_REVIEW', 'plan', p.id, p.approved_on, CASE WHEN p.status = 'SUPERSEDED' THEN 'DONE' ELSE 'OPEN' END, p.next_approved_on
             FROM (SELECT q.*, lead(q.approved_on) OVER (PARTITION BY q.beneficiary_id ORDER BY q.approved_on) AS next_approved_on FROM scale_plans q WHERE q.approved_on IS NOT NULL) p
            WHERE p.status = 'SUPERSEDED' OR (p.status = 'APPROVED' AND p.open)
         ) e
         JOIN scale_due d ON d.rule_id = e.rule_id AND d.event_date = e.event_date
        WHERE e.status = 'OPEN' OR d.due_date >= DATE :today - ${DONE_HISTORY_DAYS}
        ORDER BY e.beneficiary_id, e.event_date`,
      { window },
    )
    await run('ANALYZE deadlines')
    phase('deadlines')

    // ------------------------------------------------------------------------------------- activities
    // Every two weeks per region, from two years back to four weeks ahead; a handful of the region's supervised people
    // with a plan in force invited to each, their attendance recorded once it took place, toward a goal of their plan.
    await run(
      `CREATE TEMP TABLE scale_events ON COMMIT DROP AS
       SELECT nextval('activity_events_id_seq')::int AS id, x.* FROM (
         SELECT s.region_id, s.head_id, n, DATE :today + ${BOOKED_AHEAD_DAYS} - 14 * n - floor(pg_temp.u(s.region_id * 1000 + n, 60) * 5)::int AS event_date,
                CAST(:kinds AS jsonb) ->> ((n + s.region_id) % ${ACTIVITY_KINDS.length}) AS kind
           FROM scale_staff s CROSS JOIN generate_series(0, ${Math.floor((HISTORY_DAYS + BOOKED_AHEAD_DAYS) / 14)}) AS n
          WHERE EXISTS (SELECT 1 FROM scale_sup_files f WHERE f.region_id = s.region_id)
            -- Once per region: an --append run leaves the events of the first one as they are.
            AND NOT EXISTS (SELECT 1 FROM activity_events e WHERE e.region_id = s.region_id AND e.created_by_user_id = s.head_id)
          ORDER BY s.region_id, n DESC) x;
       INSERT INTO activity_events (id, region_id, kind, title, event_date, start_time, place, organiser, description, created_by_user_id, created_at, updated_at)
       SELECT e.id, e.region_id, e.kind, pg_temp.pick(CAST(:titles AS jsonb) -> e.kind, pg_temp.u(e.id, 61)), e.event_date, time '11:00',
              'Պրոբացիայի ծառայության տարածքային մարմին', 'Պրոբացիայի ծառայություն', NULL, e.head_id,
              least(TIMESTAMPTZ :now, (e.event_date - 21 + time '10:00') AT TIME ZONE 'Asia/Yerevan'), least(TIMESTAMPTZ :now, (e.event_date + 1 + time '10:00') AT TIME ZONE 'Asia/Yerevan')
         FROM scale_events e ORDER BY e.id;
       CREATE TEMP TABLE scale_invitable ON COMMIT DROP AS
       SELECT f.region_id, f.id AS beneficiary_id, f.officer_id, g.id AS goal_id, row_number() OVER (PARTITION BY f.region_id ORDER BY pg_temp.u(f.id, 62))::int AS rn,
              count(*) OVER (PARTITION BY f.region_id)::int AS total
         FROM scale_sup_files f JOIN scale_plans p ON p.beneficiary_id = f.id AND p.status = 'APPROVED' JOIN scale_goals g ON g.plan_id = p.id AND g.position = 1
        WHERE f.open;
       CREATE INDEX ON scale_invitable (region_id, rn);
       INSERT INTO activity_participants (event_id, beneficiary_id, invited_on, invited_by_user_id, attendance, attendance_recorded_by_user_id, goal_id)
       SELECT e.id, i.beneficiary_id, least(DATE :today, e.event_date - 3 - floor(pg_temp.u(e.id * 64 + i.rn % 64, 63) * 11)::int), i.officer_id,
              CASE WHEN e.event_date < DATE :today THEN CASE WHEN pg_temp.u(e.id * 100000 + i.rn, 64) < 0.75 THEN 'ATTENDED' ELSE 'ABSENT' END END,
              CASE WHEN e.event_date < DATE :today THEN i.officer_id END, i.goal_id
         FROM scale_events e
         CROSS JOIN LATERAL (SELECT 6 + floor(pg_temp.u(e.id, 65) * 10)::int AS n) size
         JOIN LATERAL (SELECT max(total) AS total FROM scale_invitable WHERE region_id = e.region_id) t ON t.total IS NOT NULL
         JOIN scale_invitable i ON i.region_id = e.region_id
              AND i.rn > floor(pg_temp.u(e.id, 66) * greatest(0, t.total - size.n))::int AND i.rn <= floor(pg_temp.u(e.id, 66) * greatest(0, t.total - size.n))::int + size.n
        ORDER BY e.id, i.rn`,
      { kinds: JSON.stringify(ACTIVITY_KINDS), titles: JSON.stringify(ACTIVITY_TITLES) },
    )
    phase('activities')
    for (const key of foreignKeys) await run(`ALTER TABLE ${key.table} ADD CONSTRAINT "${key.name}" ${key.definition}`)
    phase('foreign keys')

    // ------------------------------------------------------------------------------------- what was written
    const [counts] = await select<Omit<SupervisionSeedResult, 'files' | 'contactWindowDays'>>(
      `SELECT (SELECT count(*) FROM assessments a JOIN scale_sup_files f ON f.id = a.beneficiary_id)::int AS assessments,
              (SELECT count(*) FROM assessments a JOIN scale_sup_files f ON f.id = a.beneficiary_id WHERE a.status = 'DRAFT')::int AS drafts,
              (SELECT count(*) FROM scale_assessments WHERE status = 'COMPLETED')::int AS "awaitingCountersignature",
              (SELECT count(*) FROM scale_plans)::int AS plans,
              (SELECT count(*) FROM scale_plans WHERE status = 'APPROVED')::int AS "plansApproved",
              (SELECT count(*) FROM scale_plans WHERE status = 'SUPERSEDED')::int AS "plansSuperseded",
              (SELECT count(*) FROM scale_plans WHERE status = 'SUBMITTED')::int AS "plansSubmitted",
              (SELECT count(*) FROM scale_plans WHERE status = 'DRAFT')::int AS "plansDraft",
              (SELECT count(*) FROM scale_goals)::int AS goals,
              (SELECT count(*) FROM plan_steps s JOIN scale_goals g ON g.id = s.goal_id)::int AS steps,
              a.appointments, a.past AS "appointmentsPast", a.pending AS "appointmentsAwaitingOutcome", a.future AS "appointmentsFuture", a.cancelled AS "appointmentsCancelled",
              d.open AS "openDeadlines", d.overdue AS "overdueDeadlines", d.done AS "doneDeadlines",
              (SELECT count(*) FROM scale_events)::int AS "activityEvents",
              (SELECT count(*) FROM activity_participants p JOIN scale_events e ON e.id = p.event_id)::int AS participants
         FROM (SELECT count(*)::int AS appointments, count(*) FILTER (WHERE ap.scheduled_at <= TIMESTAMPTZ :now)::int AS past,
                      count(*) FILTER (WHERE ap.scheduled_at <= TIMESTAMPTZ :now AND ap.outcome IS NULL AND ap.cancelled_at IS NULL)::int AS pending,
                      count(*) FILTER (WHERE ap.scheduled_at > TIMESTAMPTZ :now)::int AS future, count(*) FILTER (WHERE ap.cancelled_at IS NOT NULL)::int AS cancelled
                 FROM appointments ap JOIN scale_sup_files f ON f.id = ap.beneficiary_id) a,
              (SELECT count(*) FILTER (WHERE dl.status = 'OPEN')::int AS open, count(*) FILTER (WHERE dl.status = 'OPEN' AND dl.due_date < DATE :today)::int AS overdue,
                      count(*) FILTER (WHERE dl.status = 'DONE')::int AS done
                 FROM deadlines dl JOIN scale_sup_files f ON f.id = dl.beneficiary_id WHERE dl.rule_id IN (:rules)) d`,
      { rules: [...SUPERVISION_RULES] },
    )
    return { files, contactWindowDays: window, ...counts }
  })
}
