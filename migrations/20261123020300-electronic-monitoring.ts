import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE devices (
      id serial PRIMARY KEY,
      serial text NOT NULL UNIQUE,
      kind text NOT NULL CHECK (kind IN ('RF', 'GPS')),
      region_id integer NOT NULL REFERENCES regions (id),
      status text NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'ASSIGNED', 'FAULTY', 'RETIRED')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE device_assignments (
      id serial PRIMARY KEY,
      device_id integer NOT NULL REFERENCES devices (id),
      measure_id integer NOT NULL REFERENCES measures (id),
      ordered_on date NOT NULL,
      installed_on date,
      removed_on date,
      created_by_user_id integer NOT NULL REFERENCES users (id),
      CONSTRAINT device_assignments_dates CHECK ((installed_on IS NULL OR installed_on >= ordered_on) AND (removed_on IS NULL OR (installed_on IS NOT NULL AND removed_on >= installed_on)))
    );
    -- A device is on one person at a time.
    CREATE UNIQUE INDEX device_assignments_one_open ON device_assignments (device_id) WHERE removed_on IS NULL;
    CREATE INDEX device_assignments_measure ON device_assignments (measure_id);
    CREATE TABLE monitoring_alerts (
      id serial PRIMARY KEY,
      assignment_id integer NOT NULL REFERENCES device_assignments (id),
      occurred_at timestamptz NOT NULL,
      kind text NOT NULL,
      response text NOT NULL,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX monitoring_alerts_assignment ON monitoring_alerts (assignment_id, occurred_at);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE monitoring_alerts; DROP TABLE device_assignments; DROP TABLE devices;')
}
