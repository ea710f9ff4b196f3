import type { MigrationContext } from '../server/db/migrator'

/*
 * Measured on 100,000 files (bench/REPORT.md): the register sorts a region's files by name, and the name
 * search ranks by word similarity. A region-first b-tree serves the first; a GiST trigram index with the
 * region in front (btree_gist) lets PostgreSQL walk the nearest names of one region instead of ranking all.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX beneficiaries_register_by_name ON beneficiaries (region_id, surname_latin, given_name_latin, id) WHERE anonymised_at IS NULL;
    CREATE INDEX beneficiaries_name_search ON beneficiaries USING gist (region_id, search_key gist_trgm_ops) WHERE anonymised_at IS NULL;
    DROP INDEX beneficiaries_search_key;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX beneficiaries_search_key ON beneficiaries USING gin (search_key gin_trgm_ops);
    DROP INDEX beneficiaries_name_search;
    DROP INDEX beneficiaries_register_by_name;
  `)
}
