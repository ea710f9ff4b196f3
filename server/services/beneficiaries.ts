import { Op, QueryTypes, type Sequelize, type Transaction, type WhereOptions } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { birthDateProblem, EDITABLE_STATUSES, type BeneficiaryCategory, type BeneficiaryStatus, type CloseReason } from '../domain/beneficiaryCatalogue'
import { personalFileNumber } from '../domain/numbering'
import { searchKey } from '../domain/transliteration'
import { Beneficiary, BeneficiaryDocument, BeneficiaryNote, Region, User } from '../../models'
import { detectFileType, MAX_UPLOAD_BYTES, safeFileName } from '../domain/fileTypes'
import type { AuditService } from './audit'
import type { RegionView } from './regions'
import { preparedQuery } from './preparedStatements'
import type { SubmissionQueries } from '../data/submissions'
import { AlreadySubmitted, NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import { DEADLINES_ON_REGISTRATION, isSupervisedCategory } from '../domain/supervision'
import type { DeadlineService } from './deadlines'
import { submissionGuard, submissionOf } from './submissions'

/** Everything the registration card form edits. */
export interface CardInput {
  surname: string
  givenName: string
  patronymic: string | null
  surnameLatin: string
  givenNameLatin: string
  patronymicLatin: string | null
  sex: string
  birthDate: string
  birthPlace: string | null
  citizenship: string | null
  identityDocumentType: string | null
  identityDocumentNumber: string | null
  identityDocumentIssuer: string | null
  identityDocumentIssuedOn: string | null
  publicServiceNumber: string | null
  registeredMarz: string | null
  registeredCommunity: string | null
  registeredStreet: string | null
  actualMarz: string | null
  actualCommunity: string | null
  actualStreet: string | null
  phones: string | null
  email: string | null
  education: string | null
  employer: string | null
  jobTitle: string | null
  familyStatus: string | null
  dependants: number | null
  militaryStatus: string | null
  healthNotes: string | null
  category: BeneficiaryCategory
  status: BeneficiaryStatus
  riskToStaff: boolean
  riskToStaffReason: string | null
}

export const CARD_FIELDS = [
  'surname', 'givenName', 'patronymic', 'surnameLatin', 'givenNameLatin', 'patronymicLatin', 'sex', 'birthDate', 'birthPlace',
  'citizenship', 'identityDocumentType', 'identityDocumentNumber', 'identityDocumentIssuer', 'identityDocumentIssuedOn',
  'publicServiceNumber', 'registeredMarz', 'registeredCommunity', 'registeredStreet', 'actualMarz', 'actualCommunity',
  'actualStreet', 'phones', 'email', 'education', 'employer', 'jobTitle', 'familyStatus', 'dependants', 'militaryStatus',
  'healthNotes', 'category', 'status', 'riskToStaff', 'riskToStaffReason',
] as const satisfies readonly (keyof CardInput)[]

/** Health notes are themselves sensitive: the audit records that they changed, not what they say. */
const MASKED_IN_AUDIT: ReadonlySet<keyof CardInput> = new Set(['healthNotes'])

/** What the policy needs to judge an action on a file. */
export interface FileFacts {
  id: number
  regionId: number
  responsibleOfficerId: number | null
  status: BeneficiaryStatus
}

export interface PersonalFile extends CardInput, FileFacts {
  fileNumber: string
  regionNameHy: string
  regionNameEn: string
  responsibleOfficerName: string | null
  closedOn: string | null
  closeReason: CloseReason | null
  closeNote: string | null
  anonymisedAt: Date | null
  version: number
  createdAt: Date
  updatedAt: Date
}

export interface RegisterRow {
  id: number
  fileNumber: string
  surname: string
  givenName: string
  patronymic: string | null
  surnameLatin: string
  givenNameLatin: string
  birthDate: string
  category: BeneficiaryCategory
  status: BeneficiaryStatus
  riskToStaff: boolean
  responsibleOfficerId: number | null
  responsibleOfficerName: string | null
  regionId: number
}

export interface DuplicateMatch {
  sameRegion: boolean
  /** Only for a file in the user's own region: another region's file is named by its regional body alone. */
  id: number | null
  fileNumber: string | null
  fullName: string | null
  regionNameHy: string
  regionNameEn: string
  matchedOn: 'publicServiceNumber' | 'nameAndBirthDate'
}

export class DuplicateWarning extends Error {
  constructor(readonly matches: DuplicateMatch[]) {
    super('possible duplicate')
  }
}

export const REGISTER_SORTS = ['name', 'fileNumber', 'birthDate', 'status', 'officer', 'updated'] as const
export type RegisterSort = (typeof REGISTER_SORTS)[number]
export const REGISTER_PAGE_SIZE = 25

export interface RegisterFilter {
  regionId: number
  status?: BeneficiaryStatus
  category?: BeneficiaryCategory
  officerId?: number
  riskToStaff?: boolean
  query?: string
  sort: RegisterSort
  direction: 'asc' | 'desc'
  page: number
}

const SORT_COLUMNS: Record<RegisterSort, string> = {
  name: 'b.surname_latin %s, b.given_name_latin %s, b.id %s',
  fileNumber: 'b.file_number %s, b.id %s',
  birthDate: 'b.birth_date %s, b.id %s',
  status: 'b.status %s, b.surname_latin, b.id',
  officer: 'u.full_name %s NULLS LAST, b.surname_latin, b.id',
  updated: 'b.updated_at %s, b.id %s',
}

const SEARCH_LIMIT = 50

/** Active staff of the region ($1) who can be responsible for a file. */
const OFFICERS_SQL = `SELECT id, full_name AS "fullName" FROM users WHERE region_id = $1 AND active AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD')`

function keyOf(card: Pick<CardInput, 'surname' | 'givenName' | 'patronymic' | 'surnameLatin' | 'givenNameLatin' | 'patronymicLatin'>): string {
  return searchKey([card.surname, card.givenName, card.patronymic, card.surnameLatin, card.givenNameLatin, card.patronymicLatin].filter(Boolean).join(' '))
}

/** The columns of a personal file, named as PersonalFile names them (the model is underscored). */
const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
const FILE_COLUMNS = [...CARD_FIELDS, 'id', 'regionId', 'responsibleOfficerId', 'fileNumber', 'closedOn', 'closeReason', 'closeNote', 'anonymisedAt', 'version', 'createdAt', 'updatedAt']
  .map((field) => (snake(field) === field ? `b.${field}` : `b.${snake(field)} AS "${field}"`))
  .join(', ')

type FileRow = Omit<PersonalFile, 'regionNameHy' | 'regionNameEn'> & { regionNameHy: string | null; regionNameEn: string | null }

/** The file as the pages take it: the card's fields first, then the rest (the form's values follow this order). */
function toFile(row: FileRow): PersonalFile {
  const card = Object.fromEntries(CARD_FIELDS.map((field) => [field, row[field]])) as unknown as CardInput
  return {
    ...card,
    id: row.id,
    regionId: row.regionId,
    responsibleOfficerId: row.responsibleOfficerId,
    status: row.status,
    fileNumber: row.fileNumber,
    regionNameHy: row.regionNameHy ?? '',
    regionNameEn: row.regionNameEn ?? '',
    responsibleOfficerName: row.responsibleOfficerName ?? null,
    closedOn: row.closedOn,
    closeReason: row.closeReason,
    closeNote: row.closeNote,
    anonymisedAt: row.anonymisedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

/** Audit actions that read a file rather than change it: the timeline leaves them to the access log. */
export const VIEW_ACTIONS = ['beneficiary.view', 'beneficiary.accessReason', 'beneficiary.print', 'beneficiary.export', 'beneficiary.documentDownload', 'assessment.view', 'plan.view', 'contact.view', 'supervision.view', 'contact.calendarExport']

export interface NoteView { id: number; body: string; authorName: string; createdAt: Date }
export interface DocumentView { id: number; kind: string; fileName: string; mediaType: string; sizeBytes: number; description: string | null; uploadedAt: Date; uploadedByName: string }
/** How often a file was read, by how many people, and when last: the access log in one line. */
export interface ReadSummary { count: number; people: number; last: Date | null }
export interface TimelineEvent { occurredAt: Date; actorUsername: string | null; action: string; details: Record<string, unknown> }

// The file's notes, documents and history, each written once: read alone (print, export) or together (the file page).
// `$n` names the parameter: the file's id, or its id as audit_events.target_id (text).
const NOTES_SQL = (fileId: string) => `SELECT n.id, n.body, COALESCE(u.full_name, '') AS "authorName", n.created_at AS "createdAt"
    FROM beneficiary_notes n LEFT JOIN users u ON u.id = n.author_user_id
   WHERE n.beneficiary_id = ${fileId} ORDER BY n.created_at DESC, n.id DESC`
const DOCUMENTS_SQL = (fileId: string) => `SELECT d.id, d.kind, d.file_name AS "fileName", d.media_type AS "mediaType", d.size_bytes AS "sizeBytes", d.description,
         d.uploaded_at AS "uploadedAt", COALESCE(u.full_name, '') AS "uploadedByName"
    FROM beneficiary_documents d LEFT JOIN users u ON u.id = d.uploaded_by_user_id
   WHERE d.beneficiary_id = ${fileId} ORDER BY d.uploaded_at DESC, d.id DESC`
// Views are excluded from the history: heads see those in the access log. The page shows the latest; the whole
// history is in the audit log. The action list is written into the statement (it is the code's own constant): the
// partial indexes of migration 20261207150000-file-reads-index carry the same list, and PostgreSQL uses them
// only when it can see the statement's list is theirs.
const VIEW_ACTIONS_SQL = VIEW_ACTIONS.map((action) => `'${action}'`).join(', ')
const TIMELINE_SQL = (kind: 'changes' | 'views', targetId: string) => `SELECT id, occurred_at AS "occurredAt", actor_username AS "actorUsername", action, details
    FROM audit_events
   WHERE target_type = 'beneficiary' AND target_id = ${targetId} AND action ${kind === 'views' ? 'IN' : 'NOT IN'} (${VIEW_ACTIONS_SQL})
   ORDER BY occurred_at DESC, id DESC LIMIT ${kind === 'views' ? 50 : 200}`

const toTimelineEvent = (row: { occurredAt: Date | string; actorUsername: string | null; action: string; details: Record<string, unknown> }): TimelineEvent =>
  ({ occurredAt: new Date(row.occurredAt), actorUsername: row.actorUsername, action: row.action, details: row.details })

/** All four in one statement and one round trip, as JSON arrays in the same orders (their moments come back as text). */
const FILE_SECTIONS_SQL = (withViews: boolean) => `SELECT
    (SELECT COALESCE(json_agg(x ORDER BY x."createdAt" DESC, x.id DESC), '[]') FROM (${NOTES_SQL('$1')}) x) AS notes,
    (SELECT COALESCE(json_agg(x ORDER BY x."uploadedAt" DESC, x.id DESC), '[]') FROM (${DOCUMENTS_SQL('$1')}) x) AS documents,
    (SELECT COALESCE(json_agg(x ORDER BY x."occurredAt" DESC, x.id DESC), '[]') FROM (${TIMELINE_SQL('changes', '$2')}) x) AS timeline,
    ${withViews ? `(SELECT COALESCE(json_agg(x ORDER BY x."occurredAt" DESC, x.id DESC), '[]') FROM (${TIMELINE_SQL('views', '$2')}) x)` : `'[]'::json`} AS views,
    ${withViews ? `(SELECT json_build_object('count', count(*), 'people', count(DISTINCT actor_username), 'last', max(occurred_at)) FROM audit_events
                     WHERE target_type = 'beneficiary' AND target_id = $2 AND action IN (${VIEW_ACTIONS_SQL}))` : 'NULL::json'} AS "readSummary"`

export function beneficiaryService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; submissions: SubmissionQueries }) {
  const { sequelize, clock, audit } = deps
  const submitted = submissionGuard(deps.submissions)
  const beneficiaryAudit = (id: number, regionId: number) => ({ category: 'beneficiary' as const, regionId, target: { type: 'beneficiary', id } })

  // The reads below run on nearly every page (the policy guard, the file page): plain SQL as prepared statements, no
  // model instances, which cost several times the query itself in CPU (README, Performance).
  const FACTS = 'SELECT id, region_id AS "regionId", responsible_officer_id AS "responsibleOfficerId", status FROM beneficiaries WHERE id = $1'
  async function facts(id: number, transaction?: Transaction): Promise<FileFacts> {
    const [row] = transaction
      ? await sequelize.query<FileFacts>(FACTS, { bind: [id], type: QueryTypes.SELECT, transaction })
      : await preparedQuery<FileFacts>(sequelize, FACTS, [id])
    if (!row) throw new NotFoundError()
    return { id: row.id, regionId: row.regionId, responsibleOfficerId: row.responsibleOfficerId, status: row.status }
  }

  async function findDuplicates(card: Pick<CardInput, 'publicServiceNumber' | 'surname' | 'givenName' | 'patronymic' | 'surnameLatin' | 'givenNameLatin' | 'patronymicLatin' | 'birthDate'>, regionId: number, excludeId?: number): Promise<DuplicateMatch[]> {
    const conditions: WhereOptions<Beneficiary>[] = [{ birthDate: card.birthDate, surnameLatin: { [Op.iLike]: card.surnameLatin }, givenNameLatin: { [Op.iLike]: card.givenNameLatin } }]
    if (card.publicServiceNumber) conditions.push({ publicServiceNumber: card.publicServiceNumber })
    const rows = await Beneficiary.findAll({
      where: { [Op.or]: conditions, anonymisedAt: null, ...(excludeId ? { id: { [Op.ne]: excludeId } } : {}) },
      include: [{ model: Region, as: 'region', attributes: ['nameHy', 'nameEn'] }],
      limit: 10,
    })
    return rows.map((row) => {
      const sameRegion = row.regionId === regionId
      return {
        sameRegion,
        id: sameRegion ? row.id : null,
        fileNumber: sameRegion ? row.fileNumber : null,
        fullName: sameRegion ? `${row.surname} ${row.givenName}` : null,
        regionNameHy: row.region?.nameHy ?? '',
        regionNameEn: row.region?.nameEn ?? '',
        matchedOn: card.publicServiceNumber && row.publicServiceNumber === card.publicServiceNumber ? 'publicServiceNumber' : 'nameAndBirthDate',
      }
    })
  }

  function checkCard(card: CardInput): void {
    const today = serviceDateOf(clock.now())
    const birthProblem = birthDateProblem(card.birthDate, today)
    if (birthProblem) throw new ServiceError(`beneficiary.birth.${birthProblem}`, 'birthDate')
    if (card.identityDocumentIssuedOn && (card.identityDocumentIssuedOn > today || card.identityDocumentIssuedOn < card.birthDate)) {
      throw new ServiceError('beneficiary.documentDate', 'identityDocumentIssuedOn')
    }
  }

  /** Registers a new card; the number is taken from the region's counter inside the same transaction. */
  /**
   * Registers a personal file. With a submission id, the same submission registers at most once: a repeat (even one
   * arriving while the first is being saved) gets AlreadySubmitted with the first file's id.
   */
  async function create(regionId: number, card: CardInput, options: { confirmDuplicate: boolean; responsibleOfficerId: number | null; submissionId?: string }, context: RequestContext): Promise<{ id: number; fileNumber: string }> {
    checkCard(card)
    const submission = submissionOf(options.submissionId, 'beneficiary.create', context, clock.now())
    if (submission) {
      const first = await deps.submissions.resultOf(submission.id, submission.userId, submission.form)
      if (first !== null) throw new AlreadySubmitted(first)
    }
    if (!options.confirmDuplicate) {
      const matches = await findDuplicates(card, regionId)
      if (matches.length > 0) {
        // A repeat of a submission saved a moment ago finds the file it saved: that file is its answer, not a warning.
        const first = submission ? await deps.submissions.resultOf(submission.id, submission.userId, submission.form) : null
        if (first !== null) throw new AlreadySubmitted(first)
        throw new DuplicateWarning(matches)
      }
    }
    return sequelize.transaction(async (transaction) => {
      const region = await Region.findByPk(regionId, { transaction })
      if (!region) throw new NotFoundError()
      const year = Number(serviceDateOf(clock.now()).slice(0, 4))
      const [counter] = await sequelize.query<{ last_number: number }>(
        `INSERT INTO file_number_counters (region_id, year, last_number) VALUES (:regionId, :year, 1)
         ON CONFLICT (region_id, year) DO UPDATE SET last_number = file_number_counters.last_number + 1
         RETURNING last_number`,
        { replacements: { regionId, year }, type: QueryTypes.SELECT, transaction },
      )
      const fileNumber = personalFileNumber(region.filePrefix, year, counter.last_number)
      const row = await Beneficiary.create(
        { ...card, regionId, fileNumber, searchKey: keyOf(card), responsibleOfficerId: options.responsibleOfficerId, createdByUserId: context.actor!.id, closedOn: null, closeReason: null, closeNote: null, anonymisedAt: null, createdAt: clock.now(), updatedAt: clock.now() },
        { transaction },
      )
      if (isSupervisedCategory(card.category)) {
        const registeredOn = serviceDateOf(clock.now())
        for (const ruleId of DEADLINES_ON_REGISTRATION) await deps.deadlines.open({ beneficiaryId: row.id, ruleId, subjectType: 'beneficiary', subjectId: row.id, eventDate: registeredOn }, transaction)
      }
      await audit.record(context, { ...beneficiaryAudit(row.id, regionId), action: 'beneficiary.create', details: { fileNumber, duplicateConfirmed: options.confirmDuplicate } }, transaction)
      const first = submission ? await deps.submissions.record(submission, row.id, transaction) : null
      if (first !== null) throw new AlreadySubmitted(first)
      return { id: row.id, fileNumber }
    })
  }

  const GET_FILE = `SELECT ${FILE_COLUMNS}, r.name_hy AS "regionNameHy", r.name_en AS "regionNameEn", u.full_name AS "responsibleOfficerName"
      FROM beneficiaries b LEFT JOIN regions r ON r.id = b.region_id LEFT JOIN users u ON u.id = b.responsible_officer_id
     WHERE b.id = $1`
  async function get(id: number): Promise<PersonalFile> {
    const [row] = await preparedQuery<FileRow>(sequelize, GET_FILE, [id])
    if (!row) throw new NotFoundError()
    return toFile(row)
  }

  /** Every opening of a personal file is recorded, with the reason when one was required. */
  /** A read of the file's data: `details` say which page (a measure, the card form) or why (the reason given). */
  async function recordView(id: number, regionId: number, what: string, context: RequestContext, details: Record<string, unknown> = {}): Promise<void> {
    await audit.record(context, { ...beneficiaryAudit(id, regionId), action: what, details })
  }

  async function update(id: number, expectedVersion: number, card: CardInput, context: RequestContext): Promise<void> {
    checkCard(card)
    await sequelize.transaction(async (transaction) => {
      const row = await Beneficiary.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!row) throw new NotFoundError()
      if (row.version !== expectedVersion) throw new StaleEditError(await get(id))
      // Closing, transfer and archiving have their own procedures: the card form does not change them.
      if (!(EDITABLE_STATUSES as readonly string[]).includes(row.status)) card = { ...card, status: row.status }
      const changed = CARD_FIELDS.filter((field) => (row[field] ?? null) !== (card[field] ?? null))
      if (changed.length === 0) return
      const shown = (field: keyof CardInput, value: unknown) => (MASKED_IN_AUDIT.has(field) ? '***' : value)
      const details = {
        before: Object.fromEntries(changed.map((field) => [field, shown(field, row[field])])),
        after: Object.fromEntries(changed.map((field) => [field, shown(field, card[field])])),
      }
      Object.assign(row, card)
      row.searchKey = keyOf(card)
      row.version += 1
      await row.save({ transaction })
      await audit.record(context, { ...beneficiaryAudit(id, row.regionId), action: 'beneficiary.update', details }, transaction)
    })
  }

  const REGISTER_COLUMNS = `b.id, b.file_number AS "fileNumber", b.surname, b.given_name AS "givenName", b.patronymic,
    b.surname_latin AS "surnameLatin", b.given_name_latin AS "givenNameLatin", b.birth_date AS "birthDate",
    b.category, b.status, b.risk_to_staff AS "riskToStaff", b.responsible_officer_id AS "responsibleOfficerId",
    u.full_name AS "responsibleOfficerName", b.region_id AS "regionId"`

  /** The statement pieces of a register page: its conditions (the text depends only on which filters are set), values and order. */
  function registerQuery(filter: RegisterFilter): { where: string; values: unknown[]; order: string } {
    const where: string[] = ['b.region_id = $1', 'b.anonymised_at IS NULL']
    const values: unknown[] = [filter.regionId]
    const condition = (sql: string, value: unknown) => {
      values.push(value)
      where.push(sql.replace('?', `$${values.length}`))
    }
    if (filter.status) condition('b.status = ?', filter.status)
    if (filter.category) condition('b.category = ?', filter.category)
    if (filter.officerId) condition('b.responsible_officer_id = ?', filter.officerId)
    if (filter.riskToStaff !== undefined) condition('b.risk_to_staff = ?', filter.riskToStaff)
    const direction = filter.direction === 'desc' ? 'DESC' : 'ASC'
    return { where: where.join(' AND '), values, order: SORT_COLUMNS[filter.sort].replace(/%s/g, direction) }
  }

  function registerRows(filter: RegisterFilter): Promise<RegisterRow[]> {
    const { where, values, order } = registerQuery(filter)
    return preparedQuery<RegisterRow>(
      sequelize,
      `SELECT ${REGISTER_COLUMNS} FROM beneficiaries b LEFT JOIN users u ON u.id = b.responsible_officer_id
        WHERE ${where} ORDER BY ${order} LIMIT ${REGISTER_PAGE_SIZE} OFFSET $${values.length + 1}`,
      [...values, (filter.page - 1) * REGISTER_PAGE_SIZE],
    )
  }

  // The count and the page are separate queries: a window count would make every page read the whole region.
  async function list(filter: RegisterFilter): Promise<{ rows: RegisterRow[]; total: number }> {
    const { where, values } = registerQuery(filter)
    const [rows, [{ total }]] = await Promise.all([
      registerRows(filter),
      preparedQuery<{ total: number }>(sequelize, `SELECT count(*)::int AS total FROM beneficiaries b WHERE ${where}`, values),
    ])
    return { rows, total }
  }

  /** The register page: its rows, and with the count the region's officers for the filter (two statements, not three). */
  async function registerPage(filter: RegisterFilter): Promise<{ rows: RegisterRow[]; total: number; officers: { id: number; fullName: string }[] }> {
    const { where, values } = registerQuery(filter)
    const [rows, [{ total, officers }]] = await Promise.all([
      registerRows(filter),
      preparedQuery<{ total: number; officers: { id: number; fullName: string }[] }>(
        sequelize,
        `SELECT (SELECT count(*)::int FROM beneficiaries b WHERE ${where}) AS total,
                (SELECT COALESCE(json_agg(o ORDER BY o."fullName", o.id), '[]') FROM (${OFFICERS_SQL}) o) AS officers`,
        values,
      ),
    ])
    return { rows, total, officers }
  }


  /**
   * Finds files by personal file number, public service number, identity document number, or a name
   * typed in Armenian or Latin letters (spelling variants and one typo tolerated). Exact numbers come
   * first, then the nearest names. `regionIds` limits the search to the regions the user may read (null: all).
   */
  async function search(query: string, regionIds: number[] | null): Promise<RegisterRow[]> {
    const trimmed = query.trim()
    if (!trimmed) return []
    const exact = trimmed.toUpperCase().replace(/\s+/g, '')
    const key = searchKey(trimmed)
    // Numbered parameters: $1 the exact number, $2 the region(s) when limited, then the name key. The region condition
    // has one shape per case (the GiST index takes "= $2", not "= ANY($2)").
    const values: unknown[] = [exact]
    let inRegions = ''
    if (regionIds !== null) {
      inRegions = regionIds.length === 1 ? 'AND b.region_id = $2' : 'AND b.region_id = ANY($2::int[])'
      values.push(regionIds.length === 1 ? regionIds[0] : regionIds)
    }
    const exactMatches = `SELECT 0 AS "matchGroup", 0::real AS "matchDistance", ${REGISTER_COLUMNS}
        FROM beneficiaries b LEFT JOIN users u ON u.id = b.responsible_officer_id
       WHERE b.anonymised_at IS NULL ${inRegions}
         AND (b.file_number = $1 OR b.public_service_number = $1 OR b.identity_document_number = $1)
       ORDER BY b.surname_latin, b.id LIMIT ${SEARCH_LIMIT}`
    let sql = exactMatches
    if (key) {
      values.push(key)
      const k = `$${values.length}`
      // The nearest names by trigram distance alone (the GiST index walks them in order and stops at the limit);
      // a tie-break inside would make PostgreSQL read every equally near name first. The match threshold is
      // set on the connection (server/db/database.ts).
      const nameMatches = `SELECT 1 AS "matchGroup", b.distance AS "matchDistance", ${REGISTER_COLUMNS} FROM (
           SELECT b.*, ${k} <<-> b.search_key AS distance FROM beneficiaries b WHERE b.anonymised_at IS NULL ${inRegions} AND ${k} <% b.search_key
            ORDER BY ${k} <<-> b.search_key LIMIT ${SEARCH_LIMIT}
         ) b LEFT JOIN users u ON u.id = b.responsible_officer_id`
      // One statement, one round trip: exact numbers first (by name), then the names by distance.
      sql = `SELECT * FROM ((${exactMatches}) UNION ALL (${nameMatches})) m ORDER BY "matchGroup", "matchDistance", "surnameLatin", id`
    }
    const rows = await preparedQuery<RegisterRow & { matchGroup: number; matchDistance: number }>(sequelize, sql, values)
    const seen = new Set<number>()
    const found: RegisterRow[] = []
    for (const row of rows) {
      if (seen.has(row.id)) continue
      seen.add(row.id)
      // A new object rather than deleting the two match columns (a deletion puts an object in V8's slow mode).
      found.push({
        id: row.id, fileNumber: row.fileNumber, surname: row.surname, givenName: row.givenName, patronymic: row.patronymic, surnameLatin: row.surnameLatin,
        givenNameLatin: row.givenNameLatin, birthDate: row.birthDate, category: row.category, status: row.status, riskToStaff: row.riskToStaff,
        responsibleOfficerId: row.responsibleOfficerId, responsibleOfficerName: row.responsibleOfficerName, regionId: row.regionId,
      })
      if (found.length === SEARCH_LIMIT) break
    }
    return found
  }

  /** The region a register belongs to, as the regions service shows it (read once per register page, by its guard). */
  async function region(regionId: number): Promise<RegionView> {
    const [row] = await preparedQuery<RegionView>(
      sequelize,
      `SELECT id, code, file_prefix AS "filePrefix", name_hy AS "nameHy", name_en AS "nameEn", centre_hy AS "centreHy", centre_en AS "centreEn", active, version
         FROM regions WHERE id = $1`,
      [regionId],
    )
    if (!row) throw new NotFoundError()
    return row
  }

  /** Active staff of the region who can be responsible for a file (for filters). */
  async function officers(regionId: number): Promise<{ id: number; fullName: string }[]> {
    return preparedQuery(sequelize, `${OFFICERS_SQL} ORDER BY full_name`, [regionId])
  }


  /** Active staff of the region with their open caseload, for the head choosing a responsible officer. */
  async function caseloads(regionId: number): Promise<{ id: number; fullName: string; role: string; caseload: number }[]> {
    // A count per officer uses the officer index; a join and group would read the whole region.
    return sequelize.query(
      `SELECT u.id, u.full_name AS "fullName", u.role,
              (SELECT count(*) FROM beneficiaries b WHERE b.responsible_officer_id = u.id AND b.status IN ('ACTIVE', 'SUSPENDED'))::int AS caseload
         FROM users u
        WHERE u.region_id = :regionId AND u.active AND u.role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD')
        ORDER BY u.full_name`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
  }

  async function assign(id: number, officerId: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await Beneficiary.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!row) throw new NotFoundError()
      const officer = await User.findByPk(officerId, { transaction })
      if (!officer || !officer.active || officer.regionId !== row.regionId || !['SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD'].includes(officer.role)) {
        throw new ServiceError('beneficiary.officerNotEligible', 'officerId')
      }
      if (row.responsibleOfficerId === officerId) return
      const before = row.responsibleOfficerId
      row.responsibleOfficerId = officerId
      row.version += 1
      await row.save({ transaction })
      await audit.record(context, { ...beneficiaryAudit(id, row.regionId), action: 'beneficiary.assign', details: { before: { responsibleOfficerId: before }, after: { responsibleOfficerId: officerId } } }, transaction)
    })
  }

  async function close(id: number, expectedVersion: number, closing: { reason: CloseReason; closedOn: string; note: string | null }, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await Beneficiary.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!row) throw new NotFoundError()
      if (row.version !== expectedVersion) throw new StaleEditError(await get(id))
      if (!['ACTIVE', 'SUSPENDED'].includes(row.status)) throw new ServiceError('beneficiary.notOpen')
      if (closing.closedOn > serviceDateOf(clock.now())) throw new ServiceError('beneficiary.closedInFuture', 'closedOn')
      // A file cannot close before it was opened.
      if (closing.closedOn < serviceDateOf(row.createdAt)) throw new ServiceError('beneficiary.closedBeforeOpened', 'closedOn')
      const before = row.status
      Object.assign(row, { status: 'CLOSED', closedOn: closing.closedOn, closeReason: closing.reason, closeNote: closing.note })
      row.version += 1
      await row.save({ transaction })
      await audit.record(context, { ...beneficiaryAudit(id, row.regionId), action: 'beneficiary.close', details: { before: { status: before }, after: { status: 'CLOSED', ...closing } } }, transaction)
    })
  }

  async function reopen(id: number, expectedVersion: number, reason: string, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await Beneficiary.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!row) throw new NotFoundError()
      if (row.version !== expectedVersion) throw new StaleEditError(await get(id))
      if (row.status !== 'CLOSED' || row.anonymisedAt) throw new ServiceError('beneficiary.notClosed')
      Object.assign(row, { status: 'ACTIVE', closedOn: null, closeReason: null, closeNote: null })
      row.version += 1
      await row.save({ transaction })
      await audit.record(context, { ...beneficiaryAudit(id, row.regionId), action: 'beneficiary.reopen', details: { reason } }, transaction)
    })
  }

  /** Adds a note to the file; with a submission id, the same form adds it once (AlreadySubmitted names it). */
  async function addNote(id: number, body: string, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'beneficiary.note', context, clock.now())
    await submitted.notYetMade(submission)
    const { regionId } = await facts(id)
    await sequelize.transaction(async (transaction) => {
      const note = await BeneficiaryNote.create({ beneficiaryId: id, authorUserId: context.actor!.id, body, createdAt: clock.now() }, { transaction })
      await audit.record(context, { ...beneficiaryAudit(id, regionId), action: 'beneficiary.note', details: { noteId: note.id } }, transaction)
      await submitted.made(submission, note.id, transaction)
    })
  }





  async function notes(id: number): Promise<NoteView[]> {
    return preparedQuery<NoteView>(sequelize, NOTES_SQL('$1'), [id])
  }

  /** What happened to the file: its changes, or (for the access log) its views. */
  async function timeline(id: number, kind: 'changes' | 'views'): Promise<TimelineEvent[]> {
    return (await preparedQuery<TimelineEvent>(sequelize, TIMELINE_SQL(kind, '$1'), [String(id)])).map(toTimelineEvent)
  }

  async function documents(id: number): Promise<DocumentView[]> {
    return preparedQuery<DocumentView>(sequelize, DOCUMENTS_SQL('$1'), [id])
  }

  /** The file page's notes, documents, history and (for those who may see it) access log, read in one round trip. */
  async function fileSections(id: number, withViews: boolean): Promise<{ notes: NoteView[]; documents: DocumentView[]; timeline: TimelineEvent[]; views: TimelineEvent[]; readSummary: ReadSummary | null }> {
    const [row] = await preparedQuery<{ notes: NoteView[]; documents: DocumentView[]; timeline: TimelineEvent[]; views: TimelineEvent[]; readSummary: { count: number; people: number; last: string | null } | null }>(sequelize, FILE_SECTIONS_SQL(withViews), [id, String(id)])
    return {
      readSummary: row.readSummary && { count: row.readSummary.count, people: row.readSummary.people, last: row.readSummary.last === null ? null : new Date(row.readSummary.last) },
      notes: row.notes.map((note) => ({ id: note.id, body: note.body, authorName: note.authorName, createdAt: new Date(note.createdAt) })),
      documents: row.documents.map((d) => ({ id: d.id, kind: d.kind, fileName: d.fileName, mediaType: d.mediaType, sizeBytes: d.sizeBytes, description: d.description, uploadedAt: new Date(d.uploadedAt), uploadedByName: d.uploadedByName })),
      timeline: row.timeline.map(toTimelineEvent),
      views: row.views.map(toTimelineEvent),
    }
  }

  /** Uploads a document or photo to the file; with a submission id, the same form uploads it once (AlreadySubmitted names it). */
  async function addDocument(id: number, upload: { fileName: string; content: Buffer; description: string | null; kind: 'DOCUMENT' | 'PHOTO' }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'beneficiary.document', context, clock.now())
    await submitted.notYetMade(submission)
    if (upload.content.length === 0) throw new ServiceError('document.empty', 'file')
    if (upload.content.length > MAX_UPLOAD_BYTES) throw new ServiceError('document.tooLarge', 'file')
    // The type is what the bytes are, never what the name claims.
    const type = detectFileType(upload.content)
    if (!type) throw new ServiceError('document.typeNotAccepted', 'file')
    if (upload.kind === 'PHOTO' && type.kind !== 'jpeg' && type.kind !== 'png') throw new ServiceError('document.photoType', 'file')
    const { regionId } = await facts(id)
    await sequelize.transaction(async (transaction) => {
      const document = await BeneficiaryDocument.create(
        { beneficiaryId: id, kind: upload.kind, fileName: safeFileName(upload.fileName), mediaType: type.mediaType, sizeBytes: upload.content.length, content: upload.content, description: upload.description, uploadedByUserId: context.actor!.id, uploadedAt: clock.now() },
        { transaction },
      )
      await audit.record(context, { ...beneficiaryAudit(id, regionId), action: 'beneficiary.documentUpload', details: { documentId: document.id, kind: upload.kind, mediaType: type.mediaType, sizeBytes: upload.content.length } }, transaction)
      await submitted.made(submission, document.id, transaction)
    })
  }



  /** A document's bytes, read only through its own file (a document id from another file is not found). */
  async function document(id: number, documentId: number | 'latestPhoto', context: RequestContext): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
    const row = await BeneficiaryDocument.findOne({
      where: documentId === 'latestPhoto' ? { beneficiaryId: id, kind: 'PHOTO' } : { beneficiaryId: id, id: documentId },
      order: [['uploadedAt', 'DESC'], ['id', 'DESC']],
    })
    if (!row) throw new NotFoundError()
    // The photo is a read of the file too (the file page shows it, and it can be opened alone).
    const { regionId } = await facts(id)
    await audit.record(context, { ...beneficiaryAudit(id, regionId), action: 'beneficiary.documentDownload', details: { documentId: row.id, kind: row.kind } })
    return { fileName: row.fileName, mediaType: row.mediaType, content: row.content }
  }

  return { addDocument, documents, document, facts, findDuplicates, create, get, recordView, update, list, registerPage, search, region, officers, caseloads, assign, close, reopen, addNote, notes, timeline, fileSections }
}

export type BeneficiaryService = ReturnType<typeof beneficiaryService>
