import { Router, type Request, type Response } from 'express'
import type Joi from 'joi'
import type { Authorize } from '../../server/middleware/authorize'
import { requestContext } from '../../server/middleware/requestContext'
import { formatDate, formatDateTime, serviceDateOf } from '../../server/domain/dates'
import { explainDueDateLines } from '../../server/domain/deadlineRules'
import { contentDisposition } from '../../server/domain/fileTypes'
import { isMeasureCode, measureType } from '../../server/domain/measureCatalogue'
import {
  BREAKDOWNS,
  changeFrom,
  figureDefinition,
  figuresOf,
  GRADES,
  percentOf,
  quarterToReport,
  recentQuarters,
  REPORT_SECTIONS,
  submittedLate,
  type Breakdown,
  type FigureCode,
  type FigureDefinition,
  type FigureSet,
  type Quarter,
  type QuarterNumber,
  type RecordKind,
} from '../../server/domain/quarterlyReport'
import type { Services } from '../../server/services'
import { NotFoundError } from '../../server/services/context'
import { RECORDS_PAGE_SIZE, type ReportView, type RollupView } from '../../server/services/quarterlyReports'
import { tableToPdf, tableToXlsx, type TableModel } from '../../server/export/table'
import { tableToCsv } from '../../server/export/csv'
import type { Language } from '../../server/i18n'
import { translateErrors, typedValues, validate } from '../../server/validation'
import { refusal, type FormErrors } from '../forms'
import * as schemas from './schemas'
import { formatNumber } from '../../server/domain/numbers'

function params<T>(schema: Joi.ObjectSchema<T>, req: Request): T {
  const { value, error } = schema.validate(req.params)
  if (error) throw new NotFoundError()
  return value
}

function quarterOf(req: Request): { regionId: number; quarter: Quarter } {
  const { regionId, year, quarter } = params(schemas.quarterParams, req)
  return { regionId, quarter: { year, quarter: quarter as QuarterNumber } }
}

// Each breakdown's keys are shown with their own catalogue's labels.
const BREAKDOWN_LABELS: Record<Exclude<Breakdown, 'measureType'>, string> = {
  category: 'beneficiaryCategory',
  violationKind: 'violationKind',
  incomingKind: 'incomingKind',
  topic: 'topic',
  mediationOutcome: 'mediation.outcomeName',
}

type RecordColumn = 'reference' | 'person' | 'date' | 'dueDate' | 'endDate' | 'what' | 'state' | 'amount'

/** Which columns a drill-down shows for each kind of record, and the header (quarterly.column.<key>) of each. */
const RECORD_COLUMNS: Record<RecordKind, Partial<Record<RecordColumn, string>>> = {
  beneficiary: { reference: 'fileNumber', person: 'person', what: 'category', date: 'registeredOn', endDate: 'closedOn', state: 'status' },
  measure: { reference: 'fileNumber', person: 'person', what: 'measureType', date: 'receivedOn', dueDate: 'termEnd', endDate: 'endedOn', state: 'status', amount: 'hoursOrAmount' },
  workSession: { reference: 'fileNumber', person: 'person', what: 'measureType', date: 'workDate', amount: 'hours' },
  finePayment: { reference: 'fileNumber', person: 'person', what: 'measureType', date: 'paidOn', amount: 'amountAmd' },
  violation: { reference: 'fileNumber', person: 'person', what: 'violationKind', date: 'occurredOn', endDate: 'decidedOn', state: 'outcome' },
  assessment: { reference: 'fileNumber', person: 'person', what: 'assessmentKind', date: 'completedOn', endDate: 'countersignedOn', state: 'status' },
  plan: { reference: 'fileNumber', person: 'person', date: 'approvedOn', dueDate: 'reviewDate', state: 'status', amount: 'contactsPerMonth' },
  deadline: { reference: 'fileNumber', person: 'person', what: 'rule', date: 'eventDate', dueDate: 'dueDate', endDate: 'doneOn', state: 'status' },
  appointment: { reference: 'fileNumber', person: 'person', what: 'contactKind', date: 'contactDate', state: 'outcome' },
  activityEvent: { reference: 'title', what: 'activityKind', date: 'eventDate', amount: 'attended' },
  participation: { reference: 'fileNumber', person: 'person', what: 'activityKind', date: 'eventDate', state: 'attendance' },
  incomingItem: { reference: 'number', person: 'sender', what: 'incomingKind', date: 'receivedOn', dueDate: 'dueDate', endDate: 'answeredOn', state: 'status' },
  mediationCase: { reference: 'number', person: 'person', what: 'outcome', date: 'instructedOn', dueDate: 'reportDue', endDate: 'closedOrReported', state: 'status' },
}

/** How figures, breakdown keys and record codes read in the user's language, for the pages and the exports alike. */
function presenter(res: Response) {
  const t: (key: string, params?: Record<string, string | number>) => string = res.locals.t
  const lang: Language = res.locals.lang
  const number = (value: number) => formatNumber(value, lang)
  const measureName = (code: string) => (isMeasureCode(code) ? measureType(code).name[lang] : code)
  const signed = (change: number | null) => (change === null ? '' : change > 0 ? `+${number(change)}` : change < 0 ? `−${number(-change)}` : '±0')
  return {
    t,
    lang,
    number,
    /** The change from the previous quarter, signed. */
    change: (current: number, previous: number | null) => signed(changeFrom(current, previous)),
    percent: percentOf,
    figureLabel: (code: string) => t(`quarterly.figure.${code}`),
    partLabel: (breakdown: Breakdown, key: string) => (breakdown === 'measureType' ? measureName(key) : t(`${BREAKDOWN_LABELS[breakdown]}.${key}`)),
    whatLabel: (what: string | null) => {
      if (what === null) return ''
      if (what.startsWith('measure:')) return measureName(what.slice('measure:'.length))
      if (what.startsWith('rule:')) return res.locals.ruleName(what.slice('rule:'.length)) as string
      return t(what)
    },
    quarterName: (quarter: Quarter) => t('quarterly.quarterName', { ordinal: t(`quarterly.ordinal.${quarter.quarter}`), year: quarter.year }),
    regionName: (region: { nameHy: string; nameEn: string }) => (lang === 'hy' ? region.nameHy : region.nameEn),
  }
}

type Presenter = ReturnType<typeof presenter>

/** Every figure of the report, section by section, with each breakdown key under its figure (zero where no record). */
function figureLines(figures: FigureSet, show: Presenter): { section: string; figure: FigureDefinition; part: string | null; label: string; value: number }[] {
  return REPORT_SECTIONS.flatMap((section) =>
    figuresOf(section).flatMap((figure) => {
      const value = figures[figure.code as FigureCode]
      const total = { section, figure, part: null, label: show.figureLabel(figure.code), value: value.value }
      if (!figure.breakdown) return [total]
      const breakdown = figure.breakdown
      return [total, ...BREAKDOWNS[breakdown].map((key) => ({ section, figure, part: key as string, label: show.partLabel(breakdown, key), value: value.parts[key]?.value ?? 0 }))]
    }),
  )
}

function regionReportTable(view: ReportView, region: { nameHy: string; nameEn: string }, show: Presenter, footer: string): TableModel {
  const { t } = show
  const shown = view.shown
  const state = shown
    ? [t('quarterly.versionName', { number: shown.versionNumber }), t(`quarterly.status.${shown.status}`), shown.grade ? `${t('quarterly.grade')}: ${t(`quarterly.gradeName.${shown.grade}`)}` : '', shown.submittedOn ? `${t('quarterly.submittedOn')}: ${formatDate(shown.submittedOn)}` : '']
    : [t('quarterly.notPrepared')]
  const rows = figureLines(view.figures, show).map((line) => [t(`quarterly.section.${line.section}`), show.figureLabel(line.figure.code), line.part === null ? '' : line.label, String(line.value)])
  const narrative = [
    [t('quarterly.problems'), shown?.problems ?? ''],
    [t('quarterly.proposals'), shown?.proposals ?? ''],
    ...(shown?.decisionComment ? [[t('quarterly.decisionComment'), shown.decisionComment]] : []),
  ].map(([label, text]) => [t('quarterly.narrative'), label, '', text])
  return {
    title: `${t('quarterly.title')} — ${show.regionName(region)}, ${show.quarterName(view.quarter)}`,
    subtitle: [`${formatDate(view.period.from)} – ${formatDate(view.period.to)}`, ...state, view.live ? t('quarterly.liveNote', { date: formatDate(view.computedOn) }) : ''].filter(Boolean).join(' · '),
    footer,
    language: show.lang,
    sheetName: show.quarterName(view.quarter),
    columns: [{ header: t('quarterly.column.section'), width: 2 }, { header: t('quarterly.column.figure'), width: 4 }, { header: t('quarterly.column.breakdown'), width: 3 }, { header: t('quarterly.column.value'), width: 3, align: 'right' }],
    rows: [...rows, ...narrative],
  }
}

function rollupTable(view: RollupView, show: Presenter, footer: string): TableModel {
  const { t } = show
  const status = (row: RollupView['rows'][number]) => (row.latestStatus ? `${t(`quarterly.status.${row.latestStatus}`)}${row.grade ? ` (${t(`quarterly.gradeName.${row.grade}`)})` : ''}` : t('quarterly.notPrepared'))
  const cell = (value: number, previous: number) => `${show.number(value)} (${show.change(value, previous)})`
  const rows = [
    ['', t('quarterly.column.status'), ...view.rows.map(status), ''],
    ...REPORT_SECTIONS.flatMap((section) =>
      figuresOf(section).map((figure) => {
        const code = figure.code as FigureCode
        return [t(`quarterly.section.${section}`), show.figureLabel(code), ...view.rows.map((row) => cell(row.values[code], row.previous[code])), cell(view.totals[code], view.previousTotals[code])]
      }),
    ),
  ]
  return {
    title: `${t('quarterly.national.title')} — ${show.quarterName(view.quarter)}`,
    subtitle: `${formatDate(view.period.from)} – ${formatDate(view.period.to)} · ${t('quarterly.national.changeNote', { previous: show.quarterName(view.previousQuarter) })} · ${t('quarterly.national.sourceNote')}${view.liveAsOf ? ` ${t('quarterly.national.liveAsOf', { time: formatDateTime(view.liveAsOf), minutes: view.liveMaxAgeMinutes })}` : ''}`,
    footer,
    language: show.lang,
    sheetName: show.quarterName(view.quarter),
    columns: [
      { header: t('quarterly.column.section'), width: 1.6 },
      { header: t('quarterly.column.figure'), width: 3 },
      ...view.rows.map((row) => ({ header: show.regionName(row), width: 1.2, align: 'right' as const })),
      { header: t('quarterly.national.total'), width: 1.2, align: 'right' as const },
    ],
    rows,
  }
}

async function sendTable(res: Response, table: TableModel, format: 'xlsx' | 'csv' | 'pdf', fileName: string, services: Services): Promise<void> {
  res.set('Cache-Control', 'private, no-store')
  res.set('Content-Disposition', contentDisposition(`${fileName}.${format}`, 'attachment'))
  if (format === 'pdf') res.type('application/pdf').send(await tableToPdf(table, services.clock))
  else if (format === 'csv') res.type('text/csv; charset=utf-8').send(tableToCsv(table))
  else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await tableToXlsx(table, services.clock))
}

/** The regional bodies' quarterly reports: prepared and submitted by the head, decided by the service head, rolled up nationally. */
export function reportRoutes(services: Services, authorize: Authorize): Router {
  const router = Router()
  const { quarterlyReports } = services
  const today = () => serviceDateOf(services.clock.now())

  const regionOf = async (req: Request) => {
    const { regionId } = params(schemas.regionParam, req)
    await services.regions.get(regionId)
    return { regionId }
  }
  const footerOf = (req: Request, res: Response) => res.locals.t('quarterly.exportFooter', { at: formatDateTime(services.clock.now()), by: req.user!.fullName })

  router.get('/regions/:regionId/reports', authorize('report.view', regionOf, { hideExistence: true }), async (req, res) => {
    const { regionId } = params(schemas.regionParam, req)
    const [region, quarters] = await Promise.all([services.regions.get(regionId), quarterlyReports.overview(regionId, recentQuarters(quarterToReport(today()), 8))])
    res.render('pages/reports/index', { region, quarters, show: presenter(res), today: today() })
  })

  async function renderReport(req: Request, res: Response, data: { errors?: FormErrors; values?: FormErrors; status?: number } = {}) {
    const { regionId, quarter } = quarterOf(req)
    const query = validate(schemas.reportQuery, req.query)
    const [region, view] = await Promise.all([services.regions.get(regionId), quarterlyReports.report(regionId, quarter, query.ok ? query.value.version : undefined)])
    const latest = view.versions[0] ?? null
    const show = presenter(res)
    // The form starts from the open draft, or from the latest version's narrative when preparing starts a new one.
    const narrative = data.values?.narrative ?? { problems: latest?.problems ?? '', proposals: latest?.proposals ?? '' }
    const baseUrl = `/regions/${regionId}/reports/${quarter.year}/${quarter.quarter}`
    // A figure opens the records behind the version shown; a live draft's, the records of now.
    const figureHref = (code: string, part: string | null) => {
      const query = new URLSearchParams({ ...(view.shown ? { version: String(view.shown.versionNumber) } : {}), ...(part ? { part } : {}) }).toString()
      return `${baseUrl}/figures/${code}${query ? `?${query}` : ''}`
    }
    res.status(data.status ?? 200).render('pages/reports/report', {
      region, view, latest, show, lines: figureLines(view.figures, show), sections: REPORT_SECTIONS, grades: GRADES, baseUrl, figureHref, submittedLate,
      awaitingDecision: view.preparation.kind === 'refused' && view.preparation.reason === 'awaitingDecision',
      formVersion: view.preparation.kind === 'update' ? latest!.version : 0,
      explanation: explainDueDateLines(view.dueExplanation, res.locals.lang),
      errors: data.errors ?? {}, values: { narrative, decision: data.values?.decision ?? {} },
    })
  }

  router.get('/regions/:regionId/reports/:year/:quarter', authorize('report.view', regionOf, { hideExistence: true }), async (req, res) => {
    await renderReport(req, res)
  })

  router.post('/regions/:regionId/reports/:year/:quarter/narrative', authorize('report.prepare', regionOf, { hideExistence: true }), async (req, res) => {
    const { regionId, quarter } = quarterOf(req)
    const form = validate(schemas.narrativeSchema, req.body)
    const values = { narrative: typedValues(schemas.narrativeSchema, req.body) }
    if (!form.ok) return renderReport(req, res, { errors: { narrative: translateErrors(form.errors, res.locals.t) }, values, status: 400 })
    const input = { problems: form.value.problems, proposals: form.value.proposals, expectedVersion: form.value.version }
    try {
      if (form.value.intent === 'submit') await quarterlyReports.submit(regionId, quarter, input, requestContext(req))
      else await quarterlyReports.saveDraft(regionId, quarter, input, requestContext(req))
    } catch (error) {
      const refused = refusal(error, res, 'problems')
      if (!refused) throw error
      return renderReport(req, res, { errors: { narrative: refused.errors }, values, status: refused.stale ? 409 : 400 })
    }
    res.redirect(303, `/regions/${regionId}/reports/${quarter.year}/${quarter.quarter}`)
  })

  router.post('/regions/:regionId/reports/:year/:quarter/decision', authorize('report.decide', regionOf, { hideExistence: true }), async (req, res) => {
    const { regionId, quarter } = quarterOf(req)
    const form = validate(schemas.decisionSchema, req.body)
    const values = { decision: typedValues(schemas.decisionSchema, req.body) }
    if (!form.ok) return renderReport(req, res, { errors: { decision: translateErrors(form.errors, res.locals.t) }, values, status: 400 })
    try {
      await quarterlyReports.decide(regionId, quarter, { decision: form.value.decision, grade: form.value.grade, comment: form.value.comment, expectedVersion: form.value.version }, requestContext(req))
    } catch (error) {
      const refused = refusal(error, res, 'decision')
      if (!refused) throw error
      return renderReport(req, res, { errors: { decision: refused.errors }, values, status: refused.stale ? 409 : 400 })
    }
    res.redirect(303, `/regions/${regionId}/reports/${quarter.year}/${quarter.quarter}`)
  })

  router.get('/regions/:regionId/reports/:year/:quarter/figures/:figure', authorize('report.view', regionOf, { hideExistence: true }), async (req, res) => {
    const { regionId, quarter } = quarterOf(req)
    const { figure: code } = params(schemas.figureParam, req)
    const query = validate(schemas.recordsQuery, req.query)
    if (!query.ok) throw new NotFoundError()
    const figure = figureDefinition(code)!
    const part = query.value.part ?? null
    if (part !== null && !(figure.breakdown && (BREAKDOWNS[figure.breakdown] as readonly string[]).includes(part))) throw new NotFoundError()
    const [region, records] = await Promise.all([services.regions.get(regionId), quarterlyReports.records(regionId, quarter, { code: code as FigureCode, part, versionNumber: query.value.version, page: query.value.page })])
    const show = presenter(res)
    res.render('pages/reports/records', {
      region, quarter, figure, part, records, show, page: query.value.page, columns: RECORD_COLUMNS[figure.records], pages: Math.max(1, Math.ceil(records.total / RECORDS_PAGE_SIZE)),
      title: `${show.figureLabel(code)}${part !== null && figure.breakdown ? ` — ${show.partLabel(figure.breakdown, part)}` : ''}`,
      reportUrl: `/regions/${regionId}/reports/${quarter.year}/${quarter.quarter}${query.value.version ? `?version=${query.value.version}` : ''}`,
      pageUrl: (page: number) => `?${new URLSearchParams({ ...(query.value.version ? { version: String(query.value.version) } : {}), ...(part ? { part } : {}), page: String(page) }).toString()}`,
    })
  })

  router.get('/regions/:regionId/reports/:year/:quarter/export.:format', authorize('report.view', regionOf, { hideExistence: true }), async (req, res) => {
    const { regionId, quarter } = quarterOf(req)
    const { format } = params(schemas.formatParam, req)
    const query = validate(schemas.reportQuery, req.query)
    if (!query.ok) throw new NotFoundError()
    const [region, view] = await Promise.all([services.regions.get(regionId), quarterlyReports.report(regionId, quarter, query.value.version)])
    const table = regionReportTable(view, region, presenter(res), footerOf(req, res))
    await services.audit.record(requestContext(req), { action: 'quarterlyReport.export', category: 'report', regionId, details: { year: quarter.year, quarter: quarter.quarter, versionNumber: view.shown?.versionNumber ?? null, format } })
    await sendTable(res, table, format as 'xlsx' | 'csv' | 'pdf', `quarterly-report-${region.code.toLowerCase()}-${quarter.year}-q${quarter.quarter}${view.shown ? `-v${view.shown.versionNumber}` : ''}`, services)
  })

  function nationalQuarter(req: Request): Quarter {
    const query = validate(schemas.nationalQuery, req.query)
    const fallback = quarterToReport(today())
    if (!query.ok) return fallback
    return { year: query.value.year ?? fallback.year, quarter: (query.value.quarter ?? fallback.quarter) as QuarterNumber }
  }

  router.get('/reports/national', authorize('report.national'), async (req, res) => {
    const quarter = nationalQuarter(req)
    const view = await quarterlyReports.rollup(quarter)
    const show = presenter(res)
    res.render('pages/reports/national', { view, show, sections: REPORT_SECTIONS, figuresOf, charts: chartsOf(view, show) })
  })

  router.get('/reports/national/export.:format', authorize('report.national'), async (req, res) => {
    const { format } = params(schemas.formatParam, req)
    const quarter = nationalQuarter(req)
    const view = await quarterlyReports.rollup(quarter)
    const table = rollupTable(view, presenter(res), footerOf(req, res))
    await services.audit.record(requestContext(req), { action: 'quarterlyReport.exportNational', category: 'report', details: { year: quarter.year, quarter: quarter.quarter, format } })
    await sendTable(res, table, format as 'xlsx' | 'csv' | 'pdf', `quarterly-rollup-${quarter.year}-q${quarter.quarter}`, services)
  })

  return router
}

/** The roll-up's charts as data for public/quarterly-charts.js: shares where people compare regions at a glance. */
function chartsOf(view: RollupView, show: Presenter) {
  const { t } = show
  const labels = view.rows.map((row) => show.regionName(row))
  const share = (part: number, whole: number) => percentOf(part, whole) ?? 0
  return [
    {
      id: 'chart-correspondence',
      title: t('quarterly.chart.correspondence'),
      kind: 'stackedPercent',
      labels,
      datasets: [
        { label: t('quarterly.figure.correspondenceAnsweredOnTime'), data: view.rows.map((row) => share(row.values.correspondenceAnsweredOnTime, row.values.correspondenceReceived)) },
        { label: t('quarterly.figure.correspondenceAnsweredLate'), data: view.rows.map((row) => share(row.values.correspondenceAnsweredLate, row.values.correspondenceReceived)) },
        { label: t('quarterly.figure.correspondenceOpenOverdue'), data: view.rows.map((row) => share(row.values.correspondenceOpenOverdue, row.values.correspondenceReceived)) },
      ],
    },
    {
      id: 'chart-on-time',
      title: t('quarterly.chart.onTime'),
      kind: 'percent',
      labels,
      datasets: [
        { label: t('quarterly.figure.assessmentsOnTime'), data: view.rows.map((row) => share(row.values.assessmentsOnTime, row.values.assessmentsDue)) },
        { label: t('quarterly.figure.plansOnTime'), data: view.rows.map((row) => share(row.values.plansOnTime, row.values.plansDue)) },
      ],
    },
    {
      id: 'chart-caseload',
      title: t('quarterly.chart.caseload'),
      kind: 'count',
      labels,
      datasets: [
        { label: show.quarterName(view.previousQuarter), data: view.rows.map((row) => row.previous.caseloadAtEnd) },
        { label: show.quarterName(view.quarter), data: view.rows.map((row) => row.values.caseloadAtEnd) },
      ],
    },
    {
      id: 'chart-contacts',
      title: t('quarterly.chart.contacts'),
      kind: 'stackedPercent',
      labels,
      datasets: [
        { label: t('quarterly.figure.peopleMeetingStandard'), data: view.rows.map((row) => share(row.values.peopleMeetingStandard, row.values.peopleMeetingStandard + row.values.peopleBelowStandard)) },
        { label: t('quarterly.figure.peopleBelowStandard'), data: view.rows.map((row) => share(row.values.peopleBelowStandard, row.values.peopleMeetingStandard + row.values.peopleBelowStandard)) },
      ],
    },
  ]
}
