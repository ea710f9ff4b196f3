import crypto from 'node:crypto'
import { QueryTypes, type Sequelize } from 'sequelize'
import { calendarFeed, type FeedEvent } from '../domain/calendarFeed'
import type { Clock } from '../domain/clock'
import { formatDate, serviceDateOf } from '../domain/dates'
import type { Role } from '../domain/roles'
import { can } from '../policy'
import type { AuditService } from './audit'
import type { BoardGroup, BoardService, BoardWindow } from './board'
import type { RequestContext } from './context'
import type { DelegationService } from './delegations'

/** Sends one plain-text message; the app has one only when SMTP is configured. */
export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>
}

export interface DigestLine {
  kind: string
  dueDate: string
  href: string
  fileNumber: string | null
}

export interface DigestContent {
  counts: Record<BoardGroup, number>
  /** The first lines due (overdue first), as references only: no names in a digest that may be e-mailed. */
  lines: DigestLine[]
}

export interface Digest {
  digestDate: string
  content: DigestContent
  emailedAt: Date | null
}

const DIGEST_LINES = 15
/** Appointments from this many days back appear in the feed, so a calendar keeps the recent past. */
const FEED_PAST_DAYS = 14
/** The feed holds this many of the owner's items of each due group, oldest due first. */
const FEED_LINES_PER_GROUP = 200

function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/**
 * Reminders: each user's daily digest of their work (prepared by a background job, shown in the app, e-mailed when
 * SMTP is configured), and a personal calendar feed of their deadlines and appointments behind a secret token.
 */
export function reminderService(deps: { sequelize: Sequelize; clock: Clock; audit: AuditService; board: BoardService; delegations: Pick<DelegationService, 'actingHeadRegions'>; mailer: Mailer | null; publicUrl: string }) {
  const { sequelize, clock, audit, board, delegations, mailer, publicUrl } = deps

  /** A user's own work; for whoever holds the head's powers today (the head, or the acting head), the region's report too. */
  async function workOf(user: { id: number; role: Role; regionId: number }, window: BoardWindow = null) {
    const acting = user.role === 'SENIOR_SPECIALIST' ? await delegations.actingHeadRegions(user.id) : []
    const actor = { id: user.id, role: user.role, regionId: user.regionId, actingHeadRegionIds: acting.map((delegation) => delegation.regionId) }
    return board.myWork(user.regionId, user.id, { headOfRegion: can(actor, 'report.prepare', { regionId: user.regionId }), window })
  }

  async function contentFor(user: { id: number; role: Role; regionId: number }): Promise<DigestContent> {
    const work = await workOf(user)
    const lines = [...work.groups.overdue, ...work.groups.today, ...work.groups.week].slice(0, DIGEST_LINES)
    return { counts: work.counts, lines: lines.map((line) => ({ kind: line.kind, dueDate: line.dueDate, href: line.href, fileNumber: line.fileNumber })) }
  }

  function mailText(content: DigestContent, date: string): string {
    return [
      `${formatDate(date)}`,
      `Ժամկետանց / Overdue: ${content.counts.overdue}`,
      `Այսօր / Today: ${content.counts.today}`,
      `Առաջիկա 7 օրում / Next 7 days: ${content.counts.week}`,
      '',
      `${publicUrl}/digest`,
    ].join('\n')
  }

  /**
   * Prepares the day's digest for every active member of a regional body's staff. The (user, day) key makes a
   * second run, on this worker or another, a no-op; only the run that created a digest sends its e-mail.
   */
  async function prepareDigests(date: string = serviceDateOf(clock.now())): Promise<{ prepared: number; alreadyThere: number; emailed: number }> {
    const users = await sequelize.query<{ id: number; role: Role; regionId: number; email: string | null }>(
      `SELECT id, role, region_id AS "regionId", email FROM users WHERE active AND region_id IS NOT NULL AND role IN ('SPECIALIST', 'SENIOR_SPECIALIST', 'REGIONAL_HEAD') ORDER BY id`,
      { type: QueryTypes.SELECT },
    )
    let prepared = 0
    let emailed = 0
    for (const user of users) {
      const content = await contentFor(user)
      const [created] = await sequelize.query<{ id: number }>(
        'INSERT INTO digests (user_id, digest_date, content) VALUES (:userId, :date, :content) ON CONFLICT (user_id, digest_date) DO NOTHING RETURNING id',
        { replacements: { userId: user.id, date, content: JSON.stringify(content) }, type: QueryTypes.SELECT },
      )
      if (!created) continue
      prepared += 1
      if (mailer && user.email) {
        await mailer.send({ to: user.email, subject: `Probation: ${formatDate(date)}`, text: mailText(content, date) })
        await sequelize.query('UPDATE digests SET emailed_at = :now WHERE id = :id', { replacements: { now: clock.now(), id: created.id } })
        emailed += 1
      }
    }
    return { prepared, alreadyThere: users.length - prepared, emailed }
  }

  async function latestDigest(userId: number): Promise<Digest | null> {
    const [row] = await sequelize.query<Digest>(
      'SELECT digest_date AS "digestDate", content, emailed_at AS "emailedAt" FROM digests WHERE user_id = :userId ORDER BY digest_date DESC LIMIT 1',
      { replacements: { userId }, type: QueryTypes.SELECT },
    )
    return row ?? null
  }

  async function feedStatus(userId: number): Promise<{ active: boolean; createdAt: Date | null; lastUsedAt: Date | null }> {
    const [row] = await sequelize.query<{ createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }>(
      'SELECT created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt" FROM calendar_feeds WHERE user_id = :userId',
      { replacements: { userId }, type: QueryTypes.SELECT },
    )
    return { active: row !== undefined && row.revokedAt === null, createdAt: row?.createdAt ?? null, lastUsedAt: row?.lastUsedAt ?? null }
  }

  /** A new secret address; any earlier one stops working. The token is shown once: only its hash is kept. */
  async function createFeed(context: RequestContext): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url')
    const userId = context.actor!.id
    await sequelize.transaction(async (transaction) => {
      await sequelize.query(
        `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (:userId, :hash, :now)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at, revoked_at = NULL, last_used_at = NULL`,
        { replacements: { userId, hash: hashToken(token), now: clock.now() }, transaction },
      )
      await audit.record(context, { action: 'calendarFeed.create', category: 'account', target: { type: 'user', id: userId } }, transaction)
    })
    return `${publicUrl}/calendar/${token}.ics`
  }

  async function revokeFeed(context: RequestContext): Promise<void> {
    const userId = context.actor!.id
    await sequelize.transaction(async (transaction) => {
      await sequelize.query('UPDATE calendar_feeds SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL', { replacements: { userId, now: clock.now() }, transaction })
      await audit.record(context, { action: 'calendarFeed.revoke', category: 'account', target: { type: 'user', id: userId } }, transaction)
    })
  }

  /**
   * The feed behind a token, or null for an unknown or revoked one: the user's deadlines (all-day events) and the
   * appointments of their caseload. Summaries carry file numbers and kinds, never names: calendars sync to phones.
   */
  async function feed(token: string, describe: (kind: string) => string): Promise<string | null> {
    const [owner] = await sequelize.query<{ userId: number; role: Role; regionId: number | null; fullName: string }>(
      `SELECT f.user_id AS "userId", u.role, u.region_id AS "regionId", u.full_name AS "fullName" FROM calendar_feeds f JOIN users u ON u.id = f.user_id
        WHERE f.token_hash = :hash AND f.revoked_at IS NULL AND u.active`,
      { replacements: { hash: hashToken(token) }, type: QueryTypes.SELECT },
    )
    if (!owner) return null
    await sequelize.query('UPDATE calendar_feeds SET last_used_at = :now WHERE user_id = :userId', { replacements: { now: clock.now(), userId: owner.userId } })
    const events: FeedEvent[] = []
    if (owner.regionId !== null) {
      const work = await workOf({ id: owner.userId, role: owner.role, regionId: owner.regionId }, { each: FEED_LINES_PER_GROUP })
      for (const line of [...work.groups.overdue, ...work.groups.today, ...work.groups.week, ...work.groups.later]) {
        // Appointments are in the feed as timed events of their own, below.
        if (line.kind === 'APPOINTMENT_OUTCOME') continue
        events.push({ uid: `${line.kind}${line.href.replace(/\//g, '-')}@probation`, kind: 'day', date: line.dueDate, summary: `${describe(line.kind)}${line.fileNumber ? ` · ${line.fileNumber}` : ''}`, description: `${publicUrl}${line.href}` })
      }
      const appointments = await sequelize.query<{ id: number; scheduledAt: Date; minutes: number; fileNumber: string }>(
        `SELECT a.id, a.scheduled_at AS "scheduledAt", a.duration_minutes AS minutes, b.file_number AS "fileNumber"
           FROM appointments a JOIN beneficiaries b ON b.id = a.beneficiary_id
          WHERE b.responsible_officer_id = :userId AND a.cancelled_at IS NULL AND a.scheduled_at >= :from ORDER BY a.scheduled_at`,
        { replacements: { userId: owner.userId, from: new Date(clock.now().getTime() - FEED_PAST_DAYS * 86_400_000) }, type: QueryTypes.SELECT },
      )
      for (const appointment of appointments) {
        events.push({
          uid: `appointment-${appointment.id}@probation`, kind: 'timed', start: appointment.scheduledAt, end: new Date(appointment.scheduledAt.getTime() + appointment.minutes * 60_000),
          summary: `${describe('APPOINTMENT')} · ${appointment.fileNumber}`, location: null, description: null,
        })
      }
    }
    return calendarFeed(owner.fullName, events, clock.now())
  }

  return { prepareDigests, latestDigest, feedStatus, createFeed, revokeFeed, feed }
}

export type ReminderService = ReturnType<typeof reminderService>
