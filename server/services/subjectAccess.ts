import type { Translate } from '../i18n'
import { formatDate, formatDateTime } from '../domain/dates'
import { renderPdf, type PdfDocumentModel } from '../pdf/filePdf'
import type { Clock } from '../domain/clock'
import type { BeneficiaryService, PersonalFile } from './beneficiaries'
import type { TransferService } from './transfers'
import type { RequestContext } from './context'

/**
 * The whole personal file of one person as a PDF (subject access): the card, notes, documents,
 * transfers and the history of the file, in the reader's language.
 */
export function subjectAccessService(deps: { beneficiaries: BeneficiaryService; transfers: TransferService; clock: Clock }) {
  const { beneficiaries, transfers, clock } = deps

  function cardRows(file: PersonalFile, t: Translate, language: 'hy' | 'en'): { label: string; value: string }[] {
    const address = (marz: string | null, community: string | null, street: string | null) => [street, community, marz ? t(`marz.${marz}`) : null].filter(Boolean).join(', ')
    const rows: [string, string | null][] = [
      ['beneficiary.fileNumber', file.fileNumber],
      ['beneficiary.name', [file.surname, file.givenName, file.patronymic].filter(Boolean).join(' ')],
      ['beneficiary.nameLatin', [file.surnameLatin, file.givenNameLatin, file.patronymicLatin].filter(Boolean).join(' ')],
      ['beneficiary.sex', t(`sex.${file.sex}`)],
      ['beneficiary.birthDate', formatDate(file.birthDate)],
      ['beneficiary.birthPlace', file.birthPlace],
      ['beneficiary.citizenship', file.citizenship],
      ['beneficiary.identityDocument', file.identityDocumentType ? [t(`documentType.${file.identityDocumentType}`), file.identityDocumentNumber, file.identityDocumentIssuer, formatDate(file.identityDocumentIssuedOn)].filter(Boolean).join(', ') : null],
      ['beneficiary.publicServiceNumber', file.publicServiceNumber],
      ['beneficiary.registeredAddress', address(file.registeredMarz, file.registeredCommunity, file.registeredStreet)],
      ['beneficiary.actualAddress', address(file.actualMarz, file.actualCommunity, file.actualStreet)],
      ['beneficiary.phones', file.phones],
      ['beneficiary.email', file.email],
      ['beneficiary.education', file.education ? t(`education.${file.education}`) : null],
      ['beneficiary.employment', [file.employer, file.jobTitle].filter(Boolean).join(', ')],
      ['beneficiary.familyStatus', file.familyStatus ? t(`familyStatus.${file.familyStatus}`) : null],
      ['beneficiary.dependants', file.dependants === null ? null : String(file.dependants)],
      ['beneficiary.militaryStatus', file.militaryStatus ? t(`militaryStatus.${file.militaryStatus}`) : null],
      ['beneficiary.healthNotes', file.healthNotes],
      ['beneficiary.category', t(`beneficiaryCategory.${file.category}`)],
      ['beneficiary.status', t(`beneficiaryStatus.${file.status}`)],
      ['beneficiary.riskToStaff', file.riskToStaff ? file.riskToStaffReason : null],
      ['beneficiary.responsibleOfficer', file.responsibleOfficerName],
      ['beneficiary.region', language === 'hy' ? file.regionNameHy : file.regionNameEn],
    ]
    return rows.filter(([, value]) => value !== null && value !== '').map(([key, value]) => ({ label: t(key), value: value as string }))
  }

  async function exportFile(beneficiaryId: number, t: Translate, language: 'hy' | 'en', context: RequestContext & { actorName: string }): Promise<{ fileName: string; pdf: Buffer }> {
    const file = await beneficiaries.get(beneficiaryId)
    const [notes, documents, history, moves] = await Promise.all([beneficiaries.notes(file.id), beneficiaries.documents(file.id), beneficiaries.timeline(file.id, 'changes'), transfers.forBeneficiary(file.id)])
    const model: PdfDocumentModel = {
      title: `${t('beneficiary.personalFile')} ${file.fileNumber}`,
      subtitle: [file.surname, file.givenName, file.patronymic].filter(Boolean).join(' '),
      footer: t('export.footer', { name: context.actorName, date: formatDateTime(clock.now()) }),
      language,
      sections: [
        { title: t('card.title'), rows: cardRows(file, t, language) },
        { title: t('notes.title'), table: { columns: [t('audit.when'), t('audit.who'), t('notes.title')], rows: notes.map((n) => [formatDateTime(n.createdAt), n.authorName, n.body]) } },
        { title: t('documents.title'), table: { columns: [t('documents.fileName'), t('documents.description'), t('documents.uploaded')], rows: documents.map((d) => [d.fileName, d.description ?? '', `${formatDateTime(d.uploadedAt)} · ${d.uploadedByName}`]) } },
        {
          title: t('transfer.history'),
          table: { columns: [t('transfer.fromRegion'), t('transfer.toRegion'), t('transfer.reason'), t('beneficiary.status')], rows: moves.map((m) => [language === 'hy' ? m.fromRegionNameHy : m.fromRegionNameEn, language === 'hy' ? m.toRegionNameHy : m.toRegionNameEn, m.reason, t(`transfer.status.${m.status}`)]) },
        },
        { title: t('timeline.title'), table: { columns: [t('audit.when'), t('audit.who'), t('audit.action')], rows: history.map((h) => [formatDateTime(h.occurredAt), h.actorUsername ?? '', t(`audit.action.${h.action}`)]) } },
      ],
    }
    const pdf = await renderPdf(model, clock)
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.export', context)
    return { fileName: `${file.fileNumber}.pdf`, pdf }
  }

  return { exportFile }
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>
