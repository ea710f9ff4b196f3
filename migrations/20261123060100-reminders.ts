import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- One digest per user and day: the unique key is what keeps two job workers from preparing (and mailing) it twice.
    CREATE TABLE digests (
      id serial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      digest_date date NOT NULL,
      content jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      emailed_at timestamptz,
      UNIQUE (user_id, digest_date)
    );

    -- A personal calendar feed: only the token's hash is kept; a new token replaces the old one, revoking ends it.
    CREATE TABLE calendar_feeds (
      user_id integer PRIMARY KEY REFERENCES users (id),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE calendar_feeds; DROP TABLE digests;')
}
