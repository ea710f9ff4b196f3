import { expect } from 'chai'
import { AuditEvent, User } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { anonymous, refreshToken, signIn, signInThroughSteps } from '../helpers/agent'
import { testDatabase } from '../helpers/database'
import { runProgram } from '../helpers/processes'
import { createPerson, regionIdOf, TEST_PASSWORD } from '../helpers/people'

const NEW_PASSWORD = 'Ararat valley apricots 2026'

describe('accounts: the administrator manages users, users change their password', () => {
  let t: TestApp
  beforeEach(() => {
    t = buildTestApp()
  })

  it('when the administrator creates a user, then the user exists, must change the password at first sign-in, and the audit records it', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const username = `new.officer.${Date.now()}`
    const created = await admin.post('/admin/users/new', { username, fullName: 'Նոր Մասնագետ', email: '', role: 'SPECIALIST', regionId: await regionIdOf('ARARAT'), temporaryPassword: 'Temporary pass 12345' })
    expect(created.status).to.equal(303)
    const user = await User.findOne({ where: { username } })
    expect(user).to.include({ role: 'SPECIALIST', mustChangePassword: true, active: true })
    expect(await AuditEvent.count({ where: { action: 'user.create', targetId: String(user!.id) } })).to.equal(1)

    const { browser: officer, landing } = await signInThroughSteps(t.app, username, 'Temporary pass 12345')
    expect(landing, 'the app set up first, then the password').to.equal('/account/password')
    await refreshToken(officer, '/account/password')
    expect((await officer.get('/')).headers.location, 'every page leads to the password form').to.equal('/account/password')
    const changed = await officer.post('/account/password', { currentPassword: 'Temporary pass 12345', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(changed.status).to.equal(303)
    expect((await officer.get('/')).status).to.equal(200)
  })

  it('when a user chooses a common password or one containing the username, then it is refused with the reason', async () => {
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const browser = await signIn(t.app, person.username)
    const common = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'qwertyuiop123', confirmPassword: 'qwertyuiop123' })
    expect(common.status).to.equal(400)
    expect(common.text).to.contain('տարածված գաղտնաբառերի ցանկում')
    const withName = `${person.username}-secret`
    const containsName = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: withName, confirmPassword: withName })
    expect(containsName.text).to.contain('չպետք է պարունակի օգտանունը')
    const short = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'short pass', confirmPassword: 'short pass' })
    expect(short.text).to.contain('առնվազն 12 նիշ')
    const wrongCurrent = await browser.post('/account/password', { currentPassword: 'not my password', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
    expect(wrongCurrent.text).to.contain('Ընթացիկ գաղտնաբառը սխալ է')
    const user = await User.findByPk(person.id)
    expect(user!.passwordChangedAt, 'nothing was changed').to.equal(null)
  })

  it('when the administrator deactivates a user, then that user\'s open sessions end at once and sign-in fails; reactivation restores access', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const officer = await signIn(t.app, person.username)
    expect((await officer.get('/')).status).to.equal(200)

    expect((await admin.post(`/admin/users/${person.id}/deactivate`)).status).to.equal(303)
    expect((await officer.get('/')).headers.location).to.match(/^\/sign-in/)
    const again = anonymous(t.app)
    await refreshToken(again)
    expect((await again.post('/sign-in', { username: person.username, password: TEST_PASSWORD })).status).to.equal(401)
    expect(await AuditEvent.count({ where: { action: 'user.deactivate', targetId: String(person.id) } })).to.equal(1)

    expect((await admin.post(`/admin/users/${person.id}/reactivate`)).status).to.equal(303)
    expect((await again.post('/sign-in', { username: person.username, password: TEST_PASSWORD })).status).to.equal(303)
  })

  it('when the administrator opens an account, then its actions are offered, and none on the service head\'s', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const officer = await createPerson('SPECIALIST', 'ARARAT')
    const serviceHead = await createPerson('SERVICE_HEAD', null)
    const actions = (html: string) => [...html.matchAll(/href="\/admin\/users\/\d+\/(edit|reset-password)"|action="\/admin\/users\/\d+\/(deactivate|reset-two-factor)"/g)].map((match) => match[1] ?? match[2])
    expect(actions((await admin.get(`/admin/users/${officer.id}`)).text)).to.deep.equal(['edit', 'reset-password', 'reset-two-factor', 'deactivate'])
    expect(actions((await admin.get(`/admin/users/${serviceHead.id}`)).text)).to.deep.equal([])
  })

  it('when the administrator resets a password, then the user\'s sessions end and the user must set a new one at next sign-in', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const officer = await signIn(t.app, person.username)
    expect((await admin.post(`/admin/users/${person.id}/reset-password`, { temporaryPassword: 'Reset by admin 2026' })).status).to.equal(303)
    expect((await officer.get('/')).headers.location).to.match(/^\/sign-in/)
    expect((await signInThroughSteps(t.app, person.username, 'Reset by admin 2026')).landing).to.equal('/account/password')
  })

  it('when the administrator moves a user to another region, then the change is audited field by field and the user\'s sessions end', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const person = await createPerson('SPECIALIST', 'ARARAT')
    const officer = await signIn(t.app, person.username)
    const user = await User.findByPk(person.id)
    const shirak = await regionIdOf('SHIRAK')
    const saved = await admin.post(`/admin/users/${person.id}/edit`, { username: person.username, fullName: user!.fullName, email: '', role: 'SENIOR_SPECIALIST', regionId: shirak, version: user!.version })
    expect(saved.status).to.equal(303)
    const audit = await AuditEvent.findOne({ where: { action: 'user.update', targetId: String(person.id) } })
    expect(audit!.details).to.deep.equal({ before: { role: 'SPECIALIST', regionId: await regionIdOf('ARARAT') }, after: { role: 'SENIOR_SPECIALIST', regionId: shirak } })
    expect((await officer.get('/')).headers.location).to.match(/^\/sign-in/)
  })

  it('when a regional head is given no region, or an administrator is given one, then the form says why and nothing changes', async () => {
    const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
    const before = await User.count()
    const noRegion = await admin.post('/admin/users/new', { username: `head.${Date.now()}`, fullName: 'Head', role: 'REGIONAL_HEAD', regionId: '', temporaryPassword: 'Temporary pass 12345' })
    expect(noRegion.status).to.equal(400)
    expect(noRegion.text).to.contain('Ընտրեք մարզային մարմինը')
    const withRegion = await admin.post('/admin/users/new', { username: `it.${Date.now()}`, fullName: 'IT', role: 'ADMINISTRATOR', regionId: await regionIdOf('ARARAT'), temporaryPassword: 'Temporary pass 12345' })
    expect(withRegion.text).to.contain('չեն պատկանում մարզային մարմնի')
    expect(await User.count()).to.equal(before)
  })

  it('when the administrator tries to make a service head or to act on the service head\'s account, then it is refused and nothing changes', async () => {
    const adminPerson = await createPerson('ADMINISTRATOR', null)
    const admin = await signIn(t.app, adminPerson.username)
    const before = await User.count()
    const made = await admin.post('/admin/users/new', { username: `chief.${Date.now()}`, fullName: 'Chief', role: 'SERVICE_HEAD', regionId: '', temporaryPassword: 'Temporary pass 12345' })
    expect(made.status).to.equal(400)
    expect(made.text).to.contain('Ծառայության պետի հաշիվը ստեղծվում է սերվերում')
    expect(await User.count()).to.equal(before)
    // Nor may they turn an account of their own making into one.
    const own = await createPerson('SPECIALIST', 'ARARAT')
    const edit = await admin.get(`/admin/users/${own.id}/edit`)
    const promoted = await admin.post(`/admin/users/${own.id}/edit`, { username: own.username, fullName: 'Own', role: 'SERVICE_HEAD', regionId: '', version: /name="version" value="(\d+)"/.exec(edit.text)![1] })
    expect(promoted.status).to.equal(400)
    expect((await User.findByPk(own.id))!.role).to.equal('SPECIALIST')
    const chief = await createPerson('SERVICE_HEAD', null)
    const hash = (await User.findByPk(chief.id))!.passwordHash
    for (const path of [`/admin/users/${chief.id}/edit`, `/admin/users/${chief.id}/reset-password`]) expect((await admin.get(path)).status, path).to.equal(403)
    expect((await admin.post(`/admin/users/${chief.id}/reset-password`, { temporaryPassword: 'Temporary pass 12345' })).status).to.equal(403)
    expect((await admin.post(`/admin/users/${chief.id}/deactivate`, {})).status).to.equal(403)
    expect((await User.findByPk(chief.id))!).to.include({ passwordHash: hash, active: true })
  })

  it('when an account has not been used for 90 days, then the nightly pass disables it and ends its sessions; its holder is told why only with the right password; reactivated, it starts again', async () => {
    const administrator = await createPerson('ADMINISTRATOR', null)
    const [idle, recent, fresh, serviceHead] = [await createPerson('SPECIALIST', 'LORI'), await createPerson('SPECIALIST', 'LORI'), await createPerson('SPECIALIST', 'LORI'), await createPerson('SERVICE_HEAD', null)]
    // The clock of the test: 91 days after the idle account's last sign-in, 89 after the recent one's; the fresh
    // account never signed in but was given out 10 days ago; the service head's is never disabled.
    const now = new Date('2032-06-01T03:00:00+04:00')
    const daysBefore = (days: number) => new Date(now.getTime() - days * 86_400_000)
    await User.update({ lastSignInAt: daysBefore(91), activeSince: daysBefore(200) }, { where: { id: idle.id } })
    await User.update({ lastSignInAt: daysBefore(89), activeSince: daysBefore(200) }, { where: { id: recent.id } })
    await User.update({ lastSignInAt: null, activeSince: daysBefore(10) }, { where: { id: fresh.id } })
    await User.update({ lastSignInAt: daysBefore(400), activeSince: daysBefore(400) }, { where: { id: serviceHead.id } })
    t.clock.set(daysBefore(1))
    const session = await signIn(t.app, idle.username)
    await User.update({ lastSignInAt: daysBefore(91) }, { where: { id: idle.id } })
    t.clock.set(now)

    const disabled = await t.services.users.disableInactiveAccounts()
    expect(disabled).to.be.at.least(1)
    const admin = await signIn(t.app, administrator.username)
    const state = async (id: number) => (await User.findByPk(id))!.active
    expect([await state(idle.id), await state(recent.id), await state(fresh.id), await state(serviceHead.id)]).to.deep.equal([false, true, true, true])
    expect((await session.get('/my-work')).headers.location, 'its session ended').to.match(/^\/sign-in/)
    expect(await AuditEvent.count({ where: { action: 'user.disableInactive', targetId: String(idle.id) } })).to.equal(1)

    const visitor = anonymous(t.app)
    await refreshToken(visitor)
    const right = await visitor.post('/sign-in', { username: idle.username, password: TEST_PASSWORD })
    expect(right.status).to.equal(401)
    expect(right.text).to.contain('data-testid="disabled-for-inactivity"').and.contain('90 օր')
    const wrong = await visitor.post('/sign-in', { username: idle.username, password: 'not the password at all' })
    expect(wrong.text, 'a wrong password learns nothing').to.not.contain('disabled-for-inactivity')
    expect((await admin.get(`/admin/users/${idle.id}`)).text).to.contain('90 օր չօգտագործվելու պատճառով')

    expect((await admin.post(`/admin/users/${idle.id}/reactivate`)).status).to.equal(303)
    expect(await t.services.users.disableInactiveAccounts(), 'reactivated today: not idle').to.equal(0)
    expect((await visitor.post('/sign-in', { username: idle.username, password: TEST_PASSWORD })).status).to.equal(303)
  })

  describe('two people for a head\'s powers', () => {
    const TEMPORARY = 'Temporary pass 12345'
    const signInWith = async (username: string, password: string) => (await signInThroughSteps(t.app, username, password)).landing
    /** The id of the request on the list page that names this username. */
    const requestOf = (page: string, username: string) => Number(new RegExp(`data-testid="account-request-(\\d+)"(?:(?!data-testid="account-request-)[\\s\\S])*\\(${username.replace(/\./g, '\\.')}\\)`).exec(page)![1])

    it('when the administrator creates a regional head, then nothing exists until the service head confirms; confirmed, the head signs in with the temporary password', async () => {
      const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
      const serviceHead = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
      const username = `new.head.${Date.now()}`
      const asked = await admin.post('/admin/users/new', { username, fullName: 'Նոր Ղեկավար', email: '', role: 'REGIONAL_HEAD', regionId: await regionIdOf('LORI'), temporaryPassword: TEMPORARY })
      expect([asked.status, asked.headers.location]).to.deep.equal([303, '/account-requests'])
      expect(await User.count({ where: { username } }), 'no account yet').to.equal(0)
      expect(await signInWith(username, TEMPORARY), 'no sign-in yet').to.equal('refused')
      const again = await admin.post('/admin/users/new', { username, fullName: 'Կրկին', email: '', role: 'SPECIALIST', regionId: await regionIdOf('LORI'), temporaryPassword: TEMPORARY })
      expect(again.status, 'the username is held by the request').to.equal(400)

      const list = await serviceHead.get('/account-requests')
      expect(list.text).to.contain(username).and.contain('Նոր Ղեկավար')
      const requestId = requestOf(list.text, username)
      expect((await admin.post(`/account-requests/${requestId}/confirm`)).status, 'the administrator cannot confirm').to.equal(403)
      expect((await serviceHead.post(`/account-requests/${requestId}/confirm`)).status).to.equal(303)
      const user = await User.findOne({ where: { username } })
      expect(user).to.include({ role: 'REGIONAL_HEAD', mustChangePassword: true })
      expect(await signInWith(username, TEMPORARY)).to.equal('/account/password')
      expect(await AuditEvent.count({ where: { action: ['user.requestCreate', 'accountRequest.confirm'] } })).to.be.at.least(2)
      expect((await serviceHead.post(`/account-requests/${requestId}/confirm`)).status, 'decided once').to.equal(409)
    })

    it('when the administrator makes an officer a head, then the role stays until the service head decides; a refusal needs its reason and changes nothing', async () => {
      const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
      const serviceHead = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
      const person = await createPerson('SENIOR_SPECIALIST', 'LORI')
      const edit = { username: person.username, fullName: 'Ավագ Մասնագետ', email: '', role: 'REGIONAL_HEAD', regionId: String(person.regionId), version: '1' }
      expect((await admin.post(`/admin/users/${person.id}/edit`, edit)).headers.location).to.equal('/account-requests')
      expect(await User.findByPk(person.id)).to.include({ role: 'SENIOR_SPECIALIST', version: 1 })
      const again = await admin.post(`/admin/users/${person.id}/edit`, edit)
      expect([again.status, again.text.includes('արդեն սպասում է')], 'one request at a time').to.deep.equal([400, true])
      const requestId = requestOf((await serviceHead.get('/account-requests')).text, person.username)
      const noReason = await serviceHead.post(`/account-requests/${requestId}/refuse`, { reason: '' })
      expect(noReason.status).to.equal(400)
      expect(noReason.text).to.contain(`id="reason-${requestId}-error"`)
      expect((await serviceHead.post(`/account-requests/${requestId}/refuse`, { reason: 'Նշանակման հրամանը դեռ չկա' })).status).to.equal(303)
      expect(await User.findByPk(person.id)).to.include({ role: 'SENIOR_SPECIALIST' })
      expect((await serviceHead.get('/account-requests')).text).to.not.contain(person.username)
    })

    it('when the administrator gives a head a new password, then the old one works until the service head confirms; a request on an account changed since is refused', async () => {
      const admin = await signIn(t.app, (await createPerson('ADMINISTRATOR', null)).username)
      const serviceHead = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
      const head = await createPerson('REGIONAL_HEAD', 'LORI')
      expect((await admin.post(`/admin/users/${head.id}/reset-password`, { temporaryPassword: TEMPORARY })).headers.location).to.equal('/account-requests')
      expect(await signInWith(head.username, TEMPORARY), 'not yet').to.equal('refused')
      expect(await signInWith(head.username, TEST_PASSWORD), 'the old one still').to.equal('/')
      const requestId = requestOf((await serviceHead.get('/account-requests')).text, head.username)
      expect((await serviceHead.post(`/account-requests/${requestId}/confirm`)).status).to.equal(303)
      expect(await signInWith(head.username, TEMPORARY)).to.equal('/account/password')
      expect(await signInWith(head.username, TEST_PASSWORD)).to.equal('refused')

      // A head's move to another region, asked; then the administrator changes the name: the request no longer matches.
      const moved = { username: head.username, fullName: head.fullName, email: '', role: 'REGIONAL_HEAD', regionId: String(await regionIdOf('SHIRAK')) }
      const version = (await User.findByPk(head.id))!.version
      expect((await admin.post(`/admin/users/${head.id}/edit`, { ...moved, version: String(version) })).headers.location).to.equal('/account-requests')
      expect((await admin.post(`/admin/users/${head.id}/edit`, { ...moved, regionId: String(head.regionId), fullName: 'Փոխված Անուն', version: String(version) })).headers.location).to.equal(`/admin/users/${head.id}`)
      const moveId = requestOf((await serviceHead.get('/account-requests')).text, head.username)
      const stale = await serviceHead.post(`/account-requests/${moveId}/confirm`)
      expect(stale.status).to.equal(409)
      expect(stale.text).to.contain('data-testid="account-request-problem"')
      expect(await User.findByPk(head.id)).to.include({ regionId: head.regionId })
      expect((await admin.post(`/account-requests/${moveId}/cancel`)).status, 'the administrator withdraws it').to.equal(303)
      expect((await serviceHead.get('/account-requests')).text).to.not.contain(`account-request-${moveId}"`)
    })
  })

  it('when the operator sets up the service head on the server, then the account is created (or its password reset) with a temporary password the new head must change, audited', async () => {
    const run = (...args: string[]) => runProgram('scripts/service-head-account.ts', args, { ...process.env, DATABASE_URL: testDatabase().url })
    const username = `chief.${process.pid}`
    const created = await run('--username', username, '--full-name', 'Արմեն Սարգսյան')
    expect(created.code, created.output).to.equal(0)
    const password = /Temporary password[^:]*: (\S+)/.exec(created.output)![1]
    const account = (await User.findOne({ where: { username } }))!
    expect(account).to.include({ role: 'SERVICE_HEAD', regionId: null, mustChangePassword: true, active: true })
    expect((await signInThroughSteps(t.app, username, password)).landing).to.equal('/account/password')
    const reset = await run('--username', username, '--full-name', 'Արմեն Սարգսյան')
    expect(reset.output).to.contain('Reset')
    const afterReset = anonymous(t.app)
    await refreshToken(afterReset)
    const newPassword = /Temporary password[^:]*: (\S+)/.exec(reset.output)![1]
    expect((await afterReset.post('/sign-in', { username, password: newPassword })).headers.location, 'the app set up again').to.equal('/sign-in/enrol')
    expect(await AuditEvent.count({ where: { action: 'user.serviceHeadSetUp', targetId: String(account.id) } })).to.equal(2)
    const officer = await createPerson('SPECIALIST', 'ARARAT')
    const refused = await run('--username', officer.username, '--full-name', 'Someone')
    expect(refused.code).to.equal(1)
    expect((await User.findByPk(officer.id))!.role).to.equal('SPECIALIST')
  })
})
