import type { Response } from 'express'
import { WORK_KINDS } from '../../server/services/board'
import type { ConditionNote } from '../../server/domain/workItems'

/** A board line's kind in the user's language: a stored deadline is named by its rule, other work (and appointments) here. */
export function kindLabel(res: Response): (kind: string) => string {
  return (kind) => ((WORK_KINDS as readonly string[]).includes(kind) || kind === 'APPOINTMENT' ? res.locals.t(`board.kind.${kind}`) : res.locals.ruleName(kind))
}

/** A board line's note in the user's language, its values translated where they are locale keys themselves. */
export function noteLabel(res: Response): (note: ConditionNote) => string {
  return (note) => res.locals.t(note.key, Object.fromEntries(Object.entries(note.params).map(([name, value]) => [name, typeof value === 'object' ? res.locals.t(value.key) : value])))
}
