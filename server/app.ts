import path from 'node:path'
import compression from 'compression'
import express from 'express'
import type pg from 'pg'
import type { Logger } from 'pino'
import { rateLimit } from 'express-rate-limit'
import { signInLimitStore } from './middleware/signInLimitStore'
import type { Config } from './config'
import { publicDir, projectRoot, viewsDir } from './paths'
import type { Services } from './services'
import { requestLogging } from './middleware/requestLogging'
import { cspNonce, noStoreWhenSignedIn, securityHeaders } from './middleware/security'
import { sessionMiddleware } from './middleware/session'
import { configurePassport, currentUser, passwordChangeGate, policyForViews } from './middleware/authentication'
import { locale } from './middleware/locale'
import { doneNotice } from './middleware/doneNotice'
import { withLayout } from './middleware/layout'
import { navigationForViews } from '../routes/navigation'
import { csrfProtection } from './middleware/csrf'
import { documentUploads } from './middleware/uploads'
import { authorizer } from './middleware/authorize'
import { errorHandler, notFound } from './middleware/errors'
import { healthRoutes } from '../routes/health'
import { authRoutes } from '../routes/auth'
import { languageRoutes } from '../routes/language'
import { homeRoutes } from '../routes/home'
import { accountRoutes } from '../routes/account'
import { adminUserRoutes } from '../routes/admin/users'
import { accountRequestRoutes } from '../routes/admin/accountRequests'
import { adminRegionRoutes } from '../routes/admin/regions'
import { delegationRoutes } from '../routes/delegations'
import { auditRoutes } from '../routes/audit'
import { beneficiaryRoutes } from '../routes/beneficiaries'
import { transferRoutes } from '../routes/beneficiaries/transfers'
import { retentionRoutes } from '../routes/beneficiaries/retention'
import { measureRoutes } from '../routes/measures'
import { monitoringRoutes } from '../routes/measures/monitoring'
import { referenceRoutes } from '../routes/admin/reference'
import { correspondenceRoutes } from '../routes/correspondence'
import { taskRoutes } from '../routes/correspondence/tasks'
import { mediationRoutes } from '../routes/mediation'
import { supervisionRoutes } from '../routes/supervision'
import { boardRoutes } from '../routes/board'
import { reminderRoutes } from '../routes/reminders'
import { contactRoutes } from '../routes/contacts'
import { activityRoutes } from '../routes/activities'
import { reportRoutes } from '../routes/reports'
import { serviceDateOf } from './domain/dates'
import { judgeDatesBy } from './validation'

export interface AppOptions {
  config: Config
  logger: Logger
  sessionPool: pg.Pool
}

/** The life of a request, top to bottom. */
export function createApp(services: Services, { config, logger, sessionPool }: AppOptions): express.Express {
  const app = express()
  // One reverse proxy in front, as .env.example says: trusting every hop would let a client choose its address for the sign-in limit.
  app.set('trust proxy', config.trustProxy ? 1 : false)
  app.disable('x-powered-by')
  app.set('view engine', 'ejs')
  app.set('views', viewsDir)
  app.set('view cache', config.viewCache)

  const authorize = authorizer(services.audit)

  app.use(requestLogging(logger))
  app.use(healthRoutes(services, authorize))

  app.use(cspNonce)
  app.use(withLayout)
  app.use(securityHeaders(config.env === 'production'))
  // Stylesheets and scripts go out compressed (Bootstrap's stylesheet: 232 kB, 31 kB gzipped). Pages do not: each carries
  // the session's CSRF token beside text the user typed (a search), which compression over TLS would leak (BREACH).
  app.use('/assets', compression())
  app.use('/assets/bootstrap', express.static(path.join(projectRoot, 'node_modules', 'bootstrap', 'dist'), { index: false, maxAge: '7d' }))
  app.use('/assets/chart.js', express.static(path.join(projectRoot, 'node_modules', 'chart.js', 'dist'), { index: false, maxAge: '7d' }))
  app.use('/assets', express.static(publicDir, { index: false, maxAge: '1d' }))
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }))
  app.use(judgeDatesBy(() => serviceDateOf(services.clock.now())))

  app.use(sessionMiddleware(config, sessionPool))
  const authenticator = configurePassport(services)
  app.use(authenticator.initialize())
  app.use(authenticator.session())
  app.use(noStoreWhenSignedIn)
  app.use(currentUser(services, config))
  app.use(locale)
  app.use(doneNotice)
  app.use(policyForViews)
  app.use(navigationForViews)
  app.use(documentUploads())
  const csrf = csrfProtection()
  app.use(csrf.issueToken)
  app.use(csrf.protect)
  app.use(passwordChangeGate)

  const signInLimiter = rateLimit({
    windowMs: 15 * 60_000,
    // Counted in the database: several instances of the app count the same attempts.
    store: signInLimitStore(services.signInLimits, services.clock),
    limit: config.signInRateLimitPerWindow,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skip: (req) => req.method !== 'POST',
    // Failed attempts only: a shared office address where colleagues sign in all morning is never shut out.
    skipSuccessfulRequests: true,
    handler: (_req, res) => {
      res.status(429).render('pages/auth/sign-in', { values: {}, errors: {}, failure: 'rateLimited', notice: null, returnTo: '' })
    },
  })

  app.use(authRoutes(services, authorize, signInLimiter))
  app.use(languageRoutes(authorize, config.env === 'production'))
  app.use(homeRoutes(services, authorize))
  app.use(accountRoutes(services, authorize))
  app.use(adminUserRoutes(services, authorize))
  app.use(accountRequestRoutes(services, authorize))
  app.use(adminRegionRoutes(services, authorize))
  app.use(delegationRoutes(services, authorize))
  app.use(auditRoutes(services, authorize))
  app.use(beneficiaryRoutes(services, authorize))
  app.use(transferRoutes(services, authorize))
  app.use(retentionRoutes(services, authorize))
  app.use(measureRoutes(services, authorize))
  app.use(monitoringRoutes(services, authorize))
  app.use(referenceRoutes(services, authorize))
  app.use(correspondenceRoutes(services, authorize))
  app.use(taskRoutes(services, authorize))
  app.use(mediationRoutes(services, authorize))
  app.use(supervisionRoutes(services, authorize))
  app.use(boardRoutes(services, authorize))
  app.use(reminderRoutes(services, authorize))
  app.use(contactRoutes(services, authorize, config))
  app.use(activityRoutes(services, authorize))
  app.use(reportRoutes(services, authorize))

  app.use(notFound)
  app.use(errorHandler(logger))
  return app
}
