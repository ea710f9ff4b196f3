import { Op, QueryTypes, type Sequelize, type Transaction, type WhereOptions } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { birthDateProblem, EDITABLE_STATUSES, type BeneficiaryCategory, type BeneficiaryStatus, type CloseReason } from '../domain/beneficiaryCatalogue'
import { personalFileNumber } from '../domain/numbering'
import { searchKey } from '../domain/transliteration'
import { AuditEvent, Beneficiary, BeneficiaryDocument, BeneficiaryNote, Region, User } from '../../models'
import { detectFileType, MAX_UPLOAD_BYTES, safeFileName } from '../domain/fileTypes'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'

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

function keyOf(card: Pick<CardInput, 'surname' | 'givenName' | 'patronymic' | 'surnameLatin' | 'givenNameLatin' | 'patronymicLatin'>): string {
  return searchKey([card.surname, card.givenName, card.patronymic, card.surnameLatin, card.givenNameLatin, card.patronymicLatin].filter(Boolean).join(' '))
}

function toFile(row: Beneficiary): PersonalFile {
  const card = Object.fromEntries(CARD_FIELDS.map((field) => [field, row[field]])) as unknown as CardInput
  return {
    ...card,
    id: row.id,
    regionId: row.regionId,
    responsibleOfficerId: row.responsibleOfficerId,
    status: row.status,
    fileNumber: row.fileNumber,
    regionNameHy: row.region?.nameHy ?? '',
    regionNameEn: row.region?.nameEn ?? '',
    responsibleOfficerName: row.responsibleOfficer?.fullName ?? null,
    closedOn: row.closedOn,
    closeReason: row.closeReason,
    closeNote: row.closeNote,
    anonymisedAt: row.anonymisedAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export function beneficiaryService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService }) {
  const { sequelize, clock, audit } = deps
  const beneficiaryAudit = (id: number, regionId: number) => ({ category: 'beneficiary' as const, regionId, target: { type: 'beneficiary', id } })

  async function facts(id: number, transaction?: Transaction): Promise<FileFacts> {
    const row = await Beneficiary.findByPk(id, { attributes: ['id', 'regionId', 'responsibleOfficerId', 'status'], transaction })
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
  async function create(regionId: number, card: CardInput, options: { confirmDuplicate: boolean; responsibleOfficerId: number | null }, context: RequestContext): Promise<{ id: number; fileNumber: string }> {
    checkCard(card)
    if (!options.confirmDuplicate) {
      const matches = await findDuplicates(card, regionId)
      if (matches.length > 0) throw new DuplicateWarning(matches)
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
        { ...card, regionId, fileNumber, searchKey: keyOf(card), responsibleOfficerId: options.responsibleOfficerId, createdByUserId: context.actor!.id, closedOn: null, closeReason: null, closeNote: null, anonymisedAt: null },
        { transaction },
      )
      await audit.record(context, { ...beneficiaryAudit(row.id, regionId), action: 'beneficiary.create', details: { fileNumber, duplicateConfirmed: options.confirmDuplicate } }, transaction)
      return { id: row.id, fileNumber }
    })
  }

  async function get(id: number): Promise<PersonalFile> {
    // Plain rows: the file page is the most opened page, and model instances cost more than the query.
    const row = await Beneficiary.findByPk(id, {
      include: [
        { model: Region, as: 'region', attributes: ['nameHy', 'nameEn'] },
        { model: User, as: 'responsibleOfficer', attributes: ['fullName'] },
      ],
      raw: true,
      nest: true,
    })
    if (!row) throw new NotFoundError()
    return toFile(row)
  }

  /** Every opening of a personal file is recorded, with the reason when one was required. */
  async function recordView(id: number, regionId: number, what: string, context: RequestContext, reason?: string): Promise<void> {
    await audit.record(context, { ...beneficiaryAudit(id, regionId), action: what, details: reason ? { reason } : {} })
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

  async function list(filter: RegisterFilter): Promise<{ rows: RegisterRow[]; total: number }> {
    const where: string[] = ['b.region_id = :regionId', 'b.anonymised_at IS NULL']
    const replacements: Record<string, unknown> = { regionId: filter.regionId, limit: REGISTER_PAGE_SIZE, offset: (filter.page - 1) * REGISTER_PAGE_SIZE }
    if (filter.status) {
      where.push('b.status = :status')
      replacements.status = filter.status
    }
    if (filter.category) {
      where.push('b.category = :category')
      replacements.category = filter.category
    }
    if (filter.officerId) {
      where.push('b.responsible_officer_id = :officerId')
      replacements.officerId = filter.officerId
    }
    if (filter.riskToStaff !== undefined) {
      where.push('b.risk_to_staff = :riskToStaff')
      replacements.riskToStaff = filter.riskToStaff
    }
    const direction = filter.direction === 'desc' ? 'DESC' : 'ASC'
    const order = SORT_COLUMNS[filter.sort].replace(/%s/g, direction)
    // The count and the page are separate queries: a window count would make every page read the whole region.
    const [rows, [{ total }]] = await Promise.all([
      sequelize.query<RegisterRow>(
        `SELECT ${REGISTER_COLUMNS} FROM beneficiaries b LEFT JOIN users u ON u.id = b.responsible_officer_id
          WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT :limit OFFSET :offset`,
        { replacements, type: QueryTypes.SELECT },
      ),
      sequelize.query<{ total: number }>(`SELECT count(*)::int AS total FROM beneficiaries b WHERE ${where.join(' AND ')}`, { replacements, type: QueryTypes.SELECT }),
    ])
    return { rows, total }
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
    const inRegions = regionIds ? 'AND b.region_id IN (:regionIds)' : ''
    const replacements = { exact, key, regionIds: regionIds ?? [], limit: SEARCH_LIMIT }
    const [exactMatches, nameMatches] = await Promise.all([
      sequelize.query<RegisterRow>(
        `SELECT ${REGISTER_COLUMNS} FROM beneficiaries b LEFT JOIN users u ON u.id = b.responsible_officer_id
          WHERE b.anonymised_at IS NULL ${inRegions}
            AND (b.file_number = :exact OR b.public_service_number = :exact OR b.identity_document_number = :exact)
          ORDER BY b.surname_latin, b.id LIMIT :limit`,
        { replacements, type: QueryTypes.SELECT },
      ),
      // The nearest names by trigram distance alone (the GiST index walks them in order and stops at the limit);
      // a tie-break inside would make PostgreSQL read every equally near name first. The match threshold is
      // set on the connection (server/db/database.ts).
      key
        ? sequelize.query<RegisterRow>(
            `SELECT ${REGISTER_COLUMNS} FROM (
               SELECT * FROM beneficiaries b WHERE b.anonymised_at IS NULL ${inRegions} AND :key <% b.search_key
                ORDER BY :key <<-> b.search_key LIMIT :limit
             ) b LEFT JOIN users u ON u.id = b.responsible_officer_id
             ORDER BY :key <<-> b.search_key, b.surname_latin, b.id`,
            { replacements, type: QueryTypes.SELECT },
          )
        : Promise.resolve([]),
    ])
    const seen = new Set(exactMatches.map((row) => row.id))
    return [...exactMatches, ...nameMatches.filter((row) => !seen.has(row.id))].slice(0, SEARCH_LIMIT)
  }

  /** Active staff of the region who can be responsible for a file (for filters). */
  async function officers(regionId: number): Promise<{ id: number; fullName: string }[]> {
    return sequelize.query(
      `SELECT id, full_name AS "fullName" FROM users WHERE region_id = :regionId AND active AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY full_name`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
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

  async function addNote(id: number, body: string, context: RequestContext): Promise<void> {
    const { regionId } = await facts(id)
    await sequelize.transaction(async (transaction) => {
      const note = await BeneficiaryNote.create({ beneficiaryId: id, authorUserId: context.actor!.id, body, createdAt: clock.now() }, { transaction })
      await audit.record(context, { ...beneficiaryAudit(id, regionId), action: 'beneficiary.note', details: { noteId: note.id } }, transaction)
    })
  }

  async function notes(id: number): Promise<{ id: number; body: string; authorName: string; createdAt: Date }[]> {
    const rows = await BeneficiaryNote.findAll({ where: { beneficiaryId: id }, include: [{ model: User, as: 'author', attributes: ['fullName'] }], order: [['createdAt', 'DESC'], ['id', 'DESC']], raw: true, nest: true })
    return rows.map((row) => ({ id: row.id, body: row.body, authorName: row.author?.fullName ?? '', createdAt: row.createdAt }))
  }

  /** What happened to the file (views excluded: heads see those in the access log). */
  async function timeline(id: number, kind: 'changes' | 'views'): Promise<{ occurredAt: Date; actorUsername: string | null; action: string; details: Record<string, unknown> }[]> {
    const viewActions = ['beneficiary.view', 'beneficiary.accessReason', 'beneficiary.print', 'beneficiary.export', 'beneficiary.documentDownload']
    const rows = await AuditEvent.findAll({
      where: { targetType: 'beneficiary', targetId: String(id), action: kind === 'views' ? { [Op.in]: viewActions } : { [Op.notIn]: viewActions } },
      attributes: ['occurredAt', 'actorUsername', 'action', 'details'],
      order: [['occurredAt', 'DESC'], ['id', 'DESC']],
      // The page shows the latest; the whole history is in the audit log.
      limit: kind === 'views' ? 50 : 200,
      raw: true,
    })
    return rows.map((row) => ({ occurredAt: row.occurredAt, actorUsername: row.actorUsername, action: row.action, details: row.details }))
  }

  async function addDocument(id: number, upload: { fileName: string; content: Buffer; description: string | null; kind: 'DOCUMENT' | 'PHOTO' }, context: RequestContext): Promise<void> {
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
    })
  }

  async function documents(id: number): Promise<{ id: number; kind: string; fileName: string; mediaType: string; sizeBytes: number; description: string | null; uploadedAt: Date; uploadedByName: string }[]> {
    const rows = await BeneficiaryDocument.findAll({
      where: { beneficiaryId: id },
      attributes: { exclude: ['content'] },
      include: [{ model: User, as: 'uploadedBy', attributes: ['fullName'] }],
      order: [['uploadedAt', 'DESC'], ['id', 'DESC']],
      raw: true,
      nest: true,
    })
    return rows.map((row) => ({ id: row.id, kind: row.kind, fileName: row.fileName, mediaType: row.mediaType, sizeBytes: row.sizeBytes, description: row.description, uploadedAt: row.uploadedAt, uploadedByName: row.uploadedBy?.fullName ?? '' }))
  }

  /** A document's bytes, read only through its own file (a document id from another file is not found). */
  async function document(id: number, documentId: number | 'latestPhoto', context: RequestContext): Promise<{ fileName: string; mediaType: string; content: Buffer }> {
    const row = await BeneficiaryDocument.findOne({
      where: documentId === 'latestPhoto' ? { beneficiaryId: id, kind: 'PHOTO' } : { beneficiaryId: id, id: documentId },
      order: [['uploadedAt', 'DESC'], ['id', 'DESC']],
    })
    if (!row) throw new NotFoundError()
    if (row.kind === 'DOCUMENT') {
      const { regionId } = await facts(id)
      await audit.record(context, { ...beneficiaryAudit(id, regionId), action: 'beneficiary.documentDownload', details: { documentId: row.id } })
    }
    return { fileName: row.fileName, mediaType: row.mediaType, content: row.content }
  }

  return { addDocument, documents, document, facts, findDuplicates, create, get, recordView, update, list, search, officers, caseloads, assign, close, reopen, addNote, notes, timeline }
}

export type BeneficiaryService = ReturnType<typeof beneficiaryService>
