import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../paths'

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 128

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common' | 'containsUsername' | 'controlCharacters'

let commonPasswords: Set<string> | undefined

function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const file = path.join(projectRoot, 'server', 'domain', 'data', 'common-passwords.txt')
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    commonPasswords = new Set(lines.filter((line) => line && !line.startsWith('#')).map((line) => line.trim()))
  }
  return commonPasswords
}

/** Why a proposed password is unacceptable, or null when it may be used. */
export function passwordProblem(candidate: string, username: string): PasswordProblem | null {
  if ([...candidate].length < PASSWORD_MIN_LENGTH) return 'tooShort'
  if ([...candidate].length > PASSWORD_MAX_LENGTH) return 'tooLong'
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return 'controlCharacters'
  if (username && candidate.toLowerCase().includes(username.toLowerCase())) return 'containsUsername'
  if (loadCommonPasswords().has(candidate.toLowerCase())) return 'common'
  return null
}
