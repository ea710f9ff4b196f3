import type { MigrationContext } from '../server/db/migrator'

/*
 * Two people for powers over people's files: an account made a regional head (created so, or changed to it, or moved
 * to another region as its head), and a new password for a head's account, are requests of the administrator that
 * take effect when the service head confirms them. The administrator who knew a head's temporary password could
 * otherwise sign in as that head alone.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE account_requests (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('CREATE', 'UPDATE', 'RESET_PASSWORD')),
      -- The account: for a new one, set when it is made.
      user_id integer REFERENCES users (id),
      -- A change is confirmed only on the account as it was asked about.
      user_version integer,
      account jsonb,
      -- The temporary password, hashed as the account will keep it; removed once decided.
      password_hash text,
      requested_by_user_id integer NOT NULL REFERENCES users (id),
      requested_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'REFUSED', 'CANCELLED')),
      decided_by_user_id integer REFERENCES users (id),
      decided_at timestamptz,
      decision_reason text,
      CHECK (kind = 'CREATE' OR user_id IS NOT NULL),
      CHECK (kind = 'RESET_PASSWORD' OR account IS NOT NULL),
      CHECK ((status = 'PENDING') = (decided_at IS NULL))
    );
    CREATE UNIQUE INDEX account_requests_pending_per_account ON account_requests (user_id) WHERE status = 'PENDING' AND user_id IS NOT NULL;
    CREATE UNIQUE INDEX account_requests_pending_per_username ON account_requests ((account ->> 'username')) WHERE status = 'PENDING' AND kind = 'CREATE';
    CREATE INDEX account_requests_pending ON account_requests (requested_at) WHERE status = 'PENDING';
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE account_requests')
}
