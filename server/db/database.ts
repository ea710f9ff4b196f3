import { Sequelize } from 'sequelize'
import pg from 'pg'

// DATE (no time) columns come back as 'YYYY-MM-DD' strings, not as midnight in the server's zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value)

export interface DatabaseOptions {
  url: string
  poolMax?: number
  /**
   * False for bulk work that can be made again (the demo office): a commit then does not wait for its write to reach
   * the disk (a crash loses the last moment's transactions, never consistency), thousands of commits 5 times faster.
   */
  waitForDisk?: boolean
}

export function createSequelize({ url, poolMax = 10, waitForDisk = true }: DatabaseOptions): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    logging: false,
    timezone: '+00:00',
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: {
      connectionTimeoutMillis: 5_000,
      application_name: 'probation-back-office',
      // Set per connection, so that no request needs an extra statement:
      // - name search: one typo in a name leaves about half its trigrams, so names match from a word similarity of 0.4
      //   (pg_trgm's default, 0.6, misses them);
      // - no parallel workers: the app's queries are short and many users' run at once; starting workers cost more
      //   than they saved (appointments awaiting an outcome at national scale: 13 ms alone, 59 ms with two workers)
      //   and took the cores other requests were waiting for.
      options: `-c pg_trgm.word_similarity_threshold=0.4 -c max_parallel_workers_per_gather=0${waitForDisk ? '' : ' -c synchronous_commit=off'}`,
    },
    retry: { max: 0 },
  })
}

/** A plain pg pool for the session store; errors on idle clients must not crash the process. */
export function createSessionPool(url: string, onError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 5, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 10_000 })
  pool.on('error', onError)
  return pool
}

export async function databaseAnswers(sequelize: Sequelize): Promise<boolean> {
  try {
    await sequelize.query('SELECT 1')
    return true
  } catch {
    return false
  }
}
