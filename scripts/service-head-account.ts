/*
 * The service head's account, set up by the operator on the server: the administration pages cannot make a service
 * head or act on that account (docs: README, Accounts). Creates the account, or gives an existing one a new temporary
 * password, printed once here and to be changed at the first sign-in. The database is the app's (DATABASE_URL, or
 * the embedded server while the app runs).
 *
 *   npm run accounts:service-head -- --username armen.sargsyan --full-name "Արմեն Սարգսյան" [--email a@example.am]
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { loadConfig } from '../server/config'
import { createSequelize } from '../server/db/database'
import { systemClock } from '../server/domain/clock'
import { services as buildServices } from '../server/services'
import { ServiceError } from '../server/services/context'
import { initModels } from '../models'
import { databaseUrlOf } from './scale/common'

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { username: { type: 'string' }, 'full-name': { type: 'string' }, email: { type: 'string' } } })
  if (!values.username || !values['full-name']) {
    console.error('usage: npm run accounts:service-head -- --username <username> --full-name "<full name>" [--email <address>]')
    process.exit(2)
  }
  const sequelize = createSequelize({ url: databaseUrlOf(loadConfig()), poolMax: 2 })
  initModels(sequelize)
  const { users } = buildServices({ sequelize, clock: systemClock })
  // Letters and digits, with no look-alikes; long enough for the password rules.
  const temporaryPassword = Array.from(randomBytes(20), (byte) => 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789'[byte % 54]).join('')
  try {
    const context = { actor: null, actorUsername: 'operator (server command line)', sourceIp: null, requestId: null }
    const { created } = await users.setUpServiceHead({ username: values.username, fullName: values['full-name'], email: values.email ?? null }, temporaryPassword, context)
    console.log(`${created ? 'Created' : 'Reset'} the service head's account ${values.username}. Temporary password (shown once, changed at the first sign-in): ${temporaryPassword}`)
    if (!created) console.log('Their authenticator app is set up again at that sign-in; their open sessions have ended.')
  } catch (error) {
    console.error(error instanceof ServiceError ? `Refused: ${error.code}` : `Failed: ${(error as Error).message}`)
    process.exitCode = 1
  } finally {
    await sequelize.close()
  }
}

main()
