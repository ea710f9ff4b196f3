import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { browserSuite, submitWith, textOf, confirmWith } from '../helpers/browser'
import { createPerson } from '../helpers/people'

/*
 * Issue 7 in a real browser: Kotayk's head submits the first quarter's report, the service head returns it from the
 * national roll-up, the head resubmits it as version 2 and the service head accepts it with a grade (Kotayk, 2035).
 */
const TODAY = '2035-04-03T10:00:00+04:00' // a Tuesday; the report of 2035's first quarter is due on Thursday 05.04.2035
const QUARTER = '2035 թ. 1-ին եռամսյակ'

describe('browser: quarterly report', () => {
  const session = browserSuite(TODAY)

  /** A signed-in page, and anything the browser refuses (a script or style the CSP blocks) or fails to run. */
  async function signedIn(username: string): Promise<{ page: Page; problems: string[] }> {
    const problems: string[] = []
    const page = await session().signedIn(username, (fresh) => {
      fresh.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      fresh.on('pageerror', (error) => problems.push(error.message))
    })
    return { page, problems }
  }

  it('when the head submits, the service head returns it, the head resubmits and the service head accepts it, then the history shows both versions and the grade', async () => {
    const headAccount = await createPerson('REGIONAL_HEAD', 'KOTAYK')
    const serviceHeadAccount = await createPerson('SERVICE_HEAD', null)

    // 1. The head opens the quarter's report from the navigation, writes the narrative and submits it.
    const { page: head } = await signedIn(headAccount.username)
    await submitWith(head, head.getByRole('link', { name: 'Եռամսյակային հաշվետվություններ', exact: true }))
    await submitWith(head, head.getByRole('link', { name: QUARTER, exact: true }))
    expect(await textOf(head.getByRole('heading', { level: 1 }))).to.equal(`Եռամսյակային հաշվետվություն: Կոտայքի մարզային մարմին, ${QUARTER}`)
    expect(await textOf(head.getByTestId('report-due'))).to.equal('05.04.2035')
    const narrative = head.getByTestId('narrative-form')
    await narrative.getByLabel('Հայտնաբերված խնդիրներ', { exact: true }).fill('Երկու մասնագետի հաստիք թափուր է։')
    await narrative.getByLabel('Առաջարկներ', { exact: true }).fill('Համալրել հաստիքները։')
    expect(await confirmWith(head, narrative.getByRole('button', { name: 'Ներկայացնել Ծառայության պետին' }))).to.contain('Ներկայացնե՞լ հաշվետվությունը')
    expect(await textOf(head.getByTestId('report-status'))).to.equal('Տարբերակ 1: Ներկայացված, սպասում է որոշման')
    expect(await head.getByTestId('narrative-form').count()).to.equal(0)
    expect(await head.getByTestId('figures-frozen').count()).to.equal(1)

    // 2. The service head finds it on the national roll-up (charts drawn, nothing refused) and returns it.
    const { page: serviceHead, problems } = await signedIn(serviceHeadAccount.username)
    await submitWith(serviceHead, serviceHead.getByRole('link', { name: 'Եռամսյակային հաշվետվություններ', exact: true }))
    expect(await textOf(serviceHead.getByRole('heading', { level: 1 }))).to.equal(`Եռամսյակային ամփոփում ըստ մարզային մարմինների: ${QUARTER}`)
    // Chart.js (served by the app) has drawn the four charts.
    await serviceHead.waitForFunction('window.Chart !== undefined && Object.keys(window.Chart.instances).length === 4')
    expect(problems, 'console errors on the roll-up').to.deep.equal([])
    await submitWith(serviceHead, serviceHead.getByTestId('national-rollup').getByRole('link', { name: 'Կոտայքի մարզային մարմին', exact: true }))
    const decision = serviceHead.getByTestId('decision-form')
    await decision.getByLabel('Վերադարձնել լրամշակման', { exact: true }).check()
    await decision.getByLabel('Մեկնաբանություն', { exact: true }).fill('Նշեք, թե որ ամիսներին են հանդիպումները պակաս եղել։')
    await confirmWith(serviceHead, decision.getByRole('button', { name: 'Գրանցել որոշումը' }))
    expect(await textOf(serviceHead.getByTestId('report-status'))).to.equal('Տարբերակ 1: Վերադարձված')

    // 3. The head sees the comment and resubmits: a new version, starting from the returned one's narrative.
    await head.reload()
    expect(await textOf(head.getByTestId('decision-comment'))).to.contain('Նշեք, թե որ ամիսներին են հանդիպումները պակաս եղել։')
    expect(await textOf(head.getByRole('heading', { name: 'Նոր տարբերակ 2' }))).to.equal('Նոր տարբերակ 2')
    const again = head.getByTestId('narrative-form')
    expect(await again.getByLabel('Հայտնաբերված խնդիրներ', { exact: true }).inputValue()).to.equal('Երկու մասնագետի հաստիք թափուր է։')
    await again.getByLabel('Հայտնաբերված խնդիրներ', { exact: true }).fill('Երկու մասնագետի հաստիք թափուր է. փետրվարին և մարտին հանդիպումները պակաս են եղել։')
    await confirmWith(head, again.getByRole('button', { name: 'Ներկայացնել Ծառայության պետին' }))
    expect(await textOf(head.getByTestId('report-status'))).to.equal('Տարբերակ 2: Ներկայացված, սպասում է որոշման')

    // 4. The service head accepts version 2 with a grade.
    await serviceHead.reload()
    const accept = serviceHead.getByTestId('decision-form')
    await accept.getByLabel('Ընդունել', { exact: true }).check()
    await accept.getByLabel('Գնահատական (ընդունելիս)', { exact: true }).selectOption({ label: 'Լավ' })
    await accept.getByLabel('Մեկնաբանություն', { exact: true }).fill('Ընդունված է։')
    await confirmWith(serviceHead, accept.getByRole('button', { name: 'Գրանցել որոշումը' }))
    expect(await textOf(serviceHead.getByTestId('report-status'))).to.equal('Տարբերակ 2: Ընդունված')
    expect(await textOf(serviceHead.getByTestId('report-grade'))).to.equal('Լավ')

    await head.reload()
    const history = await textOf(head.getByTestId('report-history'))
    expect(history).to.contain('Տարբերակ 2 Ընդունված').and.contain('Տարբերակ 1 Վերադարձված').and.contain('Լավ').and.contain('Նշեք, թե որ ամիսներին')
    expect(await head.getByTestId('narrative-form').count()).to.equal(0)
  })
})
