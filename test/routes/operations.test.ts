import { once } from 'node:events'
import fs from 'node:fs/promises'
import os from 'node:os'
import net, { type AddressInfo } from 'node:net'
import path from 'node:path'
import { expect } from 'chai'
import request from 'supertest'
import { buildTestApp } from '../helpers/app'
import { anonymous, giveCode, refreshToken, signIn } from '../helpers/agent'
import { freePort, testDatabase } from '../helpers/database'
import { runProgram, startApp } from '../helpers/processes'
import { createPerson, currentCodeOf, TEST_PASSWORD } from '../helpers/people'
import { services as buildServices } from '../../server/services'
import { ManualClock } from '../../server/domain/clock'
import { createApp } from '../../server/app'
import { loadConfig } from '../../server/config'
import { createSessionPool } from '../../server/db/database'
import pino from 'pino'

describe('operations', () => {
  it('when /health and /ready are asked, then they answer without creating a session', async () => {
    const { app } = buildTestApp()
    const health = await request(app).get('/health')
    expect(health.status).to.equal(200)
    expect(health.body).to.deep.equal({ status: 'up' })
    expect(health.headers['set-cookie']).to.equal(undefined)
    const ready = await request(app).get('/ready')
    expect(ready.status).to.equal(200)
    expect(ready.body).to.deep.equal({ status: 'ready' })
  })

  it('when a page is served, then security headers forbid inline scripts without a nonce and framing', async () => {
    const { app } = buildTestApp()
    const page = await request(app).get('/sign-in')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).to.match(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(csp).to.not.contain('unsafe-inline')
    expect(csp).to.contain("frame-ancestors 'none'")
    expect(page.headers['x-powered-by']).to.equal(undefined)
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    for (const script of page.text.match(/<script[^>]*>/g) ?? []) expect(script).to.contain(`nonce="${nonce}"`)
    expect(page.text).to.not.match(/https?:\/\/(?!localhost)[^"']*\.(js|css)/)
  })

  it('when a signed-in user opens any page or download, then nothing may be stored; a page before sign-in may be', async () => {
    const { app } = buildTestApp()
    const person = await createPerson('REGIONAL_HEAD', 'ARARAT')
    const browser = await signIn(app, person.username)
    for (const path of ['/', '/my-work', `/regions/${person.regionId}/beneficiaries`, '/beneficiaries/search?q=a', '/account/calendar']) {
      const page = await browser.get(path)
      expect(page.headers['cache-control'], path).to.contain('no-store')
    }
    expect(String((await request(app).get('/sign-in')).headers['cache-control'])).to.not.contain('no-store')
  })

  it('when a calendar feed is fetched, then the request log names the path without its secret', async () => {
    const lines: string[] = []
    const { sequelize, url } = testDatabase()
    const pool = createSessionPool(url, () => undefined)
    const logged = createApp(buildServices({ sequelize, clock: new ManualClock(new Date()) }), {
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', SIGN_IN_RATE_LIMIT: '100000' }),
      logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }),
      sessionPool: pool,
    })
    const secret = 'Zq8c3J0kL2mN4pR6sT8vX0yA2bC4dE6fG8hJ0kL2mN4'
    try {
      expect((await request(logged).get(`/calendar/${secret}.ics`)).status).to.equal(404)
    } finally {
      await pool.end()
    }
    const line = lines.find((text) => text.includes('/calendar/'))
    expect(line).to.contain('/calendar/[secret].ics').and.not.contain(secret)
  })

  it('when the port is taken, then the app says so, lets go of its database and exits with an error', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1')
    await once(blocker, 'listening')
    const { port } = blocker.address() as AddressInfo
    const { code, output } = await runProgram('server/index.ts', [], { ...process.env, DATABASE_URL: testDatabase().url, DATABASE_OWNER_URL: testDatabase().ownerUrl, PORT: String(port), JOBS_ENABLED: 'false', SEED_DEMO_DATA: 'false', NODE_ENV: 'test', LOG_LEVEL: 'silent' })
    blocker.close()
    expect(code, output).to.equal(1)
    expect(output).to.contain(`port ${port} is in use`).and.not.contain('Probation back office: http')
  })

  it('when the app is killed with kill -9, then the next start stops the database server it left running and is ready; when that server is killed, the app starts it again', async function () {
    // Two starts of the real app on a new embedded cluster (initdb and every migration): well over a usual test.
    this.timeout(240_000)
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'probation-restart-'))
    // PostgreSQL runs as the 'postgres' system user when the tests run as root: it must reach the folder.
    await fs.chmod(folder, 0o755)
    // Its own embedded cluster, whatever server the other tests use.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'DATABASE_URL'))
    const env = { ...inherited, EMBEDDED_PG_DATA_DIR: path.join(folder, 'pg'), EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()), NODE_ENV: 'test', SEED_DEMO_DATA: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'info' }
    try {
      const first = await startApp(env)
      first.kill('SIGKILL')
      await once(first, 'exit')
      const second = await startApp(env)
      // Its database server killed in turn, the app starts it again and is ready once more.
      const [postmaster] = (await fs.readFile(path.join(folder, 'pg', 'postmaster.pid'), 'utf8')).split('\n')
      process.kill(Number(postmaster), 'SIGKILL')
      const ready = async () => (await fetch(`http://127.0.0.1:${env.PORT}/ready`).catch(() => null))?.status
      const deadline = Date.now() + 60_000
      while ((await ready()) !== 503 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
      while ((await ready()) !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250))
      expect(await ready(), 'ready again after its database server was killed').to.equal(200)
      second.kill('SIGTERM')
      const [code] = (await once(second, 'exit')) as [number]
      expect(code).to.equal(0)
      // The database server's own log is kept in its data folder, the crash and the recovery in it.
      const kept = await fs.readFile(path.join(folder, 'pg', 'log', 'postgresql.log'), 'utf8')
      expect(kept).to.contain('database system was interrupted').and.contain('database system is ready to accept connections')
    } finally {
      await fs.rm(folder, { recursive: true, force: true })
    }
  })

  it('when Bootstrap and the app\'s own assets are requested, then the app serves them itself', async () => {
    const { app } = buildTestApp()
    expect((await request(app).get('/assets/bootstrap/css/bootstrap.min.css')).status).to.equal(200)
    expect((await request(app).get('/assets/app.js')).status).to.equal(200)
  })

  it('when a browser that accepts gzip asks for an asset, then it goes out compressed; a page does not (it carries the CSRF token)', async () => {
    const { app } = buildTestApp()
    const stylesheet = await request(app).get('/assets/bootstrap/css/bootstrap.min.css').set('Accept-Encoding', 'gzip')
    expect(stylesheet.headers['content-encoding']).to.equal('gzip')
    expect((await request(app).get('/assets/app.css').set('Accept-Encoding', 'gzip')).headers['content-encoding']).to.equal('gzip')
    const signInPage = await request(app).get('/sign-in').set('Accept-Encoding', 'gzip')
    expect(signInPage.status).to.equal(200)
    expect(signInPage.headers['content-encoding']).to.equal(undefined)
  })

  it('when a page does not exist, then a 404 page in the user\'s language is shown', async () => {
    const { app } = buildTestApp()
    const page = await request(app).get('/no/such/page')
    expect(page.status).to.equal(404)
    expect(page.text).to.contain('Էջը չի գտնվել')
    const english = await request(app).get('/no/such/page').set('Cookie', 'lang=en')
    expect(english.text).to.contain('Page not found')
  })

  it('when a request fails inside the app in production, then the user sees a 500 page with a reference and no internal detail', async () => {
    const { sequelize, url } = testDatabase()
    const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', TRUST_PROXY: 'true' })
    const clock = new ManualClock(new Date())
    const broken = buildServices({ sequelize, clock })
    broken.regions.list = async () => {
      throw new Error('internal detail: relation "secret_table" does not exist')
    }
    const pool = createSessionPool(url, () => undefined)
    const app = createApp(broken, { config, logger: pino({ level: 'silent' }), sessionPool: pool })
    const person = await createPerson('SPECIALIST', 'ARARAT')
    // Production cookies are Secure: the requests come "over HTTPS" through the trusted proxy.
    const https = (test: request.Test, cookie?: string) => (cookie ? test.set('Cookie', cookie) : test).set('X-Forwarded-Proto', 'https')
    const cookieOf = (response: request.Response) => String((response.headers['set-cookie'] as unknown as string[])[0]).split(';')[0]
    try {
      const signInPage = await https(request(app).get('/sign-in'))
      expect(String(signInPage.headers['set-cookie'])).to.match(/Secure/)
      const csrf = /name="_csrf" value="([^"]+)"/.exec(signInPage.text)![1]
      const password = await https(request(app).post('/sign-in').type('form').send({ _csrf: csrf, username: person.username, password: TEST_PASSWORD }), cookieOf(signInPage))
      expect(password.headers.location).to.equal('/sign-in/code')
      const signedIn = await https(request(app).post('/sign-in/code').type('form').send({ _csrf: csrf, code: await currentCodeOf(person.username, clock) }), cookieOf(signInPage))
      expect(signedIn.status).to.equal(303)
      const failed = await https(request(app).get('/'), cookieOf(signedIn))
      expect(failed.status).to.equal(500)
      expect(failed.text).to.contain('Տեղի է ունեցել սխալ')
      expect(failed.text).to.match(/Համար՝ [0-9a-f-]{36}/)
      expect(failed.text).to.not.contain('secret_table')
      expect(failed.text).to.not.match(/\.ts:\d+/)
    } finally {
      await pool.end()
    }
  })

  it('when the database is lost, then requests get a clear 503 page and the app recovers by itself when it returns', async () => {
    const { app } = buildTestApp()
    const { relay } = testDatabase()
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(app, person.username)
    expect((await browser.get('/')).status).to.equal(200)
    try {
      relay.cut()
      const during = await browser.get('/')
      expect(during.status).to.equal(503)
      expect(during.text).to.contain('ժամանակավորապես անհասանելի')
      expect(during.headers['retry-after']).to.equal('10')
      expect((await request(app).get('/ready')).status).to.equal(503)
      expect((await request(app).get('/health')).status, 'the process is still up').to.equal(200)
    } finally {
      relay.restore()
    }
    expect((await request(app).get('/ready')).status).to.equal(200)
    expect((await browser.get('/')).status, 'the same session works again').to.equal(200)
  })

  it('when an anonymous visitor asks for a page, then they are sent to sign in and come back after', async () => {
    const { app } = buildTestApp()
    const person = await createPerson('ADMINISTRATOR', null)
    const browser = anonymous(app)
    const redirected = await browser.get('/admin/users?role=SPECIALIST')
    expect(redirected.headers.location).to.equal('/sign-in?returnTo=%2Fadmin%2Fusers%3Frole%3DSPECIALIST')
    await refreshToken(browser, redirected.headers.location)
    await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD, returnTo: '/admin/users?role=SPECIALIST' })
    const signedIn = await giveCode(app, browser, person.username)
    expect(signedIn.headers.location).to.equal('/admin/users?role=SPECIALIST')
    const offsite = await browser.agent.get('/sign-in?returnTo=//evil.example/')
    expect(offsite.status).to.equal(303)
  })
})
