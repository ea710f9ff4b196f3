import type { Sequelize } from 'sequelize'

/*
 * Two database roles (README, "Database roles"): the owner, which migrations run as and which owns every table and
 * trigger, and the app's role, which serves requests. The app's role owns nothing of the records: it cannot alter a
 * table or switch off a trigger, and may only read and add to the audit log, so that nothing running as the app, a
 * flaw included, can erase or rewrite what was recorded. It owns the job queue's schema (pg-boss creates and upgrades
 * its own tables there).
 */

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** The role a connection string signs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username)
}

/**
 * Gives the app's role what it needs and nothing of the owner's, for every table the migrations made: run by the
 * owner after migrating, at each start (a new table is covered from its first start).
 */
export async function grantAppRole(owner: Sequelize, appRole: string): Promise<void> {
  if (!ROLE_NAME.test(appRole)) throw new Error(`The app's database role must be a plain lower-case name, not "${appRole}".`)
  await owner.query(`
    DO $$ BEGIN EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO ${appRole}', current_database()); END $$;
    GRANT USAGE ON SCHEMA public TO ${appRole};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${appRole};
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${appRole};
    REVOKE ALL ON schema_migrations FROM ${appRole};
    -- The job queue's schema, made by the owner before roles were separated, passes to the app's role with its objects.
    DO $$
    DECLARE object record;
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss' AND nspowner <> '${appRole}'::regrole) THEN
        ALTER SCHEMA pgboss OWNER TO ${appRole};
        -- Tables and partitions (a table's sequences and indexes follow it).
        FOR object IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pgboss' AND c.relkind IN ('r', 'p', 'v') LOOP
          EXECUTE format(CASE object.relkind WHEN 'v' THEN 'ALTER VIEW pgboss.%I OWNER TO ${appRole}' ELSE 'ALTER TABLE pgboss.%I OWNER TO ${appRole}' END, object.relname);
        END LOOP;
        FOR object IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'pgboss' LOOP
          EXECUTE format('ALTER ROUTINE %s OWNER TO ${appRole}', object.signature);
        END LOOP;
        FOR object IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'pgboss' AND t.typtype = 'e' LOOP
          EXECUTE format('ALTER TYPE pgboss.%I OWNER TO ${appRole}', object.typname);
        END LOOP;
      END IF;
    END $$;
  `)
}

/** Whether the role a connection signs in as could erase the audit log: it owns the table, may delete from it, or is a superuser. */
export async function canEraseAuditLog(app: Sequelize): Promise<boolean> {
  const [rows] = await app.query(`
    SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_events'::regclass), 'MEMBER')
        OR has_table_privilege('audit_events', 'DELETE') OR has_table_privilege('audit_events', 'UPDATE') AS erasable`)
  return (rows as { erasable: boolean }[])[0].erasable
}
