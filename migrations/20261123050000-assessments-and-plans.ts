import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- Every imported version of an instrument, as validated data; an assessment keeps the version it used.
    CREATE TABLE instrument_versions (
      id serial PRIMARY KEY,
      code text NOT NULL,
      version integer NOT NULL,
      definition jsonb NOT NULL,
      is_sample boolean NOT NULL,
      imported_by_user_id integer REFERENCES users (id),
      imported_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (code, version)
    );

    CREATE TABLE assessments (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      instrument_version_id integer NOT NULL REFERENCES instrument_versions (id),
      kind text NOT NULL CHECK (kind IN ('INITIAL', 'REASSESSMENT')),
      reason text NOT NULL CHECK (reason IN ('REGISTRATION', 'SCHEDULED', 'VIOLATION', 'CHANGE_OF_CIRCUMSTANCES', 'CORRECTION')),
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'COMPLETED', 'COUNTERSIGNED')),
      answers jsonb NOT NULL DEFAULT '{}',
      evidence jsonb NOT NULL DEFAULT '{}',
      -- Frozen at completion: the scores as the instrument version computed them, never recomputed.
      result jsonb,
      risk_level text CHECK (risk_level IN ('HIGH', 'MEDIUM', 'LOW')),
      needs text[],
      author_user_id integer NOT NULL REFERENCES users (id),
      completed_on date,
      countersigned_by_user_id integer REFERENCES users (id),
      countersigned_on date,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'DRAFT') = (result IS NULL)),
      CHECK (countersigned_by_user_id IS NULL OR countersigned_by_user_id <> author_user_id)
    );
    CREATE UNIQUE INDEX assessments_one_draft ON assessments (beneficiary_id) WHERE status = 'DRAFT';
    CREATE INDEX assessments_beneficiary ON assessments (beneficiary_id, id DESC);

    -- A completed assessment is immutable: corrections are a new assessment.
    CREATE FUNCTION assessments_completed_are_final() RETURNS trigger AS $$
    BEGIN
      IF OLD.status <> 'DRAFT' AND (NEW.answers IS DISTINCT FROM OLD.answers OR NEW.evidence IS DISTINCT FROM OLD.evidence
          OR NEW.result IS DISTINCT FROM OLD.result OR NEW.instrument_version_id IS DISTINCT FROM OLD.instrument_version_id
          OR NEW.risk_level IS DISTINCT FROM OLD.risk_level OR NEW.needs IS DISTINCT FROM OLD.needs OR NEW.status = 'DRAFT') THEN
        RAISE EXCEPTION 'a completed assessment cannot change' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql;
    CREATE TRIGGER assessments_final BEFORE UPDATE ON assessments FOR EACH ROW EXECUTE FUNCTION assessments_completed_are_final();

    -- Contacts per month by risk level: the shipped defaults (docs/rules.md CONTACT_FREQUENCY) unless changed here.
    CREATE TABLE contact_frequency_settings (
      risk_level text PRIMARY KEY CHECK (risk_level IN ('HIGH', 'MEDIUM', 'LOW')),
      contacts_per_month integer NOT NULL CHECK (contacts_per_month BETWEEN 1 AND 31),
      changed_by_user_id integer NOT NULL REFERENCES users (id),
      changed_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1
    );

    -- Supervision plans: each version a row; the approved one is in force until the next is approved.
    CREATE TABLE supervision_plans (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      assessment_id integer NOT NULL REFERENCES assessments (id),
      plan_version integer NOT NULL,
      previous_plan_id integer REFERENCES supervision_plans (id),
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SUBMITTED', 'APPROVED', 'SUPERSEDED')),
      contacts_per_month integer NOT NULL,
      -- Why that frequency: the risk level's value and the court's reporting obligations.
      frequency_basis jsonb NOT NULL,
      review_date date,
      agreement text CHECK (agreement IN ('AGREES', 'DISAGREES')),
      beneficiary_words text,
      agreement_recorded_on date,
      override_reason text,
      head_comment text,
      author_user_id integer NOT NULL REFERENCES users (id),
      submitted_by_user_id integer REFERENCES users (id),
      submitted_on date,
      approved_by_user_id integer REFERENCES users (id),
      approved_on date,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (beneficiary_id, plan_version),
      CHECK (agreement IS DISTINCT FROM 'DISAGREES' OR beneficiary_words IS NOT NULL),
      CHECK (approved_by_user_id IS NULL OR approved_by_user_id <> submitted_by_user_id)
    );
    CREATE UNIQUE INDEX supervision_plans_one_open ON supervision_plans (beneficiary_id) WHERE status IN ('DRAFT', 'SUBMITTED');
    CREATE UNIQUE INDEX supervision_plans_one_in_force ON supervision_plans (beneficiary_id) WHERE status = 'APPROVED';

    CREATE TABLE plan_goals (
      id serial PRIMARY KEY,
      plan_id integer NOT NULL REFERENCES supervision_plans (id),
      need_domain text,
      -- Filled in by the officer; a plan is submitted only when every active goal has both.
      description text NOT NULL DEFAULT '',
      target_date date,
      status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'ACHIEVED', 'REMOVED')),
      position integer NOT NULL
    );
    CREATE INDEX plan_goals_plan ON plan_goals (plan_id, position);

    CREATE TABLE plan_steps (
      id serial PRIMARY KEY,
      goal_id integer NOT NULL REFERENCES plan_goals (id),
      kind text NOT NULL,
      description text NOT NULL,
      responsible text NOT NULL,
      due_date date,
      position integer NOT NULL
    );
    CREATE INDEX plan_steps_goal ON plan_steps (goal_id, position);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP TABLE plan_steps;
    DROP TABLE plan_goals;
    DROP TABLE supervision_plans;
    DROP TABLE contact_frequency_settings;
    DROP TRIGGER assessments_final ON assessments;
    DROP FUNCTION assessments_completed_are_final();
    DROP TABLE assessments;
    DROP TABLE instrument_versions;
  `)
}
