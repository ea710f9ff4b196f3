import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE EXTENSION IF NOT EXISTS btree_gist;
    CREATE TABLE delegations (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      acting_user_id integer NOT NULL REFERENCES users (id),
      granted_by_user_id integer NOT NULL REFERENCES users (id),
      starts_on date NOT NULL,
      ends_on date NOT NULL,
      reason text NOT NULL,
      revoked_at timestamptz,
      revoked_by_user_id integer REFERENCES users (id),
      revoke_reason text,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT delegations_dates_ordered CHECK (ends_on >= starts_on),
      -- One acting head per region at a time.
      CONSTRAINT delegations_no_overlap EXCLUDE USING gist (
        region_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&
      ) WHERE (revoked_at IS NULL)
    );
    CREATE INDEX delegations_acting_user ON delegations (acting_user_id);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE delegations; DROP EXTENSION IF EXISTS btree_gist;')
}
