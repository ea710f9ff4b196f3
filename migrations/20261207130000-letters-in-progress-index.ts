import type { MigrationContext } from '../server/db/migrator'

/*
 * The correspondence register lists the region's letters not yet sent: a few among tens of thousands sent, found in
 * an index of their own rather than by visiting every letter of the region.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`CREATE INDEX outgoing_letters_in_progress ON outgoing_letters (region_id, status, id) WHERE status <> 'SENT'`)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP INDEX outgoing_letters_in_progress')
}
