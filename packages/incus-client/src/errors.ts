/**
 * The client's errors: AnklumeErrors (one family for all of anklume) with
 * the HTTP status, the server's message and the request. Callers switch on
 * the stable string `code`, never on the message text.
 */
import { AnklumeError } from '@anklume/errors'

export type IncusErrorCode =
  | 'INCUS_UNREACHABLE'
  | 'INCUS_NOT_FOUND'
  | 'INCUS_CONFLICT'
  | 'INCUS_API_ERROR'
  | 'INCUS_OPERATION_FAILED'
  | 'INCUS_TIMEOUT'
  | 'INCUS_CANCELLED'
  | 'INCUS_BAD_RESPONSE'

export interface IncusErrorDetails {
  /** HTTP status of the response (or the operation's status code), when there was one. */
  status?: number
  /** The server's own error text (`error` of the response or `err` of the operation). */
  serverMessage?: string
  /** What the user can do about it. */
  hint?: string
  method?: string
  path?: string
  /** The operation id, for operation failures and wait timeouts. */
  operationId?: string
  cause?: unknown
}

export class IncusError extends AnklumeError<IncusErrorCode> {
  readonly status: number | undefined
  readonly serverMessage: string | undefined
  readonly method: string | undefined
  readonly path: string | undefined
  readonly operationId: string | undefined

  constructor(code: IncusErrorCode, message: string, details: IncusErrorDetails = {}) {
    super(code, message, { hint: details.hint, cause: details.cause })
    this.name = 'IncusError'
    this.status = details.status
    this.serverMessage = details.serverMessage
    this.method = details.method
    this.path = details.path
    this.operationId = details.operationId
  }

  /** Plain data for logs and `--json` output (no stack). */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, message: this.message }
    for (const key of ['status', 'serverMessage', 'hint', 'method', 'path', 'operationId'] as const) {
      if (this[key] !== undefined) out[key] = this[key]
    }
    return out
  }
}

export function isIncusError(err: unknown, code?: IncusErrorCode): err is IncusError {
  return err instanceof IncusError && (code === undefined || err.code === code)
}

/**
 * Maps an Incus error response to the error family. 404 is NOT_FOUND; 409
 * ("already exists") and 412 (stale ETag) are both CONFLICT and are told apart
 * by `status`; everything else is API_ERROR with the status and the server's
 * message. Incus 6.0 reports some duplicates (projects, profiles) as 500: those
 * stay API_ERROR, because codes are derived from statuses, never from text.
 */
export function errorFromResponse(
  status: number,
  serverMessage: string,
  req: { method: string; path: string },
): IncusError {
  const where = `${req.method} ${req.path}`
  const details = { status, serverMessage, method: req.method, path: req.path }
  if (status === 404) return new IncusError('INCUS_NOT_FOUND', `${serverMessage} (${where})`, details)
  if (status === 412) {
    return new IncusError('INCUS_CONFLICT', `${serverMessage} (${where})`, {
      ...details,
      hint: 'The object changed since it was read: read it again (with its new ETag) and retry.',
    })
  }
  if (status === 409) {
    return new IncusError('INCUS_CONFLICT', `${serverMessage} (${where})`, {
      ...details,
      hint: 'The object already exists or is in use: read it and update it instead.',
    })
  }
  return new IncusError('INCUS_API_ERROR', `Incus answered ${status}: ${serverMessage} (${where})`, details)
}
