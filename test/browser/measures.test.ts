import { expect } from 'chai'
import { signInThroughForm, startBrowserApp, submitWith, textOf, type BrowserApp } from '../helpers/browser'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, TEST_PASSWORD } from '../helpers/people'

describe('public works in a real browser', () => {
  let session: BrowserApp | undefined

  before(async function () {
    session = await startBrowserApp(this)
    session.testApp.clock.set('2026-11-23T10:00:00+04:00')
  })

  after(async () => {
    await session?.close()
  })

  it('when an officer records a court act with public works and logs sessions, then the file shows the hours done and left', async () => {
    const officer = await createPerson('SPECIALIST', 'LORI')
    const file = await createBeneficiary(await regionIdOf('LORI'), officer.id)
    const context = await session!.browser.newContext()
    try {
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      await signInThroughForm(page, session!, officer.username, TEST_PASSWORD)
      await page.goto(`${session!.baseUrl}/beneficiaries/${file.id}`)
      await submitWith(page, page.getByRole('link', { name: 'Գրանցել դատական ակտ' }))
      // The act first, then its measure: what was typed stays when the measure's fields are shown.
      await page.getByLabel('Դատարան', { exact: true }).fill('Լոռու մարզի առաջին ատյանի դատարան')
      await page.getByLabel('Գործի համար').fill('ԼԴ/0789/01/26')
      await page.getByLabel('հանրային աշխատանքներ').check()
      await submitWith(page, page.getByRole('button', { name: 'Շարունակել' }))
      expect(await page.getByLabel('Գործի համար').inputValue()).to.equal('ԼԴ/0789/01/26')

      await page.getByLabel('Ակտի տեսակ').selectOption('VERDICT')
      await page.getByLabel('Ակտի ամսաթիվ').fill('02.11.2026')
      await page.getByLabel('Օրինական ուժի մեջ է մտել').fill('13.11.2026')
      await page.getByLabel('Ստացվել է Մարմնում').fill('20.11.2026')
      await page.getByLabel('Նշանակված ժամերի քանակը').fill('60')
      await submitWith(page, page.getByRole('button', { name: 'Գրանցել', exact: true }))

      await submitWith(page, page.getByTestId('file-measures').getByRole('link', { name: 'հանրային աշխատանքներ' }))
      await page.getByLabel('Քայլ').selectOption('start')
      await page.getByLabel('Ամսաթիվ', { exact: true }).fill('20.11.2026')
      await submitWith(page, page.getByRole('button', { name: 'Պահպանել' }))
      expect(await textOf(page.getByTestId('measure-state'))).to.equal('Կատարման ընթացքում')

      for (const [date, hours] of [['21.11.2026', '4'], ['22.11.2026', '4']]) {
        await page.getByLabel('Աշխատանքի ամսաթիվ').fill(date)
        await page.getByLabel('Ժամեր', { exact: true }).fill(hours)
        await page.getByLabel('Հաստատել է').fill('Վանաձորի համայնքապետարան')
        await submitWith(page, page.getByRole('button', { name: 'Գրանցել ժամերը' }))
      }
      expect(await textOf(page.getByTestId('progress'))).to.contain('Կատարված է 8 ժամ 60-ից, մնացել է 52')
      expect(await page.getByTestId('sessions').locator('tbody tr').count()).to.equal(2)
    } finally {
      await context.close()
    }
  })
})
