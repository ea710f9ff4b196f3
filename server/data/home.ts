import type { Sql } from './sql'

/*
 * What the home page reads beyond the work ledger: an officer's appointments of the day, the quarterly reports waiting
 * for the service head's decision, and the accounts the administrator has to act on.
 */

export interface DayAppointment {
  id: number
  beneficiaryId: number
  fileNumber: string
  fullName: string
  kind: string
  scheduledAt: Date
  durationMinutes: number
  place: string | null
  outcome: string | null
  riskToStaff: boolean
}

export interface ReportAwaitingDecision {
  regionId: number
  nameHy: string
  nameEn: string
  year: number
  quarter: number
  versionNumber: number
  submittedOn: string
}

export interface AccountToActOn {
  id: number
  username: string
  fullName: string
  /** LOCKED: too many failed sign-ins, until lockedUntil; TEMPORARY_PASSWORD: given a password never changed since. */
  reason: 'LOCKED' | 'TEMPORARY_PASSWORD'
  lockedUntil: Date | null
}

export function homeQueries(sql: Sql) {
  /** The appointments, not cancelled, of the files an officer is responsible for, in a time range, in time order. */
  async function appointmentsOfOfficer(officerId: number, from: Date, until: Date): Promise<DayAppointment[]> {
    return sql.rows(
      `SELECT a.id, a.beneficiary_id, b.file_number, b.surname || ' ' || b.given_name AS full_name, a.kind, a.scheduled_at, a.duration_minutes, a.place, a.outcome,
              coalesce(b.risk_to_staff, false) AS risk_to_staff
         FROM beneficiaries b JOIN appointments a ON a.beneficiary_id = b.id
        WHERE b.responsible_officer_id = $1 AND b.status IN ('ACTIVE', 'SUSPENDED') AND a.cancelled_at IS NULL AND a.scheduled_at >= $2 AND a.scheduled_at < $3
        ORDER BY a.scheduled_at, a.id`,
      [officerId, from, until],
    )
  }

  /** Of each region and quarter, the latest version of its report when it is submitted and not yet decided, oldest first. */
  async function reportsAwaitingDecision(): Promise<ReportAwaitingDecision[]> {
    return sql.rows(
      `SELECT r.region_id, g.name_hy, g.name_en, r.year, r.quarter, r.version_number, r.submitted_on
         FROM (SELECT DISTINCT ON (region_id, year, quarter) region_id, year, quarter, version_number, status, submitted_on
                 FROM quarterly_reports ORDER BY region_id, year, quarter, version_number DESC) r
         JOIN regions g ON g.id = r.region_id
        WHERE r.status = 'SUBMITTED'
        ORDER BY r.submitted_on, g.name_hy`,
    )
  }

  /** Active accounts locked now, or still on a temporary password, other than the service head's (not the administrator's to manage). */
  async function accountsToActOn(now: Date): Promise<AccountToActOn[]> {
    return sql.rows(
      `SELECT id, username, full_name, CASE WHEN locked_until > $1 THEN 'LOCKED' ELSE 'TEMPORARY_PASSWORD' END AS reason, CASE WHEN locked_until > $1 THEN locked_until END AS locked_until
         FROM users WHERE active AND role <> 'SERVICE_HEAD' AND (locked_until > $1 OR must_change_password)
        ORDER BY reason, full_name`,
      [now],
    )
  }

  return { appointmentsOfOfficer, reportsAwaitingDecision, accountsToActOn }
}

export type HomeQueries = ReturnType<typeof homeQueries>
