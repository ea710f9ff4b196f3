import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import en from '../locales/en.json'
import hy from '../locales/hy.json'
import { LIFECYCLE_ACTIONS } from '../server/domain/measureLifecycle'

/** Every TypeScript file under a folder. */
function sourcesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name)
    return entry.isDirectory() ? sourcesUnder(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

/**
 * The audit actions the code records: every quoted 'area.action' in an `action:` expression (a ternary names both) or
 * a recordView call, and the families built from a value (a measure's lifecycle, a device's steps, a mediation's end).
 */
function recordedAuditActions(): Set<string> {
  const actions = new Set<string>([...LIFECYCLE_ACTIONS.map((action) => `measure.${action}`), 'device.install', 'device.remove', 'mediation.decline', 'mediation.end'])
  for (const file of [...sourcesUnder('server'), ...sourcesUnder('routes')]) {
    const source = fs.readFileSync(file, 'utf8')
    for (const [, expression] of source.matchAll(/action: ([^,}\n]*)/g)) for (const [, action] of expression.matchAll(/'([a-zA-Z]+\.[a-zA-Z.]+)'/g)) actions.add(action)
    for (const [, action] of source.matchAll(/recordView\([^)]*?'([a-zA-Z]+\.[a-zA-Z]+)'/g)) actions.add(action)
  }
  return actions
}

describe('locales', () => {
  it('when both catalogues are loaded, then they hold exactly the same keys', () => {
    expect(Object.keys(hy).sort()).to.deep.equal(Object.keys(en).sort())
  })

  it('when a message has placeholders, then its translation has the same ones', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(hy[key]), key).to.deep.equal(placeholders(en[key]))
    }
  })

  it('when the audit log, a file\'s history or its PDF names an action, then it has words in both languages, not a key', () => {
    const actions = recordedAuditActions()
    expect(actions.size).to.be.greaterThan(100)
    const unlabelled = [...actions].filter((action) => !(`audit.action.${action}` in en && `audit.action.${action}` in hy))
    expect(unlabelled).to.deep.equal([])
  })

  it('when a message is shown, then it is never empty', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(hy)]) expect(value.trim(), key).to.not.equal('')
  })
})
