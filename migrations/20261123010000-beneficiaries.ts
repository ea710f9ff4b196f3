import type { MigrationContext } from '../server/db/migrator'

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    -- One counter per region and year: incremented inside the creating transaction, so numbers are gapless.
    CREATE TABLE file_number_counters (
      region_id integer NOT NULL REFERENCES regions (id),
      year integer NOT NULL,
      last_number integer NOT NULL,
      PRIMARY KEY (region_id, year)
    );

    CREATE TABLE beneficiaries (
      id serial PRIMARY KEY,
      region_id integer NOT NULL REFERENCES regions (id),
      file_number text NOT NULL UNIQUE,
      surname text NOT NULL,
      given_name text NOT NULL,
      patronymic text,
      surname_latin text NOT NULL,
      given_name_latin text NOT NULL,
      patronymic_latin text,
      search_key text NOT NULL,
      sex text NOT NULL,
      birth_date date NOT NULL,
      birth_place text,
      citizenship text,
      identity_document_type text,
      identity_document_number text,
      identity_document_issuer text,
      identity_document_issued_on date,
      public_service_number text,
      registered_marz text,
      registered_community text,
      registered_street text,
      actual_marz text,
      actual_community text,
      actual_street text,
      phones text,
      email text,
      education text,
      employer text,
      job_title text,
      family_status text,
      dependants integer CHECK (dependants BETWEEN 0 AND 30),
      military_status text,
      health_notes text,
      category text NOT NULL,
      responsible_officer_id integer REFERENCES users (id),
      status text NOT NULL DEFAULT 'ACTIVE',
      risk_to_staff boolean NOT NULL DEFAULT false,
      risk_to_staff_reason text,
      closed_on date,
      close_reason text,
      close_note text,
      anonymised_at timestamptz,
      created_by_user_id integer NOT NULL REFERENCES users (id),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT beneficiaries_risk_has_reason CHECK (NOT risk_to_staff OR risk_to_staff_reason IS NOT NULL),
      CONSTRAINT beneficiaries_closed_has_reason CHECK (status <> 'CLOSED' OR (closed_on IS NOT NULL AND close_reason IS NOT NULL))
    );
    CREATE INDEX beneficiaries_region_status ON beneficiaries (region_id, status, surname_latin, id);
    CREATE INDEX beneficiaries_officer ON beneficiaries (responsible_officer_id, status);
    CREATE INDEX beneficiaries_search_key ON beneficiaries USING gin (search_key gin_trgm_ops);
    CREATE INDEX beneficiaries_public_service_number ON beneficiaries (public_service_number);
    CREATE INDEX beneficiaries_document_number ON beneficiaries (identity_document_number);
    CREATE INDEX beneficiaries_birth_date ON beneficiaries (birth_date);

    -- Documents and the photo live in the database, so that one pg_dump is the whole backup.
    CREATE TABLE beneficiary_documents (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      kind text NOT NULL CHECK (kind IN ('DOCUMENT', 'PHOTO')),
      file_name text NOT NULL,
      media_type text NOT NULL,
      size_bytes integer NOT NULL,
      content bytea NOT NULL,
      description text,
      uploaded_by_user_id integer NOT NULL REFERENCES users (id),
      uploaded_at timestamptz NOT NULL
    );
    CREATE INDEX beneficiary_documents_beneficiary ON beneficiary_documents (beneficiary_id, kind);

    CREATE TABLE beneficiary_notes (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      author_user_id integer NOT NULL REFERENCES users (id),
      body text NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX beneficiary_notes_beneficiary ON beneficiary_notes (beneficiary_id, created_at);

    CREATE TABLE transfers (
      id serial PRIMARY KEY,
      beneficiary_id integer NOT NULL REFERENCES beneficiaries (id),
      from_region_id integer NOT NULL REFERENCES regions (id),
      to_region_id integer NOT NULL REFERENCES regions (id),
      reason text NOT NULL,
      requested_by_user_id integer NOT NULL REFERENCES users (id),
      requested_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'ACCEPTED', 'REFUSED', 'CANCELLED')),
      decided_by_user_id integer REFERENCES users (id),
      decided_at timestamptz,
      decision_reason text,
      CONSTRAINT transfers_other_region CHECK (from_region_id <> to_region_id)
    );
    -- At most one open transfer request per file.
    CREATE UNIQUE INDEX transfers_one_pending ON transfers (beneficiary_id) WHERE status = 'PENDING';
    CREATE INDEX transfers_to_region ON transfers (to_region_id, status);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP TABLE transfers;
    DROP TABLE beneficiary_notes;
    DROP TABLE beneficiary_documents;
    DROP TABLE beneficiaries;
    DROP TABLE file_number_counters;
    DROP EXTENSION IF EXISTS pg_trgm;
  `)
}
