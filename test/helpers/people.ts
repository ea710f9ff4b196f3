import { Region, User } from '../../models'
import type { Role } from '../../server/domain/roles'
import type { Clock } from '../../server/domain/clock'
import { Algorithm, hash } from '@node-rs/argon2'
import { generate } from 'otplib'

export const TEST_PASSWORD = 'correct horse battery staple'
/** Every test account's authenticator key (enrolled when made, unless the test asks for an account not yet enrolled). */
export const TEST_TOTP_KEY = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

let sequence = 0
let testPasswordHash: Promise<string> | undefined
// Test accounts' hash is argon2id at its smallest cost: sign-in verifies it through the same code, 50 times faster
// than the production cost that hundreds of test sign-ins would pay (the accounts tests use the real cost).
const CHEAP_ARGON2ID = { algorithm: Algorithm.Argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }

export async function regionIdOf(code: string): Promise<number> {
  const region = await Region.findOne({ where: { code } })
  if (!region) throw new Error(`no region ${code}`)
  return region.id
}

export interface TestPerson {
  id: number
  username: string
  fullName: string
  role: Role
  regionId: number | null
}

/** A new account for one test; regions come from the migration's regional bodies (ARARAT, SHIRAK, ...). */
export async function createPerson(role: Role, regionCode: string | null, options: Partial<{ active: boolean; mustChangePassword: boolean; enrolled: boolean }> = {}): Promise<TestPerson> {
  const { enrolled = true, ...extra } = options
  sequence += 1
  const username = `t${process.pid}.${role.toLowerCase()}.${sequence}`
  testPasswordHash ??= hash(TEST_PASSWORD, CHEAP_ARGON2ID)
  const user = await User.create({
    username,
    fullName: `Test ${role} ${sequence}`,
    email: null,
    role,
    regionId: regionCode ? await regionIdOf(regionCode) : null,
    passwordHash: await testPasswordHash,
    passwordChangedAt: null,
    failedSignInSince: null,
    lockedUntil: null,
    lastSignInAt: null,
    ...extra,
  })
  if (enrolled) await User.sequelize!.query('UPDATE users SET totp_key = $1, totp_enrolled_at = now() WHERE id = $2', { bind: [TEST_TOTP_KEY, user.id] })
  return { id: user.id, username, fullName: user.fullName, role, regionId: user.regionId ?? null }
}

/**
 * The code the account's authenticator app shows at the app's clock. Each 30-second step's code is taken once, and a
 * test's clock stands still: the step last used is forgotten first, as if the half-minute had passed.
 */
export async function currentCodeOf(username: string, clock: Clock): Promise<string> {
  const sequelize = User.sequelize!
  const [[account]] = (await sequelize.query('UPDATE users SET totp_last_time_step = NULL WHERE lower(username) = lower($1) RETURNING totp_key', { bind: [username] })) as [{ totp_key: string | null }[], unknown]
  if (!account?.totp_key) throw new Error(`${username} has no authenticator key`)
  return generate({ secret: account.totp_key, epoch: Math.floor(clock.now().getTime() / 1000) })
}
