import type { MigrationContext } from '../server/db/migrator'

/*
 * The work ledger (docs/decisions/0001-work-ledger.md): one row for each thing someone must do about a record, who must
 * do it (a person, or with no person the head of the region: whoever holds the head's powers that day), by when, and
 * whether it is open, done (when, and so on time or late) or cancelled.
 *
 * The database keeps it in step with its sources: every insert, update or delete of a deadline, incoming item,
 * assessment, plan, appointment, outgoing letter or transfer, and every change of a file's status, officer or region,
 * rewrites the items of the rows it touched in the same transaction (statement triggers over the changed rows, so a
 * bulk load costs one set-based pass). No write path, service, seed or repair, can leave the ledger behind.
 * ledger_sync(source, ids) is the one definition of a source row's item; the backfill below is the same function
 * over every row.
 */
const SOURCES = ['deadline', 'incoming_item', 'assessment', 'plan', 'appointment', 'letter', 'transfer'] as const
const TABLES: Record<(typeof SOURCES)[number], string> = {
  deadline: 'deadlines',
  incoming_item: 'incoming_items',
  assessment: 'assessments',
  plan: 'supervision_plans',
  appointment: 'appointments',
  letter: 'outgoing_letters',
  transfer: 'transfers',
}

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE work_items (
      id bigserial PRIMARY KEY,
      source_type text NOT NULL CHECK (source_type IN (${SOURCES.map((source) => `'${source}'`).join(', ')})),
      source_id integer NOT NULL,
      kind text NOT NULL,
      region_id integer NOT NULL REFERENCES regions (id),
      beneficiary_id integer REFERENCES beneficiaries (id),
      -- NULL: the head of the region, resolved each day to whoever holds the head's powers (the acting head included).
      assignee_user_id integer REFERENCES users (id),
      due_date date NOT NULL,
      state text NOT NULL CHECK (state IN ('OPEN', 'DONE', 'CANCELLED')),
      closed_on date,
      cancel_reason text CHECK (cancel_reason IN ('FILE_NOT_OPEN', 'SOURCE_CANCELLED', 'SOURCE_WITHDRAWN')),
      UNIQUE (source_type, source_id),
      CHECK (state <> 'DONE' OR closed_on IS NOT NULL),
      CHECK ((state = 'CANCELLED') = (cancel_reason IS NOT NULL)),
      CHECK (state <> 'OPEN' OR closed_on IS NULL)
    );
    -- The lists read only the open items, index-only: a region's board counts all of them and shows a hundred a group.
    CREATE INDEX work_items_open_by_region ON work_items (region_id, due_date) INCLUDE (kind, assignee_user_id, source_type, source_id, beneficiary_id) WHERE state = 'OPEN';
    CREATE INDEX work_items_open_by_assignee ON work_items (assignee_user_id, due_date) INCLUDE (kind, region_id, source_type, source_id, beneficiary_id) WHERE state = 'OPEN';
    CREATE INDEX work_items_open_by_file ON work_items (beneficiary_id, due_date) WHERE state = 'OPEN';
    CREATE INDEX work_items_done_by_date ON work_items (closed_on) INCLUDE (region_id, due_date) WHERE state = 'DONE';

    CREATE FUNCTION ledger_sync(p_source text, p_ids integer[]) RETURNS void LANGUAGE sql AS $$
      WITH desired (source_id, kind, region_id, beneficiary_id, assignee_user_id, due_date, source_state, source_closed_on, file_status) AS (
        -- A violation's action is the head's decision; every other deadline is the file's officer's.
        SELECT d.id, d.rule_id, b.region_id, d.beneficiary_id, CASE WHEN d.rule_id = 'VIOLATION_ACTION' THEN NULL ELSE b.responsible_officer_id END,
               d.due_date, d.status, d.done_on, b.status
          FROM deadlines d JOIN beneficiaries b ON b.id = d.beneficiary_id WHERE p_source = 'deadline' AND d.id = ANY (p_ids)
        UNION ALL
        -- Answered when the reply is sent (or closed with its answer date); closed without one, withdrawn. Unassigned: the head's.
        SELECT i.id, 'CORRESPONDENCE', i.region_id, i.beneficiary_id, i.assignee_user_id, i.due_date,
               CASE WHEN i.status = 'SENT' OR (i.status = 'CLOSED' AND i.answered_on IS NOT NULL) THEN 'DONE' WHEN i.status = 'CLOSED' THEN 'WITHDRAWN' ELSE 'OPEN' END,
               i.answered_on, NULL
          FROM incoming_items i WHERE p_source = 'incoming_item' AND i.id = ANY (p_ids)
        UNION ALL
        SELECT a.id, 'ASSESSMENT_COUNTERSIGN', b.region_id, a.beneficiary_id, NULL, a.completed_on,
               CASE WHEN a.status = 'COUNTERSIGNED' THEN 'DONE' ELSE 'OPEN' END, a.countersigned_on, b.status
          FROM assessments a JOIN beneficiaries b ON b.id = a.beneficiary_id
         WHERE p_source = 'assessment' AND a.id = ANY (p_ids) AND a.status IN ('COMPLETED', 'COUNTERSIGNED')
        UNION ALL
        -- A plan returned to its author is no longer the head's to approve.
        SELECT p.id, 'PLAN_APPROVAL', b.region_id, p.beneficiary_id, NULL, p.submitted_on,
               CASE WHEN p.status = 'SUBMITTED' THEN 'OPEN' WHEN p.approved_on IS NOT NULL THEN 'DONE' ELSE 'WITHDRAWN' END, p.approved_on, b.status
          FROM supervision_plans p JOIN beneficiaries b ON b.id = p.beneficiary_id WHERE p_source = 'plan' AND p.id = ANY (p_ids) AND p.submitted_on IS NOT NULL
        UNION ALL
        -- The outcome of an appointment is due on its day, in Yerevan.
        SELECT ap.id, 'APPOINTMENT_OUTCOME', b.region_id, ap.beneficiary_id, b.responsible_officer_id, (ap.scheduled_at AT TIME ZONE 'Asia/Yerevan')::date,
               CASE WHEN ap.outcome IS NOT NULL THEN 'DONE' WHEN ap.cancelled_at IS NOT NULL THEN 'CANCELLED' ELSE 'OPEN' END,
               (ap.outcome_recorded_at AT TIME ZONE 'Asia/Yerevan')::date, b.status
          FROM appointments ap JOIN beneficiaries b ON b.id = ap.beneficiary_id WHERE p_source = 'appointment' AND ap.id = ANY (p_ids)
        UNION ALL
        -- A draft waits for the head's signature: a reply by the date its incoming item is due, any other letter by its own date.
        SELECT l.id, 'LETTER_SIGNATURE', l.region_id, l.beneficiary_id, NULL, coalesce(i.due_date, l.letter_date),
               CASE WHEN l.status = 'DRAFT' THEN 'OPEN' ELSE 'DONE' END, l.signed_on, NULL
          FROM outgoing_letters l LEFT JOIN incoming_items i ON i.id = l.incoming_item_id AND l.purpose = 'REPLY' WHERE p_source = 'letter' AND l.id = ANY (p_ids)
        UNION ALL
        -- The receiving region's head accepts or refuses.
        SELECT t.id, 'TRANSFER_DECISION', t.to_region_id, t.beneficiary_id, NULL, (t.requested_at AT TIME ZONE 'Asia/Yerevan')::date,
               CASE t.status WHEN 'PENDING' THEN 'OPEN' WHEN 'CANCELLED' THEN 'CANCELLED' ELSE 'DONE' END, (t.decided_at AT TIME ZONE 'Asia/Yerevan')::date, NULL
          FROM transfers t WHERE p_source = 'transfer' AND t.id = ANY (p_ids)
      ), items AS (
        -- The file's state last: an open item of a file that is no longer open (closed, transferred, archived) is cancelled,
        -- and comes back when the file is reopened.
        SELECT source_id, kind, region_id, beneficiary_id, assignee_user_id, due_date,
               CASE WHEN source_state = 'OPEN' AND file_status NOT IN ('ACTIVE', 'SUSPENDED') THEN 'FILE_NOT_OPEN'
                    WHEN source_state = 'WITHDRAWN' THEN 'SOURCE_WITHDRAWN' WHEN source_state = 'CANCELLED' THEN 'SOURCE_CANCELLED' END AS cancel_reason,
               source_state, source_closed_on
          FROM desired
      ), written AS (
        INSERT INTO work_items AS w (source_type, source_id, kind, region_id, beneficiary_id, assignee_user_id, due_date, state, closed_on, cancel_reason)
        SELECT p_source, source_id, kind, region_id, beneficiary_id, assignee_user_id, due_date,
               CASE WHEN cancel_reason IS NOT NULL THEN 'CANCELLED' ELSE source_state END, CASE WHEN source_state = 'DONE' THEN source_closed_on END, cancel_reason
          FROM items
        ON CONFLICT (source_type, source_id) DO UPDATE
           SET kind = EXCLUDED.kind, region_id = EXCLUDED.region_id, beneficiary_id = EXCLUDED.beneficiary_id, assignee_user_id = EXCLUDED.assignee_user_id,
               due_date = EXCLUDED.due_date, state = EXCLUDED.state, closed_on = EXCLUDED.closed_on, cancel_reason = EXCLUDED.cancel_reason
         WHERE (w.kind, w.region_id, w.beneficiary_id, w.assignee_user_id, w.due_date, w.state, w.closed_on, w.cancel_reason)
               IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.region_id, EXCLUDED.beneficiary_id, EXCLUDED.assignee_user_id, EXCLUDED.due_date, EXCLUDED.state, EXCLUDED.closed_on, EXCLUDED.cancel_reason)
      )
      -- A row that no longer asks for anything (an assessment back to draft, a plan never submitted) has its open item withdrawn.
      UPDATE work_items w SET state = 'CANCELLED', closed_on = NULL, cancel_reason = 'SOURCE_WITHDRAWN'
       WHERE w.source_type = p_source AND w.source_id = ANY (p_ids) AND w.state = 'OPEN'
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.source_id = w.source_id);
    $$;

    CREATE FUNCTION ledger_on_source_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ledger_sync(TG_ARGV[0], ARRAY(SELECT id FROM changed_rows));
      -- A reply's signature is due when its incoming item is: the letters follow their item.
      IF TG_ARGV[0] = 'incoming_item' THEN
        PERFORM ledger_sync('letter', ARRAY(SELECT l.id FROM outgoing_letters l JOIN changed_rows c ON c.id = l.incoming_item_id));
      END IF;
      RETURN NULL;
    END $$;

    CREATE FUNCTION ledger_on_source_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM work_items WHERE source_type = TG_ARGV[0] AND source_id IN (SELECT id FROM removed_rows);
      RETURN NULL;
    END $$;

    -- A file's status, officer or region decides its items' state and who does them.
    CREATE FUNCTION ledger_on_file_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE files integer[];
    BEGIN
      files := ARRAY(SELECT n.id FROM new_files n JOIN old_files o ON o.id = n.id
                      WHERE (n.status, n.responsible_officer_id, n.region_id) IS DISTINCT FROM (o.status, o.responsible_officer_id, o.region_id));
      IF cardinality(files) > 0 THEN
        PERFORM ledger_sync('deadline', ARRAY(SELECT id FROM deadlines WHERE beneficiary_id = ANY (files)));
        PERFORM ledger_sync('assessment', ARRAY(SELECT id FROM assessments WHERE beneficiary_id = ANY (files)));
        PERFORM ledger_sync('plan', ARRAY(SELECT id FROM supervision_plans WHERE beneficiary_id = ANY (files)));
        PERFORM ledger_sync('appointment', ARRAY(SELECT id FROM appointments WHERE beneficiary_id = ANY (files)));
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER ledger_file_change AFTER UPDATE ON beneficiaries REFERENCING OLD TABLE AS old_files NEW TABLE AS new_files
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_on_file_change();
  `)
  for (const source of SOURCES) {
    const table = TABLES[source]
    await sequelize.query(`
      CREATE TRIGGER ledger_${table}_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_on_source_change('${source}');
      CREATE TRIGGER ledger_${table}_update AFTER UPDATE ON ${table} REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_on_source_change('${source}');
      CREATE TRIGGER ledger_${table}_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_on_source_delete('${source}');
      SELECT ledger_sync('${source}', ARRAY(SELECT id FROM ${table}));
    `)
  }
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  for (const table of Object.values(TABLES)) {
    await sequelize.query(`DROP TRIGGER ledger_${table}_insert ON ${table}; DROP TRIGGER ledger_${table}_update ON ${table}; DROP TRIGGER ledger_${table}_delete ON ${table};`)
  }
  await sequelize.query(`
    DROP TRIGGER ledger_file_change ON beneficiaries;
    DROP FUNCTION ledger_on_file_change();
    DROP FUNCTION ledger_on_source_delete();
    DROP FUNCTION ledger_on_source_change();
    DROP FUNCTION ledger_sync(text, integer[]);
    DROP TABLE work_items;
  `)
}
