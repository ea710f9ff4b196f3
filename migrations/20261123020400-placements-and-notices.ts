import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- Where public works are done (the body chooses the placement, not the court).
    CREATE TABLE work_placements (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      organisation text NOT NULL,
      address text NOT NULL,
      supervisor text NOT NULL,
      from_date date NOT NULL,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX work_placements_measure ON work_placements (measure_id, from_date);
    -- Employers and licensing bodies told of a deprivation of a right (the letter itself is in the outgoing register).
    CREATE TABLE right_notices (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      addressee_kind text NOT NULL CHECK (addressee_kind IN ('EMPLOYER', 'LICENSING_BODY', 'OTHER')),
      addressee text NOT NULL,
      sent_on date NOT NULL,
      letter_reference text NOT NULL,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX right_notices_measure ON right_notices (measure_id);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE right_notices; DROP TABLE work_placements;')
}
