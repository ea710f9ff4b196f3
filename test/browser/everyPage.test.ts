import { expect } from 'chai'
import type { Browser, Page } from 'playwright-core'
import type { Role } from '../../server/domain/roles'
import { browserSuite, seriousAccessibilityViolations, signInThroughForm } from '../helpers/browser'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, TEST_PASSWORD } from '../helpers/people'
import { contextOf } from '../helpers/supervision'

/*
 * Every page of the main navigation, for every role, on an office desktop and on a 390 px phone: it opens, axe finds
 * nothing serious or critical, and on the phone the page itself never scrolls sideways (wide tables scroll in their
 * own box). Each role's pages are the links its navigation offers, plus a personal file where it may open one.
 */
const TODAY = '2034-10-10T10:00:00+04:00'
const SCREENS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const

/*
 * How far the page itself scrolls sideways (scrollWidth would also count what a scrolling box hides), and the outermost
 * elements reaching past the screen's edge, to say what to fix. Run in the page, so written as its script.
 */
const SIDEWAYS_SCROLL = `(() => {
  window.scrollTo(window.innerWidth * 10, 0)
  const by = window.scrollX
  window.scrollTo(0, 0)
  const past = (element) => element !== null && element.getBoundingClientRect().right > window.innerWidth + 1
  const wide = [...document.querySelectorAll('body *')].filter((element) => past(element) && !past(element.parentElement))
  return { by, where: wide.slice(0, 3).map((element) => [element.tagName.toLowerCase(), ...element.classList].join('.')) }
})()`

/** When the page first painted content, from the browser's paint timing (null if it has not within 5 s). */
const FIRST_CONTENTFUL_PAINT = `new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entry = list.getEntriesByName('first-contentful-paint')[0]
    if (entry) resolve(entry.startTime)
  }).observe({ type: 'paint', buffered: true })
  setTimeout(() => resolve(null), 5000)
})`

interface Problem {
  screen: string
  path: string
  what: string
}

describe('browser: every page of each role, on a desktop and a phone', () => {
  const session = browserSuite(TODAY)
  let filePath = ''

  before(async () => {
    const services = session().testApp.services
    const regionId = await regionIdOf('VAYOTS_DZOR')
    const officer = await createPerson('SPECIALIST', 'VAYOTS_DZOR')
    const file = await createBeneficiary(regionId, officer.id, { category: 'NON_CUSTODIAL_PUNISHMENT' })
    const act = { court: 'Court of Vayots Dzor', caseNumber: 'VD-1', kind: 'VERDICT' as const, actDate: '2034-09-20', inForceDate: '2034-09-28', receivedDate: '2034-10-02', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    await services.measures.registerCourtAct(file.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 120 } }], contextOf(officer))
    filePath = `/beneficiaries/${file.id}`
  })

  /** The pages a signed-in person's navigation leads to, and the file where they may open it. */
  async function pagesOf(page: Page): Promise<string[]> {
    const links = await page.locator('header nav a[href^="/"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!))
    return [...new Set([...links, filePath])]
  }

  async function visitAll(browser: Browser, baseUrl: string, username: string): Promise<Problem[]> {
    const problems: Problem[] = []
    const firstPaints: { screen: string; path: string; ms: number }[] = []
    for (const screen of SCREENS) {
      const context = await browser.newContext({ viewport: screen.viewport })
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(30_000)
        await signInThroughForm(page, baseUrl, username, TEST_PASSWORD)
        await page.getByTestId('current-user').waitFor({ state: 'attached' })
        for (const path of await pagesOf(page)) {
          const response = await page.goto(`${baseUrl}${path}`)
          const status = response?.status() ?? 0
          // A file outside the person's region is refused; that page is not theirs to check.
          if (path === filePath && status === 404) continue
          if (status >= 400) {
            problems.push({ screen: screen.name, path, what: `status ${status}` })
            continue
          }
          const painted = await page.evaluate<number | null>(FIRST_CONTENTFUL_PAINT)
          if (painted !== null) firstPaints.push({ screen: screen.name, path, ms: painted })
          for (const violation of await seriousAccessibilityViolations(page)) {
            problems.push({ screen: screen.name, path, what: `axe ${violation.impact} ${violation.id}: ${violation.targets.join('; ')}` })
          }
          const overflow = await page.evaluate<{ by: number; where: string[] }>(SIDEWAYS_SCROLL)
          if (overflow.by > 0) problems.push({ screen: screen.name, path, what: `scrolls sideways by ${overflow.by} px at ${overflow.where.join(', ')}` })
        }
      } finally {
        await context.close()
      }
    }
    // Said, not asserted: speed is measured, never a timed assertion (a busy CI machine would fail it at random).
    const slowest = [...firstPaints].sort((a, b) => b.ms - a.ms)
    const median = slowest[Math.floor(slowest.length / 2)]
    if (median) process.stdout.write(`      first contentful paint over ${slowest.length} pages: median ${Math.round(median.ms)} ms, slowest ${Math.round(slowest[0].ms)} ms (${slowest[0].screen} ${slowest[0].path})\n`)
    return problems
  }

  const roles: [Role, string | null][] = [['SPECIALIST', 'VAYOTS_DZOR'], ['SENIOR_SPECIALIST', 'VAYOTS_DZOR'], ['REGIONAL_HEAD', 'VAYOTS_DZOR'], ['SERVICE_HEAD', null], ['ADMINISTRATOR', null]]
  for (const [role, region] of roles) {
    it(`when a ${role.toLowerCase().replace('_', ' ')} opens every page of their navigation, then each is accessible and fits a phone`, async () => {
      const person = await createPerson(role, region)
      const problems = await visitAll(session().browser, session().baseUrl, person.username)
      expect(problems.map((problem) => `${problem.screen} ${problem.path}: ${problem.what}`)).to.deep.equal([])
    })
  }
})
