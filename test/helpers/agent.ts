import type express from 'express'
import request from 'supertest'
import { expect } from 'chai'
import { TEST_PASSWORD } from './people'

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
  await refreshToken(browser, '/account/password')
  return browser
}
