import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { sampleInstrument } from '../../server/domain/sampleInstrument'
import type { Instrument } from '../../server/domain/instruments'

function versionOf(page: string): string {
  return /name="version" value="(\d+)"/.exec(page)![1]
}

/** Every item answered with its highest- or lowest-scoring option, evidence where the instrument requires it. */
function answerAll(instrument: Instrument, pick: 'highest' | 'lowest', only?: (domain: string) => boolean): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const domain of instrument.domains) {
    for (const item of domain.items) {
      const sorted = [...item.options].sort((a, b) => a.score - b.score)
      const chosen = only && !only(domain.code) ? sorted[0] : pick === 'highest' ? sorted[sorted.length - 1] : sorted[0]
      fields[`answer_${item.code}`] = chosen.code
      if (item.evidenceRequired) fields[`evidence_${item.code}`] = 'Դատավճիռ, գործի նյութեր'
    }
  }
  return fields
}

describe('supervision: assessments and plans through the app', () => {
  let t: TestApp
  let head: TestPerson
  let officer: TestPerson
  let headBrowser: Browser
  let officerBrowser: Browser
  let beneficiaryId: number
  const instrument = sampleInstrument()

  beforeEach(async () => {
    t = buildTestApp()
    t.clock.set('2030-02-04T10:00:00+04:00')
    head = await createPerson('REGIONAL_HEAD', 'ARARAT')
    officer = await createPerson('SPECIALIST', 'ARARAT')
    headBrowser = await signIn(t.app, head.username)
    officerBrowser = await signIn(t.app, officer.username)
    beneficiaryId = (await createBeneficiary(await regionIdOf('ARARAT'), officer.id)).id
  })

  async function startAssessment(browser = officerBrowser, reason?: string): Promise<number> {
    const started = await browser.post(`/beneficiaries/${beneficiaryId}/assessments`, reason ? { reason } : {})
    expect(started.status).to.equal(303)
    return Number(/\/assessments\/(\d+)$/.exec(started.headers.location!)![1])
  }

  /** Answers with the version the assessment uses: a test's import may have made a newer one current. */
  async function completeAssessment(answers: (instrument: Instrument) => Record<string, string>): Promise<number> {
    const assessmentId = await startAssessment(officerBrowser, 'SCHEDULED')
    const page = await officerBrowser.get(`/assessments/${assessmentId}`)
    const { instrument: used } = await t.services.assessments.get(assessmentId)
    const completed = await officerBrowser.post(`/assessments/${assessmentId}/complete`, { ...answers(used), version: versionOf(page.text) })
    expect(completed.status, completed.text.slice(0, 300)).to.equal(303)
    return assessmentId
  }

  it('when the officer answers as they type, completes and the head countersigns, then the result shows the level and needs and nobody countersigns their own work', async () => {
    const assessmentId = await startAssessment()
    let page = await officerBrowser.get(`/assessments/${assessmentId}`)
    expect(page.text).to.contain('data-testid="sample-badge"').and.contain('data-autosave=')

    // The page saves in the background and gets the new version back.
    const firstItem = instrument.domains[0].items[0]
    const saved = await officerBrowser.agent.post(`/assessments/${assessmentId}/draft`).set('Accept', 'application/json').type('form').send({ _csrf: officerBrowser.csrf, version: versionOf(page.text), [`answer_${firstItem.code}`]: firstItem.options[0].code })
    expect(saved.status).to.equal(200)
    expect(saved.body.version).to.equal(Number(versionOf(page.text)) + 1)
    // A save from a page that was left open elsewhere is refused, not merged.
    const stale = await officerBrowser.agent.post(`/assessments/${assessmentId}/draft`).set('Accept', 'application/json').type('form').send({ _csrf: officerBrowser.csrf, version: versionOf(page.text) })
    expect(stale.status).to.equal(409)

    page = await officerBrowser.get(`/assessments/${assessmentId}`)
    expect(page.text).to.match(new RegExp(`value="${firstItem.options[0].code}" checked`))
    const items = instrument.domains.flatMap((domain) => domain.items)
    const incomplete = await officerBrowser.post(`/assessments/${assessmentId}/complete`, { version: versionOf(page.text), [`answer_${firstItem.code}`]: firstItem.options[0].code })
    expect(incomplete.status).to.equal(400)
    // How many of how many, which by number (the first twelve), and each unanswered question marked where it is.
    expect(incomplete.text).to.contain(`${items.length} հարցից ${items.length - 1}-ը պատասխանված չէ (հարցեր՝ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13…)`)
    expect(incomplete.text.match(/-error">Պատասխանված չէ</g)).to.have.length(items.length - 1)
    expect(incomplete.text).to.contain(`id="answer_${items[1].code}-question">2. ${items[1].text.hy}`)
    expect(incomplete.text, 'the answer given is kept').to.match(new RegExp(`value="${firstItem.options[0].code}" checked`))

    page = await officerBrowser.get(`/assessments/${assessmentId}`)
    const all = answerAll((await t.services.assessments.get(assessmentId)).instrument, 'highest')
    const complete = await officerBrowser.post(`/assessments/${assessmentId}/complete`, { ...all, version: versionOf(page.text) })
    expect(complete.status).to.equal(303)
    page = await officerBrowser.get(`/assessments/${assessmentId}`)
    expect(page.text).to.contain('data-testid="assessment-level"').and.contain('Բարձր')
    expect(page.text).not.to.contain('data-testid="countersign-form"')
    expect((await officerBrowser.post(`/assessments/${assessmentId}/countersign`, { version: '1' })).status).to.equal(404)

    const headPage = await headBrowser.get(`/assessments/${assessmentId}`)
    expect(headPage.text).to.contain('data-testid="countersign-form"')
    expect((await headBrowser.post(`/assessments/${assessmentId}/countersign`, { version: versionOf(headPage.text) })).status).to.equal(303)
    expect((await headBrowser.get(`/assessments/${assessmentId}`)).text).to.contain('Հաստատել է')

    // Completed is final: a later save is refused.
    const overview = await officerBrowser.get(`/beneficiaries/${beneficiaryId}/supervision`)
    expect(overview.text).to.contain('Կազմել պլանը').and.contain('data-testid="supervision-deadlines"')
  })

  it('when a new instrument version is imported, then an earlier result does not change; a broken file is refused with its line', async () => {
    const assessmentId = await completeAssessment((used) => answerAll(used, 'highest'))
    const before = (await officerBrowser.get(`/assessments/${assessmentId}`)).text.match(/data-testid="domain-scores"[\s\S]*?<\/table>/)![0]

    const serviceHead = await createPerson('SERVICE_HEAD', null)
    const serviceBrowser = await signIn(t.app, serviceHead.username)
    const broken = await serviceBrowser.agent.post('/instruments/import').field('_csrf', serviceBrowser.csrf).attach('file', Buffer.from('{\n  "code": "X",\n  "version": 1,\n}\n'), 'broken.json')
    expect(broken.status).to.equal(400)
    // The trailing comma after "version": 1 is on line 3.
    expect(broken.text).to.match(/data-testid="import-problems"[\s\S]*Տող 3, սյունակ 15/)

    const harsher = JSON.parse(JSON.stringify(instrument)) as { version: number; isSample: boolean; domains: { items: { options: { score: number }[] }[] }[] }
    harsher.version = 900 + Math.floor(Math.random() * 90)
    // The new version scores every item's options the other way round (same maximum): old results must not move.
    for (const domain of harsher.domains) {
      for (const item of domain.items) {
        const scores = item.options.map((option) => option.score).reverse()
        item.options.forEach((option, index) => (option.score = scores[index]))
      }
    }
    const imported = await serviceBrowser.agent.post('/instruments/import').field('_csrf', serviceBrowser.csrf).attach('file', Buffer.from(JSON.stringify(harsher, null, 2)), 'v2.json')
    expect(imported.status, imported.text.slice(0, 500)).to.equal(303)
    const after = (await officerBrowser.get(`/assessments/${assessmentId}`)).text.match(/data-testid="domain-scores"[\s\S]*?<\/table>/)![0]
    expect(after).to.equal(before)
    expect((await officerBrowser.get('/instruments')).text).to.contain(`>${harsher.version}<`)
    // New assessments use the latest import: put the sample's scoring back for the suites that follow.
    const restored = await serviceBrowser.agent.post('/instruments/import').field('_csrf', serviceBrowser.csrf).attach('file', Buffer.from(JSON.stringify({ ...instrument, version: harsher.version + 1 })), 'v3.json')
    expect(restored.status).to.equal(303)
  })

  it('when a plan is drawn up, then it needs goals for the needs found, the beneficiary\'s agreement, and a head other than the submitter; goals for other domains need the head\'s reason', async () => {
    // Needs only in accommodation: every other domain answered at its lowest.
    await completeAssessment((used) => answerAll(used, 'highest', (domain) => domain === 'ACCOMMODATION'))
    const opened = await officerBrowser.post(`/beneficiaries/${beneficiaryId}/plans`)
    expect(opened.status).to.equal(303)
    const planId = Number(/\/plans\/(\d+)$/.exec(opened.headers.location!)![1])
    let page = await officerBrowser.get(`/plans/${planId}`)
    expect(page.text).to.contain('data-testid="plan-frequency"').and.contain('data-testid="goal"')
    const goalId = Number(/action="\/plans\/\d+\/goals\/(\d+)"/.exec(page.text)![1])

    const early = await officerBrowser.post(`/plans/${planId}/submit`, { version: versionOf(page.text) })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('նկարագրություն և ժամկետ')

    expect((await officerBrowser.post(`/plans/${planId}/goals/${goalId}`, { needDomain: 'ACCOMMODATION', description: 'Կայուն բնակարան', targetDate: '04.05.2030', status: 'ACTIVE', version: versionOf(page.text) })).status).to.equal(303)
    page = await officerBrowser.get(`/plans/${planId}`)
    expect((await officerBrowser.post(`/plans/${planId}/goals/${goalId}/steps`, { kind: 'EMPLOYMENT_SUPPORT', description: 'Հանդիպում զբաղվածության կենտրոնում', responsible: 'Պատասխանատու աշխատակից', dueDate: '01.03.2030', version: versionOf(page.text) })).status).to.equal(303)
    page = await officerBrowser.get(`/plans/${planId}`)
    expect((await officerBrowser.post(`/plans/${planId}/goals`, { needDomain: 'LEISURE', description: 'Սպորտային խմբակ', targetDate: '04.05.2030', version: versionOf(page.text) })).status).to.equal(303)
    page = await officerBrowser.get(`/plans/${planId}`)
    const noWords = await officerBrowser.post(`/plans/${planId}/agreement`, { agreement: 'DISAGREES', words: '', on: '04.02.2030', version: versionOf(page.text) })
    expect(noWords.status).to.equal(400)
    expect(noWords.text).to.contain('գրանցեք շահառուի խոսքերը')
    expect((await officerBrowser.post(`/plans/${planId}/agreement`, { agreement: 'DISAGREES', words: 'Չեմ ուզում սպորտով զբաղվել', on: '04.02.2030', version: versionOf(page.text) })).status).to.equal(303)
    page = await officerBrowser.get(`/plans/${planId}`)
    expect((await officerBrowser.post(`/plans/${planId}/submit`, { version: versionOf(page.text) })).status).to.equal(303)
    expect((await officerBrowser.post(`/plans/${planId}/decide`, { decision: 'approve', version: '1' })).status).to.equal(404)

    page = await headBrowser.get(`/plans/${planId}`)
    const withoutReason = await headBrowser.post(`/plans/${planId}/decide`, { decision: 'approve', version: versionOf(page.text) })
    expect(withoutReason.status).to.equal(400)
    expect(withoutReason.text).to.contain('գրեք հիմնավորումը')
    const approved = await headBrowser.post(`/plans/${planId}/decide`, { decision: 'approve', overrideReason: 'Ազատ ժամանակը կապված է խախտումների հետ', version: versionOf(page.text) })
    expect(approved.status).to.equal(303)
    page = await headBrowser.get(`/plans/${planId}`)
    expect(page.text).to.contain('Գործող')
    // Approved on 04.02.2030: the review is three months on, 04.05.2030 (a Saturday), so Monday 06.05.2030.
    expect(page.text).to.contain('06.05.2030')
  })

  it('when a plan leaves a need without a goal, then the head cannot approve it', async () => {
    await completeAssessment((used) => answerAll(used, 'highest', (domain) => domain === 'ACCOMMODATION' || domain === 'FINANCES'))
    const planId = Number(/\/plans\/(\d+)$/.exec((await officerBrowser.post(`/beneficiaries/${beneficiaryId}/plans`)).headers.location!)![1])
    let page = await officerBrowser.get(`/plans/${planId}`)
    const goalIds = [...page.text.matchAll(/action="\/plans\/\d+\/goals\/(\d+)"/g)].map((match) => match[1])
    expect(goalIds).to.have.length(2)
    await officerBrowser.post(`/plans/${planId}/goals/${goalIds[0]}`, { needDomain: 'FINANCES', description: 'Պարտքերի մարման ժամանակացույց', targetDate: '04.05.2030', status: 'ACTIVE', version: versionOf(page.text) })
    page = await officerBrowser.get(`/plans/${planId}`)
    await officerBrowser.post(`/plans/${planId}/goals/${goalIds[1]}`, { needDomain: 'ACCOMMODATION', description: '—', targetDate: '04.05.2030', status: 'REMOVED', version: versionOf(page.text) })
    page = await officerBrowser.get(`/plans/${planId}`)
    expect(page.text).to.contain('data-testid="needs-without-goal"')
    await officerBrowser.post(`/plans/${planId}/agreement`, { agreement: 'AGREES', on: '04.02.2030', version: versionOf(page.text) })
    page = await officerBrowser.get(`/plans/${planId}`)
    expect((await officerBrowser.post(`/plans/${planId}/submit`, { version: versionOf(page.text) })).status).to.equal(303)
    page = await headBrowser.get(`/plans/${planId}`)
    const refused = await headBrowser.post(`/plans/${planId}/decide`, { decision: 'approve', overrideReason: 'any', version: versionOf(page.text) })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('Պլանը չի կարող հաստատվել')
  })

  it('when plan forms carry bad input, then nothing of them is saved and the plan is as it was', async () => {
    await completeAssessment((used) => answerAll(used, 'highest', (domain) => domain === 'FINANCES'))
    const planId = Number(/\/plans\/(\d+)$/.exec((await officerBrowser.post(`/beneficiaries/${beneficiaryId}/plans`)).headers.location!)![1])
    const before = await t.services.plans.get(planId)
    const page = await officerBrowser.get(`/plans/${planId}`)
    const goalId = before.goals[0].id
    const pastTarget = await officerBrowser.post(`/plans/${planId}/goals/${goalId}`, { needDomain: 'FINANCES', description: 'Բյուջե', targetDate: '01.01.2030', status: 'ACTIVE', version: versionOf(page.text) })
    expect(pastTarget.status).to.equal(400)
    expect(pastTarget.text).to.contain('Ժամկետը չի կարող լինել անցյալում').and.contain('>Բյուջե</textarea>')
    const noResponsible = await officerBrowser.post(`/plans/${planId}/goals/${goalId}/steps`, { kind: 'PROGRAMME', description: 'Ծրագիր', responsible: '', version: versionOf(page.text) })
    expect(noResponsible.status).to.equal(400)
    const unknownKind = await officerBrowser.post(`/plans/${planId}/goals/${goalId}/steps`, { kind: 'HYPNOSIS', description: 'x', responsible: 'y', version: versionOf(page.text) })
    expect(unknownKind.status).to.equal(400)
    // A goal's need is one of the instrument's domains or none: not any string.
    for (const needDomain of ['__proto__', '<b>FINANCES</b>', 'HOBBIES', 'FINANCES\u0000']) {
      const refused = await officerBrowser.post(`/plans/${planId}/goals/${goalId}`, { needDomain, description: 'Բյուջե', targetDate: '', status: 'ACTIVE', version: versionOf(page.text) })
      expect(refused.status, needDomain).to.equal(400)
    }
    const added = await officerBrowser.post(`/plans/${planId}/goals`, { needDomain: 'HOBBIES', description: 'Նոր', targetDate: '', status: 'ACTIVE', version: versionOf(page.text) })
    expect(added.status).to.equal(400)
    const reversed = await officerBrowser.post(`/plans/${planId}/goals/${goalId}`, { needDomain: 'FINANCES', description: 'Բյուջե \u202eտեսք', targetDate: '', status: 'ACTIVE', version: versionOf(page.text) })
    expect(reversed.status).to.equal(400)
    const after = await t.services.plans.get(planId)
    expect(after.version).to.equal(before.version)
    expect(after.goals).to.deep.equal(before.goals)
  })

  it('when evidence carries a NUL or runs past 4,000 characters, then the save is refused beside the item and what was saved stays', async () => {
    const assessmentId = await startAssessment()
    const page = await officerBrowser.get(`/assessments/${assessmentId}`)
    const item = instrument.domains[0].items[0]
    const first = await officerBrowser.agent.post(`/assessments/${assessmentId}/draft`).set('Accept', 'application/json').type('form')
      .send({ _csrf: officerBrowser.csrf, version: versionOf(page.text), [`evidence_${item.code}`]: 'Դատավճիռ' })
    expect(first.status).to.equal(200)
    for (const bad of ['Դատ\u0000վճիռ', 'ա'.repeat(4001), 'Դատ\u202eվճիռ']) {
      const refused = await officerBrowser.agent.post(`/assessments/${assessmentId}/draft`).set('Accept', 'application/json').type('form')
        .send({ _csrf: officerBrowser.csrf, version: String(first.body.version), [`evidence_${item.code}`]: bad })
      expect(refused.status).to.equal(400)
      expect(refused.body.field).to.equal(`evidence_${item.code}`)
      const form = await officerBrowser.post(`/assessments/${assessmentId}/draft`, { version: String(first.body.version), [`evidence_${item.code}`]: bad })
      expect(form.status).to.equal(400)
    }
    expect((await t.services.assessments.get(assessmentId)).evidence).to.deep.equal({ [item.code]: 'Դատավճիռ' })
  })

  it('when a reassessment is completed, then the result shows the change from the previous one, domain by domain', async () => {
    await completeAssessment((used) => answerAll(used, 'highest'))
    const second = await completeAssessment((used) => answerAll(used, 'lowest'))
    const page = await officerBrowser.get(`/assessments/${second}`)
    expect(page.text).to.contain('Նախորդը (04.02.2030)').and.match(/<td class="text-end">-\d+<\/td>/)
  })
})
