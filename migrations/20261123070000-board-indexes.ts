import type { MigrationContext } from '../server/db/migrator'

/*
 * The deadline board reads, for one region's files, the assessments waiting for countersignature, the appointments
 * still without an outcome and the plans in force. At national scale (100,000 files, 237,000 assessments, a million
 * appointments) each of these walked every row of the region's files or fetched scattered table rows: the
 * countersignature branch alone took 161 ms for Ararat. These indexes hold only the rows the board asks for, with the
 * columns it reads, so each branch is an index-only lookup; the national board's share done on time reads the
 * deadlines done in the quarter the same way instead of scanning them all (bench/REPORT.md).
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX assessments_awaiting_countersignature ON assessments (beneficiary_id) INCLUDE (completed_on) WHERE status = 'COMPLETED';
    DROP INDEX appointments_awaiting_outcome;
    CREATE INDEX appointments_awaiting_outcome ON appointments (scheduled_at) INCLUDE (beneficiary_id) WHERE outcome IS NULL AND cancelled_at IS NULL;
    CREATE INDEX supervision_plans_approvals ON supervision_plans (beneficiary_id, approved_on, plan_version) INCLUDE (contacts_per_month, status) WHERE approved_on IS NOT NULL;
    CREATE INDEX appointments_by_time ON appointments (scheduled_at) INCLUDE (beneficiary_id, kind, outcome) WHERE cancelled_at IS NULL;
    CREATE INDEX deadlines_open_by_file ON deadlines (beneficiary_id) INCLUDE (id, rule_id, due_date) WHERE status = 'OPEN';
    CREATE INDEX deadlines_done_by_date ON deadlines (done_on) INCLUDE (beneficiary_id, due_date) WHERE status = 'DONE';
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP INDEX assessments_awaiting_countersignature;
    DROP INDEX appointments_awaiting_outcome;
    CREATE INDEX appointments_awaiting_outcome ON appointments (scheduled_at) WHERE outcome IS NULL AND cancelled_at IS NULL;
    DROP INDEX supervision_plans_approvals;
    DROP INDEX appointments_by_time;
    DROP INDEX deadlines_open_by_file;
    DROP INDEX deadlines_done_by_date;
  `)
}
