import type { Sql } from './sql'

/*
 * The region's measure list, read from measure_list (kept by the database in step with measures, their deadlines and
 * the files: migrations/20261208020000-measure-list.ts): a page is the first rows of its index in the list's order,
 * the next open deadline first (none last), then the person's name.
 */

export interface MeasureListFilter {
  regionId: number
  typeCode?: string
  state?: string
  officerId?: number
  /** Next deadline already past `today`, or due within so many days of it. */
  due?: 'overdue' | number
  today: string
  page: number
}

export interface MeasureListRow {
  id: number
  typeCode: string
  state: string
  startDate: string | null
  endDate: string | null
  beneficiaryId: number
  fileNumber: string
  surname: string
  givenName: string
  riskToStaff: boolean | null
  officerName: string | null
  nextDeadlineId: number | null
  nextDueDate: string | null
  nextRuleId: string | null
}

export const MEASURE_LIST_PAGE_SIZE = 50

export function measureListQueries(sql: Sql) {
  /** One page of the list and the number of measures the filter holds. */
  async function page(filter: MeasureListFilter): Promise<{ rows: MeasureListRow[]; total: number }> {
    // Only the conditions that apply are written: each shape is prepared and planned for itself.
    const values: unknown[] = [filter.regionId]
    const value = (given: unknown) => `$${values.push(given)}`
    const where = ['l.region_id = $1']
    if (filter.officerId !== undefined) where.push(`l.officer_id = ${value(filter.officerId)}`)
    if (filter.typeCode !== undefined) where.push(`l.type_code = ${value(filter.typeCode)}`)
    if (filter.state !== undefined) where.push(`l.state = ${value(filter.state)}`)
    if (filter.due === 'overdue') where.push(`l.next_due_date < ${value(filter.today)}::date`)
    else if (typeof filter.due === 'number') where.push(`l.next_due_date <= ${value(filter.today)}::date + ${value(filter.due)}::int`)
    const offset = value((filter.page - 1) * MEASURE_LIST_PAGE_SIZE)
    const rows = await sql.rows<MeasureListRow & { total: number }>(
      `SELECT m.id, m.type_code, m.state, m.start_date, m.end_date, b.id AS beneficiary_id, b.file_number, b.surname, b.given_name, b.risk_to_staff,
              u.full_name AS officer_name, p.next_deadline_id, p.next_due_date, p.next_rule_id, (SELECT count(*)::int FROM measure_list l WHERE ${where.join(' AND ')}) AS total
         FROM (SELECT l.measure_id, l.beneficiary_id, l.next_deadline_id, l.next_due_date, l.next_rule_id, l.surname_latin FROM measure_list l WHERE ${where.join(' AND ')}
                ORDER BY l.next_due_date NULLS LAST, l.surname_latin, l.measure_id LIMIT ${MEASURE_LIST_PAGE_SIZE} OFFSET ${offset}) p
         JOIN measures m ON m.id = p.measure_id JOIN beneficiaries b ON b.id = p.beneficiary_id LEFT JOIN users u ON u.id = b.responsible_officer_id
        ORDER BY p.next_due_date NULLS LAST, p.surname_latin, p.measure_id`,
      values,
    )
    if (rows.length > 0) return { rows: rows.map(({ total: _total, ...row }) => row), total: rows[0].total }
    // A page past the end still says how many there are.
    const [counted] = await sql.rows<{ total: number }>(`SELECT count(*)::int AS total FROM measure_list l WHERE ${where.join(' AND ')}`, values.slice(0, -1))
    return { rows: [], total: counted.total }
  }

  return { page }
}

export type MeasureListQueries = ReturnType<typeof measureListQueries>
