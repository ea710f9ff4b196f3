import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE audit_events (
      id bigserial PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      actor_user_id integer REFERENCES users (id),
      actor_username text,
      action text NOT NULL,
      category text NOT NULL CHECK (category IN ('account', 'access', 'delegation', 'region', 'beneficiary', 'reference')),
      outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
      region_id integer REFERENCES regions (id),
      target_type text,
      target_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      source_ip text,
      request_id text
    );
    CREATE INDEX audit_events_region_time ON audit_events (region_id, occurred_at DESC);
    CREATE INDEX audit_events_category_time ON audit_events (category, occurred_at DESC);
    CREATE INDEX audit_events_target ON audit_events (target_type, target_id);

    -- Append-only: the database itself refuses to change or remove what was recorded.
    CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$;
    CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE audit_events; DROP FUNCTION audit_events_refuse_change();')
}
