import type { MigrationContext } from '../server/db/migrator'

/*
 * Accounts unused for 90 days are disabled by a nightly job (CJIS Security Policy AC-2(3)): `active_since` is when the
 * account was last given to its holder (made, reactivated, a new password), so a fresh start is not disabled before
 * its first sign-in; `disabled_for_inactivity_at` says why an account is off, which the holder is told when they sign
 * in with the right password.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    ALTER TABLE users ADD COLUMN active_since timestamptz;
    UPDATE users SET active_since = created_at;
    ALTER TABLE users ALTER COLUMN active_since SET NOT NULL, ALTER COLUMN active_since SET DEFAULT now();
    ALTER TABLE users ADD COLUMN disabled_for_inactivity_at timestamptz;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('ALTER TABLE users DROP COLUMN disabled_for_inactivity_at, DROP COLUMN active_since')
}
