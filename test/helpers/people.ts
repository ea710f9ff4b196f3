import { Region, User } from '../../models'
import type { Role } from '../../server/domain/roles'
import { Algorithm, hash } from '@node-rs/argon2'

export const TEST_PASSWORD = 'correct horse battery staple'

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
export async function createPerson(role: Role, regionCode: string | null, extra: Partial<{ active: boolean; mustChangePassword: boolean }> = {}): Promise<TestPerson> {
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
  return { id: user.id, username, fullName: user.fullName, role, regionId: user.regionId ?? null }
}
