import type { MigrationContext } from '../server/db/migrator'

/*
 * The region's measure list, kept by the database: each measure of a file not anonymised, with the file's region,
 * officer and name and the measure's next open deadline, in one row. The list orders every measure of a region by its
 * next deadline, then the person's name; computed on each view it read all the region's files, measures and open
 * measure deadlines (7,700 measures in Ararat at national scale, 35 ms of PostgreSQL a view). Here a page is the
 * first rows of one index.
 *
 * Like the work ledger, statement triggers on the sources rewrite the rows they touched in the writer's transaction:
 * measures (inserted, changed), deadlines of measures (any change), and files (region, officer, name, anonymisation).
 * measure_list_sync(ids) is the one definition of a row; the backfill is the same function over every measure.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE measure_list (
      measure_id integer PRIMARY KEY REFERENCES measures (id) ON DELETE CASCADE,
      region_id integer NOT NULL,
      beneficiary_id integer NOT NULL,
      officer_id integer,
      type_code text NOT NULL,
      state text NOT NULL,
      surname_latin text NOT NULL,
      next_deadline_id integer,
      next_due_date date,
      next_rule_id text
    );
    CREATE INDEX measure_list_in_order ON measure_list (region_id, next_due_date NULLS LAST, surname_latin, measure_id)
      INCLUDE (type_code, state, officer_id, beneficiary_id, next_deadline_id, next_rule_id);

    CREATE FUNCTION measure_list_sync(p_ids integer[]) RETURNS void LANGUAGE sql AS $$
      DELETE FROM measure_list l
       WHERE l.measure_id = ANY (p_ids)
         AND NOT EXISTS (SELECT 1 FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id WHERE m.id = l.measure_id AND b.anonymised_at IS NULL);
      INSERT INTO measure_list AS l (measure_id, region_id, beneficiary_id, officer_id, type_code, state, surname_latin, next_deadline_id, next_due_date, next_rule_id)
      SELECT m.id, b.region_id, b.id, b.responsible_officer_id, m.type_code, m.state, b.surname_latin, d.id, d.due_date, d.rule_id
        FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id
        LEFT JOIN LATERAL (SELECT id, due_date, rule_id FROM deadlines WHERE subject_type = 'measure' AND subject_id = m.id AND status = 'OPEN' ORDER BY due_date, id LIMIT 1) d ON true
       WHERE m.id = ANY (p_ids) AND b.anonymised_at IS NULL
      ON CONFLICT (measure_id) DO UPDATE
         SET region_id = EXCLUDED.region_id, beneficiary_id = EXCLUDED.beneficiary_id, officer_id = EXCLUDED.officer_id, type_code = EXCLUDED.type_code,
             state = EXCLUDED.state, surname_latin = EXCLUDED.surname_latin, next_deadline_id = EXCLUDED.next_deadline_id,
             next_due_date = EXCLUDED.next_due_date, next_rule_id = EXCLUDED.next_rule_id
       WHERE (l.region_id, l.beneficiary_id, l.officer_id, l.type_code, l.state, l.surname_latin, l.next_deadline_id, l.next_due_date, l.next_rule_id)
             IS DISTINCT FROM (EXCLUDED.region_id, EXCLUDED.beneficiary_id, EXCLUDED.officer_id, EXCLUDED.type_code, EXCLUDED.state, EXCLUDED.surname_latin,
                               EXCLUDED.next_deadline_id, EXCLUDED.next_due_date, EXCLUDED.next_rule_id);
    $$;

    CREATE FUNCTION measure_list_on_measure_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM measure_list_sync(ARRAY(SELECT id FROM changed_measures));
      RETURN NULL;
    END $$;
    CREATE TRIGGER measure_list_measure_insert AFTER INSERT ON measures REFERENCING NEW TABLE AS changed_measures FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_measure_change();
    CREATE TRIGGER measure_list_measure_update AFTER UPDATE ON measures REFERENCING NEW TABLE AS changed_measures FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_measure_change();

    -- A deadline's measure is its subject; a trigger with transition tables serves one event, so each names its own table.
    CREATE FUNCTION measure_list_on_deadline_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        PERFORM measure_list_sync(ARRAY(SELECT DISTINCT subject_id FROM old_deadlines WHERE subject_type = 'measure'));
      ELSE
        PERFORM measure_list_sync(ARRAY(SELECT DISTINCT subject_id FROM new_deadlines WHERE subject_type = 'measure'));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER measure_list_deadline_insert AFTER INSERT ON deadlines REFERENCING NEW TABLE AS new_deadlines FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_deadline_change();
    CREATE TRIGGER measure_list_deadline_update AFTER UPDATE ON deadlines REFERENCING NEW TABLE AS new_deadlines FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_deadline_change();
    CREATE TRIGGER measure_list_deadline_delete AFTER DELETE ON deadlines REFERENCING OLD TABLE AS old_deadlines FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_deadline_change();

    CREATE FUNCTION measure_list_on_file_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM measure_list_sync(ARRAY(
        SELECT m.id FROM new_files n JOIN old_files o ON o.id = n.id JOIN measures m ON m.beneficiary_id = n.id
         WHERE (n.region_id, n.responsible_officer_id, n.surname_latin, n.anonymised_at) IS DISTINCT FROM (o.region_id, o.responsible_officer_id, o.surname_latin, o.anonymised_at)));
      RETURN NULL;
    END $$;
    CREATE TRIGGER measure_list_file_change AFTER UPDATE ON beneficiaries REFERENCING OLD TABLE AS old_files NEW TABLE AS new_files
      FOR EACH STATEMENT EXECUTE FUNCTION measure_list_on_file_change();

    SELECT measure_list_sync(ARRAY(SELECT id FROM measures));
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP TRIGGER measure_list_file_change ON beneficiaries;
    DROP TRIGGER measure_list_deadline_insert ON deadlines; DROP TRIGGER measure_list_deadline_update ON deadlines; DROP TRIGGER measure_list_deadline_delete ON deadlines;
    DROP TRIGGER measure_list_measure_insert ON measures; DROP TRIGGER measure_list_measure_update ON measures;
    DROP FUNCTION measure_list_on_file_change(); DROP FUNCTION measure_list_on_deadline_change(); DROP FUNCTION measure_list_on_measure_change();
    DROP FUNCTION measure_list_sync(integer[]);
    DROP TABLE measure_list;
  `)
}
