import { expect } from 'chai'
import type { Page } from 'playwright-core'
import { browserSuite, submitWith, textOf, openFromMenu, confirmWith } from '../helpers/browser'
import { createPerson } from '../helpers/people'
import { User } from '../../models'

/*
 * Issue 6 in a real browser: a citizen's complaint is registered, assigned, answered, signed and sent, and it
 * leaves the head's overdue list (Vayots Dzor's body, 2030).
 */
const TODAY = '2030-11-20T10:00:00+04:00' // a Wednesday
// Received on Thursday 05.09.2030: one month later (Law on Petitions) is Saturday 05.10.2030, so the reply
// is due on the next working day, Monday 07.10.2030, and is long overdue by TODAY.
const RECEIVED_ON = '05.09.2030'
const DUE_ON = '07.10.2030'

describe('browser: correspondence journey', () => {
  const session = browserSuite(TODAY)

  const signedIn = (username: string) => session().signedIn(username)

  /** The control view's list of one bucket ("Ժամկետանց (n)" and so on), found by its heading. */
  const bucket = (page: Page, name: string) => page.getByRole('region', { name: new RegExp(`^${name} \\(\\d+\\)$`) })

  it('when an officer registers a late complaint, the head assigns it, the officer drafts the reply, the head signs it and the dispatch is recorded, then it leaves the overdue list', async () => {
    const officerAccount = await createPerson('SPECIALIST', 'VAYOTS_DZOR')
    const headAccount = await createPerson('REGIONAL_HEAD', 'VAYOTS_DZOR')
    const officerName = (await User.findByPk(officerAccount.id))!.fullName

    // 1. The officer registers the complaint.
    const officer = await signedIn(officerAccount.username)
    await openFromMenu(officer, 'Գրագրություն', 'Գրագրություն')
    await submitWith(officer, officer.getByRole('link', { name: 'Գրանցել մտից գրություն' }))
    const form = officer.getByTestId('incoming-form')
    await form.getByLabel('Ստացման ամսաթիվ', { exact: true }).fill(RECEIVED_ON)
    await form.getByLabel('Ստացման եղանակ', { exact: true }).selectOption({ label: 'Փոստով' })
    await form.getByLabel('Գրության տեսակ', { exact: true }).selectOption({ label: 'Բողոք' })
    await form.getByLabel('Ուղարկող', { exact: true }).fill('Գայանե Մկրտչյան')
    await form.getByLabel('Ուղարկողի հասցե կամ էլ. փոստ', { exact: true }).fill('Եղեգնաձոր, Շահումյան 5')
    await form.getByLabel('Թեմա', { exact: true }).fill('Հանդիպումների ժամանակացույցի մասին')
    await form.getByLabel('Հարցի թեմա', { exact: true }).selectOption({ label: 'Վերահսկողության պայմաններ' })
    await form.getByLabel('Ում վերաբերյալ է բողոքը', { exact: true }).selectOption({ label: 'Տարածքային մարմինը' })
    await submitWith(officer, form.getByRole('button', { name: 'Գրանցել', exact: true }))

    const heading = await textOf(officer.getByRole('heading', { level: 1 }))
    expect(heading).to.match(/^ՎՁ-Մ-2030-\d{4} · Բողոք$/)
    const itemNumber = heading.split(' · ')[0]
    expect(await textOf(officer.getByTestId('item-due'))).to.equal(DUE_ON)
    expect(await textOf(officer.getByTestId('item-status'))).to.equal('Գրանցված')
    expect(await textOf(officer.getByRole('region', { name: `Պատասխանի ժամկետ: ${DUE_ON}` }))).to.contain('05.10.2030').and.contain(DUE_ON)

    // 2. The head finds it among the overdue items and assigns it to the officer.
    const head = await signedIn(headAccount.username)
    await openFromMenu(head, 'Գրագրություն', 'Գրագրություն')
    await submitWith(head, head.getByRole('link', { name: 'Ժամկետների հսկողություն' }))
    await submitWith(head, bucket(head, 'Ժամկետանց').getByRole('link', { name: itemNumber, exact: true }))
    const assign = head.getByTestId('assign-form')
    await assign.getByLabel('Կատարող', { exact: true }).selectOption({ label: officerName })
    await assign.getByLabel('Մակագրություն', { exact: true }).fill('Պատասխանել անհապաղ')
    await submitWith(head, assign.getByRole('button', { name: 'Նշանակել' }))
    expect(await textOf(head.getByTestId('item-assignee'))).to.contain(officerName).and.contain('Մակագրություն: Պատասխանել անհապաղ')
    expect(await textOf(head.getByTestId('item-status'))).to.equal('Մակագրված')

    // 3. The officer finds it among their own items, starts work and drafts the reply; it waits for the head.
    await openFromMenu(officer, 'Գրագրություն', 'Իմ գրությունները')
    await submitWith(officer, bucket(officer, 'Ժամկետանց').getByRole('link', { name: itemNumber, exact: true }))
    await submitWith(officer, officer.getByRole('button', { name: 'Սկսել կատարումը' }))
    expect(await textOf(officer.getByTestId('item-status'))).to.equal('Կատարման ընթացքում')
    await officer.getByText('Կազմել պատասխանի նախագիծը', { exact: true }).click()
    const reply = officer.getByTestId('reply-form')
    expect(await reply.getByLabel('Հասցեատեր', { exact: true }).inputValue()).to.equal('Գայանե Մկրտչյան')
    expect(await reply.getByLabel('Հասցե կամ էլ. փոստ', { exact: true }).inputValue()).to.equal('Եղեգնաձոր, Շահումյան 5')
    await reply.getByLabel('Թեմա', { exact: true }).fill('Ձեր բողոքի վերաբերյալ')
    expect(await reply.getByLabel('Գրության ամսաթիվ', { exact: true }).inputValue()).to.equal('20.11.2030')
    await reply.getByLabel('Տեքստ', { exact: true }).fill('Հարգելի տիկին Մկրտչյան, Ձեր բողոքը քննարկվել է…')
    await submitWith(officer, reply.getByRole('button', { name: 'Պահպանել նախագիծը' }))
    expect(await textOf(officer.getByTestId('item-status'))).to.equal('Պատասխանի նախագիծը կազմված է')
    await submitWith(officer, officer.getByTestId('item-letters').getByRole('link', { name: 'Նախագիծ', exact: true }))
    const letterUrl = officer.url()
    expect(await textOf(officer.getByTestId('letter-status'))).to.equal('Նախագիծ')
    expect(await officer.getByText('Սպասում է մարմնի պետի (ժ/պ) ստորագրությանը։').count()).to.equal(1)
    expect(await officer.getByRole('button', { name: 'Ստորագրել և տալ ելից համար' }).count()).to.equal(0)
    // An unsigned reply is not sent: there is nothing to record its dispatch with.
    expect(await officer.getByRole('button', { name: 'Գրանցել ուղարկումը' }).count()).to.equal(0)

    // 4. The head signs it from the item page; it gets its outgoing number.
    await head.reload()
    expect(await textOf(head.getByTestId('item-status'))).to.equal('Պատասխանի նախագիծը կազմված է')
    await submitWith(head, head.getByTestId('item-letters').getByRole('link', { name: 'Նախագիծ', exact: true }))
    // Asked first; answered "no", nothing is signed.
    const declined = head.waitForEvent('dialog').then((dialog) => dialog.dismiss())
    await head.getByRole('button', { name: 'Ստորագրել և տալ ելից համար' }).click()
    await declined
    expect(await textOf(head.getByTestId('letter-status'))).not.to.equal('Ստորագրված')
    expect(await confirmWith(head, head.getByRole('button', { name: 'Ստորագրել և տալ ելից համար' }))).to.contain('ելից մատյանի համար')
    const signedNotice = await textOf(head.getByTestId('done-notice'))
    const letterHeading = await textOf(head.getByRole('heading', { level: 1 }))
    expect(letterHeading).to.match(/^ՎՁ-Ե-2030-\d{4} · Պատասխան$/)
    const letterNumber = letterHeading.split(' · ')[0]
    expect(signedNotice, 'the notice names the letter by its new number').to.equal(`Կատարված է՝ Գրությունը ստորագրվել է · ${letterNumber}։`)
    expect(await textOf(head.getByTestId('letter-status'))).to.equal('Ստորագրված')

    // Still overdue until the reply actually goes out.
    await openFromMenu(head, 'Գրագրություն', 'Գրագրություն')
    await submitWith(head, head.getByRole('link', { name: 'Ժամկետների հսկողություն' }))
    expect(await bucket(head, 'Ժամկետանց').getByRole('link', { name: itemNumber, exact: true }).count()).to.equal(1)

    // 5. The officer records the dispatch.
    await officer.goto(letterUrl)
    expect(await textOf(officer.getByRole('heading', { level: 1 }))).to.equal(letterHeading)
    const send = officer.getByTestId('send-form')
    expect(await send.getByLabel('Ուղարկման ամսաթիվ', { exact: true }).inputValue()).to.equal('20.11.2030')
    await send.getByLabel('Ուղարկման եղանակ', { exact: true }).selectOption({ label: 'Պատվիրված նամակով' })
    await submitWith(officer, send.getByRole('button', { name: 'Գրանցել ուղարկումը' }))
    expect(await textOf(officer.getByTestId('letter-status'))).to.equal('Ուղարկված')
    await submitWith(officer, officer.getByRole('link', { name: itemNumber, exact: true }))
    expect(await textOf(officer.getByTestId('item-status'))).to.equal('Պատասխանն ուղարկված է')
    expect(await textOf(officer.getByTestId('item-details'))).to.contain('20.11.2030 · ժամկետանց')
    expect(await textOf(officer.getByTestId('item-letters'))).to.contain(letterNumber).and.contain('Ուղարկված')

    // 6. The head's overdue list no longer has it.
    await head.reload()
    expect(await textOf(head.getByRole('heading', { level: 1 }))).to.match(/^Ժամկետների հսկողություն: /)
    expect(await head.getByRole('link', { name: itemNumber, exact: true }).count()).to.equal(0)
    expect(await textOf(bucket(head, 'Ժամկետանց'))).not.to.contain(itemNumber)
  })
})
