import type { Transaction } from 'sequelize'
import type { Role } from '../domain/roles'
import type { Sql } from './sql'

/* The administrator's requests that wait for the service head (migrations/20261208030000-account-requests.ts). */

export type AccountRequestKind = 'CREATE' | 'UPDATE' | 'RESET_PASSWORD' | 'RESET_TWO_FACTOR'

export interface RequestedAccount {
  username: string
  fullName: string
  email: string | null
  role: Role
  regionId: number | null
}

export interface AccountRequestLine {
  id: number
  kind: AccountRequestKind
  userId: number | null
  userVersion: number | null
  /** What the account is to be (null for a password). */
  account: RequestedAccount | null
  /** The account as it is now (null for a new one). */
  current: RequestedAccount | null
  regionName: { hy: string; en: string } | null
  requestedByName: string
  requestedAt: Date
}

export interface StoredRequest extends AccountRequestLine {
  passwordHash: string | null
  status: 'PENDING' | 'CONFIRMED' | 'REFUSED' | 'CANCELLED'
}

const LINE = `SELECT r.id, r.kind, r.user_id, r.user_version, r.account, r.password_hash, r.status, r.requested_at, q.full_name AS requested_by_name,
       CASE WHEN u.id IS NOT NULL THEN json_build_object('username', u.username, 'fullName', u.full_name, 'email', u.email, 'role', u.role, 'regionId', u.region_id) END AS current,
       CASE WHEN g.id IS NOT NULL THEN json_build_object('hy', g.name_hy, 'en', g.name_en) END AS region_name
  FROM account_requests r JOIN users q ON q.id = r.requested_by_user_id LEFT JOIN users u ON u.id = r.user_id
  LEFT JOIN regions g ON g.id = coalesce((r.account ->> 'regionId')::int, u.region_id)`

export function accountRequestQueries(sql: Sql) {
  async function add(request: { kind: AccountRequestKind; userId: number | null; userVersion: number | null; account: RequestedAccount | null; passwordHash: string | null; requestedBy: number; requestedAt: Date }, transaction: Transaction): Promise<number> {
    const [row] = await sql.rows<{ id: number }>(
      `INSERT INTO account_requests (kind, user_id, user_version, account, password_hash, requested_by_user_id, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [request.kind, request.userId, request.userVersion, request.account === null ? null : JSON.stringify(request.account), request.passwordHash, request.requestedBy, request.requestedAt],
      transaction,
    )
    return row.id
  }

  /** Pending requests, oldest first. */
  async function pending(): Promise<AccountRequestLine[]> {
    const rows = await sql.rows<StoredRequest>(`${LINE} WHERE r.status = 'PENDING' ORDER BY r.requested_at, r.id`)
    return rows.map(({ passwordHash: _hash, status: _status, ...line }) => line)
  }

  /** One request, locked for its decision. */
  async function lock(id: number, transaction: Transaction): Promise<StoredRequest | undefined> {
    return sql.one(`${LINE} WHERE r.id = $1 FOR UPDATE OF r`, [id], transaction)
  }

  async function decide(id: number, decision: { status: 'CONFIRMED' | 'REFUSED' | 'CANCELLED'; userId: number | null; by: number; at: Date; reason: string | null }, transaction: Transaction): Promise<void> {
    await sql.rows(
      `UPDATE account_requests SET status = $2, user_id = coalesce($3, user_id), decided_by_user_id = $4, decided_at = $5, decision_reason = $6, password_hash = NULL WHERE id = $1`,
      [id, decision.status, decision.userId, decision.by, decision.at, decision.reason],
      transaction,
    )
  }

  /** Whether a username is asked for by a pending new account. */
  async function usernamePending(username: string, transaction: Transaction): Promise<boolean> {
    return (await sql.one(`SELECT 1 AS found FROM account_requests WHERE status = 'PENDING' AND kind = 'CREATE' AND account ->> 'username' = $1`, [username], transaction)) !== undefined
  }

  return { add, pending, lock, decide, usernamePending }
}

export type AccountRequestQueries = ReturnType<typeof accountRequestQueries>
