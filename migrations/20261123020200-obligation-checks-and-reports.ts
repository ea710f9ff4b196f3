import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- Each obligation the court imposed is checked on its own (by its position in the measure's list).
    CREATE TABLE obligation_checks (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      obligation_index integer NOT NULL CHECK (obligation_index >= 0),
      checked_on date NOT NULL,
      complied boolean NOT NULL,
      note text,
      checked_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX obligation_checks_measure ON obligation_checks (measure_id, obligation_index, checked_on);

    -- Reports in person where the court set a schedule (administrative supervision and the like).
    CREATE TABLE reporting_checkins (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      expected_on date NOT NULL,
      reported boolean NOT NULL,
      note text,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (measure_id, expected_on)
    );
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE reporting_checkins; DROP TABLE obligation_checks;')
}
