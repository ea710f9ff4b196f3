import type { Quarter, Snapshot } from '../domain/quarterlyReport'
import type { Sql } from './sql'

/* The roll-up's stored live figures (migrations/20261208010000-live-quarterly-figures.ts). */

export interface StoredLiveFigures {
  regionId: number
  year: number
  quarter: number
  figures: Snapshot['figures']
  computedAt: Date
}

export function liveFigureQueries(sql: Sql) {
  /** The stored figures of these regions and quarters computed after `since`. */
  async function recent(regionIds: readonly number[], quarters: readonly Quarter[], since: Date): Promise<StoredLiveFigures[]> {
    return sql.rows(
      `SELECT region_id, year, quarter, figures, computed_at FROM live_quarterly_figures
        WHERE region_id = ANY ($1::int[]) AND (year, quarter) IN (SELECT * FROM unnest($2::int[], $3::int[])) AND computed_at > $4`,
      [regionIds, quarters.map((quarter) => quarter.year), quarters.map((quarter) => quarter.quarter), since],
    )
  }

  /** Stores each set, replacing an older one of its region and quarter (never a newer one: two writers at once keep the latest). */
  async function store(sets: readonly { regionId: number; quarter: Quarter; figures: Snapshot['figures'] }[], computedAt: Date): Promise<void> {
    if (sets.length === 0) return
    await sql.rows(
      `INSERT INTO live_quarterly_figures AS l (region_id, year, quarter, figures, computed_at)
       SELECT region_id, year, quarter, figures, $5 FROM unnest($1::int[], $2::int[], $3::int[], $4::jsonb[]) AS s (region_id, year, quarter, figures)
        ORDER BY region_id, year, quarter
       ON CONFLICT (region_id, year, quarter) DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at WHERE l.computed_at <= EXCLUDED.computed_at`,
      [sets.map((set) => set.regionId), sets.map((set) => set.quarter.year), sets.map((set) => set.quarter.quarter), sets.map((set) => JSON.stringify(set.figures)), computedAt],
    )
  }

  return { recent, store }
}

export type LiveFigureQueries = ReturnType<typeof liveFigureQueries>
