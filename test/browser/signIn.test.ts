import { expect } from 'chai'
import { generate } from 'otplib'
import { seriousAccessibilityViolations, startBrowserApp, submitWith, textOf, type BrowserApp } from '../helpers/browser'
import { createPerson, TEST_PASSWORD } from '../helpers/people'

describe('signing in with a real browser', () => {
  let session: BrowserApp | undefined

  before(async function () {
    session = await startBrowserApp(this)
  })

  after(async () => {
    await session?.close()
  })

  it('when the Ararat regional head signs in in Armenian for the first time, sets up the authenticator app, switches to English and signs out, then every page speaks the chosen language', async () => {
    const person = await createPerson('REGIONAL_HEAD', 'ARARAT', { enrolled: false })
    const context = await session!.browser.newContext()
    const baseUrl = session!.baseUrl
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

      // The first sign-in sets up the authenticator app: the QR code, or the key typed by hand, then its code.
      expect(new URL(page.url()).pathname, 'the first sign-in').to.equal('/sign-in/enrol')
      expect(await page.getByRole('img', { name: 'QR կոդ՝ նույնականացման հավելվածի համար' }).locator('svg').count()).to.equal(1)
      expect(await seriousAccessibilityViolations(page), 'the enrolment page').to.deep.equal([])
      const key = (await textOf(page.getByTestId('enrol-key'))).replace(/ /g, '')
      await page.getByLabel('Կոդ', { exact: true }).fill('000000')
      await submitWith(page, page.getByRole('button', { name: 'Կապել և մուտք գործել', exact: true }))
      expect(await textOf(page.locator('#code-error')), 'a wrong code is told beside the field').to.contain('Կոդը չի համապատասխանում այս բանալուն')
      await page.getByLabel('Կոդ', { exact: true }).fill(await generate({ secret: key, epoch: Math.floor(session!.testApp.clock.now().getTime() / 1000) }))
      await submitWith(page, page.getByRole('button', { name: 'Կապել և մուտք գործել', exact: true }))
      expect(await page.getByTestId('recovery-codes').getByRole('listitem').count(), 'ten recovery codes, shown once').to.equal(10)
      expect(await seriousAccessibilityViolations(page), 'the recovery codes page').to.deep.equal([])
      await submitWith(page, page.getByRole('link', { name: 'Պահել եմ, շարունակել', exact: true }))
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
