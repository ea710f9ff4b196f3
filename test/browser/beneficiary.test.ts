import { expect } from 'chai'
import { signInThroughForm, startBrowserApp, submitWith, textOf, type BrowserApp, openFromMenu } from '../helpers/browser'
import { createPerson, TEST_PASSWORD } from '../helpers/people'

describe('a registration card in a real browser', () => {
  let session: BrowserApp | undefined

  before(async function () {
    session = await startBrowserApp(this)
  })

  after(async () => {
    await session?.close()
  })

  it('when an officer creates a card, finds the person by a Latin spelling and opens the file, then the file shows the card', async () => {
    const officer = await createPerson('SPECIALIST', 'ARARAT')
    const context = await session!.browser.newContext()
    try {
      const page = await context.newPage()
      await signInThroughForm(page, session!, officer.username, TEST_PASSWORD)
      await openFromMenu(page, 'Անձինք', 'Մատյան')
      await submitWith(page, page.getByRole('link', { name: 'Նոր հաշվառման քարտ' }))

      await page.getByLabel('Ազգանուն', { exact: true }).fill('Թովմասյան')
      await page.getByLabel('Անուն', { exact: true }).fill('Վարդան')
      await page.getByLabel('Հայրանուն', { exact: true }).fill('Աշոտի')
      await page.getByLabel('Սեռ').selectOption('MALE')
      await page.getByLabel('Ծննդյան ամսաթիվ').fill('14.09.1993')
      await page.getByLabel('Շահառուի կատեգորիա').selectOption('NON_CUSTODIAL_PUNISHMENT')
      await submitWith(page, page.getByRole('button', { name: 'Պահպանել' }))

      const fileNumber = await textOf(page.locator('h1 + p .fw-semibold'))
      expect(fileNumber).to.match(/^Անձնական գործ ԱՐ-\d{4}-\d{4}$/)
      expect(await textOf(page.getByTestId('card'))).to.contain('Tovmasyan Vardan Ashoti')

      await openFromMenu(page, 'Անձինք', 'Որոնում')
      await page.getByLabel(/Անուն, անձնական գործի համար/).fill('Tovmasian')
      await submitWith(page, page.getByRole('button', { name: 'Որոնել' }))
      const result = page.getByTestId('register').getByRole('link', { name: /ԱՐ-/ })
      expect(await result.count()).to.be.greaterThan(0)
      await submitWith(page, result.first())
      expect(await textOf(page.getByRole('heading', { level: 1 }))).to.equal('Թովմասյան Վարդան Աշոտի')
      expect(await textOf(page.getByTestId('file-status'))).to.equal('Ակտիվ')
    } finally {
      await context.close()
    }
  })
})
