import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- Per-date exceptions to the weekly rule and the statutory holidays: the Government moves working days.
    CREATE TABLE calendar_days (
      date date PRIMARY KEY,
      working boolean NOT NULL,
      reason text NOT NULL,
      updated_by_user_id integer REFERENCES users (id),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- The deadline rules' values in force; the defaults ship in server/domain/deadlineRules.ts.
    CREATE TABLE deadline_rule_settings (
      rule_id text PRIMARY KEY,
      amount integer NOT NULL CHECK (amount >= 0),
      changed_by_user_id integer REFERENCES users (id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1
    );

    CREATE TABLE court_acts (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      court text NOT NULL,
      case_number text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('VERDICT', 'DECISION', 'ORDER')),
      act_date date NOT NULL,
      in_force_date date,
      received_date date NOT NULL,
      document_id integer REFERENCES beneficiary_documents (id),
      changes_act_id integer REFERENCES court_acts (id),
      change_kind text CHECK (change_kind IN ('APPEAL', 'REPLACEMENT', 'CONVERSION', 'EARLY_RELEASE', 'REVOCATION', 'OTHER')),
      registered_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT court_acts_dates CHECK (received_date >= act_date AND (in_force_date IS NULL OR in_force_date >= act_date)),
      CONSTRAINT court_acts_change CHECK ((changes_act_id IS NULL) = (change_kind IS NULL))
    );
    CREATE INDEX court_acts_beneficiary ON court_acts (beneficiary_id);

    CREATE TABLE measures (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      court_act_id integer NOT NULL REFERENCES court_acts (id),
      type_code text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      state text NOT NULL,
      start_date date,
      end_date date,
      ended_on date,
      end_reason text,
      ended_by_act_id integer REFERENCES court_acts (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      CONSTRAINT measures_period CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
    );
    CREATE INDEX measures_beneficiary ON measures (beneficiary_id);
    CREATE INDEX measures_type_state ON measures (type_code, state);

    -- The lifecycle's history: every transition with its date, reason and the act behind it.
    CREATE TABLE measure_events (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      action text NOT NULL,
      from_state text,
      to_state text NOT NULL,
      on_date date NOT NULL,
      reason text,
      court_act_id integer REFERENCES court_acts (id),
      user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX measure_events_measure ON measure_events (measure_id, id);

    CREATE TABLE work_sessions (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      work_date date NOT NULL,
      hours numeric(4, 1) NOT NULL CHECK (hours > 0 AND hours <= 12),
      confirmed_by text NOT NULL,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX work_sessions_measure ON work_sessions (measure_id, work_date);

    CREATE TABLE fine_payments (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      paid_on date NOT NULL,
      amount_amd numeric(12, 0) NOT NULL CHECK (amount_amd > 0),
      receipt_number text NOT NULL,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX fine_payments_measure ON fine_payments (measure_id, paid_on);

    -- Computed due dates, each with the rule value and the explanation it was computed with.
    CREATE TABLE deadlines (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      rule_id text NOT NULL,
      subject_type text NOT NULL,
      subject_id integer NOT NULL,
      event_date date NOT NULL,
      due_date date NOT NULL,
      explanation jsonb NOT NULL,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
      done_on date,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX deadlines_beneficiary ON deadlines (beneficiary_id, status, due_date);
    CREATE INDEX deadlines_open_due ON deadlines (due_date) WHERE status = 'OPEN';
    CREATE UNIQUE INDEX deadlines_one_per_subject_rule ON deadlines (subject_type, subject_id, rule_id) WHERE status = 'OPEN';

    CREATE TABLE violations (
      id serial PRIMARY KEY,
      measure_id integer NOT NULL REFERENCES measures (id),
      kind text NOT NULL,
      occurred_on date NOT NULL,
      description text NOT NULL,
      action_due text NOT NULL,
      decided_on date,
      outcome text,
      decided_by_user_id integer REFERENCES users (id),
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX violations_measure ON violations (measure_id);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP TABLE violations;
    DROP TABLE deadlines;
    DROP TABLE fine_payments;
    DROP TABLE work_sessions;
    DROP TABLE measure_events;
    DROP TABLE measures;
    DROP TABLE court_acts;
    DROP TABLE deadline_rule_settings;
    DROP TABLE calendar_days;
  `)
}
