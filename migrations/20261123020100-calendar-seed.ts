import type { MigrationContext } from '../server/db/migrator'
import { seedCalendar } from '../server/domain/calendar'

// The statutory holidays of this year and the next, as rows the administrator can see and edit.
const YEARS = [2026, 2027]

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  for (const day of seedCalendar(YEARS)) {
    await sequelize.query('INSERT INTO calendar_days (date, working, reason) VALUES (?, ?, ?) ON CONFLICT (date) DO NOTHING', { replacements: [day.date, day.working, day.reason] })
  }
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  await sequelize.query('DELETE FROM calendar_days WHERE updated_by_user_id IS NULL AND date IN (?)', { replacements: [seedCalendar(YEARS).map((day) => day.date)] })
}
