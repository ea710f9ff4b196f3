import type { Actor } from '../policy'

/** Who is acting and from where: what a service needs of a request, without the request itself. */
export interface RequestContext {
  readonly actor: Actor | null
  readonly actorUsername: string | null
  readonly sourceIp: string | null
  readonly requestId: string | null
}

/** What the background jobs act as in the audit log: no person, no request. */
export const SYSTEM_CONTEXT: RequestContext = { actor: null, actorUsername: 'system', sourceIp: null, requestId: null }

/** A refusal the user can act on; routes turn `field` errors into messages beside the field. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    readonly field?: string,
    /** Values for the message, e.g. the last day a notice could have been sent. */
    readonly params: Record<string, string | number> = {},
  ) {
    super(code)
  }
}

/** Someone saved the record after this edit started; nothing was written. */
export class StaleEditError<T = unknown> extends Error {
  constructor(readonly current: T) {
    super('stale edit')
  }
}

/** The same form submission was already made: it created `resultId`, and nothing more was written. */
export class AlreadySubmitted extends Error {
  constructor(readonly resultId: number) {
    super('already submitted')
  }
}

export class NotFoundError extends Error {
  constructor() {
    super('not found')
  }
}
