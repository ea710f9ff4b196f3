import type { Request, RequestHandler } from 'express'
import { formatDate, formatDateTime } from '../domain/dates'
import { formatNumber } from '../domain/numbers'
import { DEFAULT_LANGUAGE, isLanguage, translator, type Language } from '../i18n'
import { DEADLINE_RULES, type DeadlineRuleId } from '../domain/deadlineRules'

export const LANGUAGE_COOKIE = 'lang'

export function languageOf(req: Request): Language {
  const fromSession = req.session?.language
  if (isLanguage(fromSession)) return fromSession
  const fromCookie = parseCookie(req.headers.cookie ?? '', LANGUAGE_COOKIE)
  return isLanguage(fromCookie) ? fromCookie : DEFAULT_LANGUAGE
}

function parseCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return decodeURIComponent(rest.join('='))
  }
  return undefined
}

function refererPath(req: Request): string {
  try {
    const referer = new URL(req.get('referer') ?? '', `http://${req.get('host')}`)
    return referer.host === req.get('host') ? referer.pathname + referer.search : '/'
  } catch {
    return '/'
  }
}

/** The user's language and the helpers every view uses to show text and dates. */
export const locale: RequestHandler = (req, res, next) => {
  const language = languageOf(req)
  res.locals.lang = language
  res.locals.t = translator(language)
  res.locals.formatDate = formatDate
  res.locals.formatDateTime = formatDateTime
  res.locals.formatNumber = (value: number) => formatNumber(value, language)
  // A deadline is named by its rule's duty, in the rules' own data.
  res.locals.ruleName = (id: string) => DEADLINE_RULES[id as DeadlineRuleId]?.duty[language] ?? id
  // After a failed form post the page's address is the post's: the language switch returns to the referring page instead.
  res.locals.currentPath = req.method === 'GET' ? req.originalUrl : refererPath(req)
  res.locals.userRegionName = req.user ? (language === 'hy' ? req.user.regionNameHy : req.user.regionNameEn) : null
  next()
}
