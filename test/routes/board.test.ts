import { expect } from 'chai'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'

describe('deadline board: the region, my work and the national view', () => {
  let t: TestApp

  beforeEach(() => {
    t = buildTestApp()
  })

  it('when a region has court acts to register and correspondence to answer, then its head sees them grouped by due date with each officer\'s counts, and an officer sees only their own', async () => {
    t.clock.set('2032-03-01T10:00:00+04:00')
    const regionId = await regionIdOf('SHIRAK')
    const head = await createPerson('REGIONAL_HEAD', 'SHIRAK')
    const officer = await createPerson('SPECIALIST', 'SHIRAK')
    const colleague = await createPerson('SPECIALIST', 'SHIRAK')
    const own = await createBeneficiary(regionId, officer.id)
    const theirs = await createBeneficiary(regionId, colleague.id)
    const contextOf = (person: typeof officer) => ({ actor: { id: person.id, role: person.role, regionId, actingHeadRegionIds: [] }, actorUsername: person.username, sourceIp: null, requestId: null })
    const act = { court: 'Court', caseNumber: 'B-1', kind: 'VERDICT' as const, actDate: '2032-02-20', inForceDate: '2032-02-25', receivedDate: '2032-02-26', documentId: null, changesActId: null, changeKind: null, endsMeasureIds: [] }
    // Received Thursday 26.02.2032: the other act is due in 3 working days, Tuesday 02.03.2032.
    await t.services.measures.registerCourtAct(own.id, act, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 40 } }], contextOf(officer))
    await t.services.measures.registerCourtAct(theirs.id, { ...act, caseNumber: 'B-2' }, [{ typeCode: 'PUBLIC_WORKS', details: { hoursOrdered: 20 } }], contextOf(colleague))
    // An official letter received 10.02.2032 was due ten working days later: overdue.
    const item = await t.services.correspondence.registerIncoming(regionId, {
      receivedOn: '2032-02-10', channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Ministry', senderAddress: null, senderReference: null, senderDate: null, subject: 'Statistics request', summary: null,
      beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null,
    }, contextOf(officer))
    await t.services.correspondence.assign(item.id, { assigneeId: officer.id, resolution: 'Answer', expectedVersion: 1 }, contextOf(head))

    const headBrowser = await signIn(t.app, head.username)
    const board = await headBrowser.get(`/regions/${regionId}/board`)
    expect(board.status).to.equal(200)
    expect(board.text).to.match(/data-testid="board-overdue"[\s\S]*?\/correspondence\/\d+[\s\S]*?<\/table>/)
    expect(board.text).to.match(/data-testid="board-week"[\s\S]*02\.03\.2032/)
    expect(board.text).to.contain('data-testid="board-officers"')

    const filtered = await headBrowser.get(`/regions/${regionId}/board?officerId=${colleague.id}`)
    expect(filtered.text).to.contain(theirs.fileNumber).and.not.contain(`/correspondence/${item.id}"`)

    const officerBrowser = await signIn(t.app, officer.username)
    const mine = await officerBrowser.get('/my-work')
    expect(mine.status).to.equal(200)
    expect(mine.text).to.contain(own.fileNumber).and.contain(`/correspondence/${item.id}"`).and.not.contain(theirs.fileNumber)

    const serviceHead = await createPerson('SERVICE_HEAD', null)
    const national = await (await signIn(t.app, serviceHead.username)).get('/board/national')
    expect(national.status).to.equal(200)
    expect(national.text).to.contain(`/regions/${regionId}/board`)
    expect((await officerBrowser.get('/board/national')).status).to.equal(403)
    const otherHead = await createPerson('REGIONAL_HEAD', 'LORI')
    expect((await (await signIn(t.app, otherHead.username)).get(`/regions/${regionId}/board`)).status).to.equal(404)
  })
})
