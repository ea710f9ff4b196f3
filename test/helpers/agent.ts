import type express from 'express'
import request from 'supertest'
import { expect } from 'chai'
import { generate } from 'otplib'
import { currentCodeOf, TEST_PASSWORD } from './people'
import { appClocks } from './app'

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]
}

export interface Browser {
  agent: request.Agent
  csrf: string
  get(path: string): request.Test
  /** A form post with the session's CSRF token, as the page's form would send it (a list: a field sent once per value). */
  post(path: string, fields?: Record<string, string | number | string[]>): request.Test
}

export function anonymous(app: express.Express): Browser {
  const agent = request.agent(app)
  const browser: Browser = {
    agent,
    csrf: '',
    get: (path) => agent.get(path),
    post: (path, fields = {}) => agent.post(path).type('form').send({ _csrf: browser.csrf, ...fields }),
  }
  return browser
}

/** Fetches a page and keeps the session's current CSRF token from it. */
export async function refreshToken(browser: Browser, path = '/sign-in'): Promise<void> {
  const page = await browser.agent.get(path)
  browser.csrf = csrfTokenIn(page.text)
}

export async function signIn(app: express.Express, username: string, password = TEST_PASSWORD): Promise<Browser> {
  const browser = anonymous(app)
  await refreshToken(browser)
  const response = await browser.post('/sign-in', { username, password })
  expect(response.status, `sign-in of ${username}`).to.equal(303)
  expect(response.headers.location, `sign-in of ${username}: the code is asked`).to.equal('/sign-in/code')
  await giveCode(app, browser, username)
  await refreshToken(browser, '/account/password')
  return browser
}

/** The second step of a sign-in whose password was right: the code of the account's app at the app's clock. */
export async function giveCode(app: express.Express, browser: Browser, username: string): Promise<request.Response> {
  const clock = appClocks.get(app)
  if (!clock) throw new Error('not a test app (buildTestApp)')
  const response = await browser.post('/sign-in/code', { code: await currentCodeOf(username, clock) })
  expect(response.status, `code of ${username}`).to.equal(303)
  return response
}

/**
 * The first sign-in's enrolment as its holder does it, after the right password: the key read off the page into an app,
 * the app's code given back. Returns the key, the recovery codes shown once, and where the sign-in goes on to.
 */
export async function enrolFromPage(app: express.Express, browser: Browser): Promise<{ key: string; recoveryCodes: string[]; next: string }> {
  const clock = appClocks.get(app)
  if (!clock) throw new Error('not a test app (buildTestApp)')
  const page = await browser.get('/sign-in/enrol')
  expect(page.status, 'the enrolment page').to.equal(200)
  const key = /data-testid="enrol-key">([A-Z2-7 ]+)</.exec(page.text)![1].replace(/ /g, '')
  const enrolled = await browser.post('/sign-in/enrol', { code: await generate({ secret: key, epoch: Math.floor(clock.now().getTime() / 1000) }) })
  expect(enrolled.status, 'enrolled').to.equal(303)
  const shown = await browser.get(enrolled.headers.location)
  const recoveryCodes = [...shown.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((match) => match[1])
  const next = /href="([^"]+)">[^<]*<\/a><\/p>/.exec(shown.text.slice(shown.text.indexOf('data-testid="recovery-codes"')))?.[1] ?? ''
  browser.csrf = csrfTokenIn(shown.text)
  return { key, recoveryCodes, next: next.replace(/&amp;/g, '&') }
}

/**
 * A sign-in through every step its account needs: the password, then the code or (at the first sign-in) the
 * enrolment. Returns the browser and where the sign-in led ('refused' when the password was).
 */
export async function signInThroughSteps(app: express.Express, username: string, password: string): Promise<{ browser: Browser; landing: string }> {
  const browser = anonymous(app)
  await refreshToken(browser)
  const response = await browser.post('/sign-in', { username, password })
  if (response.status !== 303) return { browser, landing: 'refused' }
  if (response.headers.location === '/sign-in/enrol') return { browser, landing: (await enrolFromPage(app, browser)).next }
  const landing = String((await giveCode(app, browser, username)).headers.location)
  return { browser, landing }
}
