import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize'
import type { Clock } from '../domain/clock'
import { serviceDateOf } from '../domain/dates'
import { electronicMonitoringCostAmd, measureType, type DeviceKind, type MeasureCode } from '../domain/measureCatalogue'
import { daysBetween } from '../domain/measureProgress'
import type { AuditService } from './audit'
import { NotFoundError, ServiceError, type RequestContext } from './context'
import type { DeadlineService } from './deadlines'
import { type SubmissionGuard, submissionOf } from './submissions'

export const ALERT_KINDS = ['ZONE_LEFT', 'TAMPER', 'LOW_BATTERY', 'NO_SIGNAL', 'CURFEW_BREACH'] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

export interface AssignmentView {
  id: number
  deviceId: number
  serial: string
  kind: DeviceKind
  orderedOn: string
  installedOn: string | null
  removedOn: string | null
  /** What the Service pays for the days monitored so far (or in all, once removed). */
  costAmd: number
  alerts: { occurredAt: Date; kind: string; response: string }[]
}

/** Electronic monitoring: the region's devices, their assignment to measures, installation and alerts. */
export function monitoringService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; deadlines: DeadlineService; submissions: SubmissionGuard }) {
  const { sequelize, clock, audit, deadlines, submissions } = deps
  const today = () => serviceDateOf(clock.now())

  async function devices(regionId: number): Promise<{ id: number; serial: string; kind: DeviceKind; status: string; fileNumber: string | null; measureId: number | null }[]> {
    return sequelize.query(
      `SELECT d.id, d.serial, d.kind, d.status, b.file_number AS "fileNumber", a.measure_id AS "measureId"
         FROM devices d LEFT JOIN device_assignments a ON a.device_id = d.id AND a.removed_on IS NULL
         LEFT JOIN measures m ON m.id = a.measure_id LEFT JOIN beneficiaries b ON b.id = m.beneficiary_id
        WHERE d.region_id = :regionId ORDER BY d.kind, d.serial`,
      { replacements: { regionId }, type: QueryTypes.SELECT },
    )
  }

  /** Registers a device in the region; with a submission id, the same form registers it once (AlreadySubmitted names it). */
  async function addDevice(regionId: number, device: { serial: string; kind: DeviceKind }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'device.add', context, clock.now())
    await submissions.notYetMade(submission)
    try {
      await sequelize.transaction(async (transaction) => {
        const [{ id }] = await sequelize.query<{ id: number }>('INSERT INTO devices (serial, kind, region_id) VALUES (:serial, :kind, :regionId) RETURNING id', { replacements: { ...device, regionId }, type: QueryTypes.SELECT, transaction })
        await audit.record(context, { action: 'device.add', category: 'reference', regionId, target: { type: 'device', id: device.serial }, details: device }, transaction)
        await submissions.made(submission, id, transaction)
      })
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error
      // The serial is taken by the device a repeat of this same form has just registered: that one answers it.
      await submissions.notYetMade(submission)
      throw new ServiceError('device.serialTaken', 'serial')
    }
  }

  async function measureFacts(measureId: number): Promise<{ beneficiaryId: number; regionId: number; typeCode: MeasureCode; state: string; details: Record<string, unknown> }> {
    const [row] = await sequelize.query<{ beneficiary_id: number; region_id: number; type_code: MeasureCode; state: string; details: Record<string, unknown> }>(
      'SELECT m.beneficiary_id, b.region_id, m.type_code, m.state, m.details FROM measures m JOIN beneficiaries b ON b.id = m.beneficiary_id WHERE m.id = :id',
      { replacements: { id: measureId }, type: QueryTypes.SELECT },
    )
    if (!row) throw new NotFoundError()
    return { beneficiaryId: row.beneficiary_id, regionId: row.region_id, typeCode: row.type_code, state: row.state, details: row.details }
  }

  /**
   * Puts an available device of the region, of a kind the measure allows, on the person. With a submission id, the same
   * form assigns once (AlreadySubmitted names the assignment).
   */
  async function assign(measureId: number, input: { deviceId: number; orderedOn: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'device.assign', context, clock.now())
    const measure = await measureFacts(measureId)
    const allowed = measureType(measure.typeCode).electronicMonitoring
    const ordered = allowed.use === 'required' || (allowed.use === 'optional' && measure.details.electronicMonitoringOrdered === true)
    if (!ordered) throw new ServiceError('device.notOrdered', 'deviceId')
    if (['completed', 'ended'].includes(measure.state)) throw new ServiceError('measure.notOpen', 'deviceId')
    if (input.orderedOn > today()) throw new ServiceError('measure.checkInFuture', 'orderedOn')
    try {
      await sequelize.transaction(async (transaction) => {
        const [device] = await sequelize.query<{ kind: DeviceKind; status: string; region_id: number }>('SELECT kind, status, region_id FROM devices WHERE id = :id FOR UPDATE', { replacements: { id: input.deviceId }, type: QueryTypes.SELECT, transaction })
        // Asked under the device's lock: a repeat that waited there for the first to commit finds the device taken by it.
        await submissions.notYetMade(submission)
        if (!device || device.region_id !== measure.regionId || device.status !== 'AVAILABLE' || !allowed.devices.includes(device.kind)) throw new ServiceError('device.notAvailable', 'deviceId')
        const [{ id }] = await sequelize.query<{ id: number }>(
          'INSERT INTO device_assignments (device_id, measure_id, ordered_on, created_by_user_id) VALUES (:deviceId, :measureId, :orderedOn, :userId) RETURNING id',
          { replacements: { ...input, measureId, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
        )
        await sequelize.query(`UPDATE devices SET status = 'ASSIGNED' WHERE id = :id`, { replacements: { id: input.deviceId }, transaction })
        await audit.record(context, { action: 'device.assign', category: 'beneficiary', regionId: measure.regionId, target: { type: 'beneficiary', id: measure.beneficiaryId }, details: { measureId, ...input } }, transaction)
        await submissions.made(submission, id, transaction)
      })
    } catch (error) {
      if (error instanceof UniqueConstraintError) throw new ServiceError('device.notAvailable', 'deviceId')
      throw error
    }
  }

  async function assignmentFacts(assignmentId: number): Promise<{ measureId: number; deviceId: number; orderedOn: string; installedOn: string | null; removedOn: string | null }> {
    const [row] = await sequelize.query<{ measure_id: number; device_id: number; ordered_on: string; installed_on: string | null; removed_on: string | null }>('SELECT * FROM device_assignments WHERE id = :id', { replacements: { id: assignmentId }, type: QueryTypes.SELECT })
    if (!row) throw new NotFoundError()
    return { measureId: row.measure_id, deviceId: row.device_id, orderedOn: row.ordered_on, installedOn: row.installed_on, removedOn: row.removed_on }
  }

  /** An assignment of this measure (another measure's is not found through it). */
  async function assignmentOf(measureId: number, assignmentId: number) {
    const assignment = await assignmentFacts(assignmentId)
    if (assignment.measureId !== measureId) throw new NotFoundError()
    return assignment
  }

  /** Installation (closes the installation deadline) or removal (frees the device). */
  async function mark(measureId: number, assignmentId: number, step: 'install' | 'remove', on: string, context: RequestContext): Promise<void> {
    const assignment = await assignmentOf(measureId, assignmentId)
    const measure = await measureFacts(assignment.measureId)
    if (on > today()) throw new ServiceError('measure.checkInFuture', 'on')
    if (step === 'install' && (assignment.installedOn || on < assignment.orderedOn)) throw new ServiceError('device.cannotInstall', 'on')
    if (step === 'remove' && (!assignment.installedOn || assignment.removedOn || on < assignment.installedOn)) throw new ServiceError('device.cannotRemove', 'on')
    await sequelize.transaction(async (transaction) => {
      await sequelize.query(`UPDATE device_assignments SET ${step === 'install' ? 'installed_on' : 'removed_on'} = :on WHERE id = :id`, { replacements: { id: assignmentId, on }, transaction })
      if (step === 'install') await deadlines.close('measure', assignment.measureId, ['EM_INSTALLATION'], 'DONE', transaction)
      else await sequelize.query(`UPDATE devices SET status = 'AVAILABLE' WHERE id = :id`, { replacements: { id: assignment.deviceId }, transaction })
      await audit.record(context, { action: `device.${step}`, category: 'beneficiary', regionId: measure.regionId, target: { type: 'beneficiary', id: measure.beneficiaryId }, details: { assignmentId, on } }, transaction)
    })
  }

  /** Records an alert of a device and what was done about it; with a submission id, the same form records it once (AlreadySubmitted names it). */
  async function recordAlert(measureId: number, assignmentId: number, alert: { occurredAt: Date; kind: AlertKind; response: string }, context: RequestContext, submissionId?: string): Promise<void> {
    const submission = submissionOf(submissionId, 'device.alert', context, clock.now())
    await submissions.notYetMade(submission)
    const assignment = await assignmentOf(measureId, assignmentId)
    const measure = await measureFacts(assignment.measureId)
    if (alert.occurredAt > clock.now()) throw new ServiceError('measure.checkInFuture', 'occurredAt')
    await sequelize.transaction(async (transaction) => {
      const [{ id }] = await sequelize.query<{ id: number }>(
        'INSERT INTO monitoring_alerts (assignment_id, occurred_at, kind, response, recorded_by_user_id) VALUES (:assignmentId, :occurredAt, :kind, :response, :userId) RETURNING id',
        { replacements: { assignmentId, ...alert, userId: context.actor!.id }, type: QueryTypes.SELECT, transaction },
      )
      await audit.record(context, { action: 'device.alert', category: 'beneficiary', regionId: measure.regionId, target: { type: 'beneficiary', id: measure.beneficiaryId }, details: { assignmentId, kind: alert.kind } }, transaction)
      await submissions.made(submission, id, transaction)
    })
  }

  async function assignmentsOf(measureId: number): Promise<AssignmentView[]> {
    const rows = await sequelize.query<{ id: number; deviceId: number; serial: string; kind: DeviceKind; orderedOn: string; installedOn: string | null; removedOn: string | null }>(
      `SELECT a.id, a.device_id AS "deviceId", d.serial, d.kind, a.ordered_on AS "orderedOn", a.installed_on AS "installedOn", a.removed_on AS "removedOn"
         FROM device_assignments a JOIN devices d ON d.id = a.device_id WHERE a.measure_id = :measureId ORDER BY a.id`,
      { replacements: { measureId }, type: QueryTypes.SELECT },
    )
    return Promise.all(rows.map(async (row) => {
      const alerts = await sequelize.query<{ occurredAt: Date; kind: string; response: string }>('SELECT occurred_at AS "occurredAt", kind, response FROM monitoring_alerts WHERE assignment_id = :id ORDER BY occurred_at DESC', { replacements: { id: row.id }, type: QueryTypes.SELECT })
      // Paid per day from installation, the day of removal included.
      const days = row.installedOn ? daysBetween(row.installedOn, row.removedOn ?? today()) + 1 : 0
      return { ...row, costAmd: electronicMonitoringCostAmd(row.kind, days), alerts }
    }))
  }

  async function availableDevices(regionId: number, kinds: readonly DeviceKind[]): Promise<{ id: number; serial: string; kind: DeviceKind }[]> {
    if (kinds.length === 0) return []
    return sequelize.query(`SELECT id, serial, kind FROM devices WHERE region_id = :regionId AND status = 'AVAILABLE' AND kind IN (:kinds) ORDER BY serial`, { replacements: { regionId, kinds }, type: QueryTypes.SELECT })
  }

  return { devices, addDevice, assign, mark, recordAlert, assignmentsOf, availableDevices }
}

export type MonitoringService = ReturnType<typeof monitoringService>
