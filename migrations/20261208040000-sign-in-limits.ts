import type { MigrationContext } from '../server/db/migrator'

/*
 * The failed sign-ins counted per address, in the database: counted in each process's memory, two instances of the
 * app behind one address let twice the attempts through, and a restart forgot them.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE sign_in_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL CHECK (hits >= 0),
      resets_at timestamptz NOT NULL
    );
    CREATE INDEX sign_in_limits_by_reset ON sign_in_limits (resets_at);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE sign_in_limits')
}
