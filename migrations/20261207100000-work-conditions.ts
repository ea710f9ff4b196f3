import type { MigrationContext } from '../server/db/migrator'

/*
 * The ledger's time-dependent work (docs/decisions/0002-work-conditions.md): a file behind its plan's contacts this
 * month, public works behind pace, a region's quarterly report to submit. Each is a row of work_conditions (what, about
 * which record, for which period), and its work item has source_type 'condition'. They are computed by the app with the
 * domain's rules (server/services/workConditions.ts), not here: these triggers only say, in the writer's transaction,
 * what has to be computed again — the files whose records changed, and the regions whose whole set is out of date.
 */
const FILE_MARKS: Record<string, string> = {
  appointments: 'SELECT beneficiary_id FROM changed_rows',
  supervision_plans: 'SELECT beneficiary_id FROM changed_rows',
  measures: 'SELECT beneficiary_id FROM changed_rows',
  work_sessions: 'SELECT m.beneficiary_id FROM changed_rows c JOIN measures m ON m.id = c.measure_id',
  beneficiaries: 'SELECT id FROM changed_rows',
}

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE work_conditions (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('CONTACTS_BEHIND', 'PUBLIC_WORKS_BEHIND', 'QUARTERLY_REPORT')),
      -- The file (contacts), the measure (public works) or the region (the report).
      subject_id integer NOT NULL,
      -- The month (YYYY-MM) or quarter (YYYY-Qn) it is about; '' when it is about no period.
      period text NOT NULL,
      -- What the lists say of it: contacts held of those required, hours done against the pace.
      note jsonb NOT NULL DEFAULT '{}',
      UNIQUE (kind, subject_id, period)
    );
    ALTER TABLE work_items DROP CONSTRAINT work_items_source_type_check,
      ADD CONSTRAINT work_items_source_type_check CHECK (source_type IN ('deadline', 'incoming_item', 'assessment', 'plan', 'appointment', 'letter', 'transfer', 'condition'));
    -- A month's contacts or a quarter's report not put right by the period's end can no longer be.
    ALTER TABLE work_items DROP CONSTRAINT work_items_cancel_reason_check,
      ADD CONSTRAINT work_items_cancel_reason_check CHECK (cancel_reason IN ('FILE_NOT_OPEN', 'SOURCE_CANCELLED', 'SOURCE_WITHDRAWN', 'PERIOD_ENDED'));

    -- Files whose conditions must be computed again before a list is read.
    CREATE TABLE work_condition_marks (
      beneficiary_id integer PRIMARY KEY REFERENCES beneficiaries (id) ON DELETE CASCADE,
      -- The file's region, so that a list asks "anything marked in my region?" with one index probe.
      region_id integer NOT NULL
    );
    CREATE INDEX work_condition_marks_region ON work_condition_marks (region_id);
    -- The day each region's conditions were last computed in full; no row: never, or out of date.
    CREATE TABLE work_conditions_computed (region_id integer PRIMARY KEY REFERENCES regions (id), day date NOT NULL);

    CREATE FUNCTION work_conditions_mark_files() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      EXECUTE format('INSERT INTO work_condition_marks (beneficiary_id, region_id) SELECT b.id, b.region_id FROM beneficiaries b WHERE b.id IN (%s)
                      ON CONFLICT (beneficiary_id) DO UPDATE SET region_id = EXCLUDED.region_id WHERE work_condition_marks.region_id <> EXCLUDED.region_id', TG_ARGV[0]);
      RETURN NULL;
    END $$;

    -- A closed file's conditions leave the lists in the closing transaction, like its other items.
    CREATE FUNCTION work_conditions_on_file_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE work_items w SET state = 'CANCELLED', cancel_reason = 'FILE_NOT_OPEN'
        FROM changed_rows b
       WHERE w.beneficiary_id = b.id AND w.source_type = 'condition' AND w.state = 'OPEN' AND b.status NOT IN ('ACTIVE', 'SUSPENDED');
      RETURN NULL;
    END $$;
    CREATE TRIGGER work_conditions_file_closed AFTER UPDATE ON beneficiaries REFERENCING NEW TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_on_file_change();

    -- Regions whose quarterly report work must be computed again: a report's state changed, or the calendar its due date is counted on.
    CREATE TABLE work_condition_report_marks (region_id integer PRIMARY KEY REFERENCES regions (id));
    CREATE FUNCTION work_conditions_mark_reports() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'quarterly_reports' THEN
        INSERT INTO work_condition_report_marks (region_id) SELECT DISTINCT region_id FROM changed_rows ON CONFLICT DO NOTHING;
      ELSE
        INSERT INTO work_condition_report_marks (region_id) SELECT id FROM regions ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER work_conditions_reports_insert AFTER INSERT ON quarterly_reports REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_reports();
    CREATE TRIGGER work_conditions_reports_update AFTER UPDATE ON quarterly_reports REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_reports();
    CREATE TRIGGER work_conditions_reports_delete AFTER DELETE ON quarterly_reports REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_reports();
    CREATE TRIGGER work_conditions_calendar AFTER INSERT OR UPDATE OR DELETE ON calendar_days FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_reports();
  `)
  for (const [table, files] of Object.entries(FILE_MARKS)) {
    const select = files.replace(/'/g, "''")
    await sequelize.query(`
      CREATE TRIGGER work_conditions_${table}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_files('${select}');
      CREATE TRIGGER work_conditions_${table}_update AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_files('${select}');
    `)
  }
  // Deleted rows (a work session removed) change what remains: the old rows name the files.
  await sequelize.query(`
    CREATE TRIGGER work_conditions_work_sessions_delete AFTER DELETE ON work_sessions REFERENCING OLD TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_files('${FILE_MARKS.work_sessions}');
    CREATE TRIGGER work_conditions_appointments_delete AFTER DELETE ON appointments REFERENCING OLD TABLE AS changed_rows
      FOR EACH STATEMENT EXECUTE FUNCTION work_conditions_mark_files('${FILE_MARKS.appointments}');
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  for (const table of Object.keys(FILE_MARKS)) {
    await sequelize.query(`DROP TRIGGER work_conditions_${table}_insert ON ${table}; DROP TRIGGER work_conditions_${table}_update ON ${table};`)
  }
  await sequelize.query(`
    DROP TRIGGER work_conditions_work_sessions_delete ON work_sessions;
    DROP TRIGGER work_conditions_appointments_delete ON appointments;
    DROP TRIGGER work_conditions_file_closed ON beneficiaries;
    DROP TRIGGER work_conditions_reports_insert ON quarterly_reports;
    DROP TRIGGER work_conditions_reports_update ON quarterly_reports;
    DROP TRIGGER work_conditions_reports_delete ON quarterly_reports;
    DROP TRIGGER work_conditions_calendar ON calendar_days;
    DROP FUNCTION work_conditions_mark_reports();
    DROP TABLE work_condition_report_marks;
    DROP FUNCTION work_conditions_on_file_change();
    DROP FUNCTION work_conditions_mark_files();
    DELETE FROM work_items WHERE source_type = 'condition';
    DROP TABLE work_conditions_computed;
    DROP TABLE work_condition_marks;
    DROP TABLE work_conditions;
    ALTER TABLE work_items DROP CONSTRAINT work_items_cancel_reason_check,
      ADD CONSTRAINT work_items_cancel_reason_check CHECK (cancel_reason IN ('FILE_NOT_OPEN', 'SOURCE_CANCELLED', 'SOURCE_WITHDRAWN'));
    ALTER TABLE work_items DROP CONSTRAINT work_items_source_type_check,
      ADD CONSTRAINT work_items_source_type_check CHECK (source_type IN ('deadline', 'incoming_item', 'assessment', 'plan', 'appointment', 'letter', 'transfer'));
  `)
}
