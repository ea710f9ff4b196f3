import type { Request, Response } from 'express'
import { needsAccessReason } from '../../server/policy'

declare module 'express-session' {
  interface SessionData {
    // Files a staff member gave a reason to open, for the rest of the session.
    fileAccessReasons: Record<string, true>
  }
}

/** Staff opening a file that is not on their caseload give a reason first (every page showing the file asks). */
export function mustGiveReason(req: Request, res: Response, file: { id: number; regionId: number; responsibleOfficerId: number | null }): boolean {
  return needsAccessReason(res.locals.actor, file) && !req.session.fileAccessReasons?.[String(file.id)]
}

export function rememberAccessReason(req: Request, fileId: number): void {
  req.session.fileAccessReasons = { ...req.session.fileAccessReasons, [String(fileId)]: true }
}
