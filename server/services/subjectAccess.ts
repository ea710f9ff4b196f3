import type { Translate } from '../i18n'
import { formatDate, formatDateTime } from '../domain/dates'
import { measureType } from '../domain/measureCatalogue'
import { formatNumber } from '../domain/numbers'
import { renderPdf, type PdfDocumentModel, type PdfSection } from '../pdf/filePdf'
import type { Clock } from '../domain/clock'
import type { AssessmentService, AssessmentView } from './assessments'
import type { BeneficiaryService, PersonalFile } from './beneficiaries'
import type { ContactService } from './contacts'
import type { CorrespondenceService } from './correspondence'
import type { MeasureService, MeasureView } from './measures'
import type { PlanService } from './plans'
import type { TransferService } from './transfers'
import type { RequestContext } from './context'

type Language = 'hy' | 'en'

/**
 * The whole personal file of one person as a PDF (subject access, and the file to hand on): the card, the court acts'
 * measures with their hours and payments, the assessments, the plan in force, the contacts, the correspondence, notes,
 * documents, transfers and the history of the file, in the reader's language.
 */
export function subjectAccessService(deps: {
  beneficiaries: BeneficiaryService
  transfers: TransferService
  measures: MeasureService
  assessments: AssessmentService
  plans: PlanService
  contacts: ContactService
  correspondence: CorrespondenceService
  clock: Clock
}) {
  const { beneficiaries, transfers, measures, assessments, plans, contacts, correspondence, clock } = deps

  function cardRows(file: PersonalFile, t: Translate, language: Language): { label: string; value: string }[] {
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

  function progressOf(measure: MeasureView, t: Translate, language: Language): string {
    const number = (value: number) => formatNumber(value, language)
    const { publicWorks, fine, daysLeft } = measure.progress
    return [
      publicWorks ? t('measure.hoursProgress', { done: number(publicWorks.hoursDone), left: number(publicWorks.hoursLeft), ordered: number(publicWorks.hoursOrdered) }) : null,
      fine ? t('measure.fineProgress', { paid: number(fine.paidAmd), balance: number(fine.balanceAmd), amount: number(fine.amountAmd) }) : null,
      daysLeft !== undefined && daysLeft !== null ? t('measure.daysLeft', { days: daysLeft }) : null,
    ].filter(Boolean).join('; ')
  }

  /** The court acts' measures, then each measure's hours worked and payments made. */
  async function measureSections(beneficiaryId: number, t: Translate, language: Language): Promise<PdfSection[]> {
    const [acts, fileMeasures] = await Promise.all([measures.courtActsOf(beneficiaryId), measures.measuresOf(beneficiaryId)])
    const name = (measure: MeasureView) => measureType(measure.typeCode).name[language]
    const sections: PdfSection[] = [{
      title: t('measures.ofFile'),
      table: {
        columns: [t('measures.type'), t('beneficiary.status'), t('measures.dates'), t('measures.progress')],
        rows: fileMeasures.map((measure) => {
          const act = acts.find((candidate) => candidate.id === measure.courtActId)
          return [
            [name(measure), act ? `${act.court}, ${act.caseNumber}, ${formatDate(act.actDate)}` : ''].filter(Boolean).join('\n'),
            t(`measureState.${measure.state}`),
            [measure.startDate ? formatDate(measure.startDate) : '', measure.endDate ? formatDate(measure.endDate) : ''].filter(Boolean).join(' – '),
            progressOf(measure, t, language),
          ]
        }),
      },
    }]
    for (const measure of fileMeasures) {
      if (measure.progress.publicWorks) {
        const worked = await measures.workSessions(measure.id)
        sections.push({ title: `${t('measure.sessions')}: ${name(measure)}`, table: { columns: [t('measure.workDate'), t('measure.hours'), t('measure.confirmedBy')], rows: worked.map((session) => [formatDate(session.workDate), formatNumber(session.hours, language), session.confirmedBy]) } })
      }
      if (measure.progress.fine) {
        const paid = await measures.payments(measure.id)
        sections.push({ title: `${t('measure.payments')}: ${name(measure)}`, table: { columns: [t('measure.paidOn'), t('measure.amountAmd'), t('measure.receiptNumber')], rows: paid.map((payment) => [formatDate(payment.paidOn), formatNumber(payment.amountAmd, language), payment.receiptNumber]) } })
      }
    }
    return sections
  }

  /** The assessments, and the plan in force with its goals (their needs named as the plan's assessment names them). */
  async function supervisionSections(beneficiaryId: number, t: Translate, language: Language): Promise<PdfSection[]> {
    const [assessed, plan] = await Promise.all([assessments.forBeneficiary(beneficiaryId), plans.inForce(beneficiaryId)])
    const domainName = (assessment: AssessmentView | undefined, code: string | null) =>
      code === null ? t('plan.otherGoal') : (assessment?.instrument.domains.find((domain) => domain.code === code)?.title[language] ?? code)
    const sections: PdfSection[] = [{
      title: t('assessment.list'),
      table: {
        columns: [t('assessment.completedOn'), t('assessment.kind'), t('assessment.status'), t('assessment.level'), t('assessment.needs')],
        rows: assessed.map((assessment) => [
          assessment.completedOn ? formatDate(assessment.completedOn) : '',
          t(`assessmentKind.${assessment.kind}`),
          [t(`assessmentStatus.${assessment.status}`), assessment.countersignedByName ? `${assessment.countersignedByName}, ${formatDate(assessment.countersignedOn)}` : ''].filter(Boolean).join('\n'),
          assessment.riskLevel ? t(`riskLevel.${assessment.riskLevel}`) : '',
          (assessment.needs ?? []).map((code) => domainName(assessment, code)).join(', '),
        ]),
      },
    }]
    if (!plan) return [...sections, { title: t('plan.title'), paragraphs: [t('summary.noPlan')] }]
    const planAssessment = assessed.find((assessment) => assessment.id === plan.assessmentId)
    sections.push({
      title: t('plan.title'),
      rows: [
        { label: t('plan.contactFrequency'), value: t('summary.planInForce', { perMonth: plan.contactsPerMonth }) },
        { label: t('plan.reviewDate'), value: plan.reviewDate ? formatDate(plan.reviewDate) : '' },
        { label: t('plan.author'), value: plan.authorName },
      ].filter((row) => row.value !== ''),
      table: {
        columns: [t('plan.domain'), t('plan.goalDescription'), t('plan.targetDate'), t('plan.goalStatus'), t('plan.steps')],
        rows: plan.goals.map((goal) => [domainName(planAssessment, goal.needDomain), goal.description, goal.targetDate ? formatDate(goal.targetDate) : '', t(`goalStatus.${goal.status}`), goal.steps.map((step) => `• ${step.description}`).join('\n')]),
      },
    })
    return sections
  }

  async function contactAndLetterSections(beneficiaryId: number, t: Translate): Promise<PdfSection[]> {
    const [appointments, letters] = await Promise.all([contacts.appointmentsOf(beneficiaryId), correspondence.forBeneficiary(beneficiaryId)])
    return [
      {
        title: t('contacts.title'),
        table: {
          columns: [t('audit.when'), t('contacts.kind'), t('contacts.place'), t('contacts.outcome')],
          rows: appointments.map((appointment) => [
            formatDateTime(appointment.scheduledAt),
            t(`contactKind.${appointment.kind}`),
            appointment.place ?? '',
            appointment.cancelledAt ? t('contacts.cancelled') : appointment.outcome ? [t(`contactOutcome.${appointment.outcome}`), appointment.outcomeNote ?? ''].filter(Boolean).join(': ') : '',
          ]),
        },
      },
      {
        title: t('correspondence.register.IN'),
        table: { columns: [t('correspondence.number'), t('correspondence.receivedOn'), t('correspondence.kind'), t('correspondence.subject'), t('correspondence.status')], rows: letters.incoming.map((item) => [item.number, formatDate(item.receivedOn), t(`incomingKind.${item.kind}`), `${item.sender}: ${item.subject}`, t(`itemStatus.${item.status}`)]) },
      },
      {
        title: t('correspondence.register.OUT'),
        table: { columns: [t('correspondence.number'), t('letter.letterDate'), t('letter.addressee'), t('correspondence.subject'), t('correspondence.status')], rows: letters.outgoing.map((letter) => [letter.number, formatDate(letter.signedOn), letter.addressee, letter.subject, t(`letterStatus.${letter.status}`)]) },
      },
    ]
  }

  /** The file's document, every part in the reader's language; the footer names who made it and when. */
  async function documentOf(file: PersonalFile, t: Translate, language: Language, actorName: string): Promise<PdfDocumentModel> {
    const [notes, documents, history, moves, measureParts, supervisionParts, contactParts] = await Promise.all([
      beneficiaries.notes(file.id),
      beneficiaries.documents(file.id),
      beneficiaries.timeline(file.id, 'changes'),
      transfers.forBeneficiary(file.id),
      measureSections(file.id, t, language),
      supervisionSections(file.id, t, language),
      contactAndLetterSections(file.id, t),
    ])
    return {
      title: `${t('beneficiary.personalFile')} ${file.fileNumber}`,
      subtitle: [file.surname, file.givenName, file.patronymic].filter(Boolean).join(' '),
      footer: t('export.footer', { name: actorName, date: formatDateTime(clock.now()) }),
      language,
      sections: [
        { title: t('card.title'), rows: cardRows(file, t, language) },
        ...measureParts,
        ...supervisionParts,
        ...contactParts,
        { title: t('notes.title'), table: { columns: [t('audit.when'), t('audit.who'), t('notes.title')], rows: notes.map((n) => [formatDateTime(n.createdAt), n.authorName, n.body]) } },
        { title: t('documents.title'), table: { columns: [t('documents.fileName'), t('documents.description'), t('documents.uploaded')], rows: documents.map((d) => [d.fileName, d.description ?? '', `${formatDateTime(d.uploadedAt)} · ${d.uploadedByName}`]) } },
        {
          title: t('transfer.history'),
          table: { columns: [t('transfer.fromRegion'), t('transfer.toRegion'), t('transfer.reason'), t('beneficiary.status')], rows: moves.map((m) => [language === 'hy' ? m.fromRegionNameHy : m.fromRegionNameEn, language === 'hy' ? m.toRegionNameHy : m.toRegionNameEn, m.reason, t(`transfer.status.${m.status}`)]) },
        },
        { title: t('timeline.title'), table: { columns: [t('audit.when'), t('audit.who'), t('audit.action')], rows: history.map((h) => [formatDateTime(h.occurredAt), h.actorUsername ?? '', t(`audit.action.${h.action}`)]) } },
      ],
    }
  }

  async function exportFile(beneficiaryId: number, t: Translate, language: Language, context: RequestContext & { actorName: string }): Promise<{ fileName: string; pdf: Buffer }> {
    const file = await beneficiaries.get(beneficiaryId)
    const pdf = await renderPdf(await documentOf(file, t, language, context.actorName), clock)
    await beneficiaries.recordView(file.id, file.regionId, 'beneficiary.export', context)
    return { fileName: `${file.fileNumber}.pdf`, pdf }
  }

  return { documentOf, exportFile }
}

export type SubjectAccessService = ReturnType<typeof subjectAccessService>
