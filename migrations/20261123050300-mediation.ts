import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- One counter per region and year, incremented inside the instructing transaction: numbers are gapless.
    CREATE TABLE mediation_counters (
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL,
      last_number integer NOT NULL,
      PRIMARY KEY (region_id, year)
    );

    -- A mediation (հաշտարարություն) a regional body runs on the service head's instruction.
    CREATE TABLE mediation_cases (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL,
      sequence integer NOT NULL,
      number text NOT NULL,
      -- The instructing authority's decision (court, prosecutor, investigator) and the criminal case it concerns.
      criminal_case_number text NOT NULL,
      authority text NOT NULL,
      authority_reference text,
      authority_decision_date date NOT NULL,
      received_on date NOT NULL,
      -- The report date the authority sets, when it sets one: it wins over the default term.
      authority_report_date date,
      -- The service head's instruction to the regional body.
      instructed_on date NOT NULL,
      instructed_by_user_id integer NOT NULL REFERENCES users (id),
      instruction_note text,
      -- The mediation participant's personal file.
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      mediator_user_id integer REFERENCES users (id),
      mediator_named_on date,
      mediator_named_by_user_id integer REFERENCES users (id),
      status text NOT NULL DEFAULT 'INSTRUCTED'
        CHECK (status IN ('INSTRUCTED', 'MEDIATOR_NAMED', 'IN_PROGRESS', 'CONCLUDED', 'REPORTED', 'DECLINED', 'ENDED')),
      outcome text CHECK (outcome IN ('AGREEMENT', 'NO_AGREEMENT', 'NOT_HELD')),
      outcome_reason text,
      agreement_terms text,
      concluded_on date,
      ended_on date,
      end_reason text,
      -- The report to the instructing authority: due date by rule MEDIATION_REPORT with its explanation, then its sending.
      report_due_date date,
      report_due_explanation jsonb,
      report_sent_on date,
      report_letter_reference text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      UNIQUE (region_id, year, sequence),
      CHECK (authority_decision_date <= received_on AND received_on <= instructed_on),
      CHECK ((report_due_date IS NULL) = (report_due_explanation IS NULL)),
      CHECK (status IN ('INSTRUCTED', 'DECLINED', 'ENDED') OR mediator_user_id IS NOT NULL),
      CHECK ((status IN ('CONCLUDED', 'REPORTED')) = (outcome IS NOT NULL AND concluded_on IS NOT NULL)),
      CHECK (outcome IS DISTINCT FROM 'AGREEMENT' OR agreement_terms IS NOT NULL),
      CHECK (outcome IS DISTINCT FROM 'NOT_HELD' OR outcome_reason IS NOT NULL),
      CHECK (status <> 'REPORTED' OR (report_sent_on IS NOT NULL AND report_letter_reference IS NOT NULL AND report_sent_on >= concluded_on)),
      CHECK ((status IN ('DECLINED', 'ENDED')) = (ended_on IS NOT NULL AND end_reason IS NOT NULL))
    );
    CREATE INDEX mediation_cases_register ON mediation_cases (region_id, year DESC, sequence DESC);
    CREATE INDEX mediation_cases_report_owed ON mediation_cases (region_id, report_due_date) WHERE status IN ('INSTRUCTED', 'MEDIATOR_NAMED', 'IN_PROGRESS', 'CONCLUDED');
    CREATE INDEX mediation_cases_mediator ON mediation_cases (mediator_user_id, year DESC, sequence DESC) WHERE mediator_user_id IS NOT NULL;
    CREATE INDEX mediation_cases_beneficiary ON mediation_cases (beneficiary_id);

    -- The victim's details, kept apart: only those running the mediation read them, and no query of the case joins them.
    CREATE TABLE mediation_victims (
      case_id integer PRIMARY KEY REFERENCES mediation_cases (id),
      full_name text NOT NULL,
      contact text,
      representative text,
      notes text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE mediation_meetings (
      id serial PRIMARY KEY,
      case_id integer NOT NULL REFERENCES mediation_cases (id),
      held_on date NOT NULL,
      place text NOT NULL,
      participants text NOT NULL,
      summary text NOT NULL,
      next_steps text,
      recorded_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX mediation_meetings_case ON mediation_meetings (case_id, held_on);
  `)
  await setAuditCategories(sequelize, (categories) => [...new Set([...categories, 'mediation'])], false)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  // The audit log is append-only: lines already written about mediation stay, unchecked (NOT VALID).
  await setAuditCategories(sequelize, (categories) => categories.filter((category) => category !== 'mediation'), true)
  await sequelize.query(`
    DROP TABLE mediation_meetings;
    DROP TABLE mediation_victims;
    DROP TABLE mediation_cases;
    DROP TABLE mediation_counters;
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
