import type { MigrationContext } from '../server/db/migrator'

/*
 * The file page's history left out only the file's own reads: opening its assessments, plans, contacts and supervision
 * pages (each audited) filled it with "opened" lines. Those are reads too, for the access log; the partial indexes of
 * 20261123030000-file-page-audit-indexes are made again with the whole list (VIEW_ACTIONS in
 * server/services/beneficiaries.ts, which a test holds to these).
 */
const READS = "'beneficiary.view', 'beneficiary.accessReason', 'beneficiary.print', 'beneficiary.export', 'beneficiary.documentDownload', 'assessment.view', 'plan.view', 'contact.view', 'supervision.view', 'contact.calendarExport'"
const FIRST_READS = "'beneficiary.view', 'beneficiary.accessReason', 'beneficiary.print', 'beneficiary.export', 'beneficiary.documentDownload'"

async function indexes(sequelize: MigrationContext['sequelize'], reads: string): Promise<void> {
  await sequelize.query(`
    DROP INDEX IF EXISTS audit_events_file_views;
    DROP INDEX IF EXISTS audit_events_file_changes;
    CREATE INDEX audit_events_file_views ON audit_events (target_id, occurred_at DESC, id DESC)
      WHERE target_type = 'beneficiary' AND action IN (${reads});
    CREATE INDEX audit_events_file_changes ON audit_events (target_id, occurred_at DESC, id DESC)
      WHERE target_type = 'beneficiary' AND action NOT IN (${reads});
  `)
}

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await indexes(sequelize, READS)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await indexes(sequelize, FIRST_READS)
}
