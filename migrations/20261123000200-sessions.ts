import type { MigrationContext } from '../server/db/migrator'

// The table connect-pg-simple expects; created here so the schema only changes through migrations.
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE user_sessions (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    );
    CREATE INDEX user_sessions_expire ON user_sessions (expire);
    CREATE INDEX user_sessions_user ON user_sessions (((sess -> 'passport' ->> 'user')));
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE user_sessions;')
}
