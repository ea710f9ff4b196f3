import type { MigrationContext } from '../server/db/migrator'

/*
 * The region's measure list orders every measure of the region's files by its next open deadline: the files' open
 * measure deadlines read from one index, and the files' measures with their type and state from another, without
 * visiting the tables (at national scale a lookup per measure cost most of the page).
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX deadlines_open_measures_by_file ON deadlines (beneficiary_id) INCLUDE (subject_id, due_date, id, rule_id) WHERE status = 'OPEN' AND subject_type = 'measure';
    CREATE INDEX measures_by_file ON measures (beneficiary_id) INCLUDE (type_code, state);
    DROP INDEX measures_beneficiary;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX measures_beneficiary ON measures (beneficiary_id);
    DROP INDEX measures_by_file;
    DROP INDEX deadlines_open_measures_by_file;
  `)
}
