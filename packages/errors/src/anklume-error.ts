/**
 * The one error family of anklume. Every package throws an AnklumeError (or
 * a subclass) with a stable string code, a message for people, and a hint
 * that says what to do. Callers branch on `code` through `isAnklumeError`,
 * never on message text, never by duck typing.
 */
export interface AnklumeErrorOptions {
  hint?: string | undefined
  cause?: unknown
}

export class AnklumeError extends Error {
  readonly code: string
  readonly hint: string | undefined

  constructor(code: string, message: string, options: AnklumeErrorOptions | string = {}) {
    const opts = typeof options === 'string' ? { hint: options } : options
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AnklumeError'
    this.code = code
    this.hint = opts.hint
  }
}

/** True when `err` is an anklume error (of `code`, or of one of `codes`, when given). */
export function isAnklumeError(err: unknown, code?: string | readonly string[]): err is AnklumeError {
  if (!(err instanceof AnklumeError)) return false
  if (code === undefined) return true
  return typeof code === 'string' ? err.code === code : code.includes(err.code)
}

/** The code of an anklume error, else undefined. */
export function errorCode(err: unknown): string | undefined {
  return err instanceof AnklumeError ? err.code : undefined
}
