import type { MigrationContext } from '../server/db/migrator'

/*
 * The national roll-up's live figures, stored: a region that has not submitted its report is shown with figures
 * computed from the records, and computing them for every region read every plan and half a million contacts
 * nationally (about 600 ms a view at national scale). A background job computes them every few minutes; the roll-up
 * uses a stored set while it is recent and computes (and stores) the others.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE live_quarterly_figures (
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL,
      quarter integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
      figures jsonb NOT NULL,
      computed_at timestamptz NOT NULL,
      PRIMARY KEY (region_id, year, quarter)
    )
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE live_quarterly_figures')
}
