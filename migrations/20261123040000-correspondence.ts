import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- One counter per region, register and year, incremented inside the registering (or signing) transaction:
    -- numbers are gapless and never repeat.
    CREATE TABLE register_counters (
      region_id integer NOT NULL REFERENCES regions (id),
      register text NOT NULL CHECK (register IN ('IN', 'OUT')),
      year integer NOT NULL,
      last_number integer NOT NULL,
      PRIMARY KEY (region_id, register, year)
    );

    -- The incoming register (մտից մատյան).
    CREATE TABLE incoming_items (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL,
      sequence integer NOT NULL,
      number text NOT NULL,
      received_on date NOT NULL,
      channel text NOT NULL,
      kind text NOT NULL,
      sender text NOT NULL,
      sender_address text,
      sender_reference text,
      sender_date date,
      subject text NOT NULL,
      summary text,
      beneficiary_id integer REFERENCES beneficiaries (id),
      topic text,
      complaint_subject text,
      complaint_staff_user_id integer REFERENCES users (id),
      complaint_about text,
      rule_id text NOT NULL,
      document_due_date date,
      -- The due date in force (after extensions and the head's overrides), against which "on time" is judged;
      -- the first computed one stays on record.
      due_date date NOT NULL,
      computed_due_date date NOT NULL,
      due_explanation jsonb NOT NULL,
      -- Extensions, the longer term and the head's overrides, in order: [{kind, from, to, on, reason, letterId, byUserId}].
      due_changes jsonb NOT NULL DEFAULT '[]',
      times_extended integer NOT NULL DEFAULT 0,
      longer_term boolean NOT NULL DEFAULT false,
      status text NOT NULL DEFAULT 'REGISTERED'
        CHECK (status IN ('REGISTERED', 'ASSIGNED', 'IN_PROGRESS', 'REPLY_DRAFTED', 'SIGNED', 'SENT', 'CLOSED')),
      assignee_user_id integer REFERENCES users (id),
      resolution text,
      assigned_on date,
      under_control boolean NOT NULL DEFAULT false,
      answered_on date,
      closed_on date,
      closure_reason text,
      registered_by_user_id integer NOT NULL REFERENCES users (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      search_text text NOT NULL,
      UNIQUE (region_id, year, sequence),
      -- Nothing closes without a reply or a recorded reason.
      CHECK (status <> 'CLOSED' OR answered_on IS NOT NULL OR closure_reason IS NOT NULL)
    );
    CREATE INDEX incoming_items_register ON incoming_items (region_id, year DESC, sequence DESC);
    CREATE INDEX incoming_items_received ON incoming_items (region_id, received_on);
    CREATE INDEX incoming_items_open_due ON incoming_items (region_id, due_date) WHERE status NOT IN ('SENT', 'CLOSED');
    CREATE INDEX incoming_items_assignee ON incoming_items (assignee_user_id, due_date) WHERE status NOT IN ('SENT', 'CLOSED');
    CREATE INDEX incoming_items_beneficiary ON incoming_items (beneficiary_id) WHERE beneficiary_id IS NOT NULL;
    CREATE INDEX incoming_items_search ON incoming_items USING gin (search_text gin_trgm_ops);

    -- The outgoing register (ելից մատյան): a letter gets its number when the head signs it.
    CREATE TABLE outgoing_letters (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      year integer,
      sequence integer,
      number text,
      purpose text NOT NULL CHECK (purpose IN ('REPLY', 'EXTENSION_NOTICE', 'INFORMATION_REQUEST', 'STANDALONE')),
      incoming_item_id integer REFERENCES incoming_items (id),
      task_id integer,
      beneficiary_id integer REFERENCES beneficiaries (id),
      addressee text NOT NULL,
      addressee_address text,
      subject text NOT NULL,
      body text NOT NULL,
      letter_date date NOT NULL,
      status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'SIGNED', 'SENT')),
      author_user_id integer NOT NULL REFERENCES users (id),
      signed_by_user_id integer REFERENCES users (id),
      signed_on date,
      sending_method text,
      sent_on date,
      -- An information request waits for its answer by this date.
      reply_due_date date,
      reply_received_on date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      version integer NOT NULL DEFAULT 1,
      search_text text NOT NULL,
      UNIQUE (region_id, year, sequence),
      CHECK ((status = 'DRAFT') = (number IS NULL)),
      CHECK (status <> 'SENT' OR (sent_on IS NOT NULL AND sending_method IS NOT NULL)),
      CHECK (purpose NOT IN ('REPLY', 'EXTENSION_NOTICE') OR incoming_item_id IS NOT NULL)
    );
    CREATE INDEX outgoing_letters_register ON outgoing_letters (region_id, year DESC, sequence DESC) WHERE number IS NOT NULL;
    CREATE INDEX outgoing_letters_item ON outgoing_letters (incoming_item_id) WHERE incoming_item_id IS NOT NULL;
    CREATE INDEX outgoing_letters_task ON outgoing_letters (task_id) WHERE task_id IS NOT NULL;
    CREATE INDEX outgoing_letters_beneficiary ON outgoing_letters (beneficiary_id) WHERE beneficiary_id IS NOT NULL;
    CREATE INDEX outgoing_letters_search ON outgoing_letters USING gin (search_text gin_trgm_ops);

    CREATE TABLE correspondence_attachments (
      id serial PRIMARY KEY,
      incoming_item_id integer NOT NULL REFERENCES incoming_items (id),
      file_name text NOT NULL,
      media_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea NOT NULL,
      uploaded_by_user_id integer NOT NULL REFERENCES users (id),
      uploaded_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX correspondence_attachments_item ON correspondence_attachments (incoming_item_id);

    -- A report request or a pardon petition: gather information, draft, the head approves, the reply goes out.
    CREATE TABLE report_tasks (
      id serial PRIMARY KEY,
      incoming_item_id integer NOT NULL UNIQUE REFERENCES incoming_items (id),
      kind text NOT NULL CHECK (kind IN ('REPORT', 'PARDON')),
      purpose text NOT NULL,
      status text NOT NULL DEFAULT 'GATHERING' CHECK (status IN ('GATHERING', 'SUBMITTED', 'APPROVED', 'DISPATCHED')),
      sections jsonb NOT NULL DEFAULT '{}',
      head_comment text,
      submitted_by_user_id integer REFERENCES users (id),
      approved_by_user_id integer REFERENCES users (id),
      approved_on date,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    ALTER TABLE outgoing_letters ADD FOREIGN KEY (task_id) REFERENCES report_tasks (id);

    CREATE TABLE task_checklist (
      id serial PRIMARY KEY,
      task_id integer NOT NULL REFERENCES report_tasks (id),
      source text NOT NULL,
      description text NOT NULL,
      letter_id integer REFERENCES outgoing_letters (id),
      received_on date,
      note text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX task_checklist_task ON task_checklist (task_id);

    ALTER TABLE audit_events DROP CONSTRAINT audit_events_category_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_category_check
      CHECK (category IN ('account', 'access', 'delegation', 'region', 'beneficiary', 'reference', 'correspondence'));
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    -- The audit log is append-only: lines already written about correspondence stay, unchecked (NOT VALID).
    ALTER TABLE audit_events DROP CONSTRAINT audit_events_category_check;
    ALTER TABLE audit_events ADD CONSTRAINT audit_events_category_check
      CHECK (category IN ('account', 'access', 'delegation', 'region', 'beneficiary', 'reference')) NOT VALID;
    DROP TABLE task_checklist;
    ALTER TABLE outgoing_letters DROP CONSTRAINT outgoing_letters_task_id_fkey;
    DROP TABLE report_tasks;
    DROP TABLE correspondence_attachments;
    DROP TABLE outgoing_letters;
    DROP TABLE incoming_items;
    DROP TABLE register_counters;
  `)
}
