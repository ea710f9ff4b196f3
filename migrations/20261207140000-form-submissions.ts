import type { MigrationContext } from '../server/db/migrator'

/*
 * Each create form carries a one-time submission id. The record it creates and its id are written in one transaction,
 * so a repeated submit (a double click, a resend after a timeout) finds the first result instead of creating twice;
 * a concurrent repeat waits on the id's row until the first commits.
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE TABLE form_submissions (
      submission_id uuid PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id),
      form text NOT NULL,
      -- The record the submission created.
      result_id integer NOT NULL,
      created_at timestamptz NOT NULL
    );
    CREATE INDEX form_submissions_created ON form_submissions (created_at);
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DROP TABLE form_submissions')
}
