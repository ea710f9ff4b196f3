import type { MigrationContext } from '../server/db/migrator'

/*
 * A head's own work holds the region's unassigned items (the head's to do: letters to assign, violations to decide,
 * the quarterly report). Read through the region's index they were a filter over all its open items (26,000 in Ararat
 * at national scale); this index holds only them, in due-date order like the others.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`CREATE INDEX work_items_open_unassigned_by_region ON work_items (region_id, due_date) INCLUDE (kind, source_type, source_id, beneficiary_id)
    WHERE state = 'OPEN' AND assignee_user_id IS NULL`)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP INDEX work_items_open_unassigned_by_region')
}
