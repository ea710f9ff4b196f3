import { expect } from 'chai'
import en from '../../locales/en.json'
import type { Browser, Page } from 'playwright-core'
import { Beneficiary } from '../../models'
import { DEMO_PASSWORD, seedDemoAccounts } from '../../server/db/demoData'
import { seedDemoOffice } from '../../server/db/demoOffice'
import { browserSuite, seriousAccessibilityViolations, signInThroughForm, type BrowserApp } from '../helpers/browser'
import { testDatabase } from '../helpers/database'

/*
 * Every page of the main navigation and the pages they link to, for every role, on an office desktop and on a 390 px
 * phone: it opens, axe finds nothing serious or critical, it shows words (no message key, object dump or undefined),
 * and on the phone the page itself never scrolls sideways (wide tables scroll in their own box). Each role's pages
 * are the links its navigation offers, plus a personal file where it may open one.
 */
/** The day the demo office is made for and the app's clock stands at (a Wednesday). */
const DEMO_DAY = '2034-10-11'
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

/** Links that are downloads or actions, not pages. */
const NOT_PAGES = /(export|download|\.pdf|\.xlsx|\.csv|\.ics|\/sign-out|\/documents\/)/
/** How many pages one step from the navigation a person's crawl opens, each of another shape. */
const FOLLOWED_PER_PERSON = 40
/** A path with its ids as placeholders: one page of each shape is enough. */
const shapeOf = (path: string) => path.replace(/\/\d+/g, '/:id')

/** What a page shows: its text and its inputs' types. */
const SHOWN_TEXT = `({ text: document.body.innerText, inputTypes: [...document.querySelectorAll('input')].map((input) => input.getAttribute('type') ?? '') })`

/** The first part of every message key (audit, board, measure...): a word of the page starting so is a key shown raw. */
const KEY_NAMESPACES = new Set(Object.keys(en).map((key) => key.split('.')[0]))

/** Message keys, object dumps and undefined values a page shows instead of words. */
function rawTextIn(shown: { text: string; inputTypes: string[] }): string[] {
  const keys = [...shown.text.matchAll(/(?<![\w@/.-])([a-z][a-zA-Z]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+)(?![\w@/-])/g)].map((match) => match[1]).filter((token) => KEY_NAMESPACES.has(token.split('.')[0]))
  const dumps = ['[object Object]', 'undefined', 'NaN'].filter((dump) => shown.text.includes(dump) || shown.inputTypes.includes(dump))
  return [...new Set([...keys, ...dumps])]
}

interface Problem {
  screen: string
  path: string
  what: string
}

describe('browser: every page of each role, on a desktop and a phone', function () {
  // The demo office is made first (a fresh database for this file): every page then has real records to show.
  this.timeout(300_000)
  const session = browserSuite(`${DEMO_DAY}T10:00:00+04:00`)
  let filePath = ''

  before(async () => {
    await seedDemoAccounts()
    await seedDemoOffice(testDatabase().url, DEMO_DAY)
    const [file] = await Beneficiary.findAll({ include: [{ association: 'responsibleOfficer', where: { username: 'ararat.officer1' } }], order: [['id', 'ASC']], limit: 1 })
    filePath = `/beneficiaries/${file.id}`
  })

  /** The pages a signed-in person's navigation leads to, and the file where they may open it. */
  async function pagesOf(page: Page): Promise<string[]> {
    const links = await page.locator('header nav a[href^="/"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!))
    return [...new Set([...links, filePath])]
  }

  async function visitAll(browser: Browser, app: BrowserApp, username: string): Promise<Problem[]> {
    const baseUrl = app.baseUrl
    const problems: Problem[] = []
    const firstPaints: { screen: string; path: string; ms: number }[] = []
    for (const screen of SCREENS) {
      const context = await browser.newContext({ viewport: screen.viewport })
      try {
        const page = await context.newPage()
        page.setDefaultTimeout(30_000)
        await signInThroughForm(page, app, username, DEMO_PASSWORD)
        await page.getByTestId('current-user').waitFor({ state: 'attached' })
        const queue = (await pagesOf(page)).map((path) => ({ path, followLinks: true }))
        const shapes = new Set(queue.map(({ path }) => shapeOf(path)))
        let followed = 0
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          const { path, followLinks } = next
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
          for (const raw of rawTextIn(await page.evaluate<{ text: string; inputTypes: string[] }>(SHOWN_TEXT))) problems.push({ screen: screen.name, path, what: `shows "${raw}"` })
          for (const violation of await seriousAccessibilityViolations(page)) {
            problems.push({ screen: screen.name, path, what: `axe ${violation.impact} ${violation.id}: ${violation.targets.join('; ')}` })
          }
          const overflow = await page.evaluate<{ by: number; where: string[] }>(SIDEWAYS_SCROLL)
          if (overflow.by > 0) problems.push({ screen: screen.name, path, what: `scrolls sideways by ${overflow.by} px at ${overflow.where.join(', ')}` })
          if (!followLinks) continue
          // One step further: each page the navigation's pages link to, once per shape (/measures/12 stands for every measure).
          const links = await page.locator('main a[href^="/"]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')!))
          for (const link of links.map((href) => href.split('?')[0].split('#')[0])) {
            const shape = shapeOf(link)
            if (shapes.has(shape) || NOT_PAGES.test(link) || followed >= FOLLOWED_PER_PERSON) continue
            shapes.add(shape)
            followed += 1
            queue.push({ path: link, followLinks: false })
          }
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

  // The demo office's people, one of each role.
  const people: [string, string][] = [['a specialist', 'ararat.officer1'], ['a senior specialist', 'ararat.senior1'], ['the regional head', 'ararat.head'], ['the service head', 'service.head'], ['the administrator', 'admin']]
  for (const [role, username] of people) {
    it(`when ${role} opens every page of their navigation and the pages they link to, then each is accessible, in words, and fits a phone`, async () => {
      const problems = await visitAll(session().browser, session(), username)
      expect(problems.map((problem) => `${problem.screen} ${problem.path}: ${problem.what}`)).to.deep.equal([])
    })
  }
})
