import path from 'node:path'
import { Sequelize } from 'sequelize'
import { Umzug, SequelizeStorage } from 'umzug'

export type MigrationContext = { sequelize: Sequelize }

// Works from the sources (migrations/*.ts) and from the build (dist/migrations/*.js).
const migrationsGlob = path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}').replace(/\\/g, '/')

export function createMigrator(sequelize: Sequelize, log: (message: string) => void = () => undefined) {
  return new Umzug<MigrationContext>({
    migrations: {
      glob: [migrationsGlob, { ignore: ['**/*.d.ts'] }],
      resolve: ({ name, path: file }) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const migration = require(file!) as { up: (c: { context: MigrationContext }) => Promise<void>; down: (c: { context: MigrationContext }) => Promise<void> }
        return {
          name: name.replace(/\.(ts|js)$/, ''),
          up: (params) => migration.up(params),
          down: (params) => migration.down(params),
        }
      },
    },
    context: { sequelize },
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: { info: (m) => log(JSON.stringify(m)), warn: (m) => log(JSON.stringify(m)), error: (m) => log(JSON.stringify(m)), debug: () => undefined },
  })
}
