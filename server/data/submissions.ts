import type { Transaction } from 'sequelize'
import type { Sql } from './sql'

/*
 * One-time submission ids of create forms (migrations/20261207140000-form-submissions.ts): a form's record and its id
 * are written in the same transaction, so the same submission creates at most once.
 */
export function submissionQueries(sql: Sql) {
  /** What a submission of this user and form created, if it has been made. */
  async function resultOf(submissionId: string, userId: number, form: string, transaction?: Transaction): Promise<number | null> {
    const row = await sql.one<{ resultId: number }>('SELECT result_id FROM form_submissions WHERE submission_id = $1 AND user_id = $2 AND form = $3', [submissionId, userId, form], transaction)
    return row?.resultId ?? null
  }

  /**
   * Records that a submission created `resultId`, in the transaction that created it. When the same id was recorded
   * first (a concurrent repeat waits here for that transaction to end), returns what that one created instead.
   */
  async function record(submission: { id: string; userId: number; form: string; at: Date }, resultId: number, transaction: Transaction): Promise<number | null> {
    const inserted = await sql.rows<{ submissionId: string }>(
      `INSERT INTO form_submissions (submission_id, user_id, form, result_id, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (submission_id) DO NOTHING RETURNING submission_id`,
      [submission.id, submission.userId, submission.form, resultId, submission.at],
      transaction,
    )
    return inserted.length > 0 ? null : resultOf(submission.id, submission.userId, submission.form, transaction)
  }

  return { resultOf, record }
}

export type SubmissionQueries = ReturnType<typeof submissionQueries>
