import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { pinoHttp } from 'pino-http'

/** Paths that carry a secret (a calendar feed's address): the secret is replaced before the path is logged. */
const SECRET_IN_PATH = [/^(\/calendar\/)[^/]+(\.ics)$/]

/** What the log says of a request's URL: its path without the query, secrets replaced. */
export function loggedPath(url: string | undefined): string {
  const path = (url ?? '').split('?')[0]
  return SECRET_IN_PATH.reduce((shown, secret) => shown.replace(secret, '$1[secret]$2'), path)
}

/**
 * One log line per request with its id. Only the path is logged: query strings (searches by name),
 * bodies, cookies and headers can carry personal data or secrets and never reach the logs; nor do the secrets of
 * secret addresses.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (_req: IncomingMessage, res: ServerResponse) => {
      const id = randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/ready' || (req.url ?? '').startsWith('/assets/') },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggedPath(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customSuccessMessage: (req, res) => `${req.method} ${loggedPath(req.url)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${loggedPath(req.url)} ${res.statusCode}`,
    wrapSerializers: false,
  })
}
