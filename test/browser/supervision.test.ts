import { expect } from 'chai'
import { browserSuite, submitWith, textOf, openFromMenu, confirmWith } from '../helpers/browser'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, currentCodeOf, regionIdOf, TEST_PASSWORD } from '../helpers/people'
import { formatDate } from '../../server/domain/dates'
import { User } from '../../models'
import { questionNumbers } from '../../server/domain/instruments'

/*
 * Issue 5 in a real browser: the responsible officer completes a risk and needs assessment, builds the supervision
 * plan on it, the regional head approves it, and the officer books an office visit and records it as held; the
 * contacts page counts it for the month against the plan's frequency, in Lori's body in 2035.
 */
const TODAY = '2035-02-05T10:00:00+04:00' // a Monday
const TODAY_SHOWN = '05.02.2035'
// The day after: the visit booked for tomorrow 10:00 (the booking form's default) is over by 11:30.
const AFTER_THE_VISIT = '2035-02-06T11:30:00+04:00'
const VISIT_SHOWN = '06.02.2035 10:00'
const NEED_DOMAIN = 'ACCOMMODATION'
const LAST_EVIDENCE = 'Ապրում է ընկերոջ մոտ, վարձակալության պայմանագիր չունի'

describe('browser: supervision journey', () => {
  const session = browserSuite(TODAY)

  const signedIn = (username: string) => session().signedIn(username)

  it('when the officer completes an assessment, builds the plan and the head approves it, then a visit recorded as held counts for the month against the plan', async function () {
    this.timeout(120_000)
    const services = session().testApp.services
    const officerAccount = await createPerson('SPECIALIST', 'LORI')
    const headAccount = await createPerson('REGIONAL_HEAD', 'LORI')
    const officerName = (await User.findByPk(officerAccount.id))!.fullName
    const file = await createBeneficiary(await regionIdOf('LORI'), officerAccount.id)
    const fileLink = `${file.fileNumber} · Պետրոսյան Արմեն`

    // 1. The officer starts the assessment from the person's file.
    const officer = await signedIn(officerAccount.username)
    await officer.goto(`${session().baseUrl}/beneficiaries/${file.id}`)
    await submitWith(officer, officer.getByRole('link', { name: 'Գնահատումներ և պլաններ', exact: true }))
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal('Գնահատումներ և վերահսկողության պլաններ')
    await submitWith(officer, officer.getByRole('button', { name: 'Սկսել գնահատումը', exact: true }))
    const assessmentId = Number(/\/assessments\/(\d+)$/.exec(new URL(officer.url()).pathname)![1])
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal('Սկզբնական գնահատում · Նախագիծ')

    // Every item answered: the highest-scoring option in accommodation, the lowest elsewhere; evidence where the
    // instrument requires it. The instrument is the one this assessment uses.
    const { instrument } = await services.assessments.get(assessmentId)
    let expectedTotal = 0
    const numbers = questionNumbers(instrument)
    for (const domain of instrument.domains) {
      for (const item of domain.items) {
        const sorted = [...item.options].sort((a, b) => a.score - b.score)
        const chosen = domain.code === NEED_DOMAIN ? sorted[sorted.length - 1] : sorted[0]
        expectedTotal += chosen.score
        // Each item is a radio group named by its numbered question; its evidence box is labelled with the question too.
        await officer.getByRole('radiogroup', { name: `${numbers.get(item.code)}. ${item.text.hy}`, exact: true }).getByRole('radio', { name: chosen.label.hy, exact: true }).check()
        if (item.evidenceRequired) await officer.getByLabel(`${item.text.hy}: Հիմնավորում (պարտադիր)`, { exact: true }).fill('Դատավճիռ, գործի նյութեր')
      }
    }
    // The last thing typed is a note on the first accommodation item; the page saves it in the background. The
    // officer finishes once it says it is saved, so "Complete" carries the version that save returned.
    const accommodation = instrument.domains.find((domain) => domain.code === NEED_DOMAIN)!
    const lastItem = accommodation.items[0]
    const autosaved = officer.waitForResponse((response) =>
      response.url().endsWith(`/assessments/${assessmentId}/draft`) && new URLSearchParams(response.request().postData() ?? '').get(`evidence_${lastItem.code}`) === LAST_EVIDENCE)
    await officer.getByLabel(`${lastItem.text.hy}: Հիմնավորում`, { exact: true }).fill(LAST_EVIDENCE)
    const saved = await autosaved
    expect(saved.status(), 'the background save').to.equal(200)
    const { version: savedVersion } = (await saved.json()) as { version: number }
    await officer.waitForFunction(`document.querySelector('[data-version]').value === '${savedVersion}'`)
    expect(await textOf(officer.getByRole('status').filter({ hasText: 'Պահպանված է՝' }))).to.match(/^Պահպանված է՝ 05\.02\.2035 10:00$/)

    const completion = officer.waitForResponse((response) => response.url().endsWith(`/assessments/${assessmentId}/complete`))
    await submitWith(officer, officer.getByRole('button', { name: 'Ավարտել գնահատումը', exact: true }))
    const completed = await completion
    // A 409 here would be the page's own background save taken for someone else's edit.
    const refusal = completed.status() === 303 ? '' : (await officer.getByRole('alert').allTextContents()).join(' | ')
    expect(completed.status(), `completing the assessment: ${refusal}`).to.equal(303)
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal('Սկզբնական գնահատում · Ավարտված')
    const result = officer.getByRole('region', { name: 'Արդյունք', exact: true })
    expect(await textOf(result.getByTestId('assessment-level'))).to.match(new RegExp(`^Ռիսկի մակարդակ: Ցածր \\(ընդհանուր՝ ${expectedTotal} / \\d+\\)$`))
    expect(await textOf(result.getByText('Կարիքներ:'))).to.equal(`Կարիքներ: ${accommodation.title.hy}`)
    const needRow = result.getByTestId('domain-scores').getByRole('row').filter({ hasText: accommodation.title.hy })
    const needMax = accommodation.items.reduce((sum, item) => sum + Math.max(...item.options.map((option) => option.score)), 0)
    expect((await needRow.getByRole('cell').allTextContents()).map((cell) => cell.trim())).to.deep.equal([accommodation.title.hy, `${needMax} / ${needMax}`, 'կարիք'])

    // 2. The officer draws up the plan on it: the goal for the need, a step, the person's agreement; submits it.
    await submitWith(officer, officer.getByRole('link', { name: fileLink, exact: true }))
    await submitWith(officer, officer.getByRole('button', { name: 'Կազմել պլանը վերջին գնահատման հիման վրա', exact: true }))
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal('Պլան, տարբերակ 1 · Նախագիծ')
    expect(await textOf(officer.getByTestId('plan-frequency'))).to.equal('ամսական 1 — ռիսկի մակարդակ՝ Ցածր, աղյուսակով՝ 1')
    expect(await officer.getByTestId('needs-without-goal').count(), 'the need has its goal already').to.equal(0)
    const goal = officer.getByRole('article').filter({ has: officer.getByRole('heading', { name: new RegExp(`^${accommodation.title.hy} · `) }) })
    expect(await goal.count(), 'one goal, prefilled for the need').to.equal(1)
    const goalForm = goal.locator('form').filter({ has: officer.getByLabel('Նպատակ', { exact: true }) })
    expect(await goalForm.getByLabel('Կարիք (ոլորտ)', { exact: true }).inputValue()).to.equal(NEED_DOMAIN)
    expect(await goalForm.getByLabel('Ժամկետ', { exact: true }).inputValue()).to.equal(formatDate(services.plans.defaultTargetDate()))
    await goalForm.getByLabel('Նպատակ', { exact: true }).fill('Ապահովել կայուն և անվտանգ բնակարան')
    await goalForm.getByLabel('Ժամկետ', { exact: true }).fill('30.04.2035')
    await submitWith(officer, goalForm.getByRole('button', { name: 'Պահպանել', exact: true }))
    expect(await textOf(goal.getByRole('heading', { level: 3 }))).to.equal(`${accommodation.title.hy} · Ընթացիկ · Ժամկետ: 30.04.2035`)

    await goal.locator('summary').filter({ hasText: 'Ավելացնել քայլ' }).click()
    const stepForm = goal.locator('form').filter({ has: officer.getByRole('button', { name: 'Ավելացնել քայլ', exact: true }) })
    await stepForm.getByLabel('Քայլի տեսակ', { exact: true }).selectOption({ label: 'Սոցիալ-հոգեբանական աշխատանք' })
    await stepForm.getByLabel('Ով է կատարում', { exact: true }).fill('Պատասխանատու աշխատակից')
    await stepForm.getByLabel('Ժամկետ', { exact: true }).fill('31.03.2035')
    await stepForm.getByLabel('Նկարագրություն', { exact: true }).fill('Դիմել համայնքապետարան՝ սոցիալական բնակարանի հերթագրման համար')
    await submitWith(officer, stepForm.getByRole('button', { name: 'Ավելացնել քայլ', exact: true }))
    expect(await textOf(goal.getByRole('listitem'))).to.contain('Սոցիալ-հոգեբանական աշխատանք: Դիմել համայնքապետարան՝ սոցիալական բնակարանի հերթագրման համար — Պատասխանատու աշխատակից, 31.03.2035')

    const agreement = officer.getByRole('region', { name: 'Շահառուի համաձայնությունը', exact: true })
    await agreement.getByLabel('Շահառուի համաձայնություն', { exact: true }).selectOption({ label: 'Համաձայն է' })
    expect(await agreement.getByLabel('Ամսաթիվ', { exact: true }).inputValue()).to.equal(TODAY_SHOWN)
    await submitWith(officer, agreement.getByRole('button', { name: 'Պահպանել', exact: true }))
    expect(await textOf(officer.getByTestId('plan-agreement'))).to.equal(`Համաձայն է (${TODAY_SHOWN})`)

    await confirmWith(officer, officer.getByRole('button', { name: 'Ներկայացնել պետին հաստատման', exact: true }))
    const planUrl = officer.url()
    expect(await textOf(officer.getByTestId('plan-status'))).to.equal('Ներկայացված է հաստատման')
    expect(await officer.getByRole('button', { name: 'Հաստատել պլանը' }).count(), 'nobody approves their own plan').to.equal(0)

    // 3. The head finds the plan among their own work and approves it.
    const head = await signedIn(headAccount.username)
    await openFromMenu(head, 'Աշխատանք և ժամկետներ', 'Իմ աշխատանքը')
    await head.getByLabel('Տեսակ', { exact: true }).selectOption({ label: 'Պլանը սպասում է հաստատման' })
    await submitWith(head, head.getByRole('button', { name: 'Ֆիլտրել', exact: true }))
    await submitWith(head, head.getByRole('region', { name: /^Այսօր \(\d+\)$/ }).getByRole('link', { name: fileLink, exact: true }))
    expect(head.url()).to.equal(planUrl)
    await submitWith(head, head.getByRole('region', { name: 'Պետի որոշում', exact: true }).getByRole('button', { name: 'Հաստատել պլանը', exact: true }))
    expect(await textOf(head.getByTestId('plan-status'))).to.equal('Գործող')
    const planId = Number(/\/plans\/(\d+)$/.exec(planUrl)![1])
    const approved = await services.plans.get(planId)
    // Three months on (a weekend moves it to the next working day).
    expect(approved.reviewDate, 'a review date once approved').to.match(/^2035-05-0[5-7]$/)
    const reviewShown = formatDate(approved.reviewDate)
    expect(await textOf(head.locator('dl'))).to.contain(`Վերանայման ժամկետ${reviewShown}`).and.contain(`Հաստատող${(await User.findByPk(headAccount.id))!.fullName}, ${TODAY_SHOWN}`)

    // The officer sees it in force on the person's supervision page.
    await officer.reload()
    expect(await textOf(officer.getByTestId('plan-status'))).to.equal('Գործող')
    await submitWith(officer, officer.getByRole('link', { name: fileLink, exact: true }))
    expect(await textOf(officer.getByTestId('plans'))).to.equal(`Պլան, տարբերակ 1 · Գործող · հաստատվել է ${TODAY_SHOWN} · Վերանայման ժամկետ: ${reviewShown}`)

    // 4. The officer books an office visit for tomorrow from the person's contacts page.
    await submitWith(officer, officer.getByRole('link', { name: fileLink, exact: true }))
    await submitWith(officer, officer.getByRole('link', { name: 'Հանդիպումներ և կապեր', exact: true }))
    const contactsUrl = officer.url()
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal('Հանդիպումներ և կապեր')
    expect(await textOf(officer.getByTestId('plan-frequency'))).to.equal(`Պլան, տարբերակ 1, գործում է ${TODAY_SHOWN}-ից: ամսական 1 հանդիպում`)
    const february = officer.getByTestId('compliance-2035-02')
    const cells = async () => (await february.locator('th, td').allTextContents()).map((cell) => cell.trim())
    // Month, required, held, acceptable and unacceptable absences, awaiting an outcome, status.
    expect(await cells()).to.deep.equal(['02.2035', '1', '0', '0', '0', '0', 'Ընթացքում'])

    const booking = officer.getByRole('region', { name: 'Նշանակել հանդիպում', exact: true })
    await booking.getByLabel('Տեսակ', { exact: true }).selectOption({ label: 'Այց մարմին' })
    expect(await booking.getByLabel('Ամսաթիվ', { exact: true }).inputValue(), 'suggested: tomorrow').to.equal('06.02.2035')
    expect(await booking.getByLabel('Ժամ', { exact: true }).inputValue()).to.equal('10:00')
    await booking.getByLabel('Վայր', { exact: true }).fill('Վանաձոր, մարմնի գրասենյակ, սենյակ 2')
    await submitWith(officer, booking.getByRole('button', { name: 'Նշանակել', exact: true }))
    const upcoming = officer.getByRole('region', { name: 'Առաջիկա հանդիպումներ', exact: true })
    const booked = upcoming.getByRole('row').filter({ hasText: VISIT_SHOWN })
    expect(await textOf(booked)).to.contain(`${VISIT_SHOWN} (60 րոպե)`).and.contain('Այց մարմին').and.contain('Վանաձոր, մարմնի գրասենյակ, սենյակ 2').and.contain(officerName)
    expect(await booked.getByLabel('Արդյունք').count(), 'no outcome before the visit').to.equal(0)

    // The visit takes place; the officer comes back after it (the session has idled out meanwhile) and records it.
    session().testApp.clock.set(AFTER_THE_VISIT)
    await officer.reload()
    expect(new URL(officer.url()).pathname, 'an idle session ends').to.equal('/sign-in')
    expect(await textOf(officer.getByRole('status').filter({ hasText: 'աշխատաշրջան' }))).to.equal('Ձեր աշխատաշրջանն ավարտվել է։ Կրկին մուտք գործեք։')
    await officer.getByLabel('Օգտանուն', { exact: true }).fill(officerAccount.username)
    await officer.getByLabel('Գաղտնաբառ', { exact: true }).fill(TEST_PASSWORD)
    await submitWith(officer, officer.getByRole('button', { name: 'Մուտք', exact: true }))
    await officer.getByLabel('Կոդ', { exact: true }).fill(await currentCodeOf(officerAccount.username, session().testApp.clock))
    await officer.getByRole('button', { name: 'Հաստատել', exact: true }).click()
    // Signing in returns to the page that was being opened: wait for it, not for the first navigation of the redirect chain.
    await officer.waitForURL((url) => url.href.split('#')[0] === contactsUrl)
    await officer.getByRole('navigation').waitFor()
    // The region's list of past appointments without an outcome leads back to the person's contacts page.
    await openFromMenu(officer, 'Միջոցներ և վերահսկողություն', 'Չարձանագրված հանդիպումներ')
    await officer.getByLabel('Միայն իմ գործերը', { exact: true }).check()
    await submitWith(officer, officer.getByRole('button', { name: 'Ֆիլտրել', exact: true }))
    const pending = officer.getByTestId('pending').getByRole('row').filter({ hasText: file.fileNumber })
    expect(await textOf(pending)).to.contain(VISIT_SHOWN).and.contain('Այց մարմին')
    await submitWith(officer, pending.getByRole('link', { name: file.fileNumber, exact: true }))
    expect(officer.url().split('#')[0]).to.equal(contactsUrl)
    expect(await cells()).to.deep.equal(['02.2035', '1', '0', '0', '0', '1', 'Ընթացքում'])
    const past = officer.getByRole('region', { name: 'Անցած հանդիպումներ', exact: true })
    const held = past.getByRole('row').filter({ hasText: VISIT_SHOWN })
    expect(await textOf(held.getByTestId('awaiting-outcome'))).to.equal('Արդյունքը գրանցված չէ')
    await held.getByLabel('Արդյունք', { exact: true }).selectOption({ label: 'Ներկայացել է, պահանջները կատարել է' })
    await held.getByLabel('Նշում արդյունքի մասին', { exact: true }).fill('Ներկայացավ ժամանակին, ներկայացրեց բնակարանի վարձակալության հայտարարությունները')
    await submitWith(officer, held.getByRole('button', { name: 'Պահպանել', exact: true }))

    expect(await textOf(held.getByTestId('outcome'))).to.equal('Ներկայացել է, պահանջները կատարել է')
    expect(await textOf(held)).to.contain('Ներկայացավ ժամանակին').and.contain(`${officerName}, 06.02.2035 11:30`)
    expect(await held.getByTestId('awaiting-outcome').count()).to.equal(0)
    expect(await cells()).to.deep.equal(['02.2035', '1', '1', '0', '0', '0', 'Համապատասխանում է'])
  })
})
