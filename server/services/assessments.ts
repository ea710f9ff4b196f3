import { QueryTypes, type Sequelize, type Transaction } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { compareDomainScores, itemsMissingEvidence, parseInstrument, questionNumbers, scoreAssessment, UnknownAnswerError, type AssessmentScore, type Instrument, type InstrumentProblem } from '../domain/instruments'
import { sampleInstrument } from '../domain/sampleInstrument'
import type { RiskLevel } from '../domain/deadlineRules'
import type { AssessmentReason } from '../domain/supervision'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, StaleEditError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'

export interface InstrumentVersionView {
  id: number
  code: string
  version: number
  title: Instrument['title']
  isSample: boolean
  importedAt: Date
  importedByName: string | null
  assessments: number
}

export interface AssessmentView {
  id: number
  beneficiaryId: number
  instrumentVersionId: number
  instrument: Instrument
  kind: 'INITIAL' | 'REASSESSMENT'
  reason: AssessmentReason
  status: 'DRAFT' | 'COMPLETED' | 'COUNTERSIGNED'
  answers: Record<string, string>
  evidence: Record<string, string>
  result: AssessmentScore | null
  riskLevel: RiskLevel | null
  needs: string[] | null
  authorUserId: number
  authorName: string
  completedOn: string | null
  countersignedByName: string | null
  countersignedOn: string | null
  version: number
}

/** An import refused: every problem with its line. */
export class InstrumentImportError extends Error {
  constructor(readonly problems: readonly InstrumentProblem[]) {
    super('instrument import')
  }
}

/** Whole years between a birth date and a day, both ISO dates. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1
}

const ASSESSMENT_COLUMNS = `a.id, a.beneficiary_id AS "beneficiaryId", a.instrument_version_id AS "instrumentVersionId", iv.definition AS instrument, a.kind, a.reason, a.status,
  a.answers, a.evidence, a.result, a.risk_level AS "riskLevel", a.needs, a.author_user_id AS "authorUserId", au.full_name AS "authorName",
  a.completed_on AS "completedOn", cu.full_name AS "countersignedByName", a.countersigned_on AS "countersignedOn", a.version`

/**
 * Instruments (versioned, imported as validated JSON) and the assessments made with them: a draft saved as the
 * officer types, completed by the officer (the score frozen with the version used), countersigned by a head who
 * is not its author. Completing opens the plan and reassessment deadlines.
 */
/** The most question numbers the message lists; the page marks every unanswered one. */
const LISTED_QUESTIONS = 12

function unansweredOf(instrument: Instrument, missingItems: readonly string[]): { count: number; total: number; questions: string } {
  const numbers = questionNumbers(instrument)
  const listed = missingItems.slice(0, LISTED_QUESTIONS).map((code) => numbers.get(code)).join(', ')
  return { count: missingItems.length, total: numbers.size, questions: missingItems.length > LISTED_QUESTIONS ? `${listed}…` : listed }
}

/** Completing with questions unanswered: which (each marked on the page), and how many of how many. */
export class IncompleteAssessmentError extends ServiceError {
  constructor(instrument: Instrument, readonly missingItems: readonly string[]) {
    super('assessment.incomplete', `answer_${missingItems[0]}`, unansweredOf(instrument, missingItems))
  }
}

export function assessmentService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService }) {
  const { sequelize, clock, audit, deadlines } = deps
  const today = () => serviceDateOf(clock.now())

  /** The shipped sample is stored like any imported version the first time it is needed. */
  async function ensureSample(transaction?: Transaction): Promise<void> {
    const sample = sampleInstrument()
    await sequelize.query(
      `INSERT INTO instrument_versions (code, version, definition, is_sample) VALUES (:code, :version, :definition, true) ON CONFLICT (code, version) DO NOTHING`,
      { replacements: { code: sample.code, version: sample.version, definition: JSON.stringify(sample) }, transaction },
    )
  }

  async function instruments(): Promise<InstrumentVersionView[]> {
    await ensureSample()
    const rows = await sequelize.query<Omit<InstrumentVersionView, 'title'> & { definition: Instrument }>(
      `SELECT iv.id, iv.code, iv.version, iv.definition, iv.is_sample AS "isSample", iv.imported_at AS "importedAt", u.full_name AS "importedByName",
              (SELECT count(*)::int FROM assessments a WHERE a.instrument_version_id = iv.id) AS assessments
         FROM instrument_versions iv LEFT JOIN users u ON u.id = iv.imported_by_user_id ORDER BY iv.code, iv.version DESC`,
      { type: QueryTypes.SELECT },
    )
    return rows.map(({ definition, ...row }) => ({ ...row, title: definition.title }))
  }

  /** Imports a new version; the same code and version twice is refused, and earlier assessments keep theirs. */
  async function importInstrument(jsonText: string, context: RequestContext): Promise<{ id: number; code: string; version: number }> {
    const parsed = parseInstrument(jsonText)
    if (!parsed.ok) throw new InstrumentImportError(parsed.problems)
    const instrument = parsed.instrument
    return sequelize.transaction(async (transaction) => {
      const [existing] = await sequelize.query('SELECT 1 FROM instrument_versions WHERE code = :code AND version = :version', { replacements: { code: instrument.code, version: instrument.version }, type: QueryTypes.SELECT, transaction })
      if (existing) throw new ServiceError('instrument.versionExists', 'file', { code: instrument.code, version: instrument.version })
      const [row] = await sequelize.query<{ id: number }>(
        'INSERT INTO instrument_versions (code, version, definition, is_sample, imported_by_user_id) VALUES (:code, :version, :definition, :isSample, :userId) RETURNING id',
        { replacements: { code: instrument.code, version: instrument.version, definition: JSON.stringify(instrument), isSample: instrument.isSample, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'instrument.import', category: 'reference', target: { type: 'instrument', id: `${instrument.code}/${instrument.version}` } }, transaction)
      return { id: row.id, code: instrument.code, version: instrument.version }
    })
  }

  /** New assessments use the latest version of the instrument in use (the highest version of the most recent code). */
  async function currentVersionId(transaction: Transaction): Promise<number> {
    await ensureSample(transaction)
    const [row] = await sequelize.query<{ id: number }>('SELECT id FROM instrument_versions ORDER BY imported_at DESC, version DESC LIMIT 1', { type: QueryTypes.SELECT, transaction })
    return row.id
  }

  async function forBeneficiary(beneficiaryId: number): Promise<AssessmentView[]> {
    return sequelize.query<AssessmentView>(
      `SELECT ${ASSESSMENT_COLUMNS} FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id JOIN users au ON au.id = a.author_user_id
         LEFT JOIN users cu ON cu.id = a.countersigned_by_user_id WHERE a.beneficiary_id = :beneficiaryId ORDER BY a.id DESC`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
  }

  async function get(assessmentId: number): Promise<AssessmentView> {
    const [row] = await sequelize.query<AssessmentView>(
      `SELECT ${ASSESSMENT_COLUMNS} FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id JOIN users au ON au.id = a.author_user_id
         LEFT JOIN users cu ON cu.id = a.countersigned_by_user_id WHERE a.id = :assessmentId`,
      { replacements: { assessmentId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return row
  }

  async function beneficiaryOf(assessmentId: number): Promise<number> {
    const [row] = await sequelize.query<{ beneficiaryId: number }>('SELECT beneficiary_id AS "beneficiaryId" FROM assessments WHERE id = :assessmentId', { replacements: { assessmentId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return row.beneficiaryId
  }

  /** The completed assessment before this one, for the change domain by domain. */
  async function previousCompleted(assessment: AssessmentView): Promise<AssessmentView | null> {
    const [row] = await sequelize.query<AssessmentView>(
      `SELECT ${ASSESSMENT_COLUMNS} FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id JOIN users au ON au.id = a.author_user_id
         LEFT JOIN users cu ON cu.id = a.countersigned_by_user_id
        WHERE a.beneficiary_id = :beneficiaryId AND a.status <> 'DRAFT' AND a.id < :id ORDER BY a.id DESC LIMIT 1`,
      { replacements: { beneficiaryId: assessment.beneficiaryId, id: assessment.id }, type: QueryTypes.SELECT },
    )
    return row ?? null
  }

  async function comparison(assessment: AssessmentView) {
    const previous = await previousCompleted(assessment)
    return previous?.result && assessment.result ? { previous, change: compareDomainScores(previous.result, assessment.result) } : null
  }

  /** Starts a draft; the first assessment of a file is the initial one, any later one a reassessment with its reason. */
  async function start(beneficiaryId: number, reason: AssessmentReason | null, context: RequestContext): Promise<number> {
    return sequelize.transaction(async (transaction) => {
      // Starts on one file go one at a time (the file's row is the lock): a repeated "start" opens the draft the first
      // one made, where two at once both found none and the second broke on the one-draft index.
      await sequelize.query('SELECT id FROM beneficiaries WHERE id = :beneficiaryId FOR NO KEY UPDATE', { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      const [draft] = await sequelize.query<{ id: number }>(`SELECT id FROM assessments WHERE beneficiary_id = :beneficiaryId AND status = 'DRAFT'`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      if (draft) return draft.id
      const [{ completed }] = await sequelize.query<{ completed: number }>(`SELECT count(*)::int AS completed FROM assessments WHERE beneficiary_id = :beneficiaryId AND status <> 'DRAFT'`, { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
      const kind = completed === 0 ? 'INITIAL' : 'REASSESSMENT'
      if (kind === 'REASSESSMENT' && (!reason || reason === 'REGISTRATION')) throw new ServiceError('validation.required', 'reason')
      const versionId = await currentVersionId(transaction)
      const [row] = await sequelize.query<{ id: number }>(
        'INSERT INTO assessments (beneficiary_id, instrument_version_id, kind, reason, author_user_id) VALUES (:beneficiaryId, :versionId, :kind, :reason, :userId) RETURNING id',
        { replacements: { beneficiaryId, versionId, kind, reason: kind === 'INITIAL' ? 'REGISTRATION' : reason, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'assessment.start', category: 'beneficiary', regionId: await regionOf(beneficiaryId, transaction), target: { type: 'beneficiary', id: beneficiaryId }, details: { assessmentId: row.id, kind } }, transaction)
      return row.id
    })
  }

  async function regionOf(beneficiaryId: number, transaction?: Transaction): Promise<number> {
    const [row] = await sequelize.query<{ region_id: number }>('SELECT region_id FROM beneficiaries WHERE id = :beneficiaryId', { replacements: { beneficiaryId }, type: QueryTypes.SELECT, transaction })
    return row.region_id
  }

  async function lockDraft(assessmentId: number, expectedVersion: number, transaction: Transaction) {
    const [row] = await sequelize.query<{ id: number; beneficiary_id: number; status: string; version: number; answers: Record<string, string>; evidence: Record<string, string>; definition: Instrument; author_user_id: number }>(
      `SELECT a.id, a.beneficiary_id, a.status, a.version, a.answers, a.evidence, iv.definition, a.author_user_id
         FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id WHERE a.id = :assessmentId FOR UPDATE OF a`,
      { replacements: { assessmentId }, type: QueryTypes.SELECT, transaction },
    )
    if (!row) throw new NotFoundError()
    if (row.version !== expectedVersion) throw new StaleEditError({ answers: row.answers, evidence: row.evidence, version: row.version })
    if (row.status !== 'DRAFT') throw new ServiceError('assessment.notDraft')
    return row
  }

  /** Keeps only answers and evidence for the instrument's own items; an unknown option is refused, not stored. */
  function cleanAnswers(instrument: Instrument, answers: Record<string, string>, evidence: Record<string, string>) {
    const items = new Map(instrument.domains.flatMap((domain) => domain.items).map((item) => [item.code, item]))
    const keptAnswers: Record<string, string> = {}
    const keptEvidence: Record<string, string> = {}
    for (const [code, option] of Object.entries(answers)) {
      const item = items.get(code)
      if (!item || option === '') continue
      if (!item.options.some((candidate) => candidate.code === option)) throw new ServiceError('validation.choose', `answer_${code}`)
      keptAnswers[code] = option
    }
    for (const [code, text] of Object.entries(evidence)) if (items.has(code) && text.trim() !== '') keptEvidence[code] = text.trim()
    return { answers: keptAnswers, evidence: keptEvidence }
  }

  /** Saves the draft as it stands (the page saves as the officer types); returns the new version. */
  async function saveDraft(assessmentId: number, input: { answers: Record<string, string>; evidence: Record<string, string>; expectedVersion: number }, context: RequestContext): Promise<number> {
    return sequelize.transaction(async (transaction) => {
      const row = await lockDraft(assessmentId, input.expectedVersion, transaction)
      const { answers, evidence } = cleanAnswers(row.definition, input.answers, input.evidence)
      await sequelize.query('UPDATE assessments SET answers = :answers, evidence = :evidence, version = version + 1, updated_at = :now WHERE id = :assessmentId', {
        replacements: { answers: JSON.stringify(answers), evidence: JSON.stringify(evidence), now: clock.now(), assessmentId },
        transaction,
      })
      await audit.record(context, { action: 'assessment.save', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { assessmentId, answered: Object.keys(answers).length } }, transaction)
      return input.expectedVersion + 1
    })
  }

  /**
   * The officer completes: every item answered and the required evidence given; the score is frozen with the
   * version used. The initial (or due) assessment deadline closes; the plan and the next reassessment are due.
   */
  async function complete(assessmentId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const row = await lockDraft(assessmentId, expectedVersion, transaction)
      const [person] = await sequelize.query<{ sex: 'MALE' | 'FEMALE'; birth_date: string; region_id: number }>('SELECT sex, birth_date, region_id FROM beneficiaries WHERE id = :id', { replacements: { id: row.beneficiary_id }, type: QueryTypes.SELECT, transaction })
      const completedOn = today()
      let score: AssessmentScore
      try {
        score = scoreAssessment(row.definition, row.answers, { sex: person.sex, ageYears: ageOn(person.birth_date, completedOn) })
      } catch (error) {
        if (error instanceof UnknownAnswerError || error instanceof RangeError) throw new ServiceError('assessment.cannotScore')
        throw error
      }
      if (!score.complete) throw new IncompleteAssessmentError(row.definition, score.missingItems)
      const withoutEvidence = itemsMissingEvidence(row.definition, row.evidence)
      if (withoutEvidence.length > 0) throw new ServiceError('assessment.evidenceMissing', `evidence_${withoutEvidence[0]}`, { count: withoutEvidence.length })
      await sequelize.query(
        `UPDATE assessments SET status = 'COMPLETED', result = :result, risk_level = :level, needs = ARRAY(SELECT jsonb_array_elements_text(CAST(:needs AS jsonb))), completed_on = :completedOn, version = version + 1, updated_at = :now WHERE id = :assessmentId`,
        { replacements: { result: JSON.stringify(score), level: score.level, needs: JSON.stringify(score.needs), completedOn, now: clock.now(), assessmentId }, transaction },
      )
      await deadlines.close('beneficiary', row.beneficiary_id, ['INITIAL_ASSESSMENT', 'REASSESSMENT', 'REASSESSMENT_AFTER_VIOLATION'], 'DONE', transaction)
      await deadlines.open({ beneficiaryId: row.beneficiary_id, ruleId: 'PLAN_AFTER_ASSESSMENT', subjectType: 'assessment', subjectId: assessmentId, eventDate: completedOn }, transaction)
      await deadlines.open({ beneficiaryId: row.beneficiary_id, ruleId: 'REASSESSMENT', subjectType: 'beneficiary', subjectId: row.beneficiary_id, eventDate: completedOn }, transaction)
      await audit.record(context, { action: 'assessment.complete', category: 'beneficiary', regionId: person.region_id, target: { type: 'beneficiary', id: row.beneficiary_id }, details: { assessmentId, level: score.level, needs: score.needs } }, transaction)
    })
  }

  /** A head countersigns a completed assessment, never their own. */
  async function countersign(assessmentId: number, expectedVersion: number, context: RequestContext): Promise<void> {
    await sequelize.transaction(async (transaction) => {
      const [row] = await sequelize.query<{ beneficiary_id: number; status: string; version: number; author_user_id: number }>('SELECT beneficiary_id, status, version, author_user_id FROM assessments WHERE id = :assessmentId FOR UPDATE', {
        replacements: { assessmentId },
        type: QueryTypes.SELECT,
        transaction,
      })
      if (!row) throw new NotFoundError()
      if (row.version !== expectedVersion) throw new StaleEditError(row)
      if (row.status !== 'COMPLETED') throw new ServiceError('assessment.notCompleted')
      if (row.author_user_id === context.actor!.id) throw new ServiceError('assessment.ownWork')
      await sequelize.query(`UPDATE assessments SET status = 'COUNTERSIGNED', countersigned_by_user_id = :userId, countersigned_on = :today, version = version + 1, updated_at = :now WHERE id = :assessmentId`, {
        replacements: { userId: context.actor!.id, today: today(), now: clock.now(), assessmentId },
        transaction,
      })
      await audit.record(context, { action: 'assessment.countersign', category: 'beneficiary', regionId: await regionOf(row.beneficiary_id, transaction), target: { type: 'beneficiary', id: row.beneficiary_id }, details: { assessmentId } }, transaction)
    })
  }

  /** The latest completed assessment: the one a new plan is built on. */
  async function latestCompleted(beneficiaryId: number): Promise<AssessmentView | null> {
    const [row] = await sequelize.query<AssessmentView>(
      `SELECT ${ASSESSMENT_COLUMNS} FROM assessments a JOIN instrument_versions iv ON iv.id = a.instrument_version_id JOIN users au ON au.id = a.author_user_id
         LEFT JOIN users cu ON cu.id = a.countersigned_by_user_id WHERE a.beneficiary_id = :beneficiaryId AND a.status <> 'DRAFT' ORDER BY a.id DESC LIMIT 1`,
      { replacements: { beneficiaryId }, type: QueryTypes.SELECT },
    )
    return row ?? null
  }

  return { instruments, importInstrument, forBeneficiary, get, beneficiaryOf, comparison, start, saveDraft, complete, countersign, latestCompleted, ensureSample }
}

export type AssessmentService = ReturnType<typeof assessmentService>
