import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { seedDemoAccounts } from '../../server/db/demoData'
import { seedDemoOffice } from '../../server/db/demoOffice'
import { ManualClock } from '../../server/domain/clock'
import { DEMO_TOTP_KEY } from '../../server/domain/twoFactor'
import { previousQuarter, quarterOf } from '../../server/domain/quarterlyReport'
import { services as buildServices } from '../../server/services'
import { testDatabase } from '../helpers/database'
import { translator } from '../../server/i18n'
import en from '../../locales/en.json'
import { renderPdf } from '../../server/pdf/filePdf'

/*
 * The demo office on an empty database (each spec file has its own): made through the services, on a day of its own
 * (a Wednesday; the office's dates are relative to it), it shows every stage the README promises and obeys the rules:
 * each submitted report's figures equal a recomputation from the records.
 */
const DEMO_DAY = '2031-05-14'

describe('the demo office', function () {
  this.timeout(180_000)
  const count = async (sql: string) => Number((await testDatabase().sequelize.query<{ n: string }>(sql, { type: QueryTypes.SELECT }))[0].n)
  let made = 0

  before(async () => {
    await seedDemoAccounts()
    made = await seedDemoOffice(testDatabase().url, DEMO_DAY)
  })

  it('when it is made on an empty database, then Ararat holds about 120 files and every other region some', async () => {
    expect(made).to.be.within(150, 200)
    expect(await count(`SELECT count(*) AS n FROM beneficiaries b JOIN regions r ON r.id = b.region_id WHERE r.code = 'ARARAT'`)).to.equal(120)
    expect(await count(`SELECT count(*) AS n FROM regions r WHERE r.active AND NOT EXISTS (SELECT 1 FROM beneficiaries b WHERE b.region_id = r.id)`)).to.equal(0)
    // Every demo account signs in with the published authenticator key (README), those of the other regions too.
    expect(await count(`SELECT count(*) AS n FROM users WHERE role <> 'SERVICE_HEAD' AND (username LIKE '%.head' OR username LIKE '%.officer1') AND totp_key = '${DEMO_TOTP_KEY}'`)).to.equal(await count(`SELECT count(*) AS n FROM regions WHERE active`) * 2)
  })

  it('when it is made, then every stage is there: measures of each kind, hours and payments, assessments and plans waiting for the head, contacts, violations, letters and requests', async () => {
    const { sequelize } = testDatabase()
    const measureTypes = await sequelize.query<{ type_code: string }>('SELECT DISTINCT type_code FROM measures', { type: QueryTypes.SELECT })
    expect(measureTypes.map((row) => row.type_code)).to.include.members(['CONDITIONAL_NON_APPLICATION', 'PUBLIC_WORKS', 'FINE', 'DEPRIVATION_OF_RIGHT', 'HOUSE_ARREST', 'ADMINISTRATIVE_SUPERVISION', 'PSYCHOLOGICAL_HELP', 'EDUCATIONAL_MEASURE'])
    expect(await count('SELECT count(*) AS n FROM work_sessions')).to.be.greaterThan(50)
    expect(await count('SELECT count(*) AS n FROM fine_payments')).to.be.greaterThan(10)
    expect(await count(`SELECT count(*) AS n FROM assessments WHERE status = 'COUNTERSIGNED'`)).to.be.greaterThan(50)
    expect(await count(`SELECT count(*) AS n FROM assessments WHERE status = 'COMPLETED'`)).to.equal(1)
    expect(await count(`SELECT count(*) AS n FROM supervision_plans WHERE status = 'SUBMITTED'`)).to.equal(1)
    expect(await count('SELECT count(*) AS n FROM appointments WHERE outcome IS NOT NULL')).to.be.greaterThan(300)
    expect(await count(`SELECT count(*) AS n FROM appointments WHERE outcome IS NULL AND scheduled_at >= '${DEMO_DAY}T00:00:00+04:00' AND scheduled_at < '${DEMO_DAY}T23:59:59+04:00'`)).to.be.greaterThan(0)
    expect(await count('SELECT count(*) AS n FROM violations WHERE decided_on IS NOT NULL')).to.equal(1)
    expect(await count('SELECT count(*) AS n FROM violations WHERE decided_on IS NULL')).to.equal(1)
    expect(await count(`SELECT count(*) AS n FROM outgoing_letters WHERE status = 'SENT'`)).to.equal(1)
    expect(await count(`SELECT count(*) AS n FROM outgoing_letters WHERE status = 'DRAFT'`)).to.equal(1)
    expect(await count(`SELECT count(*) AS n FROM incoming_items WHERE kind = 'PARDON_PETITION'`)).to.equal(1)
    expect(await count(`SELECT count(*) AS n FROM report_tasks WHERE kind = 'REPORT'`)).to.equal(1)
    expect(await count('SELECT count(*) AS n FROM device_assignments WHERE installed_on IS NOT NULL')).to.be.greaterThan(0)
  })

  it('when it is made, then the last quarter\'s reports are in (Ararat\'s accepted), the one before was returned and resubmitted, and each submitted figure equals a recomputation', async () => {
    const { sequelize } = testDatabase()
    const reports = buildServices({ sequelize, clock: new ManualClock(`${DEMO_DAY}T12:00:00+04:00`) }).quarterlyReports
    const last = previousQuarter(quarterOf(DEMO_DAY))
    const before = previousQuarter(last)
    const [ararat] = await sequelize.query<{ id: number }>(`SELECT id FROM regions WHERE code = 'ARARAT'`, { type: QueryTypes.SELECT })
    expect((await reports.report(ararat.id, last)).versions.map((version) => version.status)).to.deep.equal(['ACCEPTED'])
    expect((await reports.report(ararat.id, before)).versions.map((version) => version.status)).to.deep.equal(['ACCEPTED', 'RETURNED'])
    const regions = await sequelize.query<{ id: number }>('SELECT id FROM regions WHERE active', { type: QueryTypes.SELECT })
    for (const region of regions) {
      const report = await reports.report(region.id, last)
      expect(report.live, `region ${region.id}: a snapshot`).to.equal(false)
      expect(report.figures, `region ${region.id}`).to.deep.equal(await reports.figures(region.id, last))
    }
  })

  it('when a file of the office is exported whole, then its document holds the substance: measures with their hours and payments, assessments, the plan with its goals, contacts and letters', async () => {
    const { sequelize } = testDatabase()
    const s = buildServices({ sequelize, clock: new ManualClock(`${DEMO_DAY}T12:00:00+04:00`) })
    const t = translator('en')
    const [file] = await sequelize.query<{ id: number }>(
      `SELECT b.id FROM beneficiaries b
        WHERE EXISTS (SELECT 1 FROM measures m JOIN work_sessions w ON w.measure_id = m.id WHERE m.beneficiary_id = b.id)
          AND EXISTS (SELECT 1 FROM supervision_plans p WHERE p.beneficiary_id = b.id AND p.status = 'APPROVED')
          AND EXISTS (SELECT 1 FROM appointments a WHERE a.beneficiary_id = b.id AND a.outcome IS NOT NULL)
        ORDER BY b.id LIMIT 1`,
      { type: QueryTypes.SELECT },
    )
    const document = await s.subjectAccess.documentOf(await s.beneficiaries.get(file.id), t, 'en', 'Tester')
    const section = (title: string) => document.sections.find((candidate) => candidate.title.startsWith(title))
    const rowsOf = (title: string) => section(title)?.table?.rows.length ?? -1
    expect(rowsOf(t('measures.ofFile'))).to.equal(await count(`SELECT count(*) AS n FROM measures WHERE beneficiary_id = ${file.id}`))
    expect(rowsOf(`${t('measure.sessions')}: `)).to.equal(await count(`SELECT count(*) AS n FROM work_sessions w JOIN measures m ON m.id = w.measure_id WHERE m.beneficiary_id = ${file.id}`))
    expect(section(t('measures.ofFile'))!.table!.rows.map((row) => row[3]).join(' ')).to.match(/\d+ of \d+ hours done/)
    expect(rowsOf(t('assessment.list'))).to.equal(await count(`SELECT count(*) AS n FROM assessments WHERE beneficiary_id = ${file.id}`))
    expect(rowsOf(t('plan.title'))).to.equal(await count(`SELECT count(*) AS n FROM plan_goals g JOIN supervision_plans p ON p.id = g.plan_id WHERE p.beneficiary_id = ${file.id} AND p.status = 'APPROVED'`))
    expect(rowsOf(t('contacts.title'))).to.equal(await count(`SELECT count(*) AS n FROM appointments WHERE beneficiary_id = ${file.id}`))
    expect(section(t('correspondence.register.IN'))).not.to.equal(undefined)
    expect(section(t('correspondence.register.OUT'))).not.to.equal(undefined)
    // A text left untranslated is its key: a locale namespace, a dot, the rest ("measureState.completed").
    const namespaces = new Set(Object.keys(en).map((key) => key.split('.')[0]))
    const rawKeys = [...JSON.stringify(document).matchAll(/"([a-z][a-zA-Z]*)\.[a-zA-Z_.]+"/g)].filter((match) => namespaces.has(match[1])).map((match) => match[0])
    expect(rawKeys, 'no raw key').to.deep.equal([])
    expect((await renderPdf(document)).subarray(0, 5).toString()).to.equal('%PDF-')
  })

  it('when it is asked for again, then it leaves the existing office as it is', async () => {
    const files = await count('SELECT count(*) AS n FROM beneficiaries')
    expect(await seedDemoOffice(testDatabase().url, DEMO_DAY)).to.equal(0)
    expect(await count('SELECT count(*) AS n FROM beneficiaries')).to.equal(files)
  })
})
