import { expect } from 'chai'
import { AuditEvent, Beneficiary, Transfer } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'

describe('transfer of a file to another regional body', () => {
  let t: TestApp
  let vayots: number
  let syunik: number
  before(async () => {
    vayots = await regionIdOf('VAYOTS_DZOR')
    syunik = await regionIdOf('SYUNIK')
  })
  beforeEach(() => {
    t = buildTestApp()
  })

  it('when the sending head requests and the receiving head accepts, then the file moves with its history and both regions see it in their audit', async () => {
    const sender = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'VAYOTS_DZOR')).username)
    const receiver = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'SYUNIK')).username)
    const officer = await createPerson('SPECIALIST', 'VAYOTS_DZOR')
    const file = await createBeneficiary(vayots, officer.id)
    await sender.post(`/beneficiaries/${file.id}/notes`, { body: 'written before the move' })

    expect((await sender.post(`/beneficiaries/${file.id}/transfer`, { toRegionId: syunik, reason: 'moved to Kapan' })).status).to.equal(303)
    const again = await sender.post(`/beneficiaries/${file.id}/transfer`, { toRegionId: syunik, reason: 'twice' })
    expect(again.status).to.equal(400)
    expect(again.text).to.contain('արդեն սպասում է որոշման')
    const transfer = await Transfer.findOne({ where: { beneficiaryId: file.id } })
    expect((await sender.post(`/transfers/${transfer!.id}/accept`)).status, 'the sender cannot accept its own request').to.equal(404)
    expect((await receiver.get(`/regions/${syunik}/transfers`)).text).to.contain(file.fileNumber)

    expect((await receiver.post(`/transfers/${transfer!.id}/accept`)).status).to.equal(303)
    const moved = await Beneficiary.findByPk(file.id)
    expect(moved).to.include({ regionId: syunik, responsibleOfficerId: null, fileNumber: file.fileNumber })
    const page = await receiver.get(`/beneficiaries/${file.id}`)
    expect(page.text).to.contain('written before the move').and.contain('Փոխանցման հարցում')
    expect((await sender.get(`/beneficiaries/${file.id}`)).status, 'the sender no longer reads it').to.equal(404)
    for (const regionId of [vayots, syunik]) {
      expect(await AuditEvent.count({ where: { action: 'beneficiary.transferAccepted', regionId, targetId: String(file.id) } }), `region ${regionId}`).to.equal(1)
    }
  })

  it('when the receiving head refuses, then a reason is required and the file stays', async () => {
    const sender = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'VAYOTS_DZOR')).username)
    const receiver = await signIn(t.app, (await createPerson('REGIONAL_HEAD', 'SYUNIK')).username)
    const file = await createBeneficiary(vayots, (await createPerson('SPECIALIST', 'VAYOTS_DZOR')).id)
    await sender.post(`/beneficiaries/${file.id}/transfer`, { toRegionId: syunik, reason: 'moved' })
    const transfer = await Transfer.findOne({ where: { beneficiaryId: file.id } })
    const noReason = await receiver.post(`/transfers/${transfer!.id}/refuse`, { reason: '' })
    expect(noReason.status).to.equal(400)
    expect(noReason.text).to.contain(`id="refuse-reason-${transfer!.id}-error"`)
    expect((await receiver.post(`/transfers/${transfer!.id}/refuse`, { reason: 'the person lives in Yeghegnadzor' })).status).to.equal(303)
    expect(await Transfer.findByPk(transfer!.id)).to.include({ status: 'REFUSED', decisionReason: 'the person lives in Yeghegnadzor' })
    expect((await Beneficiary.findByPk(file.id))!.regionId).to.equal(vayots)
  })
})
