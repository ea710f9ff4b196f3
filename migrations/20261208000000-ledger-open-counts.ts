import type { MigrationContext } from '../server/db/migrator'

/*
 * The open items of each region counted by person and kind, kept by the database: the board and the head's home count
 * a region's open work on every view, and counting it from the items read all of them (26,000 in Ararat at national
 * scale, 11 ms of PostgreSQL a view).
 *
 * Every statement that changes work items appends what it changed to work_item_open_count_changes (one row per region,
 * person and kind it touched; an append takes no lock that another writer waits for), and a job folds the changes into
 * work_item_open_counts now and then. A count is the folded number plus the changes not yet folded, so it is exact at
 * any moment, folded or not. The person is 0 for the head's items (no one assigned): a key column cannot be null.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE work_item_open_counts (
      region_id integer NOT NULL,
      assignee_key integer NOT NULL,
      kind text NOT NULL,
      open_count integer NOT NULL,
      PRIMARY KEY (region_id, assignee_key, kind)
    );
    CREATE TABLE work_item_open_count_changes (
      id bigserial PRIMARY KEY,
      region_id integer NOT NULL,
      assignee_key integer NOT NULL,
      kind text NOT NULL,
      change integer NOT NULL
    );
    CREATE INDEX work_item_open_count_changes_by_region ON work_item_open_count_changes (region_id) INCLUDE (assignee_key, kind, change);

    -- Open is state = 'OPEN' (server/data/ledger.ts OPEN_SQL); test/services/ledger.test.ts holds the counts to the items.
    -- A trigger with transition tables serves one event, and PL/pgSQL plans a statement when it first runs it: each
    -- event's branch names only the tables its trigger has.
    CREATE FUNCTION ledger_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO work_item_open_count_changes (region_id, assignee_key, kind, change)
        SELECT region_id, coalesce(assignee_user_id, 0), kind, count(*) FROM new_items WHERE state = 'OPEN' GROUP BY 1, 2, 3;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO work_item_open_count_changes (region_id, assignee_key, kind, change)
        SELECT region_id, coalesce(assignee_user_id, 0), kind, -count(*) FROM old_items WHERE state = 'OPEN' GROUP BY 1, 2, 3;
      ELSE
        INSERT INTO work_item_open_count_changes (region_id, assignee_key, kind, change)
        SELECT region_id, assignee_key, kind, sum(change)
          FROM (SELECT region_id, coalesce(assignee_user_id, 0) AS assignee_key, kind, 1 AS change FROM new_items WHERE state = 'OPEN'
                UNION ALL
                SELECT region_id, coalesce(assignee_user_id, 0), kind, -1 FROM old_items WHERE state = 'OPEN') changed
         GROUP BY region_id, assignee_key, kind
        HAVING sum(change) <> 0;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER ledger_count_inserts AFTER INSERT ON work_items REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION ledger_count_changes();
    CREATE TRIGGER ledger_count_updates AFTER UPDATE ON work_items REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION ledger_count_changes();
    CREATE TRIGGER ledger_count_deletes AFTER DELETE ON work_items REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION ledger_count_changes();
    -- What is open now, counted once; the triggers keep it from here. These statements are one query, so one transaction,
    -- and creating a trigger holds writers of work_items back until it commits: no change falls between the two.
    INSERT INTO work_item_open_counts (region_id, assignee_key, kind, open_count)
    SELECT region_id, coalesce(assignee_user_id, 0), kind, count(*) FROM work_items WHERE state = 'OPEN' GROUP BY 1, 2, 3;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP TRIGGER ledger_count_inserts ON work_items; DROP TRIGGER ledger_count_updates ON work_items; DROP TRIGGER ledger_count_deletes ON work_items;
    DROP FUNCTION ledger_count_changes(); DROP TABLE work_item_open_count_changes; DROP TABLE work_item_open_counts;
  `)
}
