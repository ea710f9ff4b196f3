import { expect } from 'chai'
import request from 'supertest'
import { QueryTypes } from 'sequelize'
import { AuditEvent, User } from '../../models'
import { SESSION_COOKIE } from '../../server/middleware/session'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, giveCode, refreshToken, signIn } from '../helpers/agent'
import { createPerson, TEST_PASSWORD } from '../helpers/people'

function sessionIdFrom(setCookie: string[] | string | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []
  const cookie = cookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  return cookie?.split(';')[0].split('=')[1]
}

describe('signing in and sessions', () => {
  let t: TestApp
  beforeEach(() => {
    t = buildTestApp()
  })

  it('when the sign-in page is shown, then it says the system is restricted and activity is recorded', async () => {
    const page = await anonymous(t.app).get('/sign-in')
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('data-testid="restricted-notice"')
    expect(page.text).to.contain('գրանցվում')
  })

  it('when a user signs in, then the session id changes and the cookie is HttpOnly and SameSite=Lax', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = anonymous(t.app)
    const page = await browser.get('/sign-in')
    const before = sessionIdFrom(page.headers['set-cookie'])
    browser.csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]
    const password = await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })
    expect(password.headers.location, 'the code is asked').to.equal('/sign-in/code')
    expect(await AuditEvent.count({ where: { action: 'signIn', actorUserId: person.id, outcome: 'success' } }), 'not signed in on the password alone').to.equal(0)
    const response = await giveCode(t.app, browser, person.username)
    const cookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(SESSION_COOKIE))!
    expect(sessionIdFrom(cookie)).to.be.a('string').and.not.equal(before)
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i)
    const audit = await AuditEvent.findOne({ where: { action: 'signIn', actorUserId: person.id, outcome: 'success' } })
    expect(audit).to.not.equal(null)
  })

  it('when the password is wrong, then the page says so, keeps the username and records the failure', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = anonymous(t.app)
    await refreshToken(browser)
    const response = await browser.post('/sign-in', { username: person.username, password: 'wrong password here' })
    expect(response.status).to.equal(401)
    expect(response.text).to.contain('Օգտանունը կամ գաղտնաբառը սխալ է')
    expect(response.text).to.contain(`value="${person.username}"`)
    expect(await AuditEvent.count({ where: { action: 'signIn', actorUserId: person.id, outcome: 'failure' } })).to.equal(1)
  })

  it('when an idle session passes 30 minutes, then the next request is sent to sign in again', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    t.clock.advanceMinutes(29)
    expect((await browser.get('/')).status).to.equal(200)
    t.clock.advanceMinutes(29)
    expect((await browser.get('/')).status).to.equal(200)
    t.clock.advanceMinutes(31)
    const expired = await browser.get('/')
    expect(expired.status).to.equal(303)
    expect(expired.headers.location).to.equal('/sign-in?notice=expired')
    expect((await browser.get('/')).headers.location).to.match(/^\/sign-in/)
  })

  it('when a session expires while a page is being opened, then signing in again returns to that page', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    t.clock.advanceMinutes(31)
    const expired = await browser.get('/my-work?kind=CORRESPONDENCE')
    expect(expired.headers.location).to.equal('/sign-in?notice=expired&returnTo=%2Fmy-work%3Fkind%3DCORRESPONDENCE')
    const form = await browser.get(expired.headers.location)
    expect(form.text).to.contain('value="/my-work?kind=CORRESPONDENCE"')
    await refreshToken(browser)
    await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD, returnTo: '/my-work?kind=CORRESPONDENCE' })
    const again = await giveCode(t.app, browser, person.username)
    expect(again.headers.location).to.equal('/my-work?kind=CORRESPONDENCE')
  })

  it('when a session stays active past 12 hours, then it ends anyway', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    for (let minutes = 0; minutes < 12 * 60 - 25; minutes += 25) {
      t.clock.advanceMinutes(25)
      expect((await browser.get('/')).status, `after ${minutes + 25} minutes`).to.equal(200)
    }
    t.clock.advanceMinutes(30)
    expect((await browser.get('/')).headers.location).to.equal('/sign-in?notice=expired')
  })

  it('when the limits are configured, then they apply instead of the defaults', async () => {
    const short = buildTestApp({ SESSION_IDLE_MINUTES: '5' })
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(short.app, person.username)
    short.clock.advanceMinutes(6)
    expect((await browser.get('/')).headers.location).to.equal('/sign-in?notice=expired')
  })

  it('when five attempts fail within 15 minutes, then the account is locked for 15 minutes, answering as a wrong password or an unknown account does, then opens again', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = anonymous(t.app)
    await refreshToken(browser)
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      t.clock.advanceMinutes(2)
      const response = await browser.post('/sign-in', { username: person.username, password: `wrong-${attempt}-password` })
      expect(response.text).to.contain('Օգտանունը կամ գաղտնաբառը սխալ է')
    }
    const fifth = await browser.post('/sign-in', { username: person.username, password: 'wrong-5-password' })
    expect(fifth.text).to.contain('արգելափակված է 15 րոպեով')
    const rightPassword = await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })
    expect(rightPassword.status).to.equal(401)
    expect(await AuditEvent.count({ where: { action: 'account.locked', actorUserId: person.id } })).to.equal(1)
    // Locked, unknown or wrong: the same page, but for the per-response CSRF token and script nonce.
    const unknown = await browser.post('/sign-in', { username: `${person.username}-nobody`, password: TEST_PASSWORD })
    const sameness = (text: string) => text.replace(new RegExp(`${person.username}(-nobody)?`, 'g'), 'USER').replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '')
    expect(unknown.status).to.equal(401)
    expect(sameness(rightPassword.text)).to.equal(sameness(unknown.text))

    t.clock.advanceMinutes(16)
    expect((await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })).status).to.equal(303)
  })

  it('when failures are spread over more than 15 minutes, then they do not lock the account', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = anonymous(t.app)
    await refreshToken(browser)
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      t.clock.advanceMinutes(4)
      await browser.post('/sign-in', { username: person.username, password: `wrong-${attempt}-password` })
    }
    expect((await User.findByPk(person.id))!.lockedUntil).to.equal(null)
  })

  it('when a form is posted without its CSRF token or with a wrong one, then it is refused with 403', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    const missing = await browser.agent.post('/sign-out').type('form').send({})
    expect(missing.status).to.equal(403)
    const wrong = await browser.agent.post('/sign-out').type('form').send({ _csrf: 'not-the-token' })
    expect(wrong.status).to.equal(403)
    expect((await browser.get('/')).status, 'still signed in').to.equal(200)
  })

  it('when a user signs out, then the server session is gone and replaying the old cookie is refused', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    const cookie = (await browser.get('/')).request.cookies
    const signedOut = await browser.post('/sign-out')
    expect(signedOut.status).to.equal(303)
    expect(signedOut.headers.location).to.equal('/sign-in?notice=signedOut')
    const [{ count }] = (await t.services.sequelize.query(`SELECT count(*)::int AS count FROM user_sessions WHERE sess -> 'passport' ->> 'user' = '${person.id}'`, { plain: false }))[0] as { count: number }[]
    expect(count).to.equal(0)

    const replayPage = await request(t.app).get('/').set('Cookie', cookie)
    expect(replayPage.status).to.equal(303)
    expect(replayPage.headers.location).to.match(/^\/sign-in/)
    const replayPost = await request(t.app).post('/sign-out').set('Cookie', cookie).type('form').send({ _csrf: browser.csrf })
    expect(replayPost.status).to.equal(403)
  })

  /** The limit counts in the database, shared by every test of the file: each test of it starts with none counted. */
  const noAttemptsCounted = () => t.services.sequelize.query('DELETE FROM sign_in_limits')

  it('when the sign-in rate limit is reached, then further attempts get 429 with a message', async () => {
    await noAttemptsCounted()
    const limited = buildTestApp({ SIGN_IN_RATE_LIMIT: '3' })
    const browser = anonymous(limited.app)
    await refreshToken(browser)
    for (let attempt = 0; attempt < 3; attempt += 1) await browser.post('/sign-in', { username: 'nobody.here', password: 'whatever password' })
    const blocked = await browser.post('/sign-in', { username: 'nobody.here', password: 'whatever password' })
    expect(blocked.status).to.equal(429)
    expect(blocked.text).to.contain('15 րոպե')
  })

  it('when many people sign in from one address, then only the failed attempts count towards its limit', async () => {
    await noAttemptsCounted()
    const limited = buildTestApp({ SIGN_IN_RATE_LIMIT: '3' })
    for (let colleague = 0; colleague < 5; colleague += 1) {
      const person = await createPerson('SPECIALIST', 'ARARAT')
      const browser = anonymous(limited.app)
      await refreshToken(browser)
      expect((await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })).status, `colleague ${colleague + 1}`).to.equal(303)
    }
    const browser = anonymous(limited.app)
    await refreshToken(browser)
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await browser.post('/sign-in', { username: 'nobody.here', password: 'whatever password' })).status).to.equal(401)
    expect((await browser.post('/sign-in', { username: 'nobody.here', password: 'whatever password' })).status).to.equal(429)
  })

  it('when two instances of the app serve one database, then a session opened on one works on the other, and failed sign-ins on both count towards one limit', async () => {
    await noAttemptsCounted()
    const [first, second] = [buildTestApp({ SIGN_IN_RATE_LIMIT: '4' }), buildTestApp({ SIGN_IN_RATE_LIMIT: '4' })]
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(first.app, person.username)
    const cookie = (await browser.get('/')).request.cookies
    expect((await request(second.app).get('/my-work').set('Cookie', cookie)).status, 'the session, on the other instance').to.equal(200)

    const [onFirst, onSecond] = [anonymous(first.app), anonymous(second.app)]
    await refreshToken(onFirst)
    await refreshToken(onSecond)
    const fail = (instance: typeof onFirst) => instance.post('/sign-in', { username: 'nobody.here', password: 'whatever password' })
    for (const instance of [onFirst, onSecond, onFirst, onSecond]) expect((await fail(instance)).status).to.equal(401)
    expect((await fail(onFirst)).status, 'four failures, two on each: the fifth is refused on either').to.equal(429)
    expect((await fail(onSecond)).status).to.equal(429)
    // The window passes on the app's clock.
    for (const instance of [first, second]) instance.clock.set(new Date(Date.now() + 16 * 60_000))
    expect((await fail(onSecond)).status).to.equal(401)
  })

  it('when a deactivated user tries to sign in, then it fails like a wrong password', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT', { active: false })
    const browser = anonymous(t.app)
    await refreshToken(browser)
    const response = await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })
    expect(response.status).to.equal(401)
    expect(response.text).to.contain('Օգտանունը կամ գաղտնաբառը սխալ է')
  })
  it('when pages are opened, then the session row is written only when the session changes, not after every request', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    const expiry = async () => {
      const [row] = await t.services.sequelize.query<{ expire: Date }>(`SELECT expire FROM user_sessions WHERE sess -> 'passport' ->> 'user' = :id`, { replacements: { id: String(person.id) }, type: QueryTypes.SELECT })
      return row.expire.getTime()
    }
    const signedIn = await expiry()
    // The row's expiry is kept in whole seconds: let a second pass, so that a rewrite would show.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await browser.get('/')).status).to.equal(200)
    expect(await expiry()).to.equal(signedIn)
    // Once a minute the last-seen time moves: the session is saved, its expiry with it (still the absolute limit ahead).
    t.clock.advanceMinutes(2)
    expect((await browser.get('/')).status).to.equal(200)
    expect(await expiry()).to.be.greaterThan(signedIn)
  })

  it('when a signed-in page is opened, then the user is read with the session in one statement, as it is now', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    const users = t.services.users
    const original = users.findActiveSessionUser
    let separateReads = 0
    users.findActiveSessionUser = (id) => {
      separateReads += 1
      return original(id)
    }
    try {
      await User.update({ fullName: 'Renamed Meanwhile' }, { where: { id: person.id } })
      const page = await browser.get('/')
      expect(page.status).to.equal(200)
      expect(page.text).to.contain('Renamed Meanwhile')
      expect(separateReads).to.equal(0)
      // Deactivated behind the app's back (its sessions left in place): the next request is no longer signed in.
      await User.update({ active: false }, { where: { id: person.id } })
      const after = await browser.get('/')
      expect(after.status).to.equal(303)
      expect(after.headers.location).to.match(/^\/sign-in/)
    } finally {
      users.findActiveSessionUser = original
    }
  })
})
