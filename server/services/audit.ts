import { AsyncLocalStorage } from 'node:async_hooks'
import { Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize'
import type { Clock } from '../domain/clock'
import type { AuditScope } from '../policy'
import { AuditEvent, type AuditCategory, type AuditOutcome } from '../../models/AuditEvent'
import type { RequestContext } from './context'
import { preparedQuery } from './preparedStatements'

export interface AuditEntry {
  action: string
  category: AuditCategory
  outcome?: AuditOutcome
  regionId?: number | null
  target?: { type: string; id: string | number }
  details?: Record<string, unknown>
  /** For events without a signed-in actor (a failed sign-in names the account tried). */
  actorUsername?: string | null
  actorUserId?: number | null
}

export interface AuditLine {
  id: string
  occurredAt: Date
  actorUsername: string | null
  action: string
  category: AuditCategory
  outcome: AuditOutcome
  regionId: number | null
  targetType: string | null
  targetId: string | null
  details: Record<string, unknown>
  sourceIp: string | null
}

export const AUDIT_PAGE_SIZE = 50

const INSERT = `INSERT INTO audit_events (occurred_at, actor_user_id, actor_username, action, category, outcome, region_id, target_type, target_id, details, source_ip, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)`

/** An action recorded while a request ran, with the number of the record it made or changed when it has one. */
export interface RecordedAction {
  action: string
  reference: string | null
}

/** The actions recorded while a piece of work runs (a request), so the user can be told what was done. */
const recordedActions = new AsyncLocalStorage<RecordedAction[]>()

/** Runs `work` noting in `actions` every action the audit log records meanwhile. */
export function collectingRecordedActions(actions: RecordedAction[], work: () => void): void {
  recordedActions.run(actions, work)
}

/** The number a user knows the record by (a letter's, an item's, a file's), from what the audit entry says of it. */
function referenceOf(details: Record<string, unknown> | undefined): string | null {
  const reference = details?.number ?? details?.fileNumber
  return typeof reference === 'string' ? reference : null
}

export function auditService(clock: Clock) {
  async function record(context: RequestContext, entry: AuditEntry, transaction?: Transaction): Promise<void> {
    // A plain insert (no model instance; a prepared statement outside transactions): one runs on every page that
    // shows a personal file.
    const values = [
      clock.now(),
      entry.actorUserId !== undefined ? entry.actorUserId : (context.actor?.id ?? null),
      entry.actorUsername !== undefined ? entry.actorUsername : context.actorUsername,
      entry.action,
      entry.category,
      entry.outcome ?? 'success',
      entry.regionId ?? null,
      entry.target?.type ?? null,
      entry.target ? String(entry.target.id) : null,
      JSON.stringify(entry.details ?? {}),
      context.sourceIp,
      context.requestId,
    ]
    const sequelize = AuditEvent.sequelize!
    if (transaction) await sequelize.query(INSERT, { bind: values, type: QueryTypes.INSERT, transaction })
    else await preparedQuery(sequelize, INSERT, values)
    recordedActions.getStore()?.push({ action: entry.action, reference: referenceOf(entry.details) })
  }

  async function list(scope: AuditScope, filter: { category?: AuditCategory; page: number }): Promise<{ lines: AuditLine[]; total: number }> {
    const conditions: WhereOptions<AuditEvent>[] = []
    if (scope.kind === 'regions') conditions.push({ regionId: { [Op.in]: [...scope.regionIds] } })
    if (scope.kind === 'categories') conditions.push({ category: { [Op.in]: [...scope.categories] as AuditCategory[] } })
    if (filter.category) conditions.push({ category: filter.category })
    const { rows, count } = await AuditEvent.findAndCountAll({
      where: { [Op.and]: conditions },
      order: [['occurredAt', 'DESC'], ['id', 'DESC']],
      limit: AUDIT_PAGE_SIZE,
      offset: (filter.page - 1) * AUDIT_PAGE_SIZE,
    })
    return {
      total: count,
      lines: rows.map((row) => ({
        id: row.id,
        occurredAt: row.occurredAt,
        actorUsername: row.actorUsername,
        action: row.action,
        category: row.category,
        outcome: row.outcome,
        regionId: row.regionId,
        targetType: row.targetType,
        targetId: row.targetId,
        details: row.details,
        sourceIp: row.sourceIp,
      })),
    }
  }

  return { record, list }
}

export type AuditService = ReturnType<typeof auditService>
