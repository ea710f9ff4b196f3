import { expect } from 'chai'
import { startBrowserApp, submitWith, textOf, type BrowserApp } from '../helpers/browser'
import { createPerson, TEST_PASSWORD } from '../helpers/people'

describe('signing in with a real browser', () => {
  let session: BrowserApp | undefined

  before(async function () {
    session = await startBrowserApp(this)
  })

  after(async () => {
    await session?.close()
  })

  it('when the Ararat regional head signs in in Armenian, switches to English and signs out, then every page speaks the chosen language', async () => {
    const person = await createPerson('REGIONAL_HEAD', 'ARARAT')
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
