import type { Response } from 'express'
import { WORK_KINDS } from '../../server/services/board'

/** A board line's kind in the user's language: a stored deadline is named by its rule, other work (and appointments) here. */
export function kindLabel(res: Response): (kind: string) => string {
  return (kind) => ((WORK_KINDS as readonly string[]).includes(kind) || kind === 'APPOINTMENT' ? res.locals.t(`board.kind.${kind}`) : res.locals.ruleName(kind))
}
