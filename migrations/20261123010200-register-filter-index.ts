import type { MigrationContext } from '../server/db/migrator'

// The register's status filter counts a region's files by status (bench/REPORT.md: 6-10 ms without it, 0.7 ms with).
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('CREATE INDEX beneficiaries_region_status_open ON beneficiaries (region_id, status) WHERE anonymised_at IS NULL')
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP INDEX beneficiaries_region_status_open')
}
