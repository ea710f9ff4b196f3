import type { Transaction } from 'sequelize'
import type { SubmissionQueries } from '../data/submissions'
import { AlreadySubmitted, type RequestContext } from './context'

/** A create form's one-time id, who sent it and which form it is. */
export interface Submission {
  id: string
  userId: number
  form: string
  at: Date
}

/** What a create form's one-time id stands for: who sent which form when; null when the form carried none. */
export function submissionOf(submissionId: string | undefined, form: string, context: RequestContext, at: Date): Submission | null {
  return submissionId ? { id: submissionId, userId: context.actor!.id, form, at } : null
}

/**
 * The same submission creates once (a double click, a resent form, a reload): a repeat of one already made is refused
 * with what the first made (AlreadySubmitted, which the route answers with that record), before any work; a repeat
 * arriving while the first is being saved finds it recorded in its own transaction, which then rolls back.
 */
export function submissionGuard(queries: SubmissionQueries) {
  async function notYetMade(submission: Submission | null): Promise<void> {
    if (!submission) return
    const first = await queries.resultOf(submission.id, submission.userId, submission.form)
    if (first !== null) throw new AlreadySubmitted(first)
  }

  async function made(submission: Submission | null, resultId: number, transaction: Transaction): Promise<void> {
    if (!submission) return
    const first = await queries.record(submission, resultId, transaction)
    if (first !== null) throw new AlreadySubmitted(first)
  }

  return { notYetMade, made }
}

export type SubmissionGuard = ReturnType<typeof submissionGuard>
