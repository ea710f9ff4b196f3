import { expect } from 'chai'
import express from 'express'
import request from 'supertest'
import type { Session } from 'express-session'
import { doneNotice } from '../../server/middleware/doneNotice'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createPerson, regionIdOf } from '../helpers/people'

describe('telling the user what a form did', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
    t.clock.set('2033-09-06T09:00:00+04:00')
  })

  it('when a form changes something, then the page it leads to says what was done, once, in the user\'s language', async () => {
    const regionId = await regionIdOf('ARMAVIR')
    const head = await createPerson('REGIONAL_HEAD', 'ARMAVIR')
    const senior = await createPerson('SENIOR_SPECIALIST', 'ARMAVIR')
    const browser = await signIn(t.app, head.username)
    const named = await browser.post(`/regions/${regionId}/delegations`, { actingUserId: senior.id, startsOn: '07.09.2033', endsOn: '09.09.2033', reason: 'Արձակուրդ' })
    expect(named.status).to.equal(303)
    const next = await browser.get(named.headers.location)
    expect(next.text).to.match(/data-testid="done-notice">Կատարված է՝ Պաշտոնակատարը նշանակվել է։</)
    expect((await browser.get(named.headers.location)).text, 'told once').not.to.contain('data-testid="done-notice"')
  })

  it('when a form is refused or only reads, then nothing is said to be done', async () => {
    const regionId = await regionIdOf('ARMAVIR')
    const head = await createPerson('REGIONAL_HEAD', 'ARMAVIR')
    const browser = await signIn(t.app, head.username)
    const refused = await browser.post(`/regions/${regionId}/delegations`, { actingUserId: '', startsOn: 'tomorrow', endsOn: '', reason: '' })
    expect(refused.status).to.equal(400)
    expect(refused.text).not.to.contain('data-testid="done-notice"')
    expect((await browser.get(`/regions/${regionId}/delegations`)).text).not.to.contain('data-testid="done-notice"')
    // Signing in records an action, but it is no change to tell.
    expect((await browser.get('/')).text).not.to.contain('data-testid="done-notice"')
  })

  it('when a form leads on, then the session is stored before the redirect is sent, so a browser following it at once finds the notice', async () => {
    let storeSession: ((error?: unknown) => void) | undefined
    let headersSentBeforeStored: boolean | undefined
    const app = express()
    app.use((req, res, next) => {
      // The store's write held until the test lets it finish: a slow store, made certain.
      req.session = { save: (done: (error?: unknown) => void) => { headersSentBeforeStored = res.headersSent; storeSession = done } } as unknown as Session
      next()
    })
    app.use(doneNotice)
    app.post('/form', (_req, res) => res.redirect(303, '/next'))

    let answered = false
    const answer = request(app).post('/form').then((response) => { answered = true; return response })
    while (!storeSession && !answered) await new Promise((resolve) => setImmediate(resolve))
    expect(answered, 'no answer before the session is stored').to.equal(false)
    expect(headersSentBeforeStored, 'nothing sent while the session is stored').to.equal(false)
    storeSession!()
    expect((await answer).status).to.equal(303)
  })
})
