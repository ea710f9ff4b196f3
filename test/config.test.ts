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

  it('when nothing is set, then the app listens on this computer only; in production on every address', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1')
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) }).host).to.equal('0.0.0.0')
  })

  it('when a start others can reach is not production, then it is refused while demo accounts or the development secret would be used', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'https://probation.example.am' })).to.throw(/PUBLIC_URL=https:\/\/probation.example.am .*demo accounts.*development session secret/)
    expect(() => loadConfig({ HOST: '0.0.0.0' })).to.throw(/HOST=0.0.0.0/)
    expect(() => loadConfig({ HOST: '0.0.0.0', SEED_DEMO_DATA: 'false' })).to.throw(/development session secret/)
    expect(loadConfig({ HOST: '0.0.0.0', SEED_DEMO_DATA: 'false', SESSION_SECRET: 's'.repeat(40) }).host).to.equal('0.0.0.0')
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).seedDemoData).to.equal(true)
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:3000' }).seedDemoData).to.equal(true)
  })
})
