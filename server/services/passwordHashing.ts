import { hash, verify, Algorithm } from '@node-rs/argon2'

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const PARAMETERS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS)
}

export async function passwordMatches(storedHash: string, candidate: string): Promise<boolean> {
  try {
    return await verify(storedHash, candidate)
  } catch {
    return false
  }
}

// Verifying against this when the account does not exist keeps both paths equally slow.
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('decoy password that never matches')
  return decoyHash
}
