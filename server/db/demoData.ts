import { Region, User } from '../../models'
import type { Role } from '../domain/roles'
import { DEMO_TOTP_KEY } from '../domain/twoFactor'
import { hashPassword } from '../services/passwordHashing'

export const DEMO_PASSWORD = 'Demo-Probation-2026'

export interface DemoAccount {
  username: string
  fullName: string
  role: Role
  regionCode: string | null
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'service.head', fullName: 'Արմեն Սարգսյան', role: 'SERVICE_HEAD', regionCode: null },
  { username: 'admin', fullName: 'Լիլիթ Հակոբյան', role: 'ADMINISTRATOR', regionCode: null },
  { username: 'ararat.head', fullName: 'Գայանե Մկրտչյան', role: 'REGIONAL_HEAD', regionCode: 'ARARAT' },
  { username: 'ararat.senior1', fullName: 'Տիգրան Պետրոսյան', role: 'SENIOR_SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.senior2', fullName: 'Անի Գրիգորյան', role: 'SENIOR_SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer1', fullName: 'Հայկ Ավետիսյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer2', fullName: 'Մարինե Հովհաննիսյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer3', fullName: 'Դավիթ Կարապետյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'shirak.head', fullName: 'Նարինե Վարդանյան', role: 'REGIONAL_HEAD', regionCode: 'SHIRAK' },
  { username: 'shirak.officer1', fullName: 'Արամ Խաչատրյան', role: 'SPECIALIST', regionCode: 'SHIRAK' },
  { username: 'shirak.officer2', fullName: 'Սոնա Մանուկյան', role: 'SPECIALIST', regionCode: 'SHIRAK' },
]

/** Creates the demo accounts that do not exist yet, their authenticator app set up with the published key; running it again changes nothing. */
export async function seedDemoAccounts(): Promise<void> {
  const regions = new Map((await Region.findAll()).map((region) => [region.code, region.id]))
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const account of DEMO_ACCOUNTS) {
    await User.findOrCreate({
      where: { username: account.username },
      defaults: {
        username: account.username,
        fullName: account.fullName,
        email: null,
        role: account.role,
        regionId: account.regionCode ? regions.get(account.regionCode)! : null,
        passwordHash,
        passwordChangedAt: null,
        failedSignInSince: null,
        lockedUntil: null,
        lastSignInAt: null,
      },
    })
  }
  await giveDemoKey(DEMO_ACCOUNTS.map((account) => account.username))
}

/** Sets up the demo accounts' authenticator app with the published key (those not set up yet). */
export async function giveDemoKey(usernames: string[]): Promise<void> {
  await User.sequelize!.query('UPDATE users SET totp_key = $1, totp_enrolled_at = created_at WHERE username = ANY($2) AND totp_key IS NULL', { bind: [DEMO_TOTP_KEY, usernames] })
}
