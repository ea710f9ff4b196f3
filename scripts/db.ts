// npm run db:migrate / db:rollback [-- --all]: the same migrator the app runs at start-up.
import { loadConfig } from '../server/config'
import { createSequelize } from '../server/db/database'
import { startEmbeddedDatabase } from '../server/db/embedded'
import { createMigrator } from '../server/db/migrator'

async function run(): Promise<void> {
  const command = process.argv[2]
  const all = process.argv.includes('--all')
  const config = loadConfig()
  const embedded = config.databaseUrl ? null : await startEmbeddedDatabase({ ...config.embeddedDatabase, persistent: true, databaseName: 'probation' })
  // Migrations are the owner's (README, Database roles).
  const sequelize = createSequelize({ url: config.databaseOwnerUrl ?? config.databaseUrl ?? embedded!.url })
  try {
    const migrator = createMigrator(sequelize)
    if (command === 'migrate') {
      const done = await migrator.up()
      console.log(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'Nothing to migrate.')
    } else if (command === 'rollback') {
      const done = await migrator.down(all ? { to: 0 } : undefined)
      console.log(done.length ? `Rolled back: ${done.map((m) => m.name).join(', ')}` : 'Nothing to roll back.')
    } else {
      throw new Error('usage: db.ts migrate | rollback [--all]')
    }
  } finally {
    await sequelize.close()
    await embedded?.stop()
  }
}

run().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})
