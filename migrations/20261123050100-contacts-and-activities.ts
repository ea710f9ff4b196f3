import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- Appointments with the person (or about them: employer, family, police) and their outcome.
    CREATE TABLE appointments (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      -- The plan in force when it was booked (none before the first plan is approved).
      plan_id integer REFERENCES supervision_plans (id),
      kind text NOT NULL CHECK (kind IN ('OFFICE_VISIT', 'HOME_VISIT', 'PHONE', 'VIDEO', 'EMPLOYER_CONTACT', 'FAMILY_CONTACT', 'POLICE_CONTACT')),
      scheduled_at timestamptz NOT NULL,
      duration_minutes integer NOT NULL DEFAULT 60 CHECK (duration_minutes BETWEEN 5 AND 480),
      place text,
      notes text,
      booked_by_user_id integer NOT NULL REFERENCES users (id),
      booked_at timestamptz NOT NULL,
      outcome text CHECK (outcome IN ('ATTENDED_COMPLIED', 'ATTENDED_FAILED_TO_COMPLY', 'ACCEPTABLE_ABSENCE', 'UNACCEPTABLE_ABSENCE')),
      outcome_note text,
      outcome_recorded_at timestamptz,
      outcome_recorded_by_user_id integer REFERENCES users (id),
      cancelled_at timestamptz,
      cancelled_by_user_id integer REFERENCES users (id),
      cancel_reason text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((outcome IS NULL) = (outcome_recorded_at IS NULL) AND (outcome IS NULL) = (outcome_recorded_by_user_id IS NULL)),
      -- No outcome before the appointment's time.
      CHECK (outcome_recorded_at IS NULL OR outcome_recorded_at >= scheduled_at),
      CHECK (cancelled_at IS NULL OR (outcome IS NULL AND cancel_reason IS NOT NULL AND cancelled_by_user_id IS NOT NULL))
    );
    CREATE INDEX appointments_beneficiary ON appointments (beneficiary_id, scheduled_at);
    -- The region's list of past appointments still without an outcome.
    CREATE INDEX appointments_awaiting_outcome ON appointments (scheduled_at) WHERE outcome IS NULL AND cancelled_at IS NULL;

    -- Resocialisation activities a regional body organises.
    CREATE TABLE activity_events (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      kind text NOT NULL CHECK (kind IN ('CULTURAL', 'SPORTS', 'EDUCATIONAL', 'SOCIO_PSYCHOLOGICAL_GROUP', 'COMMUNITY_WORK_DAY')),
      title text NOT NULL,
      event_date date NOT NULL,
      start_time time,
      place text NOT NULL,
      organiser text NOT NULL,
      description text,
      created_by_user_id integer NOT NULL REFERENCES users (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX activity_events_region_date ON activity_events (region_id, event_date DESC);

    CREATE TABLE activity_participants (
      id serial PRIMARY KEY,
      event_id integer NOT NULL REFERENCES activity_events (id),
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      invited_on date NOT NULL,
      invited_by_user_id integer NOT NULL REFERENCES users (id),
      attendance text CHECK (attendance IN ('ATTENDED', 'ABSENT')),
      attendance_recorded_by_user_id integer REFERENCES users (id),
      -- The goal of the person's plan this participation works toward.
      goal_id integer REFERENCES plan_goals (id),
      note text,
      version integer NOT NULL DEFAULT 1,
      UNIQUE (event_id, beneficiary_id),
      CHECK ((attendance IS NULL) = (attendance_recorded_by_user_id IS NULL))
    );
    CREATE INDEX activity_participants_beneficiary ON activity_participants (beneficiary_id);

    -- Only the event's own region's files are invited. Checked when invited only: a person transferred later keeps
    -- the record of what they attended.
    CREATE FUNCTION activity_participants_same_region() RETURNS trigger AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM activity_events e JOIN beneficiaries b ON b.region_id = e.region_id WHERE e.id = NEW.event_id AND b.id = NEW.beneficiary_id) THEN
        RAISE EXCEPTION 'a participant must be a file of the event''s region' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER activity_participants_region BEFORE INSERT ON activity_participants FOR EACH ROW EXECUTE FUNCTION activity_participants_same_region();
  `)
  await setAuditCategories(sequelize, (categories) => [...new Set([...categories, 'activity'])], false)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  // Audit lines already written stay: the narrower check applies to new rows only.
  await setAuditCategories(sequelize, (categories) => categories.filter((category) => category !== 'activity'), true)
  await sequelize.query(`
    DROP TRIGGER activity_participants_region ON activity_participants;
    DROP FUNCTION activity_participants_same_region();
    DROP TABLE activity_participants;
    DROP TABLE activity_events;
    DROP TABLE appointments;
  `)
}

/**
 * Rewrites the audit category CHECK from the list in force, not from a list copied here: migrations of other
 * areas written at the same time add their own categories, and whichever runs last must not drop the others'.
 */
async function setAuditCategories(sequelize: MigrationContext['sequelize'], change: (categories: string[]) => string[], notValid: boolean): Promise<void> {
  const [rows] = await sequelize.query(`SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conname = 'audit_events_category_check' AND conrelid = 'audit_events'::regclass`)
  const definition = (rows as { definition: string }[])[0]?.definition ?? ''
  const categories = change([...definition.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]))
  const list = categories.map((category) => sequelize.escape(category)).join(', ')
  await sequelize.query(`
    ALTER TABLE audit_events DROP CONSTRAINT audit_events_category_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_category_check CHECK (category IN (${list}))${notValid ? ' NOT VALID' : ''};
  `)
}
