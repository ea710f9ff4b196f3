import { expect } from 'chai'
import { AuditEvent, BeneficiaryDocument } from '../../models'
import { MAX_UPLOAD_BYTES } from '../../server/domain/fileTypes'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createBeneficiary } from '../helpers/beneficiaries'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])
const EXECUTABLE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(256, 0x90)])

describe('documents of a personal file', () => {
  let t: TestApp
  let officer: TestPerson
  let browser: Browser
  let beneficiaryId: number

  function upload(path: string, content: Buffer, fileName: string, fields: Record<string, string> = {}) {
    let request = browser.agent.post(path).field('_csrf', browser.csrf)
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value)
    return request.attach('file', content, fileName)
  }

  before(async () => {
    officer = await createPerson('SPECIALIST', 'ARMAVIR')
  })
  beforeEach(async () => {
    t = buildTestApp()
    browser = await signIn(t.app, officer.username)
    beneficiaryId = (await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)).id
  })

  it('when a PDF is uploaded, then it is stored in the database, listed, and downloads intact with a safe name; the download is audited', async () => {
    const uploaded = await upload(`/beneficiaries/${beneficiaryId}/documents`, PDF, 'Դատավճիռ "2026".pdf', { description: 'դատավճռի պատճեն' })
    expect(uploaded.status).to.equal(303)
    const stored = await BeneficiaryDocument.findOne({ where: { beneficiaryId } })
    expect(stored).to.include({ mediaType: 'application/pdf', sizeBytes: PDF.length, description: 'դատավճռի պատճեն' })
    const page = await browser.get(`/beneficiaries/${beneficiaryId}`)
    expect(page.text).to.contain('data-testid="documents"').and.contain('Դատավճիռ')
    const download = await browser.get(`/beneficiaries/${beneficiaryId}/documents/${stored!.id}`).buffer(true).parse((res, callback) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => callback(null, Buffer.concat(chunks)))
    })
    expect(download.status).to.equal(200)
    expect(Buffer.compare(download.body as Buffer, PDF)).to.equal(0)
    expect(download.headers['content-type']).to.match(/^application\/pdf/)
    const disposition = String(download.headers['content-disposition'])
    expect(disposition).to.match(/^attachment; filename="[^"]*"; filename\*=UTF-8''/)
    expect(disposition).to.not.match(/[\r\n]/)
    expect(await AuditEvent.count({ where: { action: 'beneficiary.documentDownload', targetId: String(beneficiaryId) } })).to.equal(1)
    expect(await AuditEvent.count({ where: { action: 'beneficiary.documentUpload', targetId: String(beneficiaryId) } })).to.equal(1)
  })

  it('when an executable is uploaded under a PDF name, then it is refused by its content and nothing is stored', async () => {
    const refused = await upload(`/beneficiaries/${beneficiaryId}/documents`, EXECUTABLE, 'court-order.pdf', { description: 'kept' })
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('id="file-error"').and.contain('ստուգվում է բովանդակությամբ')
    expect(refused.text).to.contain('value="kept"')
    expect(await BeneficiaryDocument.count({ where: { beneficiaryId } })).to.equal(0)
  })

  it('when a file over 20 MB is uploaded, then it is refused with the limit in the message', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES, 0x20)])
    const refused = await upload(`/beneficiaries/${beneficiaryId}/documents`, big, 'big.pdf')
    expect(refused.status).to.equal(400)
    expect(refused.text).to.contain('20 ՄԲ-ից մեծ')
    expect(await BeneficiaryDocument.count({ where: { beneficiaryId } })).to.equal(0)
  })

  it('when a photo is a PNG, then it shows on the file; when it is a PDF, it is refused', async () => {
    expect((await upload(`/beneficiaries/${beneficiaryId}/documents`, PDF, 'me.pdf', { kind: 'PHOTO' })).text).to.contain('JPEG կամ PNG')
    expect((await upload(`/beneficiaries/${beneficiaryId}/documents`, PNG, 'me.png', { kind: 'PHOTO' })).status).to.equal(303)
    const photo = await browser.get(`/beneficiaries/${beneficiaryId}/photo`)
    expect(photo.status).to.equal(200)
    expect(photo.headers['content-type']).to.match(/^image\/png/)
  })

  it('when no file is chosen or the CSRF token is missing, then nothing is stored', async () => {
    const none = await browser.agent.post(`/beneficiaries/${beneficiaryId}/documents`).field('_csrf', browser.csrf).field('description', 'x')
    expect(none.status).to.equal(400)
    expect(none.text).to.contain('Ընտրեք ֆայլ')
    const noToken = await browser.agent.post(`/beneficiaries/${beneficiaryId}/documents`).attach('file', PDF, 'a.pdf')
    expect(noToken.status).to.equal(403)
    expect(await BeneficiaryDocument.count({ where: { beneficiaryId } })).to.equal(0)
  })

  it('when a document id of another file is asked through this file, then it is not found', async () => {
    const other = await createBeneficiary(await regionIdOf('ARMAVIR'), officer.id)
    await upload(`/beneficiaries/${other.id}/documents`, PDF, 'other.pdf')
    const document = await BeneficiaryDocument.findOne({ where: { beneficiaryId: other.id } })
    expect((await browser.get(`/beneficiaries/${beneficiaryId}/documents/${document!.id}`)).status).to.equal(404)
  })
})
