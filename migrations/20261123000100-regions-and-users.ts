import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE regions (
      id serial PRIMARY KEY,
      code text NOT NULL UNIQUE CHECK (code ~ '^[A-Z_]{2,40}$'),
      file_prefix text NOT NULL UNIQUE,
      name_hy text NOT NULL,
      name_en text NOT NULL,
      centre_hy text NOT NULL,
      centre_en text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE users (
      id serial PRIMARY KEY,
      username text NOT NULL,
      full_name text NOT NULL,
      email text,
      role text NOT NULL CHECK (role IN ('SERVICE_HEAD', 'REGIONAL_HEAD', 'SENIOR_SPECIALIST', 'SPECIALIST', 'ADMINISTRATOR')),
      region_id integer REFERENCES regions (id),
      password_hash text NOT NULL,
      must_change_password boolean NOT NULL DEFAULT false,
      password_changed_at timestamptz,
      active boolean NOT NULL DEFAULT true,
      failed_sign_in_count integer NOT NULL DEFAULT 0,
      failed_sign_in_since timestamptz,
      locked_until timestamptz,
      last_sign_in_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- The service head and the administrator stand above the regions; everyone else belongs to one.
      CONSTRAINT users_region_matches_role CHECK ((role IN ('SERVICE_HEAD', 'ADMINISTRATOR')) = (region_id IS NULL))
    );
    CREATE UNIQUE INDEX users_username_unique ON users (lower(username));
    CREATE INDEX users_region_id ON users (region_id);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE users; DROP TABLE regions;')
}
