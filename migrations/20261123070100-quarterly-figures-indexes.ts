import type { MigrationContext } from '../server/db/migrator'

/*
 * The quarterly report's figures (services/quarterlyReports.ts figureQueries) read, for every region at once in the
 * national roll-up or for one region's report, the records dated in a quarter: deadlines by due date, assessments by
 * completion, plans by approval, each with the file it belongs to, and each person's contacts held. At national scale
 * (100,000 files, a million appointments, 237,000 assessments, 400,000 deadlines) these walked or fetched the wide
 * table rows; the indexes below hold the columns the figures read (the record's id too, for the drill-downs), so each
 * source is an index-only range scan. With the queries' rewrite the national roll-up (every region live, both quarters)
 * went from 2.6 s to 0.6 s on the two-core bench machine, and one region's report with its records from 0.7-1.4 s to
 * 0.1-0.5 s.
 *
 * appointments_held_by_file holds only the contacts that count as held with the person (PERSON_CONTACT_KINDS and
 * HELD_OUTCOMES in server/domain/contacts.ts, not cancelled), in the order of each file: the figures count them per
 * person and month in one ordered pass. If those lists change, this index must follow (a test compares them).
 */
export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    CREATE INDEX appointments_held_by_file ON appointments (beneficiary_id, scheduled_at) INCLUDE (id)
      WHERE cancelled_at IS NULL AND kind IN ('OFFICE_VISIT', 'HOME_VISIT', 'PHONE', 'VIDEO') AND outcome IN ('ATTENDED_COMPLIED', 'ATTENDED_FAILED_TO_COMPLY');
    CREATE INDEX beneficiaries_region_and_dates ON beneficiaries (id) INCLUDE (region_id, closed_on, created_at, category);
    CREATE INDEX deadlines_by_due_date ON deadlines (due_date) INCLUDE (id, beneficiary_id, rule_id, status, done_on);
    CREATE INDEX assessments_by_completion ON assessments (completed_on) INCLUDE (id, beneficiary_id, status) WHERE completed_on IS NOT NULL;
    CREATE INDEX supervision_plans_by_approval ON supervision_plans (approved_on) INCLUDE (id, beneficiary_id) WHERE approved_on IS NOT NULL;
  `)
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query(`
    DROP INDEX appointments_held_by_file;
    DROP INDEX beneficiaries_region_and_dates;
    DROP INDEX deadlines_by_due_date;
    DROP INDEX assessments_by_completion;
    DROP INDEX supervision_plans_by_approval;
  `)
}
