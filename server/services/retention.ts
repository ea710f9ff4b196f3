import { Op, QueryTypes, type Sequelize } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { Beneficiary, BeneficiaryDocument, BeneficiaryNote } from '../../models'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, type RequestContext } from './context'

export const ANONYMISED_NAME = '***'

/**
 * Closed files past their retention period lose the personal data that identifies the person; what the
 * statistics need stays: region, category, sex, year of birth, marz of residence, dates and reason of closing.
 */
export function retentionService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; retentionYears: number }) {
  const { sequelize, clock, audit, retentionYears } = deps

  function cutoff(): string {
    const [year, month, day] = serviceDateOf(clock.now()).split('-')
    return `${Number(year) - retentionYears}-${month}-${day}`
  }

  async function eligible(limit = 200): Promise<{ id: number; fileNumber: string; regionId: number; regionNameHy: string; regionNameEn: string; closedOn: string; closeReason: string }[]> {
    return sequelize.query(
      `SELECT b.id, b.file_number AS "fileNumber", b.region_id AS "regionId", r.name_hy AS "regionNameHy", r.name_en AS "regionNameEn",
              b.closed_on AS "closedOn", b.close_reason AS "closeReason"
         FROM beneficiaries b JOIN regions r ON r.id = b.region_id
        WHERE b.status = 'CLOSED' AND b.anonymised_at IS NULL AND b.closed_on <= :cutoff
        ORDER BY b.closed_on, b.id LIMIT :limit`,
      { replacements: { cutoff: cutoff(), limit }, type: QueryTypes.SELECT },
    )
  }

  async function anonymise(id: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const file = await Beneficiary.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE })
      if (!file) throw new NotFoundError()
      if (file.status !== 'CLOSED' || file.anonymisedAt || !file.closedOn || file.closedOn > cutoff()) throw new ServiceError('retention.notEligible')
      const documents = await BeneficiaryDocument.destroy({ where: { beneficiaryId: id }, transaction })
      const notes = await BeneficiaryNote.destroy({ where: { beneficiaryId: id }, transaction })
      Object.assign(file, {
        surname: ANONYMISED_NAME, givenName: ANONYMISED_NAME, patronymic: null, surnameLatin: ANONYMISED_NAME, givenNameLatin: ANONYMISED_NAME, patronymicLatin: null,
        searchKey: '', birthDate: `${file.birthDate.slice(0, 4)}-01-01`, birthPlace: null,
        identityDocumentType: null, identityDocumentNumber: null, identityDocumentIssuer: null, identityDocumentIssuedOn: null, publicServiceNumber: null,
        registeredCommunity: null, registeredStreet: null, actualCommunity: null, actualStreet: null, phones: null, email: null,
        employer: null, jobTitle: null, healthNotes: null, riskToStaff: false, riskToStaffReason: null, closeNote: null,
        status: 'ARCHIVED', anonymisedAt: clock.now(),
      })
      file.version += 1
      await file.save({ transaction })
      await audit.record(context, { action: 'beneficiary.anonymise', category: 'beneficiary', regionId: file.regionId, target: { type: 'beneficiary', id }, details: { documentsRemoved: documents, notesRemoved: notes } }, transaction)
    })
  }

  /** Anonymises those of the files that are eligible; returns how many were. */
  async function anonymiseMany(ids: number[], context: RequestContext): Promise<number> {
    const files = await Beneficiary.findAll({ where: { id: { [Op.in]: ids }, status: 'CLOSED', anonymisedAt: null, closedOn: { [Op.lte]: cutoff() } }, attributes: ['id'] })
    for (const { id } of files) await anonymise(id, context)
    return files.length
  }

  return { cutoff, eligible, anonymise, anonymiseMany }
}

export type RetentionService = ReturnType<typeof retentionService>
