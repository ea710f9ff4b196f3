import { expect } from 'chai'
import { generate } from 'otplib'
import { AuditEvent, User } from '../../models'
import { DEMO_TOTP_KEY } from '../../server/domain/twoFactor'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, enrolFromPage, refreshToken, signIn, type Browser } from '../helpers/agent'
import { createPerson, currentCodeOf, TEST_PASSWORD, TEST_TOTP_KEY } from '../helpers/people'

/** Issue 15: every account signs in with its password and a code of its authenticator app (or a recovery code). */
describe('two factors to sign in', () => {
  let t: TestApp
  beforeEach(() => {
    t = buildTestApp()
    t.clock.set('2031-03-12T09:00:00+04:00')
  })

  const codeAt = (key: string, secondsFromNow = 0) => generate({ secret: key, epoch: Math.floor(t.clock.now().getTime() / 1000) + secondsFromNow })

  async function afterPassword(username: string): Promise<Browser> {
    const browser = anonymous(t.app)
    await refreshToken(browser)
    const password = await browser.post('/sign-in', { username, password: TEST_PASSWORD })
    expect(password.status, `password of ${username}`).to.equal(303)
    return browser
  }

  it('when an account signs in for the first time, then it sets up its app from a QR code drawn by the app, gets ten recovery codes shown once, and is signed in', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT', { enrolled: false })
    const browser = anonymous(t.app)
    await refreshToken(browser)
    const password = await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })
    expect(password.headers.location).to.equal('/sign-in/enrol')
    expect((await browser.get('/')).headers.location, 'not signed in on the password alone').to.match(/^\/sign-in/)

    const page = await browser.get('/sign-in/enrol')
    expect(page.headers['cache-control']).to.equal('no-store')
    expect(page.text).to.match(/data-testid="enrol-qr"><svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    const key = /data-testid="enrol-key">([A-Z2-7 ]+)</.exec(page.text)![1].replace(/ /g, '')
    expect(key).to.have.length(32)
    expect((await browser.get('/sign-in/enrol')).text, 'the same key until it is confirmed').to.contain(/data-testid="enrol-key">([A-Z2-7 ]+)</.exec(page.text)![1])

    const wrong = await browser.post('/sign-in/enrol', { code: await codeAt(TEST_TOTP_KEY) })
    expect(wrong.status).to.equal(401)
    expect(wrong.text).to.contain('Կոդը չի համապատասխանում այս բանալուն').and.contain('id="code-error"')
    expect((await User.findByPk(person.id))!.totpEnrolledAt, 'nothing kept on a wrong code').to.equal(null)

    const enrolled = await browser.post('/sign-in/enrol', { code: await codeAt(key) })
    expect(enrolled.headers.location).to.equal('/account/two-factor?next=%2F')
    const codes = await browser.get(enrolled.headers.location)
    const recoveryCodes = [...codes.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1])
    expect(new Set(recoveryCodes).size).to.equal(10)
    expect(codes.text).to.contain('Չօգտագործված վերականգնման կոդեր՝ 10')
    expect((await browser.get('/account/two-factor')).text, 'shown once').not.to.contain(recoveryCodes[0])
    expect((await browser.get('/')).status, 'signed in').to.equal(200)
    expect((await User.findByPk(person.id))!.totpEnrolledAt).to.be.an.instanceOf(Date)
    expect(await AuditEvent.count({ where: { action: 'twoFactor.enrol', targetId: String(person.id) } })).to.equal(1)
    const stored = await User.sequelize!.query(`SELECT code_hash FROM recovery_codes WHERE user_id = ${person.id}`, { plain: false, raw: true })
    expect(JSON.stringify(stored), 'recovery codes kept hashed').not.to.contain(recoveryCodes[0].replace('-', ''))
  })

  it('when a new account signs in with its temporary password, then it sets up its app first and chooses its password after', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT', { enrolled: false, mustChangePassword: true })
    const browser = await afterPassword(person.username)
    const { next } = await enrolFromPage(t.app, browser)
    expect(next).to.equal('/account/password')
    expect((await browser.get('/')).headers.location).to.equal('/account/password')
  })

  it('when the code is wrong, then it counts towards the lockout like a wrong password, and the right password in between does not clear the count', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const browser = await afterPassword(person.username)
      const wrong = await browser.post('/sign-in/code', { code: '000000' })
      expect(wrong.status, `wrong code ${attempt}`).to.equal(401)
      expect(wrong.text).to.contain('Կոդը ճիշտ չէ')
    }
    const browser = await afterPassword(person.username)
    const fifth = await browser.post('/sign-in/code', { code: '000000' })
    expect(fifth.status).to.equal(401)
    expect((await User.findByPk(person.id))!.lockedUntil, 'locked after five wrong codes').to.be.an.instanceOf(Date)
    const locked = await browser.post('/sign-in/code', { code: await currentCodeOf(person.username, t.clock) })
    expect(locked.headers.location, 'the second step is over').to.match(/^\/sign-in\?notice=secondStepExpired/)
    expect(await AuditEvent.count({ where: { action: 'signIn', actorUserId: person.id, outcome: 'failure' } })).to.equal(5)
    expect(await AuditEvent.count({ where: { action: 'account.locked', targetId: String(person.id) } })).to.equal(1)
  })

  it('when a code was used, then it is not taken again (a code seen over a shoulder); the next step\'s code is', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const first = await afterPassword(person.username)
    const code = await codeAt(TEST_TOTP_KEY)
    expect((await first.post('/sign-in/code', { code })).status).to.equal(303)
    const second = await afterPassword(person.username)
    expect((await second.post('/sign-in/code', { code })).status, 'the same code again').to.equal(401)
    t.clock.set(new Date(t.clock.now().getTime() + 30_000))
    expect((await second.post('/sign-in/code', { code: await codeAt(TEST_TOTP_KEY) })).status, 'the next one').to.equal(303)
  })

  it('when a phone\'s clock is half a minute off, then its code is taken; two minutes off, it is not', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    expect((await (await afterPassword(person.username)).post('/sign-in/code', { code: await codeAt(TEST_TOTP_KEY, -120) })).status).to.equal(401)
    expect((await (await afterPassword(person.username)).post('/sign-in/code', { code: await codeAt(TEST_TOTP_KEY, 30) })).status).to.equal(303)
  })

  it('when the phone is lost, then a recovery code signs in once; new codes, asked with the app\'s code, replace the old', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT', { enrolled: false })
    const { key, recoveryCodes } = await enrolFromPage(t.app, await afterPassword(person.username))

    const browser = await afterPassword(person.username)
    const withRecovery = await browser.post('/sign-in/code', { code: ` ${recoveryCodes[3].toUpperCase()} ` })
    expect(withRecovery.status, 'typed in capitals with spaces').to.equal(303)
    await refreshToken(browser, '/account/two-factor')
    expect((await browser.get('/account/two-factor')).text).to.contain('Չօգտագործված վերականգնման կոդեր՝ 9')
    expect((await (await afterPassword(person.username)).post('/sign-in/code', { code: recoveryCodes[3] })).status, 'used once').to.equal(401)
    expect(await AuditEvent.count({ where: { action: 'signIn', actorUserId: person.id, outcome: 'success' } })).to.equal(2)

    const refused = await browser.post('/account/two-factor/recovery-codes', { code: '123456' })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('id="code-error"')
    t.clock.set(new Date(t.clock.now().getTime() + 60_000))
    const replaced = await browser.post('/account/two-factor/recovery-codes', { code: await codeAt(key) })
    expect(replaced.headers.location).to.equal('/account/two-factor')
    const shown = await browser.get('/account/two-factor')
    const fresh = [...shown.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1])
    expect(fresh).to.have.length(10)
    expect((await (await afterPassword(person.username)).post('/sign-in/code', { code: recoveryCodes[5] })).status, 'an old code no longer works').to.equal(401)
    expect((await (await afterPassword(person.username)).post('/sign-in/code', { code: fresh[0] })).status, 'a new one does').to.equal(303)
  })

  it('when the code takes longer than five minutes after the password, or comes with no password at all, then the password is asked again', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await afterPassword(person.username)
    t.clock.advanceMinutes(6)
    const late = await browser.post('/sign-in/code', { code: await currentCodeOf(person.username, t.clock) })
    expect(late.headers.location).to.equal('/sign-in?notice=secondStepExpired')
    expect((await browser.get(late.headers.location)).text).to.contain('Կրկին մուտքագրեք գաղտնաբառը')
    const stranger = anonymous(t.app)
    expect((await stranger.get('/sign-in/code')).headers.location).to.equal('/sign-in?notice=secondStepExpired')
    expect((await stranger.get('/sign-in/enrol')).headers.location).to.equal('/sign-in?notice=secondStepExpired')
    const enrolled = await afterPassword(person.username)
    expect((await enrolled.get('/sign-in/enrol')).headers.location, 'an enrolled account is not offered a new key').to.equal('/sign-in?notice=secondStepExpired')
  })

  it('when an account holds the published demo key, then its code page shows the code; any other account\'s does not', async () => {
    const demo = await createPerson('SPECIALIST', 'ARARAT')
    await User.sequelize!.query('UPDATE users SET totp_key = $1 WHERE id = $2', { bind: [DEMO_TOTP_KEY, demo.id] })
    const shown = await (await afterPassword(demo.username)).get('/sign-in/code')
    expect(shown.text).to.contain(`data-testid="demo-code">Ցուցադրական հաշիվ. հավելվածի ներկայիս կոդն է՝ ${await codeAt(DEMO_TOTP_KEY)}`)
    const other = await createPerson('SPECIALIST', 'ARARAT')
    expect((await (await afterPassword(other.username)).get('/sign-in/code')).text).not.to.contain('data-testid="demo-code"')
  })

  describe('the administrator\'s reset of an enrolment', () => {
    it('when an officer has lost their phone, then the administrator resets their app: their sessions end and they set it up again at the next sign-in', async () => {
      const officer = await createPerson('SPECIALIST', 'ARARAT')
      const session = await signIn(t.app, officer.username)
      const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
      expect((await admin.get(`/admin/users/${officer.id}`)).text).to.match(/data-testid="account-two-factor">հավելվածը կապված է \d\d\.\d\d\.\d{4}-ից/)
      const reset = await admin.post(`/admin/users/${officer.id}/reset-two-factor`)
      expect(reset.headers.location).to.equal(`/admin/users/${officer.id}`)
      expect((await session.get('/')).headers.location, 'signed out everywhere').to.match(/^\/sign-in/)
      const again = anonymous(t.app)
      await refreshToken(again)
      expect((await again.post('/sign-in', { username: officer.username, password: TEST_PASSWORD })).headers.location).to.equal('/sign-in/enrol')
      expect((await admin.post(`/admin/users/${officer.id}/reset-two-factor`)).status, 'nothing to reset now').to.equal(409)
      expect(await AuditEvent.count({ where: { action: 'user.resetTwoFactor', targetId: String(officer.id) } })).to.equal(1)
    })

    it('when a head\'s app is to be reset, then it waits for the service head; the administrator cannot touch the service head\'s, nor their own', async () => {
      const head = await createPerson('REGIONAL_HEAD', 'ARARAT')
      const adminAccount = await createPerson('ADMINISTRATOR', null)
      const admin = await signIn(t.app, adminAccount.username)
      const serviceHeadAccount = await createPerson('SERVICE_HEAD', null)
      const serviceHead = await signIn(t.app, serviceHeadAccount.username)
      const asked = await admin.post(`/admin/users/${head.id}/reset-two-factor`)
      expect(asked.headers.location).to.equal('/account-requests')
      expect((await User.findByPk(head.id))!.totpEnrolledAt, 'not yet').to.be.an.instanceOf(Date)
      const list = await serviceHead.get('/account-requests')
      expect(list.text).to.contain('Նույնականացման հավելվածի վերակայում')
      const requestId = /data-testid="account-request-(\d+)"/.exec(list.text)![1]
      expect((await serviceHead.post(`/account-requests/${requestId}/confirm`)).status).to.equal(303)
      expect((await User.findByPk(head.id))!.totpEnrolledAt, 'confirmed').to.equal(null)
      expect((await admin.post(`/admin/users/${serviceHeadAccount.id}/reset-two-factor`)).status).to.equal(403)
      expect((await admin.post(`/admin/users/${adminAccount.id}/reset-two-factor`)).status).to.equal(403)
      for (const role of ['SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD', 'SERVICE_HEAD'] as const) {
        const someone = await signIn(t.app, (await createPerson(role, role === 'SERVICE_HEAD' ? null : 'ARARAT')).username)
        expect((await someone.post(`/admin/users/${head.id}/reset-two-factor`)).status, role).to.equal(403)
      }
    })
  })

  it('when a second step is answered, then the code is given through the same sign-in limit as the password', async () => {
    const limited = buildTestApp({ SIGN_IN_RATE_LIMIT: '3' })
    limited.clock.set(t.clock.now())
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = anonymous(limited.app)
    // The limit counts in the database for the whole file: this test starts with none counted.
    await t.services.sequelize.query('DELETE FROM sign_in_limits')
    await refreshToken(browser)
    await browser.post('/sign-in', { username: person.username, password: TEST_PASSWORD })
    for (let attempt = 0; attempt < 3; attempt += 1) await browser.post('/sign-in/code', { code: '000000' })
    expect((await browser.post('/sign-in/code', { code: await currentCodeOf(person.username, limited.clock) })).status).to.equal(429)
  })
})
