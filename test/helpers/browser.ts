import fs from 'node:fs'
import { once } from 'node:events'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { buildTestApp, type TestApp } from './app'
import { currentCodeOf, TEST_PASSWORD } from './people'

/*
 * The real app in Debian's headless Chromium (the 'chromium-headless-shell' package, .ci/run installs it: the same Blink
 * as the full browser at about half its CPU, which a 2-core machine running the suite in parallel needs). No browser is ever
 * downloaded: without Chromium the journeys are skipped on a workstation and fail on CI.
 */
const CHROMIUM = '/usr/bin/chromium-headless-shell'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface BrowserApp {
  browser: Browser
  baseUrl: string
  testApp: TestApp
  /**
   * A page in a fresh browser context (one person's browser), signed in through the form; `prepare` attaches
   * listeners before the first navigation. The contexts are closed by closeContexts (call it in afterEach).
   */
  signedIn(username: string, prepare?: (page: Page) => void): Promise<Page>
  closeContexts(): Promise<void>
  close(): Promise<void>
}

/** Starts the app on a free port and Chromium; skips (or fails on CI) when Chromium is missing. */
export async function startBrowserApp(context: Mocha.Context): Promise<BrowserApp> {
  if (!fs.existsSync(CHROMIUM)) {
    const message = `Chromium is not installed at ${CHROMIUM} (Debian package 'chromium-headless-shell'; .ci/run installs it)`
    if (process.env.CI) throw new Error(`${message}: the browser tests cannot run on CI without it.`)
    process.stderr.write(`  skipping the browser tests: ${message}.\n`)
    context.skip()
  }
  const testApp = buildTestApp()
  const server: Server = testApp.app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const contexts: BrowserContext[] = []
  return {
    browser,
    testApp,
    baseUrl,
    async signedIn(username, prepare) {
      const context = await browser.newContext()
      contexts.push(context)
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      prepare?.(page)
      await signInThroughForm(page, { baseUrl, testApp }, username, TEST_PASSWORD)
      // Signed in once the header names the user: checking the password is slow on purpose, slower still on a busy machine.
      await page.getByTestId('current-user').waitFor({ timeout: 30_000 })
      return page
    },
    async closeContexts() {
      await Promise.all(contexts.splice(0).map((context) => context.close()))
    },
    async close() {
      await browser.close()
      const closed = once(server, 'close')
      server.closeAllConnections()
      server.close()
      await closed
    },
  }
}

/** Clicks what submits a form and waits until the page it leads to (after any redirects) has loaded. */
/**
 * Registers a suite's hooks: the app and Chromium started once with the clock at `today`, each test's browser
 * contexts closed after it, everything stopped at the end. Returns the running app (from `before` on).
 */
export function browserSuite(today: string): () => BrowserApp {
  let session: BrowserApp | undefined
  before(async function () {
    session = await startBrowserApp(this)
    session.testApp.clock.set(today)
  })
  after(async () => {
    await session?.close()
  })
  afterEach(async () => {
    await session?.closeContexts()
  })
  return () => session!
}

export async function submitWith(page: Page, control: Locator): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() })
  await control.click()
  await navigated
  await page.waitForLoadState('load')
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

/** Signs in through the form, in Armenian: the password, then the code of the account's app at the app's clock. */
export async function signInThroughForm(page: Page, app: Pick<BrowserApp, 'baseUrl' | 'testApp'>, username: string, password: string): Promise<void> {
  await page.goto(`${app.baseUrl}/sign-in`)
  await page.getByLabel('Օգտանուն', { exact: true }).fill(username)
  await page.getByLabel('Գաղտնաբառ', { exact: true }).fill(password)
  await submitWith(page, page.getByRole('button', { name: 'Մուտք', exact: true }))
  await page.getByLabel('Կոդ', { exact: true }).fill(await currentCodeOf(username, app.testApp.clock))
  await submitWith(page, page.getByRole('button', { name: 'Հաստատել', exact: true }))
}

/**
 * Opens a page from the main navigation as a person would: the menu button on a narrow screen, the section's menu, then
 * its link (a section of one link is a link itself).
 */
export async function openFromMenu(page: Page, section: string, link?: string): Promise<void> {
  const header = page.locator('header')
  const menuButton = header.locator('.navbar-toggler')
  if (await menuButton.isVisible()) {
    await menuButton.click()
    await header.locator('#main-menu.show').waitFor()
  }
  if (link === undefined) return submitWith(page, header.getByRole('link', { name: section, exact: true }))
  await header.getByRole('button', { name: section, exact: true }).click()
  const target = header.getByRole('link', { name: link, exact: true })
  await target.waitFor()
  await submitWith(page, target)
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** A problem axe found: its rule, how serious, and where. */
export interface AccessibilityViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * The page's serious and critical accessibility problems, by axe (WCAG 2.1 A and AA rules). Run through the debugger
 * protocol, so the page's Content-Security-Policy does not stop it.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;0`)
  const violations = await page.evaluate<AccessibilityViolation[]>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((result) => result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')) })))`)
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
}

/** Fails with the page's address and axe's findings when a page has a serious or critical accessibility problem. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAccessibilityViolations(page)
  if (violations.length > 0) throw new Error(`axe on ${new URL(page.url()).pathname}:\n${violations.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`).join('\n')}`)
}

/**
 * Clicks what submits an action that cannot be undone, answers its confirmation as a person would (accepts it), and
 * waits for the page it leads to; returns what the confirmation said.
 */
export async function confirmWith(page: Page, control: Locator): Promise<string> {
  const asked = page.waitForEvent('dialog')
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() })
  const clicked = control.click()
  const dialog = await asked
  const message = dialog.message()
  await dialog.accept()
  await clicked
  await navigated
  await page.waitForLoadState('load')
  return message
}
