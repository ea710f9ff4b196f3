import { Readable } from 'node:stream'
import { expect } from 'chai'
import { Workbook } from 'exceljs'
import { QueryTypes } from 'sequelize'
import { buildTestApp, type TestApp } from '../helpers/app'
import { signIn, type Browser } from '../helpers/agent'
import { createPerson, regionIdOf, type TestPerson } from '../helpers/people'
import { createBeneficiary } from '../helpers/beneficiaries'
import { requiredInMonth, type FrequencyPeriod } from '../../server/domain/contacts'
import { FIGURE_CODES, type FigureCode, type FigureSet, type Quarter } from '../../server/domain/quarterlyReport'
import type { BeneficiaryCategory } from '../../server/domain/beneficiaryCatalogue'
import { AuditEvent } from '../../models'

/*
 * Issue 7 items 5-8: a known dataset in Yerevan's and Armavir's bodies in 2033, every figure of both regions' reports for
 * the first two quarters counted by hand, the workflow (submit, return, resubmit, accept), snapshots that do not move when
 * the records change, the national roll-up, exports and access. Each figure is expected as what the records held before
 * this dataset (the migrations' reference data) plus what the dataset adds. The roll-up and the exports read the versions
 * the workflow leaves: run alone, they reach that state first (reachWorkflowEnd).
 */
const Q1: Quarter = { year: 2033, quarter: 1 }
const Q2: Quarter = { year: 2033, quarter: 2 }
type RegionKey = 'YEREVAN' | 'ARMAVIR'
type QuarterKey = 'Q1' | 'Q2'

/** A figure as counted by hand: the value and the names of the dataset's records behind it, and the same for each part. */
interface Expected {
  value: number
  records: string[]
  parts?: Record<string, [number, string[]]>
}

const f = (value: number, records: string[] = [], parts?: Record<string, [number, string[]]>): Expected => ({ value, records, parts })

/** What the dataset below adds to each report (figures not listed add nothing). */
function handCounted(): Record<RegionKey, Record<QuarterKey, Partial<Record<FigureCode, Expected>>>> {
  return {
    YEREVAN: {
      Q1: {
        caseloadAtStart: f(2, ['A1', 'A2']),
        caseloadAtEnd: f(3, ['A1', 'A3', 'A4']),
        newBeneficiaries: f(3, ['A3', 'A4', 'A5'], { NON_CUSTODIAL_PUNISHMENT: [1, ['A3']], ALTERNATIVE_PREVENTIVE_MEASURE: [1, ['A4']], MEDIATION_PARTICIPANT: [1, ['A5']] }),
        closedBeneficiaries: f(2, ['A2', 'A5'], { NON_CUSTODIAL_PUNISHMENT: [1, ['A2']], MEDIATION_PARTICIPANT: [1, ['A5']] }),
        newMeasures: f(2, ['M1', 'M2'], { PUBLIC_WORKS: [1, ['M1']], FINE: [1, ['M2']] }),
        endedMeasures: f(1, ['M3'], { PUBLIC_WORKS: [1, ['M3']] }),
        publicWorksHoursOrdered: f(120, ['M1']),
        publicWorksHoursWorked: f(15.5, ['W1', 'W2', 'W4']),
        finesImposed: f(1, ['M2']),
        finesImposedAmd: f(200000, ['M2']),
        finesPaidAmd: f(50000, ['F1']),
        violationsRecorded: f(2, ['V1', 'V2'], { MISSED_REPORT: [1, ['V1']], FAILED_TO_WORK: [1, ['V2']] }),
        assessmentsCompleted: f(1, ['AS1']),
        assessmentsDue: f(2, ['D1', 'D2']),
        assessmentsOnTime: f(1, ['D1']),
        plansApproved: f(1, ['P1']),
        plansDue: f(1, ['D5']),
        plansOnTime: f(1, ['D5']),
        // A1: 1 a month × 3; A2: 2 in January, and 14 days of February before the file closed (2 × 14/28 = 1); A3: 2 × 2.
        contactsRequired: f(10, ['A1', 'A2', 'A3']),
        contactsHeld: f(9, ['C-A1-01', 'C-A1-02', 'C-A1-03', 'C-A2-01', 'C-A2-02', 'C-A2-03', 'C-A3-01', 'C-A3-02', 'C-A3-03']),
        peopleMeetingStandard: f(2, ['A1', 'A2']),
        peopleBelowStandard: f(1, ['A3']),
        activityEvents: f(2, ['E1', 'E2']),
        activityInvitations: f(5, ['E1-A1', 'E1-A3', 'E2-A1', 'E2-A3', 'E2-A5']),
        activityAttendances: f(3, ['E1-A1', 'E2-A1', 'E2-A3']),
        activityPeople: f(2, ['A1', 'A3']),
        correspondenceReceived: f(5, ['I1', 'I2', 'I3', 'I4', 'I5'], { COMPLAINT: [3, ['I1', 'I2', 'I5']], UNIT_REQUEST: [1, ['I3']], CITIZEN_APPLICATION: [1, ['I4']] }),
        correspondenceAnsweredOnTime: f(2, ['I1', 'I4'], { COMPLAINT: [1, ['I1']], CITIZEN_APPLICATION: [1, ['I4']] }),
        correspondenceAnsweredLate: f(1, ['I2'], { COMPLAINT: [1, ['I2']] }),
        correspondenceOpenOverdue: f(1, ['I3'], { UNIT_REQUEST: [1, ['I3']] }),
        complaintsReceived: f(3, ['I1', 'I2', 'I5'], { STAFF_CONDUCT: [1, ['I1']], DELAYS: [2, ['I2', 'I5']] }),
        mediationInstructed: f(3, ['MC1', 'MC2', 'MC3']),
        mediationConcluded: f(1, ['MC1'], { AGREEMENT: [1, ['MC1']] }),
        mediationReportsSent: f(1, ['MC1']),
        mediationReportsOnTime: f(1, ['MC1']),
        mediationStopped: f(1, ['MC2']),
      },
      Q2: {
        caseloadAtStart: f(3, ['A1', 'A3', 'A4']),
        caseloadAtEnd: f(4, ['A1', 'A3', 'A6', 'A7']),
        newBeneficiaries: f(2, ['A6', 'A7'], { PROBATION_PERIOD: [1, ['A6']], SECURITY_MEASURE: [1, ['A7']] }),
        closedBeneficiaries: f(1, ['A4'], { ALTERNATIVE_PREVENTIVE_MEASURE: [1, ['A4']] }),
        newMeasures: f(2, ['M4', 'M5'], { CONDITIONAL_NON_APPLICATION: [1, ['M4']], FINE: [1, ['M5']] }),
        endedMeasures: f(1, ['M2'], { FINE: [1, ['M2']] }),
        publicWorksHoursWorked: f(2, ['W3']),
        finesImposed: f(1, ['M5']),
        finesImposedAmd: f(100000, ['M5']),
        finesPaidAmd: f(150000, ['F2']),
        violationsRecorded: f(1, ['V3'], { NEW_OFFENCE: [1, ['V3']] }),
        submissionsToCourt: f(2, ['V2', 'V3']),
        assessmentsCompleted: f(1, ['AS2']),
        assessmentsDue: f(2, ['D3', 'D6']),
        assessmentsOnTime: f(1, ['D6']),
        plansApproved: f(1, ['P2']),
        plansDue: f(2, ['D7', 'D8']),
        plansOnTime: f(1, ['D7']),
        // A1: 1 × 3; A3: 2 × 3; A6: 4 a month from 25 May (4 × 7/31, so 1) and 4 in June.
        contactsRequired: f(14, ['A1', 'A3', 'A6']),
        contactsHeld: f(12, ['C-A1-04', 'C-A1-05', 'C-A3-04', 'C-A3-05', 'C-A3-06', 'C-A3-07', 'C-A3-08', 'C-A3-09', 'C-A6-01', 'C-A6-02', 'C-A6-03', 'C-A6-04']),
        peopleMeetingStandard: f(1, ['A3']),
        peopleBelowStandard: f(2, ['A1', 'A6']),
        activityEvents: f(1, ['E3']),
        activityInvitations: f(1, ['E3-A6']),
        activityAttendances: f(1, ['E3-A6']),
        activityPeople: f(1, ['A6']),
        correspondenceReceived: f(2, ['I6', 'I7'], { INFORMATION_REQUEST: [1, ['I6']], COMPLAINT: [1, ['I7']] }),
        correspondenceAnsweredOnTime: f(1, ['I6'], { INFORMATION_REQUEST: [1, ['I6']] }),
        complaintsReceived: f(1, ['I7'], { STAFF_CONDUCT: [1, ['I7']] }),
        mediationInstructed: f(1, ['MC4']),
        mediationConcluded: f(1, ['MC3'], { NOT_HELD: [1, ['MC3']] }),
        mediationReportsSent: f(1, ['MC3']),
      },
    },
    ARMAVIR: {
      Q1: {
        caseloadAtStart: f(1, ['B1']),
        caseloadAtEnd: f(2, ['B1', 'B2']),
        newBeneficiaries: f(1, ['B2'], { NON_CUSTODIAL_PUNISHMENT: [1, ['B2']] }),
        newMeasures: f(1, ['MB1'], { PUBLIC_WORKS: [1, ['MB1']] }),
        publicWorksHoursOrdered: f(60, ['MB1']),
        publicWorksHoursWorked: f(6, ['WB1']),
        assessmentsDue: f(1, ['DB1']),
      },
      Q2: {
        caseloadAtStart: f(2, ['B1', 'B2']),
        caseloadAtEnd: f(2, ['B1', 'B2']),
        newBeneficiaries: f(1, ['B3'], { MINOR_EDUCATIONAL_MEASURE: [1, ['B3']] }),
        closedBeneficiaries: f(1, ['B3'], { MINOR_EDUCATIONAL_MEASURE: [1, ['B3']] }),
        newMeasures: f(1, ['MB2'], { EDUCATIONAL_MEASURE: [1, ['MB2']] }),
        endedMeasures: f(1, ['MB2'], { EDUCATIONAL_MEASURE: [1, ['MB2']] }),
        publicWorksHoursWorked: f(5.5, ['WB2']),
        violationsRecorded: f(1, ['VB1'], { FAILED_TO_WORK: [1, ['VB1']] }),
        submissionsToCourt: f(1, ['VB1']),
        correspondenceReceived: f(1, ['IB1'], { BENEFICIARY_APPLICATION: [1, ['IB1']] }),
        correspondenceAnsweredLate: f(1, ['IB1'], { BENEFICIARY_APPLICATION: [1, ['IB1']] }),
      },
    },
  }
}

/** The hand counts once A7's file is closed on 20 June and a payment of 25 June is entered, after the first submission. */
function countedAfterChange(): ReturnType<typeof handCounted> {
  const counted = handCounted()
  Object.assign(counted.YEREVAN.Q2, {
    caseloadAtEnd: f(3, ['A1', 'A3', 'A6']),
    closedBeneficiaries: f(2, ['A4', 'A7'], { ALTERNATIVE_PREVENTIVE_MEASURE: [1, ['A4']], SECURITY_MEASURE: [1, ['A7']] }),
    finesPaidAmd: f(180000, ['F2', 'F3']),
  })
  return counted
}

function versionOf(page: string): string {
  return /name="version" value="(\d+)"/.exec(page)![1]
}

describe('quarterly report through the app', () => {
  let t: TestApp
  const ids = new Map<string, number>()
  const regionIds = {} as Record<RegionKey, number>
  const baseline = {} as Record<RegionKey, Record<QuarterKey, FigureSet>>
  let serviceHead: TestPerson
  let headA: TestPerson
  let headB: TestPerson
  let specialistA: TestPerson
  let officerA: TestPerson
  let officerB: TestPerson
  let browsers: { serviceHead: Browser; headA: Browser; headB: Browser; specialistA: Browser }

  const sql = (text: string, replacements: Record<string, unknown> = {}) => t.services.sequelize.query(text, { replacements })
  /** Inserts one row and remembers its id under a name the expectations use. */
  async function row(name: string, table: string, values: Record<string, unknown>): Promise<number> {
    const columns = Object.keys(values)
    const [inserted] = await t.services.sequelize.query<{ id: number }>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `:${column}`).join(', ')}) RETURNING id`, {
      replacements: values,
      type: QueryTypes.SELECT,
    })
    ids.set(name, inserted.id)
    return inserted.id
  }
  const id = (name: string) => {
    const found = ids.get(name)
    if (found === undefined) throw new Error(`no record named ${name}`)
    return found
  }
  const noon = (date: string) => new Date(`${date}T12:00:00+04:00`)
  const at = async (moment: string) => {
    t.clock.set(moment)
    browsers = {
      serviceHead: await signIn(t.app, serviceHead.username),
      headA: await signIn(t.app, headA.username),
      headB: await signIn(t.app, headB.username),
      specialistA: await signIn(t.app, specialistA.username),
    }
  }

  async function file(name: string, region: RegionKey, category: BeneficiaryCategory, registeredOn: string, closedOn: string | null = null): Promise<void> {
    const officer = region === 'YEREVAN' ? officerA : officerB
    const card = await createBeneficiary(regionIds[region], officer.id, closedOn ? { category, status: 'CLOSED', closedOn, closeReason: 'MEASURE_COMPLETED' } : { category })
    await sql('UPDATE beneficiaries SET created_at = :at WHERE id = :id', { at: noon(registeredOn), id: card.id })
    ids.set(name, card.id)
  }

  async function measure(name: string, fileName: string, typeCode: string, details: Record<string, unknown>, receivedOn: string, state = 'in_execution', endedOn: string | null = null): Promise<void> {
    const actId = await row(`act-${name}`, 'court_acts', { beneficiary_id: id(fileName), court: 'Court of first instance', case_number: `CASE-${name}`, kind: 'VERDICT', act_date: receivedOn, received_date: receivedOn, registered_by_user_id: officerA.id })
    await row(name, 'measures', { beneficiary_id: id(fileName), court_act_id: actId, type_code: typeCode, details: JSON.stringify(details), state, ended_on: endedOn })
  }

  async function violation(name: string, measureName: string, kind: string, occurredOn: string, decision: [string, string] | null): Promise<void> {
    await row(name, 'violations', {
      measure_id: id(measureName), kind, occurred_on: occurredOn, description: 'recorded', action_due: 'WARNING', decided_on: decision?.[0] ?? null, outcome: decision?.[1] ?? null,
      decided_by_user_id: decision ? headA.id : null, recorded_by_user_id: officerA.id,
    })
  }

  async function assessment(name: string, fileName: string, kind: string, status: string, completedOn: string | null): Promise<void> {
    const [instrument] = await t.services.sequelize.query<{ id: number }>('SELECT id FROM instrument_versions ORDER BY id LIMIT 1', { type: QueryTypes.SELECT })
    await row(name, 'assessments', {
      beneficiary_id: id(fileName), instrument_version_id: instrument.id, kind, reason: kind === 'INITIAL' ? 'REGISTRATION' : 'SCHEDULED', status, result: status === 'DRAFT' ? null : '{}', author_user_id: officerA.id,
      completed_on: completedOn, countersigned_by_user_id: status === 'COUNTERSIGNED' ? headA.id : null, countersigned_on: status === 'COUNTERSIGNED' ? completedOn : null,
    })
  }

  async function plan(name: string, fileName: string, assessmentName: string, approvedOn: string, contactsPerMonth: number): Promise<void> {
    await row(name, 'supervision_plans', {
      beneficiary_id: id(fileName), assessment_id: id(assessmentName), plan_version: 1, status: 'APPROVED', contacts_per_month: contactsPerMonth, frequency_basis: '{}', author_user_id: officerA.id,
      submitted_by_user_id: officerA.id, submitted_on: approvedOn, approved_by_user_id: headA.id, approved_on: approvedOn,
    })
  }

  async function deadline(name: string, fileName: string, ruleId: string, dueDate: string, status: 'OPEN' | 'DONE' | 'CANCELLED', doneOn: string | null = null): Promise<void> {
    await row(name, 'deadlines', { beneficiary_id: id(fileName), rule_id: ruleId, subject_type: 'test', subject_id: ids.size + 1, event_date: '2032-12-01', due_date: dueDate, explanation: '{}', status, done_on: doneOn })
  }

  async function contact(name: string, fileName: string, date: string, kind: string, outcome: string | null, cancelled = false): Promise<void> {
    const scheduledAt = new Date(`${date}T10:00:00+04:00`)
    await row(name, 'appointments', {
      beneficiary_id: id(fileName), kind, scheduled_at: scheduledAt, booked_by_user_id: officerA.id, booked_at: scheduledAt, outcome, outcome_recorded_at: outcome ? noon(date) : null, outcome_recorded_by_user_id: outcome ? officerA.id : null,
      cancelled_at: cancelled ? scheduledAt : null, cancelled_by_user_id: cancelled ? officerA.id : null, cancel_reason: cancelled ? 'ill' : null,
    })
  }

  async function activity(name: string, date: string, kind: string, participants: [string, string | null][]): Promise<void> {
    const eventId = await row(name, 'activity_events', { region_id: regionIds.YEREVAN, kind, title: `Event ${name}`, event_date: date, place: 'Yerevan', organiser: 'Body', created_by_user_id: officerA.id })
    for (const [fileName, attendance] of participants) {
      await row(`${name}-${fileName}`, 'activity_participants', { event_id: eventId, beneficiary_id: id(fileName), invited_on: date, invited_by_user_id: officerA.id, attendance, attendance_recorded_by_user_id: attendance ? officerA.id : null })
    }
  }

  let sequence = 9000
  async function incoming(name: string, region: RegionKey, kind: string, topic: string | null, receivedOn: string, dueDate: string, answeredOn: string | null, status: string): Promise<void> {
    sequence += 1
    await row(name, 'incoming_items', {
      region_id: regionIds[region], year: 2033, sequence, number: `T-${name}`, received_on: receivedOn, channel: 'POST', kind, sender: 'Sender', subject: `Subject ${name}`, topic,
      rule_id: 'PETITION_REPLY', due_date: dueDate, computed_due_date: dueDate, due_explanation: '{}', status, answered_on: answeredOn, closure_reason: status === 'CLOSED' && !answeredOn ? 'withdrawn' : null,
      registered_by_user_id: officerA.id, search_text: name,
    })
  }

  async function mediationCase(name: string, instructedOn: string, values: Record<string, unknown>): Promise<void> {
    sequence += 1
    await row(name, 'mediation_cases', {
      region_id: regionIds.YEREVAN, year: 2033, sequence, number: `T-${name}`, criminal_case_number: `CC-${name}`, authority: 'Court', authority_decision_date: instructedOn, received_on: instructedOn,
      instructed_on: instructedOn, instructed_by_user_id: serviceHead.id, beneficiary_id: id('A5'), ...values,
    })
  }

  before(async () => {
    t = buildTestApp()
    t.clock.set('2033-01-02T10:00:00+04:00')
    regionIds.YEREVAN = await regionIdOf('YEREVAN')
    regionIds.ARMAVIR = await regionIdOf('ARMAVIR')
    serviceHead = await createPerson('SERVICE_HEAD', null)
    headA = await createPerson('REGIONAL_HEAD', 'YEREVAN')
    headB = await createPerson('REGIONAL_HEAD', 'ARMAVIR')
    specialistA = await createPerson('SPECIALIST', 'YEREVAN')
    officerA = await createPerson('SENIOR_SPECIALIST', 'YEREVAN')
    officerB = await createPerson('SENIOR_SPECIALIST', 'ARMAVIR')
    await t.services.assessments.ensureSample()
    for (const region of ['YEREVAN', 'ARMAVIR'] as const) {
      baseline[region] = { Q1: await t.services.quarterlyReports.figures(regionIds[region], Q1), Q2: await t.services.quarterlyReports.figures(regionIds[region], Q2) }
    }

    // Yerevan's files: registered on these days and closed on the last ones (that day no longer in the caseload).
    await file('A1', 'YEREVAN', 'PROBATION_PERIOD', '2032-11-10')
    await file('A2', 'YEREVAN', 'NON_CUSTODIAL_PUNISHMENT', '2032-12-01', '2033-02-15')
    await file('A3', 'YEREVAN', 'NON_CUSTODIAL_PUNISHMENT', '2033-01-10')
    await file('A4', 'YEREVAN', 'ALTERNATIVE_PREVENTIVE_MEASURE', '2033-03-31', '2033-04-01')
    await file('A5', 'YEREVAN', 'MEDIATION_PARTICIPANT', '2033-02-01', '2033-03-31')
    await file('A6', 'YEREVAN', 'PROBATION_PERIOD', '2033-05-05')
    await file('A7', 'YEREVAN', 'SECURITY_MEASURE', '2033-06-10')
    // Measures, counted by the day the court act was received and the day they ended.
    await measure('M1', 'A1', 'PUBLIC_WORKS', { hoursOrdered: 120 }, '2033-01-20')
    await measure('M2', 'A3', 'FINE', { amountAmd: 200000 }, '2033-01-12', 'completed', '2033-04-20')
    await measure('M3', 'A2', 'PUBLIC_WORKS', { hoursOrdered: 40 }, '2032-12-20', 'completed', '2033-02-15')
    await measure('M4', 'A6', 'CONDITIONAL_NON_APPLICATION', { probationPeriodMonths: 24 }, '2033-05-06')
    await measure('M5', 'A7', 'FINE', { amountAmd: 100000 }, '2033-06-11')
    const session = (name: string, measureName: string, date: string, hours: number) => row(name, 'work_sessions', { measure_id: id(measureName), work_date: date, hours, confirmed_by: 'Supervisor', recorded_by_user_id: officerA.id })
    await session('W1', 'M1', '2033-02-10', 4)
    await session('W2', 'M1', '2033-03-31', 3.5)
    await session('W3', 'M1', '2033-04-01', 2)
    await session('W4', 'M3', '2033-01-15', 8)
    const payment = (name: string, date: string, amount: number) => row(name, 'fine_payments', { measure_id: id('M2'), paid_on: date, amount_amd: amount, receipt_number: name, recorded_by_user_id: officerA.id })
    await payment('F1', '2033-02-01', 50000)
    await payment('F2', '2033-04-15', 150000)
    await violation('V1', 'M1', 'MISSED_REPORT', '2033-02-20', ['2033-03-01', 'WARNING_GIVEN'])
    await violation('V2', 'M1', 'FAILED_TO_WORK', '2033-03-25', ['2033-04-02', 'SUBMITTED_TO_COURT'])
    await violation('V3', 'M4', 'NEW_OFFENCE', '2033-06-01', ['2033-06-05', 'SUBMITTED_TO_COURT'])
    // Assessments and plans; the plans' contact frequencies are the standard contacts are judged against.
    await assessment('AS0', 'A1', 'INITIAL', 'COMPLETED', '2032-12-10')
    await assessment('AS-A2', 'A2', 'INITIAL', 'COMPLETED', '2032-12-18')
    await assessment('AS1', 'A3', 'INITIAL', 'COMPLETED', '2033-01-25')
    await assessment('AS2', 'A6', 'INITIAL', 'COUNTERSIGNED', '2033-05-20')
    await assessment('AS3', 'A1', 'REASSESSMENT', 'DRAFT', null)
    await plan('P0', 'A1', 'AS0', '2032-12-15', 1)
    await plan('P-A2', 'A2', 'AS-A2', '2032-12-20', 2)
    await plan('P1', 'A3', 'AS1', '2033-02-01', 2)
    await plan('P2', 'A6', 'AS2', '2033-05-25', 4)
    await deadline('D1', 'A3', 'INITIAL_ASSESSMENT', '2033-01-31', 'DONE', '2033-01-25')
    await deadline('D2', 'A5', 'INITIAL_ASSESSMENT', '2033-02-21', 'DONE', '2033-02-25')
    await deadline('D3', 'A4', 'INITIAL_ASSESSMENT', '2033-04-21', 'OPEN')
    await deadline('D4', 'A1', 'REASSESSMENT', '2033-03-10', 'CANCELLED')
    await deadline('D5', 'A3', 'PLAN_AFTER_ASSESSMENT', '2033-02-01', 'DONE', '2033-02-01')
    await deadline('D6', 'A6', 'INITIAL_ASSESSMENT', '2033-05-26', 'DONE', '2033-05-20')
    await deadline('D7', 'A6', 'PLAN_AFTER_ASSESSMENT', '2033-05-27', 'DONE', '2033-05-25')
    await deadline('D8', 'A3', 'PLAN_REVIEW', '2033-05-01', 'OPEN')
    await deadline('D9', 'A1', 'FIRST_CONTACT', '2033-01-05', 'DONE', '2033-01-04')
    // Contacts: held means the person attended (complied or not), in person, by phone or video; not collateral contacts.
    await contact('C-A1-01', 'A1', '2033-01-15', 'VIDEO', 'ATTENDED_COMPLIED')
    await contact('C-A1-02', 'A1', '2033-02-15', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A1-03', 'A1', '2033-03-15', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A1-04', 'A1', '2033-04-12', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A1-05', 'A1', '2033-05-12', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A2-01', 'A2', '2033-01-10', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A2-02', 'A2', '2033-01-20', 'HOME_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A2-03', 'A2', '2033-02-05', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A3-01', 'A3', '2033-02-03', 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await contact('C-A3-02', 'A3', '2033-02-17', 'HOME_VISIT', 'ATTENDED_FAILED_TO_COMPLY')
    await contact('C-A3-03', 'A3', '2033-03-10', 'PHONE', 'ATTENDED_COMPLIED')
    await contact('C-A3-x1', 'A3', '2033-03-24', 'OFFICE_VISIT', 'UNACCEPTABLE_ABSENCE')
    await contact('C-A3-x2', 'A3', '2033-03-28', 'EMPLOYER_CONTACT', 'ATTENDED_COMPLIED')
    await contact('C-A3-x3', 'A3', '2033-03-29', 'OFFICE_VISIT', null, true)
    for (const [n, date] of ['2033-04-05', '2033-04-19', '2033-05-03', '2033-05-17', '2033-06-07', '2033-06-21'].entries()) await contact(`C-A3-0${n + 4}`, 'A3', date, 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    for (const [n, date] of ['2033-05-28', '2033-06-02', '2033-06-09', '2033-06-16'].entries()) await contact(`C-A6-0${n + 1}`, 'A6', date, 'OFFICE_VISIT', 'ATTENDED_COMPLIED')
    await activity('E1', '2033-02-14', 'SPORTS', [['A1', 'ATTENDED'], ['A3', 'ABSENT']])
    await activity('E2', '2033-03-20', 'CULTURAL', [['A1', 'ATTENDED'], ['A3', 'ATTENDED'], ['A5', null]])
    await activity('E3', '2033-05-10', 'EDUCATIONAL', [['A6', 'ATTENDED']])
    await incoming('I1', 'YEREVAN', 'COMPLAINT', 'STAFF_CONDUCT', '2033-01-10', '2033-02-10', '2033-02-05', 'SENT')
    await incoming('I2', 'YEREVAN', 'COMPLAINT', 'DELAYS', '2033-02-01', '2033-03-01', '2033-03-05', 'SENT')
    await incoming('I3', 'YEREVAN', 'UNIT_REQUEST', null, '2033-03-15', '2033-03-29', null, 'IN_PROGRESS')
    await incoming('I4', 'YEREVAN', 'CITIZEN_APPLICATION', 'FINES', '2033-03-20', '2033-04-20', '2033-04-18', 'SENT')
    await incoming('I5', 'YEREVAN', 'COMPLAINT', 'DELAYS', '2033-03-25', '2033-04-25', null, 'CLOSED')
    await incoming('I6', 'YEREVAN', 'INFORMATION_REQUEST', 'ACCESS_TO_INFORMATION', '2033-05-02', '2033-05-07', '2033-05-06', 'SENT')
    await incoming('I7', 'YEREVAN', 'COMPLAINT', 'STAFF_CONDUCT', '2033-06-20', '2033-07-20', null, 'ASSIGNED')
    await mediationCase('MC1', '2033-01-15', {
      status: 'REPORTED', mediator_user_id: officerA.id, outcome: 'AGREEMENT', agreement_terms: 'Apology and repair', concluded_on: '2033-03-10',
      report_due_date: '2033-03-24', report_due_explanation: '{}', report_sent_on: '2033-03-20', report_letter_reference: 'L-1',
    })
    await mediationCase('MC2', '2033-02-10', { status: 'DECLINED', ended_on: '2033-02-12', end_reason: 'Not suitable' })
    await mediationCase('MC3', '2033-03-01', {
      status: 'REPORTED', mediator_user_id: officerA.id, outcome: 'NOT_HELD', outcome_reason: 'The victim refused', concluded_on: '2033-04-05',
      report_due_date: '2033-04-19', report_due_explanation: '{}', report_sent_on: '2033-04-25', report_letter_reference: 'L-3',
    })
    await mediationCase('MC4', '2033-05-01', { status: 'IN_PROGRESS', mediator_user_id: officerA.id })

    // Armavir's files.
    await file('B1', 'ARMAVIR', 'PROBATION_PERIOD', '2032-06-01')
    await file('B2', 'ARMAVIR', 'NON_CUSTODIAL_PUNISHMENT', '2033-02-10')
    await file('B3', 'ARMAVIR', 'MINOR_EDUCATIONAL_MEASURE', '2033-04-20', '2033-06-30')
    await measure('MB1', 'B2', 'PUBLIC_WORKS', { hoursOrdered: 60 }, '2033-02-12')
    await measure('MB2', 'B3', 'EDUCATIONAL_MEASURE', {}, '2033-04-22', 'ended', '2033-06-30')
    await row('WB1', 'work_sessions', { measure_id: id('MB1'), work_date: '2033-03-01', hours: 6, confirmed_by: 'Supervisor', recorded_by_user_id: officerB.id })
    await row('WB2', 'work_sessions', { measure_id: id('MB1'), work_date: '2033-05-03', hours: 5.5, confirmed_by: 'Supervisor', recorded_by_user_id: officerB.id })
    await violation('VB1', 'MB1', 'FAILED_TO_WORK', '2033-05-15', ['2033-05-20', 'SUBMITTED_TO_COURT'])
    await deadline('DB1', 'B2', 'INITIAL_ASSESSMENT', '2033-03-03', 'OPEN')
    await incoming('IB1', 'ARMAVIR', 'BENEFICIARY_APPLICATION', 'OTHER', '2033-04-03', '2033-05-03', '2033-05-10', 'SENT')
  })

  /** The figures expected of a report: what the records held before the dataset plus what the dataset adds, with its records. */
  function expected(region: RegionKey, quarter: QuarterKey, counted = handCounted()): Record<FigureCode, { value: number; ids: number[]; parts: Record<string, { value: number; ids: number[] }> }> {
    const before = baseline[region][quarter]
    const added = counted[region][quarter]
    const sorted = (list: number[]) => [...new Set(list)].sort((a, b) => a - b)
    return Object.fromEntries(FIGURE_CODES.map((code) => {
      const base = before[code]
      const mine = added[code] ?? f(0)
      const keys = new Set([...Object.keys(base.parts), ...Object.keys(mine.parts ?? {})])
      const parts = Object.fromEntries([...keys].map((key) => {
        const [value, names] = mine.parts?.[key] ?? [0, []]
        return [key, { value: (base.parts[key]?.value ?? 0) + value, ids: sorted([...(base.parts[key]?.ids ?? []), ...names.map(id)]) }]
      }))
      return [code, { value: Math.round((base.value + mine.value) * 10) / 10, ids: sorted([...(base.ids ?? []), ...mine.records.map(id)]), parts }]
    })) as ReturnType<typeof expected>
  }

  /** What the two workflow tests leave behind, reached without their checks when a later test runs without them. */
  async function reachWorkflowEnd(): Promise<void> {
    const yerevanQ1 = `/regions/${regionIds.YEREVAN}/reports/2033/1`
    const yerevanQ2 = `/regions/${regionIds.YEREVAN}/reports/2033/2`
    const submit = async (browser: Browser, url: string, problems: string, proposals: string) => {
      const page = await browser.get(url)
      expect((await browser.post(`${url}/narrative`, { problems, proposals, intent: 'submit', version: versionOf(page.text) })).status).to.equal(303)
    }
    const decide = async (url: string, decision: 'accept' | 'return', grade: string, comment: string) => {
      const page = await browsers.serviceHead.get(url)
      expect((await browsers.serviceHead.post(`${url}/decision`, { decision, grade, comment, version: versionOf(page.text) })).status).to.equal(303)
    }
    if ((await t.services.quarterlyReports.report(regionIds.YEREVAN, Q1)).versions.length === 0) {
      await at('2033-04-04T10:00:00+04:00')
      await submit(browsers.headA, yerevanQ1, 'Staff shortage', 'Hire two officers')
      await decide(yerevanQ1, 'accept', 'GOOD', 'Well done')
    }
    if ((await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2)).versions.length === 0) {
      await at('2033-07-08T10:00:00+04:00')
      await submit(browsers.headA, yerevanQ2, 'Late court acts', 'Agree a protocol with the courts')
      await decide(yerevanQ2, 'return', '', 'Explain the overdue plan review')
      await sql(`UPDATE beneficiaries SET status = 'CLOSED', closed_on = '2033-06-20', close_reason = 'REVOKED' WHERE id = :id`, { id: id('A7') })
      await row('F3', 'fine_payments', { measure_id: id('M5'), paid_on: '2033-06-25', amount_amd: 30000, receipt_number: 'F3', recorded_by_user_id: officerA.id })
      await submit(browsers.headA, yerevanQ2, 'Late court acts; one plan review overdue', 'Agree a protocol with the courts')
      await violation('V4', 'M4', 'BREACH_OF_OBLIGATION', '2033-06-28', null)
      await decide(yerevanQ2, 'accept', 'EXCELLENT', 'Thorough')
      await submit(browsers.headB, `/regions/${regionIds.ARMAVIR}/reports/2033/2`, 'None found', 'Keep the course')
    }
    // The later tests look on from the second quarter's decision day, whichever tests ran before (the first quarter's leaves April).
    await at('2033-07-08T10:00:00+04:00')
  }

  it('when both regions\' figures are computed for both quarters, then every figure and the records behind it are those counted by hand', async () => {
    t.clock.set('2033-07-08T10:00:00+04:00')
    for (const region of ['YEREVAN', 'ARMAVIR'] as const) {
      for (const [key, quarter] of [['Q1', Q1], ['Q2', Q2]] as const) {
        const figures = await t.services.quarterlyReports.figures(regionIds[region], quarter)
        const wanted = expected(region, key)
        for (const code of FIGURE_CODES) expect(figures[code], `${region} ${key} ${code}`).to.deep.equal(wanted[code])
      }
    }
  })

  it('when the caseload is counted, then the start plus new files minus closed ones is the end, in both regions and quarters', async () => {
    for (const region of ['YEREVAN', 'ARMAVIR'] as const) {
      for (const quarter of [Q1, Q2]) {
        const figures = await t.services.quarterlyReports.figures(regionIds[region], quarter)
        expect(figures.caseloadAtStart.value + figures.newBeneficiaries.value - figures.closedBeneficiaries.value, `${region} ${quarter.quarter}`).to.equal(figures.caseloadAtEnd.value)
      }
    }
  })

  it('when the contacts standard is counted, then each month\'s requirement is the contacts page\'s rule (requiredInMonth)', () => {
    // The hand counts above, month by month, against the domain's own function.
    const a1: FrequencyPeriod[] = [{ from: '2032-12-15', to: null, contactsPerMonth: 1 }]
    const a2: FrequencyPeriod[] = [{ from: '2032-12-20', to: '2033-02-15', contactsPerMonth: 2 }]
    const a3: FrequencyPeriod[] = [{ from: '2033-02-01', to: null, contactsPerMonth: 2 }]
    const a6: FrequencyPeriod[] = [{ from: '2033-05-25', to: null, contactsPerMonth: 4 }]
    const months = (periods: FrequencyPeriod[], list: string[]) => list.map((month) => requiredInMonth(month, periods))
    expect(months(a1, ['2033-01', '2033-02', '2033-03', '2033-04', '2033-05', '2033-06'])).to.deep.equal([1, 1, 1, 1, 1, 1])
    expect(months(a2, ['2033-01', '2033-02', '2033-03'])).to.deep.equal([2, 1, 0])
    expect(months(a3, ['2033-01', '2033-02', '2033-03', '2033-04', '2033-05', '2033-06'])).to.deep.equal([0, 2, 2, 2, 2, 2])
    expect(months(a6, ['2033-04', '2033-05', '2033-06'])).to.deep.equal([0, 1, 4])
  })

  it('when the correspondence figures are computed, then they agree with the correspondence quarterly summary', async () => {
    for (const quarter of [Q1, Q2]) {
      const summary = await t.services.correspondence.quarterSummary(regionIds.YEREVAN, quarter.year, quarter.quarter)
      const figures = await t.services.quarterlyReports.figures(regionIds.YEREVAN, quarter)
      for (const line of summary.byKind) {
        expect([figures.correspondenceReceived.parts[line.kind]?.value ?? 0, figures.correspondenceAnsweredOnTime.parts[line.kind]?.value ?? 0, figures.correspondenceAnsweredLate.parts[line.kind]?.value ?? 0, figures.correspondenceOpenOverdue.parts[line.kind]?.value ?? 0], line.kind)
          .to.deep.equal([line.received, line.answeredOnTime, line.answeredLate, line.openOverdue])
      }
    }
  })

  it('when the head prepares the first quarter\'s report, then it cannot be submitted before the quarter ends; submitted on time, the service head accepts it with a grade', async () => {
    await at('2033-03-20T10:00:00+04:00')
    const url = `/regions/${regionIds.YEREVAN}/reports/2033/1`
    let page = await browsers.headA.get(url)
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('data-testid="figures-live"').and.contain('data-testid="narrative-form"')
    expect(page.text).to.match(/data-testid="report-due">05\.04\.2033</)
    const early = await browsers.headA.post(`${url}/narrative`, { problems: 'Staff shortage', proposals: 'Hire two officers', intent: 'submit', version: versionOf(page.text) })
    expect(early.status).to.equal(400)
    expect(early.text).to.contain('id="problems-error"')
    expect((await browsers.headA.post(`${url}/narrative`, { problems: 'Staff shortage', proposals: '', intent: 'save', version: versionOf(page.text) })).status).to.equal(303)

    await at('2033-04-04T10:00:00+04:00')
    page = await browsers.headA.get(url)
    expect(page.text).to.contain('Staff shortage')
    const missing = await browsers.headA.post(`${url}/narrative`, { problems: 'Staff shortage', proposals: '', intent: 'submit', version: versionOf(page.text) })
    expect(missing.status).to.equal(400)
    expect(missing.text).to.contain('id="proposals-error"')
    const submitted = await browsers.headA.post(`${url}/narrative`, { problems: 'Staff shortage', proposals: 'Hire two officers', intent: 'submit', version: versionOf(page.text) })
    expect(submitted.status).to.equal(303)
    const view = await t.services.quarterlyReports.report(regionIds.YEREVAN, Q1)
    expect(view.shown).to.include({ versionNumber: 1, status: 'SUBMITTED', submittedOn: '2033-04-04', dueDate: '2033-04-05' })
    expect(view.live).to.equal(false)

    // The head cannot decide; the service head can, and a grade is needed to accept.
    page = await browsers.serviceHead.get(url)
    expect(page.text).to.contain('data-testid="decision-form"').and.not.contain('data-testid="narrative-form"')
    expect((await browsers.headA.post(`${url}/decision`, { decision: 'accept', grade: 'GOOD', comment: 'Well done', version: versionOf(page.text) })).status).to.equal(404)
    const noGrade = await browsers.serviceHead.post(`${url}/decision`, { decision: 'accept', grade: '', comment: 'Well done', version: versionOf(page.text) })
    expect(noGrade.status).to.equal(400)
    expect(noGrade.text).to.contain('id="grade-error"')
    expect((await browsers.serviceHead.post(`${url}/decision`, { decision: 'accept', grade: 'GOOD', comment: 'Well done', version: versionOf(page.text) })).status).to.equal(303)
    const accepted = await t.services.quarterlyReports.report(regionIds.YEREVAN, Q1)
    expect(accepted.shown).to.include({ status: 'ACCEPTED', grade: 'GOOD', decisionComment: 'Well done' })
    // Accepted is final: nothing more to prepare.
    page = await browsers.headA.get(url)
    expect(page.text).not.to.contain('data-testid="narrative-form"')
    expect((await browsers.headA.post(`${url}/narrative`, { problems: 'x', proposals: 'y', intent: 'save', version: '0' })).status).to.equal(400)
  })

  it('when the second quarter\'s report is submitted late, returned, the records change and it is resubmitted, then version 1 keeps its snapshot, version 2 has the new figures, and acceptance grades it', async () => {
    await at('2033-07-08T10:00:00+04:00')
    const url = `/regions/${regionIds.YEREVAN}/reports/2033/2`
    let page = await browsers.headA.get(url)
    expect(page.text).to.match(/data-testid="report-due">06\.07\.2033</) // 5 July is a holiday
    // A draft first: the audit check at the end looks for a saved draft, and this test may run without the first quarter's.
    expect((await browsers.headA.post(`${url}/narrative`, { problems: 'Late court acts', proposals: '', intent: 'save', version: versionOf(page.text) })).status).to.equal(303)
    page = await browsers.headA.get(url)
    expect((await browsers.headA.post(`${url}/narrative`, { problems: 'Late court acts', proposals: 'Agree a protocol with the courts', intent: 'submit', version: versionOf(page.text) })).status).to.equal(303)
    const v1 = await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2)
    expect(v1.shown).to.include({ versionNumber: 1, status: 'SUBMITTED', submittedOn: '2033-07-08' })
    page = await browsers.headA.get(url)
    expect(page.text).to.contain('data-testid="figures-frozen"')

    page = await browsers.serviceHead.get(url)
    const noComment = await browsers.serviceHead.post(`${url}/decision`, { decision: 'return', grade: '', comment: '', version: versionOf(page.text) })
    expect(noComment.status).to.equal(400)
    expect(noComment.text).to.contain('id="comment-error"')
    expect((await browsers.serviceHead.post(`${url}/decision`, { decision: 'return', grade: '', comment: 'Explain the overdue plan review', version: versionOf(page.text) })).status).to.equal(303)

    // The records change after submission: A7's file was in fact closed in June, and a payment of June is entered late.
    await sql(`UPDATE beneficiaries SET status = 'CLOSED', closed_on = '2033-06-20', close_reason = 'REVOKED' WHERE id = :id`, { id: id('A7') })
    await row('F3', 'fine_payments', { measure_id: id('M5'), paid_on: '2033-06-25', amount_amd: 30000, receipt_number: 'F3', recorded_by_user_id: officerA.id })
    const afterChange = countedAfterChange()
    const snapshotV1 = (await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2, 1)).figures
    const original = expected('YEREVAN', 'Q2')
    for (const code of FIGURE_CODES) expect(snapshotV1[code], `v1 ${code}`).to.deep.equal(original[code])

    // The returned version stays on record; preparing again starts version 2 from its narrative.
    page = await browsers.headA.get(url)
    expect(page.text).to.contain('data-testid="narrative-form"').and.contain('Explain the overdue plan review').and.contain('Late court acts')
    expect(versionOf(page.text)).to.equal('0')
    expect((await browsers.headA.post(`${url}/narrative`, { problems: 'Late court acts; one plan review overdue', proposals: 'Agree a protocol with the courts', intent: 'submit', version: '0' })).status).to.equal(303)
    const v2 = await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2)
    expect(v2.versions.map((version) => [version.versionNumber, version.status])).to.deep.equal([[2, 'SUBMITTED'], [1, 'RETURNED']])
    const changed = expected('YEREVAN', 'Q2', afterChange)
    for (const code of FIGURE_CODES) expect(v2.figures[code], `v2 ${code}`).to.deep.equal(changed[code])

    // Records change again after version 2: the live figures move, the snapshots do not.
    await violation('V4', 'M4', 'BREACH_OF_OBLIGATION', '2033-06-28', null)
    const live = await t.services.quarterlyReports.figures(regionIds.YEREVAN, Q2)
    expect(live.violationsRecorded.value).to.equal(changed.violationsRecorded.value + 1)
    expect((await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2, 2)).figures.violationsRecorded).to.deep.equal(changed.violationsRecorded)
    expect((await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2, 1)).figures.closedBeneficiaries).to.deep.equal(original.closedBeneficiaries)

    // Every figure opens its records: version 1's closed files are still A4 alone, version 2's A4 and A7.
    const v1Closed = await browsers.serviceHead.get(`${url}/figures/closedBeneficiaries?version=1`)
    expect(v1Closed.status).to.equal(200)
    expect(v1Closed.text).to.contain('data-testid="records-frozen"').and.contain(`data-record-id="${id('A4')}"`).and.not.contain(`data-record-id="${id('A7')}"`)
    const v2Closed = await browsers.serviceHead.get(`${url}/figures/closedBeneficiaries?version=2&part=SECURITY_MEASURE`)
    expect(v2Closed.text).to.contain(`data-record-id="${id('A7')}"`).and.not.contain(`data-record-id="${id('A4')}"`)
    const v2Violations = await browsers.headA.get(`${url}/figures/violationsRecorded?version=2`)
    expect(v2Violations.text).to.contain(`data-record-id="${id('V3')}"`).and.not.contain(`data-record-id="${id('V4')}"`)
    expect((await browsers.headA.get(`${url}/figures/violationsRecorded?part=NOT_A_KIND`)).status).to.equal(404)
    expect((await browsers.headA.get(`${url}/figures/notAFigure`)).status).to.equal(404)

    // A stale decision (made on version 1's page) is refused; then the service head accepts version 2.
    const stale = await browsers.serviceHead.post(`${url}/decision`, { decision: 'accept', grade: 'EXCELLENT', comment: 'Thorough', version: '1' })
    expect(stale.status).to.equal(409)
    page = await browsers.serviceHead.get(url)
    expect((await browsers.serviceHead.post(`${url}/decision`, { decision: 'accept', grade: 'EXCELLENT', comment: 'Thorough', version: versionOf(page.text) })).status).to.equal(303)
    const final = await t.services.quarterlyReports.report(regionIds.YEREVAN, Q2)
    expect(final.versions.map((version) => [version.versionNumber, version.status, version.grade])).to.deep.equal([[2, 'ACCEPTED', 'EXCELLENT'], [1, 'RETURNED', null]])
    page = await browsers.headA.get(url)
    expect(page.text).to.contain('data-testid="report-history"').and.contain('Explain the overdue plan review').and.contain('Thorough')

    // Armavir submits its second quarter (late as well); it waits for the service head's decision.
    page = await browsers.headB.get(`/regions/${regionIds.ARMAVIR}/reports/2033/2`)
    expect((await browsers.headB.post(`/regions/${regionIds.ARMAVIR}/reports/2033/2/narrative`, { problems: 'None found', proposals: 'Keep the course', intent: 'submit', version: versionOf(page.text) })).status).to.equal(303)
    const armavir = await t.services.quarterlyReports.report(regionIds.ARMAVIR, Q2)
    const armavirExpected = expected('ARMAVIR', 'Q2')
    for (const code of FIGURE_CODES) expect(armavir.figures[code], `Armavir ${code}`).to.deep.equal(armavirExpected[code])

    const audit = await AuditEvent.findAll({ where: { category: 'report', regionId: regionIds.YEREVAN }, order: [['id', 'ASC']] })
    expect(audit.map((line) => line.action)).to.include.members(['quarterlyReport.saveDraft', 'quarterlyReport.submit', 'quarterlyReport.accept', 'quarterlyReport.return'])
  })

  it('when the service head opens the national roll-up, then each region shows its accepted, pending or live figures with the change from the previous quarter', async () => {
    await reachWorkflowEnd()
    const view = await t.services.quarterlyReports.rollup(Q2)
    const yerevan = view.rows.find((line) => line.regionId === regionIds.YEREVAN)!
    const armavir = view.rows.find((line) => line.regionId === regionIds.ARMAVIR)!
    const afterChange = countedAfterChange()
    expect([yerevan.source, yerevan.previousSource, yerevan.latestStatus, yerevan.grade]).to.deep.equal(['accepted', 'accepted', 'ACCEPTED', 'EXCELLENT'])
    expect([armavir.source, armavir.previousSource, armavir.latestStatus, armavir.grade]).to.deep.equal(['submitted', 'live', 'SUBMITTED', null])
    const values = (wanted: ReturnType<typeof expected>) => Object.fromEntries(FIGURE_CODES.map((code) => [code, wanted[code].value]))
    expect(yerevan.values).to.deep.equal(values(expected('YEREVAN', 'Q2', afterChange)))
    expect(yerevan.previous).to.deep.equal(values(expected('YEREVAN', 'Q1')))
    expect(armavir.values).to.deep.equal(values(expected('ARMAVIR', 'Q2')))
    // Armavir's first quarter was never submitted: its figures are computed now from the records.
    expect(armavir.previous).to.deep.equal(values(expected('ARMAVIR', 'Q1')))
    expect(view.rows).to.have.length.greaterThan(2)
    for (const code of FIGURE_CODES) {
      expect(view.totals[code], code).to.be.closeTo(view.rows.reduce((sum, line) => sum + line.values[code], 0), 1e-9)
      expect(view.previousTotals[code], code).to.be.closeTo(view.rows.reduce((sum, line) => sum + line.previous[code], 0), 1e-9)
    }

    const page = await browsers.serviceHead.get('/reports/national?year=2033&quarter=2')
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('data-testid="national-rollup"').and.contain('id="chart-correspondence"').and.contain('/assets/chart.js/chart.umd.min.js').and.contain('/assets/quarterly-charts.js')
    const cell = new RegExp(`data-testid="rollup-violationsRecorded"[\\s\\S]*?data-region="${regionIds.ARMAVIR}">(\\d+)<div class="small text-muted">([^<]*)<`).exec(page.text)!
    expect([cell[1], cell[2]]).to.deep.equal(['1', '+1'])
    const chartScript = await browsers.serviceHead.get('/assets/chart.js/chart.umd.min.js')
    expect(chartScript.status).to.equal(200)
    expect(chartScript.headers['content-type']).to.contain('javascript')
  })

  it('when a region\'s report and the roll-up are exported, then XLSX reads back, CSV opens in Excel with Armenian headers, and the PDF is a PDF', async () => {
    await reachWorkflowEnd()
    const url = `/regions/${regionIds.YEREVAN}/reports/2033/2/export`
    const xlsx = await browsers.serviceHead.get(`${url}.xlsx?version=1`).buffer(true).parse((response, done) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => done(null, Buffer.concat(chunks)))
    })
    expect(xlsx.status).to.equal(200)
    expect(xlsx.headers['content-disposition']).to.contain('quarterly-report-yerevan-2033-q2-v1.xlsx')
    const workbook = new Workbook()
    // read() rather than load(): exceljs declares its own global Buffer, which a Node Buffer no longer satisfies.
    await workbook.xlsx.read(Readable.from([xlsx.body as Buffer]))
    const sheet = workbook.worksheets[0]
    const rows: string[][] = []
    sheet.eachRow((line) => rows.push(Array.from((line.values as unknown[]).slice(1), (value) => String(value ?? ''))))
    expect(rows[0][0]).to.contain('Երևանի մարզային մարմին')
    const wanted = expected('YEREVAN', 'Q2')
    const closedRow = rows.find((line) => line[1] === 'Փակված անձնական գործեր' && line[2] === '')!
    expect(closedRow[3]).to.equal(String(wanted.closedBeneficiaries.value))
    const paidRow = rows.find((line) => line[1] === 'Վճարված տուգանքներ (ՀՀ դրամ)')!
    expect(paidRow[3]).to.equal(String(wanted.finesPaidAmd.value))
    expect(rows.some((line) => line.includes('Late court acts'))).to.equal(true)

    const csv = await browsers.headA.get(`${url}.csv?version=2`)
    expect(csv.status).to.equal(200)
    expect(csv.headers['content-type']).to.contain('text/csv')
    expect(csv.text.charCodeAt(0)).to.equal(0xfeff)
    const [header, ...lines] = csv.text.slice(1).split('\r\n')
    expect(header).to.equal('Բաժին,Ցուցանիշ,Մանրամասնում,Արժեք')
    expect(lines).to.include(`Տուգանքներ,Վճարված տուգանքներ (ՀՀ դրամ),,${expected('YEREVAN', 'Q2', countedAfterChange()).finesPaidAmd.value}`)

    const pdf = await browsers.headA.get(`${url}.pdf`)
    expect(pdf.status).to.equal(200)
    expect(pdf.headers['content-type']).to.contain('application/pdf')
    expect(Buffer.from(pdf.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-')

    const nationalCsv = await browsers.serviceHead.get('/reports/national/export.csv?year=2033&quarter=2')
    expect(nationalCsv.text.charCodeAt(0)).to.equal(0xfeff)
    expect(nationalCsv.text).to.contain('Երևանի մարզային մարմին').and.contain('Արմավիրի մարզային մարմին')
    const nationalPdf = await browsers.serviceHead.get('/reports/national/export.pdf?year=2033&quarter=2')
    expect(Buffer.from(nationalPdf.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-')
    const nationalXlsx = await browsers.serviceHead.get('/reports/national/export.xlsx?year=2033&quarter=2')
    expect(nationalXlsx.status).to.equal(200)
  })

  it('when others try, then another region\'s head sees neither the report nor the board, staff see no report and no national page, and a head cannot decide', async () => {
    await reachWorkflowEnd()
    const yerevanReport = `/regions/${regionIds.YEREVAN}/reports/2033/2`
    for (const path of [yerevanReport, `${yerevanReport}/figures/caseloadAtEnd`, `${yerevanReport}/export.csv`, `/regions/${regionIds.YEREVAN}/reports`, `/regions/${regionIds.YEREVAN}/board`]) {
      expect((await browsers.headB.get(path)).status, `Armavir's head: ${path}`).to.equal(404)
    }
    expect((await browsers.headB.post(`${yerevanReport}/narrative`, { problems: 'x', proposals: 'y', intent: 'save', version: '0' })).status).to.equal(404)
    for (const path of [yerevanReport, `/regions/${regionIds.YEREVAN}/reports`]) expect((await browsers.specialistA.get(path)).status, `specialist: ${path}`).to.equal(404)
    for (const path of ['/reports/national', '/board/national', '/reports/national/export.xlsx']) {
      expect((await browsers.specialistA.get(path)).status, `specialist: ${path}`).to.equal(403)
      expect((await browsers.headA.get(path)).status, `head: ${path}`).to.equal(403)
    }
    expect((await browsers.headA.post(`/regions/${regionIds.ARMAVIR}/reports/2033/2/decision`, { decision: 'accept', grade: 'GOOD', comment: 'x', version: '1' })).status).to.equal(404)
    expect((await browsers.headA.get(`/regions/${regionIds.YEREVAN}/reports/2019/1`)).status).to.equal(404)
    expect((await browsers.headA.get(`/regions/${regionIds.YEREVAN}/reports/2033/5`)).status).to.equal(404)
    expect((await browsers.headA.get(`${yerevanReport}?version=9`)).status).to.equal(404)
    const list = await browsers.headA.get(`/regions/${regionIds.YEREVAN}/reports`)
    expect(list.status).to.equal(200)
    expect(list.text).to.contain(`/regions/${regionIds.YEREVAN}/reports/2033/2"`)
  })
})
