import type { MigrationContext } from '../server/db/migrator'

/*
 * Two factors to sign in: a password and a time-based one-time code (RFC 6238) from an authenticator app. The key is
 * set when the holder enrols at their first sign-in; the last time step a code was taken from is kept so a code
 * seen over a shoulder cannot be used again; ten single-use recovery codes, kept hashed, open the account when the
 * phone is lost. The administrator's reset of a head's enrolment waits for the service head like a head's password.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    ALTER TABLE users ADD COLUMN totp_key text, ADD COLUMN totp_enrolled_at timestamptz, ADD COLUMN totp_last_time_step bigint,
      ADD CONSTRAINT users_totp_enrolled CHECK ((totp_key IS NULL) = (totp_enrolled_at IS NULL));
    CREATE TABLE recovery_codes (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      code_hash text NOT NULL,
      used_at timestamptz,
      UNIQUE (user_id, code_hash)
    );
    ALTER TABLE account_requests DROP CONSTRAINT account_requests_kind_check, DROP CONSTRAINT account_requests_check1;
    ALTER TABLE account_requests ADD CONSTRAINT account_requests_kind_check CHECK (kind IN ('CREATE', 'UPDATE', 'RESET_PASSWORD', 'RESET_TWO_FACTOR')),
      ADD CONSTRAINT account_requests_account_given CHECK (kind IN ('RESET_PASSWORD', 'RESET_TWO_FACTOR') OR account IS NOT NULL);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DELETE FROM account_requests WHERE kind = 'RESET_TWO_FACTOR';
    ALTER TABLE account_requests DROP CONSTRAINT account_requests_kind_check, DROP CONSTRAINT account_requests_account_given;
    ALTER TABLE account_requests ADD CONSTRAINT account_requests_kind_check CHECK (kind IN ('CREATE', 'UPDATE', 'RESET_PASSWORD')),
      ADD CONSTRAINT account_requests_check1 CHECK (kind = 'RESET_PASSWORD' OR account IS NOT NULL);
    DROP TABLE recovery_codes;
    ALTER TABLE users DROP CONSTRAINT users_totp_enrolled, DROP COLUMN totp_key, DROP COLUMN totp_enrolled_at, DROP COLUMN totp_last_time_step;
  `)
}
