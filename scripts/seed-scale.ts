/*
 * npm run seed:scale -- --beneficiaries 100000 [--correspondence 300000] [--contacts 1000000] [--seed 1] [--append] [--batch 5000]
 *
 * Fills the database with a synthetic national caseload for load tests: per regional body a head, two senior
 * specialists and specialists (scale.<region>.<n>, password SCALE_PASSWORD, authenticator key DEMO_TOTP_KEY), and N beneficiaries spread over
 * the regions by population. Same database as the app (DATABASE_URL, or the embedded cluster started exactly as
 * server/index.ts starts it); migrates and creates the demo accounts first. Deterministic for a given --seed on
 * the same starting database. Refuses when N scale rows already exist, unless --append (adds N more). Then about 80%
 * of the scale files get a court act with one or two measures, their work sessions, payments, events and OPEN
 * deadlines (scripts/scale/measures.ts); skipped when scale files have measures already, unless --append (this
 * run's files only). Then, when both registers are empty, the correspondence (scripts/scale/correspondence.ts); then
 * the assessments, supervision plans, appointments (--contacts, 10 per file by default: a million at 100,000 files),
 * supervision deadlines and activities of the supervised files (scripts/scale/supervision.ts), skipped when scale
 * files have assessments already, unless --append (this run's files only). An earlier seed that lacks the
 * correspondence or the supervision gets them when run again. Ends with VACUUM (ANALYZE).
 */
import { parseArgs } from 'node:util'
import { QueryTypes, type Sequelize } from 'sequelize'
import { loadConfig } from '../server/config'
import { createSequelize } from '../server/db/database'
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../server/db/embedded'
import { createMigrator } from '../server/db/migrator'
import { seedDemoAccounts } from '../server/db/demoData'
import { systemClock } from '../server/domain/clock'
import { serviceDateOf } from '../server/domain/dates'
import { personalFileNumber } from '../server/domain/numbering'
import { romanise, searchKey } from '../server/domain/transliteration'
import { MARZES, type BeneficiaryCategory, type BeneficiaryStatus, type CloseReason } from '../server/domain/beneficiaryCatalogue'
import { services } from '../server/services'
import { hashPassword } from '../server/services/passwordHashing'
import { DEMO_TOTP_KEY } from '../server/domain/twoFactor'
import { initModels } from '../models'
import { formatDuration, mulberry32, ProgressBar, Random, Weighted } from './scale/common'
import { seedMeasures, type MeasureTarget } from './scale/measures'
import { seedCorrespondence } from './scale/correspondence'
import { seedSupervision, type SupervisionSeedResult } from './scale/supervision'
import {
  COMMUNITIES, DEFAULT_REGION_WEIGHT, EMPLOYERS, FEMALE_NAMES, FOREIGN_CITIZENSHIPS, HEALTH_NOTES, JOB_TITLES, MALE_NAMES, MOBILE_PREFIXES,
  REGION_WEIGHTS, RISK_REASONS, SCALE_PASSWORD, SCALE_USERNAME_PREFIX, scaleUsername, STREETS, SURNAMES, YEREVAN_DISTRICTS,
} from './scale/data'

const FILES_PER_SPECIALIST = 1500 / 11 // "~N/1500 specialists per region": the national total, shared by population
const DAY_MS = 86_400_000

// ----------------------------------------------------------------------------------------------- options

function options() {
  const { values } = parseArgs({
    options: {
      beneficiaries: { type: 'string', default: '100000' },
      correspondence: { type: 'string', default: '300000' },
      contacts: { type: 'string' },
      seed: { type: 'string', default: '1' },
      batch: { type: 'string', default: '5000' },
      append: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  })
  if (values.help) {
    console.log('usage: npm run seed:scale -- --beneficiaries <N> [--correspondence <incoming items, default 300000>] [--contacts <appointments, default 10 per file; 0: no supervision>] [--seed <n>] [--batch <rows>] [--append]')
    process.exit(0)
  }
  const integer = (name: string, text: string, min: number) => {
    const value = Number(text)
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min} (got ${text})`)
    return value
  }
  return {
    beneficiaries: integer('beneficiaries', values.beneficiaries, 1),
    correspondence: integer('correspondence', values.correspondence, 0),
    /** Appointments wanted; null: 10 per scale file the supervision is generated for. */
    contacts: values.contacts === undefined ? null : integer('contacts', values.contacts, 0),
    seed: integer('seed', values.seed, 0),
    batch: integer('batch', values.batch, 1),
    append: values.append,
  }
}

// ----------------------------------------------------------------------------------------------- dates

const dayOf = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)
const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)

// ----------------------------------------------------------------------------------------------- types

interface RegionRow {
  id: number
  code: string
  filePrefix: string
  centreHy: string
}

interface RegionPlan extends RegionRow {
  communities: readonly string[]
  specialists: number[]
  seniors: number[]
  headId: number
  /** Ids of the scale.* accounts: a file created by one of them counts as a scale row. */
  scaleIds: Set<number>
}

type Value = string | number | boolean | null

// Every inserted column and its PostgreSQL type, in the order of the unnest() arrays.
const COLUMNS = [
  ['region_id', 'int'], ['file_number', 'text'], ['surname', 'text'], ['given_name', 'text'], ['patronymic', 'text'],
  ['surname_latin', 'text'], ['given_name_latin', 'text'], ['patronymic_latin', 'text'], ['search_key', 'text'], ['sex', 'text'],
  ['birth_date', 'date'], ['birth_place', 'text'], ['citizenship', 'text'], ['identity_document_type', 'text'],
  ['identity_document_number', 'text'], ['identity_document_issuer', 'text'], ['identity_document_issued_on', 'date'],
  ['public_service_number', 'text'], ['registered_marz', 'text'], ['registered_community', 'text'], ['registered_street', 'text'],
  ['actual_marz', 'text'], ['actual_community', 'text'], ['actual_street', 'text'], ['phones', 'text'], ['email', 'text'],
  ['education', 'text'], ['employer', 'text'], ['job_title', 'text'], ['family_status', 'text'], ['dependants', 'int'],
  ['military_status', 'text'], ['health_notes', 'text'], ['category', 'text'], ['responsible_officer_id', 'int'], ['status', 'text'],
  ['risk_to_staff', 'boolean'], ['risk_to_staff_reason', 'text'], ['closed_on', 'date'], ['close_reason', 'text'], ['close_note', 'text'],
  ['created_by_user_id', 'int'], ['version', 'int'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const

type Column = (typeof COLUMNS)[number][0]
type Row = Record<Column, Value>

const INSERT_SQL = `INSERT INTO beneficiaries (${COLUMNS.map(([name]) => name).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`

// The same key server/services/beneficiaries.ts keyOf() stores.
function keyOf(names: { surname: string; givenName: string; patronymic: string | null; surnameLatin: string; givenNameLatin: string; patronymicLatin: string | null }): string {
  return searchKey([names.surname, names.givenName, names.patronymic, names.surnameLatin, names.givenNameLatin, names.patronymicLatin].filter(Boolean).join(' '))
}

// ----------------------------------------------------------------------------------------------- distributions

const surnames = new Weighted(SURNAMES.map((name, rank) => [name, 1 / Math.pow(rank + 3, 0.85)] as const))
const categories = new Weighted<BeneficiaryCategory>([
  ['PROBATION_PERIOD', 44], ['NON_CUSTODIAL_PUNISHMENT', 24], ['ALTERNATIVE_PREVENTIVE_MEASURE', 13], ['ADVISORY_REPORT_SUBJECT', 7],
  ['MEDIATION_PARTICIPANT', 5], ['SECURITY_MEASURE', 4], ['MINOR_EDUCATIONAL_MEASURE', 3],
])
const closeReasons = new Weighted<CloseReason>([['MEASURE_COMPLETED', 74], ['REVOKED', 8], ['REPLACED', 5], ['OTHER', 8], ['LEFT_COUNTRY', 3], ['DEATH', 2]])
const adultAge = new Weighted<[number, number]>([[[18, 24], 22], [[25, 34], 33], [[35, 44], 23], [[45, 54], 12], [[55, 64], 7], [[65, 74], 3]])
const education = new Weighted([['SECONDARY', 45], ['VOCATIONAL', 20], ['BASIC', 15], ['HIGHER', 11], ['PRIMARY', 3], ['NONE', 1], ['UNKNOWN', 5]] as const)
const familyStatus = new Weighted([['SINGLE', 36], ['MARRIED', 38], ['DIVORCED', 10], ['WIDOWED', 2], ['COHABITING', 8], ['UNKNOWN', 6]] as const)
const militaryMale = new Weighted([['SERVED', 45], ['RESERVE', 14], ['EXEMPT', 12], ['DEFERRED', 5], ['NOT_LIABLE', 13], ['UNKNOWN', 11]] as const)
const documentTypes = new Weighted([['PASSPORT', 45], ['ID_CARD', 35], ['BIOMETRIC_PASSPORT', 15], ['FOREIGN_PASSPORT', 3], ['RESIDENCE_PERMIT', 2]] as const)
// Share of files still open by their age in years: older files are mostly closed.
const OPEN_BY_AGE = [0.96, 0.86, 0.7, 0.5, 0.3, 0.18, 0.12, 0.1]

// ----------------------------------------------------------------------------------------------- generator

class Generator {
  private readonly today: number
  private readonly currentYear: number
  private readonly years: Weighted<number>
  private readonly counters: Map<string, number>
  private readonly touched = new Set<string>()

  constructor(private readonly random: Random, today: string, counters: Map<string, number>) {
    this.today = dayOf(today)
    this.currentYear = Number(today.slice(0, 4))
    // Files opened in the last eight years, more of them recently.
    this.years = new Weighted([5, 6, 8, 10, 13, 17, 21, 20].map((weight, i) => [this.currentYear - 7 + i, weight] as const))
    this.counters = counters
  }

  /** The counters the rows generated since the last call used, at their current values. */
  takeTouchedCounters(): { regionId: number; year: number; last: number }[] {
    const out = [...this.touched].map((key) => {
      const [regionId, year] = key.split(':').map(Number)
      return { regionId, year, last: this.counters.get(key)! }
    })
    this.touched.clear()
    return out
  }

  private day(from: number, to: number): number {
    return to <= from ? from : this.random.between(from, to)
  }

  private nextFileNumber(region: RegionPlan, year: number): string {
    const key = `${region.id}:${year}`
    const next = (this.counters.get(key) ?? 0) + 1
    this.counters.set(key, next)
    this.touched.add(key)
    return personalFileNumber(region.filePrefix, year, next)
  }

  private street(community: string): string {
    const r = this.random
    if (community === 'Երևան') return `${r.pick(YEREVAN_DISTRICTS)} վ/շ, ${r.pick(STREETS)} փ., ${r.between(1, 120)} շ., բն. ${r.between(1, 90)}`
    return r.chance(0.6) ? `${r.pick(STREETS)} փ., ${r.between(1, 80)} շ., բն. ${r.between(1, 40)}` : `${r.between(1, 25)}-րդ փողոց, տուն ${r.between(1, 60)}`
  }

  row(region: RegionPlan, regions: readonly RegionPlan[]): Row {
    const r = this.random
    const year = this.years.pick(r)
    const createdDay = this.day(dayOf(`${year}-01-01`), Math.min(dayOf(`${year}-12-31`), this.today))
    const category = categories.pick(r)
    const minor = category === 'MINOR_EDUCATIONAL_MEASURE'

    // Status follows the file's age; closed and archived files carry the closing date and reason.
    const open = r.chance(OPEN_BY_AGE[Math.min(this.currentYear - year, OPEN_BY_AGE.length - 1)])
    let status: BeneficiaryStatus
    if (open) status = r.chance(0.94) ? 'ACTIVE' : 'SUSPENDED'
    else {
      const x = r.float()
      status = x < 0.86 ? 'CLOSED' : x < 0.93 ? 'ARCHIVED' : 'TRANSFERRED'
    }
    let closedOn: string | null = null
    let closeReason: CloseReason | null = null
    if (status === 'CLOSED' || status === 'ARCHIVED') {
      closedOn = isoOf(this.day(Math.min(createdDay + 30, this.today), this.today))
      closeReason = closeReasons.pick(r)
    }

    // The person.
    const male = r.chance(minor ? 0.85 : 0.88)
    const surname = surnames.pick(r)
    const givenName = male ? r.pick(MALE_NAMES)[0] : r.pick(FEMALE_NAMES)
    const patronymic = r.chance(0.97) ? r.pick(MALE_NAMES)[1] : null
    const surnameLatin = romanise(surname)
    const givenNameLatin = romanise(givenName)
    const patronymicLatin = patronymic ? romanise(patronymic) : null
    const ageRange = minor ? ([14, 17] as [number, number]) : adultAge.pick(r)
    const birthYear = minor ? year - r.between(ageRange[0], ageRange[1]) : Math.min(2008, Math.max(1950, year - r.between(ageRange[0], ageRange[1])))
    // Never younger than 14 on the day the file was opened (the card's own rule).
    const birthDay = Math.min(this.day(dayOf(`${birthYear}-01-01`), dayOf(`${birthYear}-12-31`)), createdDay - Math.ceil(14 * 365.25))

    // Identity document and public service number.
    let documentType: string | null = null
    let documentNumber: string | null = null
    let documentIssuer: string | null = null
    let documentIssuedOn: string | null = null
    let citizenship = 'ՀՀ'
    if (r.chance(0.8)) {
      documentType = documentTypes.pick(r)
      if (documentType === 'ID_CARD') documentNumber = r.digits(9)
      else if (documentType === 'FOREIGN_PASSPORT') documentNumber = `${r.between(10, 99)}${r.digits(7)}`
      else if (documentType === 'RESIDENCE_PERMIT') documentNumber = `RP${r.digits(7)}`
      else documentNumber = `${documentType === 'BIOMETRIC_PASSPORT' ? 'AT' : r.pick(['AM', 'AN', 'AP', 'AK', 'AR'])}${r.digits(7)}`
      if (documentType === 'FOREIGN_PASSPORT' || documentType === 'RESIDENCE_PERMIT') citizenship = r.pick(FOREIGN_CITIZENSHIPS)
      documentIssuer = `0${r.between(10, 75)}`
      documentIssuedOn = isoOf(this.day(Math.max(birthDay + Math.ceil(16 * 365.25), this.today - 10 * 365), this.today))
      if (dayOf(documentIssuedOn) < birthDay) documentIssuedOn = isoOf(birthDay)
    }
    const publicServiceNumber = r.chance(0.9) ? `${r.between(1, 9)}${r.digits(9)}` : null

    // Addresses: mostly in the region; the actual address is usually the registered one.
    const localMarz = (MARZES as readonly string[]).includes(region.code) ? region.code : null
    const homeRegion = r.chance(0.92) ? region : r.pick(regions)
    const registeredMarz = homeRegion === region ? localMarz : ((MARZES as readonly string[]).includes(homeRegion.code) ? homeRegion.code : null)
    const registeredCommunity = r.pick(homeRegion.communities)
    const registeredStreet = this.street(registeredCommunity)
    const moved = r.chance(0.2)
    const actualCommunity = moved ? r.pick(region.communities) : registeredCommunity
    const actualStreet = moved ? this.street(actualCommunity) : registeredStreet
    const birthPlace = r.chance(0.9) ? r.pick((r.chance(0.6) ? region : r.pick(regions)).communities) : null

    let phones: string | null = null
    if (r.chance(0.88)) {
      phones = `+374 ${r.pick(MOBILE_PREFIXES)} ${r.digits(6)}`
      if (r.chance(0.15)) phones += `, +374 ${r.pick(MOBILE_PREFIXES)} ${r.digits(6)}`
    }
    const email = r.chance(0.06) ? `${givenNameLatin.toLowerCase()}.${surnameLatin.toLowerCase()}${r.between(1, 99)}@mail.am` : null
    const family = familyStatus.pick(r)
    const employed = !minor && r.chance(0.35)
    const risk = r.chance(0.03)

    // Responsible officer: mostly a specialist, a few seniors, a few new files still unassigned.
    let officerId: number | null
    if (open && r.chance(0.03)) officerId = null
    else if (region.seniors.length > 0 && r.chance(0.07)) officerId = r.pick(region.seniors)
    else officerId = r.pick(region.specialists)
    const createdBy = officerId !== null && region.scaleIds.has(officerId) ? officerId : region.headId

    const createdAt = createdDay * DAY_MS + r.between(9 * 3600, 18 * 3600) * 1000 - 4 * 3600_000 // office hours, Yerevan
    const lastChangeDay = closedOn ? dayOf(closedOn) : this.day(createdDay, this.today)
    const updatedAt = Math.max(createdAt, lastChangeDay * DAY_MS + r.between(9 * 3600, 18 * 3600) * 1000 - 4 * 3600_000)

    return {
      region_id: region.id,
      file_number: this.nextFileNumber(region, year),
      surname,
      given_name: givenName,
      patronymic,
      surname_latin: surnameLatin,
      given_name_latin: givenNameLatin,
      patronymic_latin: patronymicLatin,
      search_key: keyOf({ surname, givenName, patronymic, surnameLatin, givenNameLatin, patronymicLatin }),
      sex: male ? 'MALE' : 'FEMALE',
      birth_date: isoOf(birthDay),
      birth_place: birthPlace,
      citizenship,
      identity_document_type: documentType,
      identity_document_number: documentNumber,
      identity_document_issuer: documentIssuer,
      identity_document_issued_on: documentIssuedOn,
      public_service_number: publicServiceNumber,
      registered_marz: registeredMarz,
      registered_community: registeredCommunity,
      registered_street: registeredStreet,
      actual_marz: localMarz,
      actual_community: actualCommunity,
      actual_street: actualStreet,
      phones,
      email,
      education: minor ? r.pick(['BASIC', 'PRIMARY', 'SECONDARY']) : education.pick(r),
      employer: employed ? r.pick(EMPLOYERS) : null,
      job_title: employed ? r.pick(JOB_TITLES) : null,
      family_status: minor ? 'SINGLE' : family,
      dependants: minor ? 0 : family === 'MARRIED' || family === 'COHABITING' ? r.between(0, 4) : r.chance(0.2) ? 1 : 0,
      military_status: !male || minor ? 'NOT_LIABLE' : militaryMale.pick(r),
      health_notes: r.chance(0.04) ? r.pick(HEALTH_NOTES) : null,
      category,
      responsible_officer_id: officerId,
      status,
      risk_to_staff: risk,
      risk_to_staff_reason: risk ? r.pick(RISK_REASONS) : null,
      closed_on: closedOn,
      close_reason: closeReason,
      close_note: closeReason === 'OTHER' ? 'Դատարանի որոշմամբ' : null,
      created_by_user_id: createdBy,
      version: 1 + r.int(4),
      created_at: new Date(createdAt).toISOString(),
      updated_at: new Date(updatedAt).toISOString(),
    }
  }
}

// ----------------------------------------------------------------------------------------------- database steps

async function ensureScaleUsers(sequelize: Sequelize, regions: RegionRow[], totalFiles: number, random: Random): Promise<number> {
  const weightOf = (code: string) => REGION_WEIGHTS[code] ?? DEFAULT_REGION_WEIGHT
  const totalWeight = regions.reduce((sum, region) => sum + weightOf(region.code), 0)
  const wanted: { username: string; fullName: string; role: string; regionId: number }[] = []
  const fullName = (male: boolean) => `${surnames.pick(random)} ${male ? random.pick(MALE_NAMES)[0] : random.pick(FEMALE_NAMES)}`
  for (const region of regions) {
    const share = weightOf(region.code) / totalWeight
    const specialists = Math.max(2, Math.round((totalFiles * share) / FILES_PER_SPECIALIST))
    wanted.push({ username: scaleUsername.head(region.code), fullName: fullName(random.chance(0.6)), role: 'REGIONAL_HEAD', regionId: region.id })
    for (let n = 1; n <= 2; n += 1) wanted.push({ username: scaleUsername.senior(region.code, n), fullName: fullName(random.chance(0.5)), role: 'SENIOR_SPECIALIST', regionId: region.id })
    for (let n = 1; n <= specialists; n += 1) wanted.push({ username: scaleUsername.specialist(region.code, n), fullName: fullName(random.chance(0.5)), role: 'SPECIALIST', regionId: region.id })
  }
  const existing = new Set(
    (await sequelize.query<{ username: string }>(`SELECT lower(username) AS username FROM users WHERE username LIKE :prefix`, { replacements: { prefix: `${SCALE_USERNAME_PREFIX}%` }, type: QueryTypes.SELECT })).map((u) => u.username),
  )
  // Accounts made before sign-in took a second factor get the published demo key, as new ones do.
  await sequelize.query(`UPDATE users SET totp_key = $1, totp_enrolled_at = now() WHERE username LIKE $2 AND totp_key IS NULL`, { bind: [DEMO_TOTP_KEY, `${SCALE_USERNAME_PREFIX}%`] })
  const missing = wanted.filter((user) => !existing.has(user.username))
  if (missing.length === 0) return 0
  const passwordHash = await hashPassword(SCALE_PASSWORD) // once for every account: argon2 is slow on purpose
  await sequelize.query(
    `INSERT INTO users (username, full_name, role, region_id, password_hash, password_changed_at, totp_key, totp_enrolled_at)
     SELECT u.username, u.full_name, u.role, u.region_id, $5, now(), $6, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS u (username, full_name, role, region_id)
     ON CONFLICT DO NOTHING`,
    { bind: [missing.map((u) => u.username), missing.map((u) => u.fullName), missing.map((u) => u.role), missing.map((u) => u.regionId), passwordHash, DEMO_TOTP_KEY] },
  )
  return missing.length
}

async function planRegions(sequelize: Sequelize, regions: RegionRow[]): Promise<RegionPlan[]> {
  const staff = await sequelize.query<{ id: number; username: string; role: string; regionId: number }>(
    `SELECT id, lower(username) AS username, role, region_id AS "regionId" FROM users
      WHERE active AND region_id IS NOT NULL AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY id`,
    { type: QueryTypes.SELECT },
  )
  return regions.map((region) => {
    const mine = staff.filter((user) => user.regionId === region.id)
    const head = mine.find((user) => user.username === scaleUsername.head(region.code))
    if (!head) throw new Error(`the scale head of ${region.code} is missing`)
    const specialists = mine.filter((user) => user.role === 'SPECIALIST').map((user) => user.id)
    const seniors = mine.filter((user) => user.role === 'SENIOR_SPECIALIST').map((user) => user.id)
    return {
      ...region,
      communities: COMMUNITIES[region.code] ?? [region.centreHy],
      specialists: specialists.length > 0 ? specialists : [head.id],
      seniors,
      headId: head.id,
      scaleIds: new Set(mine.filter((user) => user.username.startsWith(SCALE_USERNAME_PREFIX)).map((user) => user.id)),
    }
  })
}

/** The highest number used per region and year: the counter, or a file number above it. */
async function currentCounters(sequelize: Sequelize): Promise<Map<string, number>> {
  const rows = await sequelize.query<{ regionId: number; year: number; last: number }>(
    `SELECT region_id AS "regionId", year, max(last)::int AS last FROM (
       SELECT region_id, year, last_number AS last FROM file_number_counters
       UNION ALL
       SELECT region_id, (m[1])::int, (m[2])::int FROM (SELECT region_id, regexp_match(file_number, '-(\\d{4})-(\\d+)$') AS m FROM beneficiaries) numbered WHERE m IS NOT NULL
     ) s GROUP BY region_id, year`,
    { type: QueryTypes.SELECT },
  )
  return new Map(rows.map((row) => [`${row.regionId}:${row.year}`, row.last]))
}

async function countScaleRows(sequelize: Sequelize): Promise<number> {
  const [{ count }] = await sequelize.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM beneficiaries WHERE created_by_user_id IN (SELECT id FROM users WHERE username LIKE :prefix)`,
    { replacements: { prefix: `${SCALE_USERNAME_PREFIX}%` }, type: QueryTypes.SELECT },
  )
  return count
}

/** Rows of a per-file table (measures, assessments) that belong to scale files. */
async function countOfScaleFiles(sequelize: Sequelize, table: 'measures' | 'assessments'): Promise<number> {
  const [{ count }] = await sequelize.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ${table} t JOIN beneficiaries b ON b.id = t.beneficiary_id
      WHERE b.created_by_user_id IN (SELECT id FROM users WHERE username LIKE :prefix)`,
    { replacements: { prefix: `${SCALE_USERNAME_PREFIX}%` }, type: QueryTypes.SELECT },
  )
  return count
}

function describeSupervision(seeded: SupervisionSeedResult, ms: number): string {
  const n = (value: number) => value.toLocaleString('en-US')
  const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(0)}%`
  return `${n(seeded.files)} supervised files: ${n(seeded.assessments)} assessments (${n(seeded.drafts)} drafts, ${n(seeded.awaitingCountersignature)} awaiting countersignature), ` +
    `${n(seeded.plans)} plans (${n(seeded.plansApproved)} approved, ${n(seeded.plansSuperseded)} superseded, ${n(seeded.plansSubmitted)} submitted, ${n(seeded.plansDraft)} drafts) ` +
    `with ${n(seeded.goals)} goals and ${n(seeded.steps)} steps, ${n(seeded.appointments)} appointments over the last ${n(seeded.contactWindowDays)} days and the next four weeks ` +
    `(${n(seeded.appointmentsPast)} past, ${n(seeded.appointmentsAwaitingOutcome)} of them awaiting an outcome; ${n(seeded.appointmentsFuture)} booked; ${n(seeded.appointmentsCancelled)} cancelled), ` +
    `${n(seeded.openDeadlines)} open supervision deadlines (${n(seeded.overdueDeadlines)} overdue, ${pct(seeded.overdueDeadlines, seeded.openDeadlines)}) and ${n(seeded.doneDeadlines)} done, ` +
    `${n(seeded.activityEvents)} activity events with ${n(seeded.participants)} invitations in ${formatDuration(ms)}`
}

// ----------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const startedAt = Date.now()
  const opts = options()
  const config = loadConfig()

  let embedded: EmbeddedDatabase | null = null
  let databaseUrl = config.databaseUrl
  if (!databaseUrl) {
    console.log(`Starting the embedded PostgreSQL (${config.embeddedDatabase.dataDir}, port ${config.embeddedDatabase.port})`)
    embedded = await startEmbeddedDatabase({ ...config.embeddedDatabase, persistent: true, databaseName: 'probation' })
    databaseUrl = embedded.url
  }
  const sequelize = createSequelize({ url: databaseUrl, poolMax: 2 })
  let stopRequested = false
  const onSignal = () => {
    if (stopRequested) return
    stopRequested = true
    process.stderr.write('\nStopping after the current batch…\n')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    initModels(sequelize)
    const applied = await createMigrator(sequelize).up()
    if (applied.length > 0) console.log(`Migrations applied: ${applied.map((m) => m.name).join(', ')}`)
    // The demo accounts exactly as the app creates them at start-up (not the demo office: the scale data is its own).
    const app = services({ sequelize, clock: systemClock, retentionYears: config.closedFileRetentionYears })
    await seedDemoAccounts()
    const prepared = Date.now()

    // The correspondence registers: added once (an existing register is left as it is).
    const addCorrespondence = async (): Promise<boolean> => {
      const startedAt = Date.now()
      const [{ items }] = await sequelize.query<{ items: number }>('SELECT (SELECT count(*) FROM incoming_items) + (SELECT count(*) FROM outgoing_letters) AS items', { type: QueryTypes.SELECT })
      if (items > 0 || opts.correspondence === 0) {
        console.log(`Correspondence: ${Number(items).toLocaleString('en-US')} items and letters exist already; none added.`)
        return false
      }
      const seeded = await seedCorrespondence(sequelize, opts.correspondence, serviceDateOf(new Date()))
      console.log(`Correspondence: ${seeded.incoming.toLocaleString('en-US')} incoming items, ${seeded.outgoing.toLocaleString('en-US')} outgoing letters in ${formatDuration(Date.now() - startedAt)}.`)
      return true
    }

    // Assessments, plans, contacts and activities: for every scale file when none has an assessment yet (an older seed
    // gets them), else (--append) for this run's files only (id above afterId).
    const addSupervision = async (afterId: number, files: number): Promise<boolean> => {
      const startedAt = Date.now()
      const contacts = opts.contacts ?? 10 * files
      const existingAssessments = await countOfScaleFiles(sequelize, 'assessments')
      if (contacts === 0) {
        console.log('Supervision: --contacts 0, no assessments, plans or contacts added.')
        return false
      }
      if (existingAssessments > 0 && afterId === 0) {
        console.log(`Supervision: ${existingAssessments.toLocaleString('en-US')} assessments of scale files exist already; none added (pass --append).`)
        return false
      }
      process.stderr.write(`supervision: assessments, plans, about ${contacts.toLocaleString('en-US')} appointments, deadlines and activities in one transaction…\n`)
      const seeded = await seedSupervision(sequelize, app.assessments, { contacts, afterId, seed: opts.seed, today: serviceDateOf(new Date()), now: new Date() })
      console.log(`Supervision: ${describeSupervision(seeded, Date.now() - startedAt)}.`)
      return true
    }

    const existing = await countScaleRows(sequelize)
    const existingMeasures = await countOfScaleFiles(sequelize, 'measures')
    let toInsert = opts.append ? opts.beneficiaries : opts.beneficiaries - existing
    if (!opts.append && existing >= opts.beneficiaries) {
      if (existingMeasures > 0) {
        // An earlier seed without correspondence or supervision gets them; anything more needs --append or a fresh folder.
        const addedCorrespondence = await addCorrespondence()
        const addedSupervision = await addSupervision(0, existing)
        if (addedCorrespondence || addedSupervision) {
          const analyseStartedAt = Date.now()
          await sequelize.query('VACUUM (ANALYZE)')
          console.log(`VACUUM (ANALYZE) ${formatDuration(Date.now() - analyseStartedAt)}, total ${formatDuration(Date.now() - startedAt)}.`)
          return
        }
        console.error(
          `Refusing: the database already holds ${existing.toLocaleString('en-US')} scale beneficiaries (>= ${opts.beneficiaries.toLocaleString('en-US')}) and their measures. ` +
            'Pass --append to add that many more, or start from a fresh data folder.',
        )
        process.exitCode = 1
        return
      }
      // Beneficiaries of an earlier seed:scale, without measures: only the measures are added.
      console.log(`${existing.toLocaleString('en-US')} scale beneficiaries exist already, without measures: adding the measures only.`)
      toInsert = 0
    }
    const [{ maxId }] = await sequelize.query<{ maxId: number }>('SELECT coalesce(max(id), 0)::int AS "maxId" FROM beneficiaries', { type: QueryTypes.SELECT })
    if (existing > 0) console.log(`${existing.toLocaleString('en-US')} scale beneficiaries exist already: adding ${toInsert.toLocaleString('en-US')}.`)

    const regionRows = await sequelize.query<RegionRow>(
      `SELECT id, code, file_prefix AS "filePrefix", centre_hy AS "centreHy" FROM regions WHERE active ORDER BY id`,
      { type: QueryTypes.SELECT },
    )
    if (regionRows.length === 0) throw new Error('no active regional body in the regions table')
    // Users get their own random stream, so the beneficiaries do not depend on how many users were missing.
    const createdUsers = await ensureScaleUsers(sequelize, regionRows, existing + toInsert, new Random(mulberry32(opts.seed ^ 0x5ca1e)))
    const regions = await planRegions(sequelize, regionRows)
    const staffCount = regions.reduce((sum, region) => sum + region.scaleIds.size, 0)
    console.log(`Staff: ${staffCount} scale accounts in ${regions.length} regions (${createdUsers} created; password ${SCALE_PASSWORD}).`)

    const random = new Random(mulberry32((opts.seed * 0x9e3779b1 + existing) >>> 0))
    const regionPicker = new Weighted(regions.map((region) => [region, REGION_WEIGHTS[region.code] ?? DEFAULT_REGION_WEIGHT] as const))
    const generator = new Generator(random, serviceDateOf(new Date()), await currentCounters(sequelize))

    const insertStartedAt = Date.now()
    const progress = new ProgressBar(toInsert, 'beneficiaries')
    let inserted = 0
    progress.update(0)
    while (inserted < toInsert && !stopRequested) {
      const size = Math.min(opts.batch, toInsert - inserted)
      const columns = COLUMNS.map(() => [] as Value[])
      for (let i = 0; i < size; i += 1) {
        const row = generator.row(regionPicker.pick(random), regions)
        COLUMNS.forEach(([name], c) => columns[c].push(row[name]))
      }
      const counters = generator.takeTouchedCounters()
      await sequelize.transaction(async (transaction) => {
        await sequelize.query(INSERT_SQL, { bind: columns, transaction })
        // The counters move with every batch, so an interrupted run still leaves the app numbering correctly.
        await sequelize.query(
          `INSERT INTO file_number_counters (region_id, year, last_number) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])
           ON CONFLICT (region_id, year) DO UPDATE SET last_number = GREATEST(file_number_counters.last_number, EXCLUDED.last_number)`,
          { bind: [counters.map((c) => c.regionId), counters.map((c) => c.year), counters.map((c) => c.last)], transaction },
        )
      })
      inserted += size
      progress.update(inserted)
    }
    const insertMs = Date.now() - insertStartedAt
    if (stopRequested) console.log(`Interrupted after ${inserted.toLocaleString('en-US')} rows (complete batches only).`)

    // Court acts and measures: for every scale file when none has any yet, else (--append) for this run's files only.
    const measuresStartedAt = Date.now()
    let measureSummary = 'measures skipped'
    if (existingMeasures > 0 && !opts.append) {
      console.log(`${existingMeasures.toLocaleString('en-US')} measures of scale files exist already: no measures added (pass --append).`)
    } else if (!stopRequested) {
      const targets = await sequelize.query<MeasureTarget>(
        `SELECT b.id, r.code AS "regionCode", b.status, b.closed_on::text AS "closedOn", (b.created_at AT TIME ZONE 'Asia/Yerevan')::date::text AS "createdOn",
                b.responsible_officer_id AS "officerId", b.created_by_user_id AS "createdBy"
           FROM beneficiaries b JOIN regions r ON r.id = b.region_id
          WHERE b.created_by_user_id IN (SELECT id FROM users WHERE username LIKE :prefix) AND b.id > :after
            AND NOT EXISTS (SELECT 1 FROM court_acts a WHERE a.beneficiary_id = b.id)
          ORDER BY b.id`,
        { replacements: { prefix: `${SCALE_USERNAME_PREFIX}%`, after: existingMeasures > 0 ? maxId : 0 }, type: QueryTypes.SELECT },
      )
      const measureRandom = new Random(mulberry32((opts.seed * 0x85ebca6b + existingMeasures + 0x3ea5) >>> 0))
      const seeded = await seedMeasures(sequelize, targets, measureRandom, serviceDateOf(new Date()), opts.batch, () => stopRequested)
      const n = (value: number) => value.toLocaleString('en-US')
      measureSummary = `${n(seeded.courtActs)} court acts, ${n(seeded.measures)} measures, ${n(seeded.events)} events, ${n(seeded.workSessions)} work sessions, ` +
        `${n(seeded.finePayments)} fine payments, ${n(seeded.openDeadlines)} open deadlines (${n(seeded.overdueDeadlines)} overdue, ` +
        `${((100 * seeded.overdueDeadlines) / Math.max(1, seeded.openDeadlines)).toFixed(0)}%) in ${formatDuration(Date.now() - measuresStartedAt)}`
      console.log(`Measures: ${measureSummary}.`)
    }
    const measuresMs = Date.now() - measuresStartedAt

    await addCorrespondence()

    const supervisionStartedAt = Date.now()
    if (!stopRequested) {
      // Like the measures: every scale file when none has an assessment yet, else (--append) this run's files.
      const everyFile = (await countOfScaleFiles(sequelize, 'assessments')) === 0
      await addSupervision(everyFile ? 0 : maxId, everyFile ? existing + inserted : inserted)
    }
    const supervisionMs = Date.now() - supervisionStartedAt

    // Counters to the highest number in use per region and year: new cards continue each sequence without a gap.
    await sequelize.query(
      `INSERT INTO file_number_counters (region_id, year, last_number)
       SELECT region_id, (m[1])::int, max((m[2])::int) FROM (SELECT region_id, regexp_match(file_number, '-(\\d{4})-(\\d+)$') AS m FROM beneficiaries) numbered
        WHERE m IS NOT NULL GROUP BY region_id, (m[1])::int
       ON CONFLICT (region_id, year) DO UPDATE SET last_number = GREATEST(file_number_counters.last_number, EXCLUDED.last_number)`,
    )
    const analyseStartedAt = Date.now()
    // ANALYZE for the planner; VACUUM too, so that the bench finds the steady state autovacuum would reach
    // (visibility map for index-only scans, hint bits) instead of autovacuum running through it.
    await sequelize.query('VACUUM (ANALYZE)')
    const analyseMs = Date.now() - analyseStartedAt

    const byRegion = await sequelize.query<{ code: string; files: number; open: number }>(
      `SELECT r.code, count(b.id)::int AS files, count(b.id) FILTER (WHERE b.status IN ('ACTIVE', 'SUSPENDED'))::int AS open
         FROM regions r LEFT JOIN beneficiaries b ON b.region_id = r.id GROUP BY r.id ORDER BY count(b.id) DESC`,
      { type: QueryTypes.SELECT },
    )
    console.log('\nRegion          files     open')
    for (const row of byRegion) console.log(`${row.code.padEnd(14)}${String(row.files).padStart(7)}  ${String(row.open).padStart(7)}`)
    const rate = inserted / Math.max(insertMs / 1000, 0.001)
    console.log(
      `\nInserted ${inserted.toLocaleString('en-US')} beneficiaries in ${formatDuration(insertMs)} (${Math.round(rate).toLocaleString('en-US')} rows/s); ` +
        `start-up and migrations ${formatDuration(prepared - startedAt)}, measures ${formatDuration(measuresMs)}, supervision ${formatDuration(supervisionMs)}, VACUUM (ANALYZE) ${formatDuration(analyseMs)}, ` +
        `total ${formatDuration(Date.now() - startedAt)}.`,
    )
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await sequelize.close()
    await embedded?.stop()
  }
}

// Explicit exit: the embedded cluster's exit hooks would otherwise end the process with 0 after a refusal.
main().then(
  () => process.exit(Number(process.exitCode ?? 0)),
  (error: Error) => {
    console.error(`seed:scale failed: ${error.message}`)
    process.exit(1)
  },
)
