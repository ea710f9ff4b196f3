import fs from 'node:fs'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'chai'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { buildTestApp } from '../helpers/app'
import { createPerson, TEST_PASSWORD } from '../helpers/people'

/*
 * The real app in Debian's Chromium (the 'chromium' package; .ci/run installs it). No browser is ever
 * downloaded: without Chromium the journey is skipped on a workstation and fails on CI.
 */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** Clicks what submits a form and waits until the page it leads to (after any redirects) has loaded. */
async function submitWith(page: Page, control: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() })
  await control.click()
  await navigated
  await page.waitForLoadState('load')
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

describe('signing in with a real browser', () => {
  let browser: Browser | undefined
  let server: Server | undefined
  let baseUrl = ''

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      const message = `Chromium is not installed at ${CHROMIUM} (Debian package 'chromium'; .ci/run installs it)`
      if (process.env.CI) throw new Error(`${message}: the browser tests cannot run on CI without it.`)
      process.stderr.write(`  skipping the browser tests: ${message}.\n`)
      this.skip()
    }
    const t = buildTestApp()
    server = t.app.listen(0, '127.0.0.1')
    await once(server, 'listening')
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  })

  after(async () => {
    await browser?.close()
    if (server) {
      const closed = once(server, 'close')
      server.closeAllConnections()
      server.close()
      await closed
    }
  })

  it('when the Ararat regional head signs in in Armenian, switches to English and signs out, then every page speaks the chosen language', async () => {
    const person = await createPerson('REGIONAL_HEAD', 'ARARAT')
    const context = await browser!.newContext()
    try {
      const page = await context.newPage()
      const html = page.locator('html')
      const currentUser = page.getByTestId('current-user')

      const signInPage = await page.goto(`${baseUrl}/sign-in`)
      expect(signInPage?.status(), 'sign-in page status').to.equal(200)
      expect(await html.getAttribute('lang'), 'sign-in page language').to.equal('hy')
      expect(await textOf(page.getByRole('heading', { level: 1 })), 'sign-in heading').to.equal('Մուտք համակարգ')
      expect(await page.getByTestId('restricted-notice').isVisible(), 'restricted notice is visible').to.equal(true)

      await page.getByLabel('Օգտանուն', { exact: true }).fill(person.username)
      await page.getByLabel('Գաղտնաբառ', { exact: true }).fill(TEST_PASSWORD)
      await submitWith(page, page.getByRole('button', { name: 'Մուտք', exact: true }))
      expect(new URL(page.url()).pathname, 'after signing in').to.equal('/')
      expect(await html.getAttribute('lang'), 'home page language').to.equal('hy')
      expect(await currentUser.isVisible(), 'current user is shown').to.equal(true)
      const armenianUser = await textOf(currentUser)
      expect(armenianUser).to.contain('Մարմնի պետ').and.contain('Արարատի մարզային մարմին')

      await submitWith(page, page.getByRole('button', { name: 'English', exact: true }))
      expect(new URL(page.url()).pathname, 'after switching language').to.equal('/')
      expect(await html.getAttribute('lang'), 'home page language after the switch').to.equal('en')
      const englishUser = await textOf(currentUser)
      expect(englishUser).to.contain('Regional head').and.contain('Ararat regional body')
      expect(englishUser).to.not.contain('Մարմնի պետ')

      await submitWith(page, page.getByRole('button', { name: 'Sign out', exact: true }))
      const signedOut = new URL(page.url())
      expect(signedOut.pathname, 'after signing out').to.equal('/sign-in')
      expect(signedOut.searchParams.get('notice')).to.equal('signedOut')
      expect(await html.getAttribute('lang'), 'sign-in page language after signing out').to.equal('en')
      expect(await textOf(page.getByRole('heading', { level: 1 }))).to.equal('Sign in')
      expect(await textOf(page.getByRole('status')), 'signed-out notice').to.equal('You have signed out.')
      expect(await currentUser.count(), 'no user is shown after signing out').to.equal(0)
    } finally {
      await context.close()
    }
  })
})
