import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { createSequelize } from '../../server/db/database'
import { createMigrator } from '../../server/db/migrator'
import { testDatabase } from '../helpers/database'

describe('migrations', () => {
  it('when every migration is rolled back and applied again on a fresh database, then the schema comes back the same', async () => {
    const url = await testDatabase().createScratchDatabase('migrations')
    const sequelize = createSequelize({ url, poolMax: 2 })
    const tables = async () =>
      (await sequelize.query<{ name: string }>(`SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`, { type: QueryTypes.SELECT })).map((r) => r.name)
    const columns = async () =>
      sequelize.query(`SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d, is_nullable::text AS n FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`, { type: QueryTypes.SELECT })
    try {
      const migrator = createMigrator(sequelize)
      const applied = await migrator.up()
      expect(applied.length).to.be.greaterThan(0)
      const schemaAfterUp = { tables: await tables(), columns: await columns() }

      await migrator.down({ to: 0 })
      expect(await tables(), 'only the migration log is left').to.deep.equal(['schema_migrations'])
      expect(await migrator.pending()).to.have.length(applied.length)

      await migrator.up()
      expect({ tables: await tables(), columns: await columns() }).to.deep.equal(schemaAfterUp)
      expect(await sequelize.query(`SELECT count(*)::int AS n FROM regions WHERE code = 'ARARAT'`, { type: QueryTypes.SELECT })).to.deep.equal([{ n: 1 }])
    } finally {
      await sequelize.close()
    }
  })
})
