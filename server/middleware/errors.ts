import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { NotFoundError } from '../services/context'
import { isDatabaseUnavailable } from './databaseErrors'
import { languageOf } from './locale'
import { translator } from '../i18n'
import { formatDate, formatDateTime } from '../domain/dates'

// Database messages quote the offending values ("Key (x)=(...)", 'invalid input "..."'): keep them out of the logs.
function withoutQuotedValues(text: string | undefined): string {
  return (text ?? '').replace(/"[^"\n]*"|'[^'\n]*'|=\([^)\n]*\)/g, '"…"')
}

function isClientError(error: unknown): boolean {
  const candidate = error as { status?: unknown; expose?: unknown } | null
  return typeof candidate?.status === 'number' && candidate.status >= 400 && candidate.status < 500 && candidate.expose === true
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).render('errors/404')
}

/**
 * The last stop: users see a page in their language with the request id, never a stack trace or an
 * internal message; the log gets the error (errors carry no personal data by construction).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error)
    let status = 500
    let view = 'errors/500'
    if (error instanceof NotFoundError) {
      status = 404
      view = 'errors/404'
    } else if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
      status = 403
      view = 'errors/csrf'
    } else if (isDatabaseUnavailable(error)) {
      status = 503
      view = 'errors/503'
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      status = 413
      view = 'errors/413'
    } else if (isClientError(error)) {
      // body-parser's refusals (too many fields, unknown charset or encoding) are the sender's fault, not ours.
      status = (error as { status: number }).status
      view = 'errors/400'
    }
    if (status >= 500) logger.error({ err: { type: (error as Error).name, message: withoutQuotedValues((error as Error).message), stack: withoutQuotedValues((error as Error).stack) }, requestId: req.id }, 'request failed')
    // The error may have come before the locale or user middleware ran.
    const language = languageOf(req)
    res.locals.lang ??= language
    res.locals.t ??= translator(language)
    res.locals.formatDate ??= formatDate
    res.locals.formatDateTime ??= formatDateTime
    res.locals.user ??= null
    res.locals.can ??= () => false
    res.locals.csrfToken ??= ''
    res.locals.currentPath ??= '/'
    res.locals.requestId = req.id
    if (status === 503) res.set('Retry-After', '10')
    res.status(status).render(view, (renderError: Error | null, html: string) => {
      if (renderError) {
        logger.error({ err: { type: renderError.name, message: renderError.message }, requestId: req.id }, 'error page failed to render')
        res.type('text/plain').send(String(status))
        return
      }
      res.send(html)
    })
  }
}
