import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { ManualClock } from '../../server/domain/clock'
import { services as buildServices, type Services } from '../../server/services'
import { VIEW_ACTIONS } from '../../server/services/beneficiaries'
import type { RequestContext } from '../../server/services/context'
import { createBeneficiary } from '../helpers/beneficiaries'
import { testDatabase } from '../helpers/database'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

function contextOf(person: TestPerson): RequestContext {
  return { actor: { id: person.id, role: person.role, regionId: person.regionId, actingHeadRegionIds: [] }, actorUsername: person.username, sourceIp: null, requestId: null }
}

// The hot paths read in fewer, combined statements (bench/REPORT.md): they must give what the single reads give.
describe('beneficiary reads of the busy pages (service, real database)', () => {
  let s: Services
  let regionId: number
  let head: TestPerson
  let officer: TestPerson

  beforeEach(async () => {
    s = buildServices({ sequelize: testDatabase().sequelize, clock: new ManualClock(new Date('2030-03-02T08:00:00Z')) })
    regionId = await regionIdOf('ARARAT')
    head = await createPerson('REGIONAL_HEAD', 'ARARAT')
    officer = await createPerson('SPECIALIST', 'ARARAT')
  })

  it('when a file has notes, a document, changes and views, then the file page reads in one statement what the single reads give, in the same order', async () => {
    const file = await createBeneficiary(regionId, officer.id)
    await s.beneficiaries.addNote(file.id, 'first note', contextOf(officer))
    await s.beneficiaries.addNote(file.id, 'second note', contextOf(officer))
    await s.beneficiaries.addDocument(file.id, { fileName: 'scan.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), description: 'court decision', kind: 'DOCUMENT' }, contextOf(officer))
    await s.beneficiaries.assign(file.id, head.id, contextOf(head))
    for (let i = 0; i < 3; i += 1) await s.beneficiaries.recordView(file.id, regionId, 'beneficiary.view', contextOf(head))
    await s.beneficiaries.recordView(file.id, regionId, 'beneficiary.accessReason', contextOf(officer), { reason: 'a reason given' })

    const together = await s.beneficiaries.fileSections(file.id, true)
    expect(together.notes).to.deep.equal(await s.beneficiaries.notes(file.id))
    expect(together.documents).to.deep.equal(await s.beneficiaries.documents(file.id))
    expect(together.timeline).to.deep.equal(await s.beneficiaries.timeline(file.id, 'changes'))
    expect(together.views).to.deep.equal(await s.beneficiaries.timeline(file.id, 'views'))
    expect(together.notes.map((note) => note.body)).to.deep.equal(['second note', 'first note'])
    expect(together.notes[0].createdAt).to.be.instanceOf(Date)
    expect(together.timeline.map((event) => event.action)).to.include.members(['beneficiary.note', 'beneficiary.documentUpload', 'beneficiary.assign'])
    expect(together.views).to.have.length(4)
    expect(together.views[0]).to.include({ action: 'beneficiary.accessReason', actorUsername: officer.username })
    expect(together.views[0].details).to.deep.equal({ reason: 'a reason given' })
    expect((await s.beneficiaries.fileSections(file.id, false)).views).to.deep.equal([])
  })

  it('when the register page is read, then its rows, count and officers are those of the list and the officer filter', async () => {
    for (let i = 0; i < 3; i += 1) await createBeneficiary(regionId, officer.id, { surnameLatin: `Registerova${i}` })
    const filter = { regionId, officerId: officer.id, sort: 'name' as const, direction: 'asc' as const, page: 1 }
    const page = await s.beneficiaries.registerPage(filter)
    const list = await s.beneficiaries.list(filter)
    expect(page.rows).to.deep.equal(list.rows)
    expect(page.total).to.equal(list.total).and.to.equal(3)
    expect(page.officers).to.deep.equal(await s.beneficiaries.officers(regionId))
  })

  it('when a search matches a file number and names, then the number comes first, each file once, within the region', async () => {
    const numbered = await createBeneficiary(regionId, officer.id, { surname: 'Մկրտչյան', surnameLatin: 'Mkrtchyan' })
    const named = await createBeneficiary(regionId, officer.id, { surname: 'Մկրտչյան', surnameLatin: 'Mkrtchyan' })
    const elsewhere = await createBeneficiary(await regionIdOf('SHIRAK'), null, { surname: 'Մկրտչյան', surnameLatin: 'Mkrtchyan' })
    const byNumber = await s.beneficiaries.search(numbered.fileNumber, [regionId])
    expect(byNumber[0].id).to.equal(numbered.id)
    const byName = await s.beneficiaries.search('Mkrtchyan', [regionId])
    const ids = byName.map((row) => row.id)
    expect(ids).to.include.members([numbered.id, named.id]).and.not.include(elsewhere.id)
    expect(new Set(ids).size).to.equal(ids.length)
    expect(Object.keys(byName[0])).to.not.include.members(['matchGroup', 'matchDistance'])
    expect((await s.beneficiaries.search('Mkrtchyan', null)).map((row) => row.id)).to.include(elsewhere.id)
    expect(await s.beneficiaries.search('---', [regionId])).to.deep.equal([])
  })

  it('when the audit log is indexed for the file page, then the partial indexes list exactly the view actions the page uses', async () => {
    const rows = await testDatabase().sequelize.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE indexname IN ('audit_events_file_views', 'audit_events_file_changes')`,
      { type: QueryTypes.SELECT },
    )
    expect(rows).to.have.length(2)
    for (const { definition } of rows) {
      const listed = [...definition.matchAll(/'([a-zA-Z.]+)'::text/g)].map((match) => match[1]).filter((value) => value !== 'beneficiary')
      expect(listed).to.have.members(VIEW_ACTIONS)
    }
  })
})
