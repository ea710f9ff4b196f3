import { expect } from 'chai'
import { AuditEvent, Beneficiary, BeneficiaryDocument, BeneficiaryNote } from '../../models'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf } from '../helpers/people'

describe('retention: anonymising closed files', () => {
  let t: TestApp
  beforeEach(() => {
    t = buildTestApp({ CLOSED_FILE_RETENTION_YEARS: '5' })
    t.clock.set('2026-11-23T10:00:00+04:00')
  })

  it('when a closed file is past the retention period, then the service head anonymises it and the statistics stay', async () => {
    const officer = await createPerson('SPECIALIST', 'ARAGATSOTN')
    const regionId = await regionIdOf('ARAGATSOTN')
    const old = await createBeneficiary(regionId, officer.id, { status: 'CLOSED', closedOn: '2020-06-30', closeReason: 'MEASURE_COMPLETED', publicServiceNumber: '9990001112', birthDate: '1984-07-19', actualMarz: 'ARAGATSOTN', actualStreet: 'Մաշտոցի 5' })
    const recent = await createBeneficiary(regionId, officer.id, { status: 'CLOSED', closedOn: '2023-01-10', closeReason: 'MEASURE_COMPLETED' })
    await BeneficiaryNote.create({ beneficiaryId: old.id, authorUserId: officer.id, body: 'home visit: lives with mother', createdAt: new Date() })
    await BeneficiaryDocument.create({ beneficiaryId: old.id, kind: 'DOCUMENT', fileName: 'a.pdf', mediaType: 'application/pdf', sizeBytes: 5, content: Buffer.from('%PDF-'), description: null, uploadedByUserId: officer.id, uploadedAt: new Date() })

    const chief = await signIn(t.app, (await createPerson('SERVICE_HEAD', null)).username)
    const list = await chief.get('/retention')
    expect(list.text).to.contain(old.fileNumber).and.not.contain(recent.fileNumber)
    expect((await chief.post('/retention/anonymise', { ids: [old.id, recent.id].join(',') })).status).to.equal(400)
    const done = await chief.agent.post('/retention/anonymise').type('form').send(`_csrf=${encodeURIComponent(chief.csrf)}&ids=${old.id}&ids=${recent.id}`)
    expect(done.headers.location).to.equal('/retention?done=1')

    const anonymised = await Beneficiary.findByPk(old.id)
    expect(anonymised).to.include({ surname: '***', publicServiceNumber: null, actualStreet: null, status: 'ARCHIVED', birthDate: '1984-01-01', actualMarz: 'ARAGATSOTN', category: 'PROBATION_PERIOD', sex: 'MALE', closeReason: 'MEASURE_COMPLETED', healthNotes: null })
    expect(await BeneficiaryNote.count({ where: { beneficiaryId: old.id } })).to.equal(0)
    expect(await BeneficiaryDocument.count({ where: { beneficiaryId: old.id } })).to.equal(0)
    expect((await Beneficiary.findByPk(recent.id))!.surname, 'not yet past retention').to.equal('Պետրոսյան')
    expect(await AuditEvent.count({ where: { action: 'beneficiary.anonymise', targetId: String(old.id) } })).to.equal(1)
  })
})
