import type { MigrationContext } from '../server/db/migrator'

/*
 * The register sorts a region's files by birth date, personal file number or last change as well as by name (which has
 * its index since 20261123010100). Without an index per order, PostgreSQL walks a national index filtering on the region
 * or sorts the whole region for each page: on 100,000 files, Ararat's first page by file number or by last change took
 * 14 ms, with these 0.9 ms; its third page of ACTIVE files by birth date 1.3 ms, with these 0.7 ms (bench/REPORT.md).
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX beneficiaries_register_by_birth_date ON beneficiaries (region_id, birth_date, id) WHERE anonymised_at IS NULL;
    CREATE INDEX beneficiaries_register_by_file_number ON beneficiaries (region_id, file_number, id) WHERE anonymised_at IS NULL;
    CREATE INDEX beneficiaries_register_by_update ON beneficiaries (region_id, updated_at, id) WHERE anonymised_at IS NULL;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP INDEX beneficiaries_register_by_birth_date;
    DROP INDEX beneficiaries_register_by_file_number;
    DROP INDEX beneficiaries_register_by_update;
  `)
}
