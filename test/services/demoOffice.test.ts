import { expect } from 'chai'
import { QueryTypes } from 'sequelize'
import { seedDemoAccounts } from '../../server/db/demoData'
import { seedDemoOffice } from '../../server/db/demoOffice'
import { ManualClock } from '../../server/domain/clock'
import { DEMO_TOTP_KEY } from '../../server/domain/twoFactor'
import { previousQuarter, quarterOf } from '../../server/domain/quarterlyReport'
import { services as buildServices } from '../../server/services'
import { testDatabase } from '../helpers/database'

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

  it('when it is asked for again, then it leaves the existing office as it is', async () => {
    const files = await count('SELECT count(*) AS n FROM beneficiaries')
    expect(await seedDemoOffice(testDatabase().url, DEMO_DAY)).to.equal(0)
    expect(await count('SELECT count(*) AS n FROM beneficiaries')).to.equal(files)
  })
})
