import { expect } from 'chai'
import { loadConfig } from '../server/config'

describe('configuration', () => {
  it('when nothing is set, then development defaults apply', () => {
    const config = loadConfig({})
    expect(config).to.include({ env: 'development', port: 3000, sessionIdleMinutes: 30, sessionAbsoluteHours: 12, seedDemoData: true, databaseUrl: undefined })
    expect(Object.isFrozen(config)).to.equal(true)
  })

  it('when production starts without a session secret, then start-up fails with the reason', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(/SESSION_SECRET/)
  })

  it('when production starts properly, then demo data is off by default', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) }).seedDemoData).to.equal(false)
  })

  it('when a setting is malformed, then start-up fails naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(/PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).to.throw(/DATABASE_URL/)
  })
})
