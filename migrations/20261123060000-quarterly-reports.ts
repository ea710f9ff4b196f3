import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- A regional body's quarterly report: each submission is a version of its own; versions are never deleted.
    CREATE TABLE quarterly_reports (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL CHECK (year BETWEEN 2020 AND 2100),
      quarter integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
      version_number integer NOT NULL CHECK (version_number >= 1),
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SUBMITTED', 'ACCEPTED', 'RETURNED')),
      narrative_problems text,
      narrative_proposals text,
      -- Frozen at submission (NULL while a draft, which shows the figures computed from the records):
      -- the values, and apart from them the ids of the records behind each figure, so that every figure still
      -- opens its list after the records change.
      figures jsonb,
      record_ids jsonb,
      -- By rule QUARTERLY_REPORT, with the explanation it was computed with.
      due_date date NOT NULL,
      due_explanation jsonb NOT NULL,
      prepared_by_user_id integer NOT NULL REFERENCES users (id),
      submitted_by_user_id integer REFERENCES users (id),
      submitted_at timestamptz,
      submitted_on date,
      grade text CHECK (grade IN ('SATISFACTORY', 'GOOD', 'EXCELLENT')),
      decision_comment text,
      decided_by_user_id integer REFERENCES users (id),
      decided_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_id, year, quarter, version_number),
      CHECK ((status = 'DRAFT') = (figures IS NULL) AND (figures IS NULL) = (record_ids IS NULL)),
      CHECK ((status = 'DRAFT') = (submitted_at IS NULL) AND (submitted_at IS NULL) = (submitted_by_user_id IS NULL) AND (submitted_at IS NULL) = (submitted_on IS NULL)),
      CHECK ((status IN ('ACCEPTED', 'RETURNED')) = (decided_at IS NOT NULL AND decided_by_user_id IS NOT NULL AND decision_comment IS NOT NULL)),
      CHECK ((status = 'ACCEPTED') = (grade IS NOT NULL))
    );
    -- One version open (being prepared or awaiting the decision) at a time, and one accepted at most.
    CREATE UNIQUE INDEX quarterly_reports_one_open ON quarterly_reports (region_id, year, quarter) WHERE status IN ('DRAFT', 'SUBMITTED');
    CREATE UNIQUE INDEX quarterly_reports_one_accepted ON quarterly_reports (region_id, year, quarter) WHERE status = 'ACCEPTED';
    -- The roll-up reads every region's versions of two quarters.
    CREATE INDEX quarterly_reports_quarter ON quarterly_reports (year, quarter);
  `)
  await setAuditCategories(sequelize, (categories) => [...new Set([...categories, 'report'])], false)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  // The audit log is append-only: lines already written about reports stay, unchecked (NOT VALID).
  await setAuditCategories(sequelize, (categories) => categories.filter((category) => category !== 'report'), true)
  await sequelize.query('DROP TABLE quarterly_reports;')
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
