/**
 * The one error family of anklume. Every package throws an AnklumeError (or
 * a subclass carrying extra data) with a stable code from the table in
 * codes.ts, a message for people, and a hint that says what to do. Callers
 * branch on `code` through `isAnklumeError`, never on message text, never by
 * duck typing.
 */
import type { AnklumeErrorCode } from './codes.js'

export interface AnklumeErrorOptions {
  hint?: string | undefined
  cause?: unknown
}

/**
 * The brand `instanceof AnklumeError` reads (undici's trick for its
 * UndiciError family): two copies of this package in one process (a bundled
 * one and an installed one) still recognise each other's errors.
 */
const BRAND = Symbol.for('anklume.error')

export class AnklumeError<C extends AnklumeErrorCode = AnklumeErrorCode> extends Error {
  readonly code: C
  readonly hint: string | undefined

  /** `options` is the hint itself, or `{ hint, cause }`. */
  constructor(code: C, message: string, options: AnklumeErrorOptions | string = {}) {
    const opts = typeof options === 'string' ? { hint: options } : options
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AnklumeError'
    this.code = code
    this.hint = opts.hint
  }

  get [BRAND](): true {
    return true
  }

  /** `x instanceof AnklumeError` by brand; subclasses keep the ordinary prototype check. */
  static override [Symbol.hasInstance](x: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was asked about
    if (this !== AnklumeError) return Function.prototype[Symbol.hasInstance].call(this, x)
    return typeof x === 'object' && x !== null && (x as { [BRAND]?: unknown })[BRAND] === true
  }
}

/**
 * True when `err` is an anklume error (of `code`, or of one of `codes`, when
 * given); narrows `err.code` to those codes.
 */
export function isAnklumeError<C extends AnklumeErrorCode>(
  err: unknown,
  code?: C | readonly C[],
): err is AnklumeError<C> {
  if (!(err instanceof AnklumeError)) return false
  if (code === undefined) return true
  return typeof code === 'string' ? err.code === code : (code as readonly string[]).includes(err.code)
}

/** The code of an anklume error, else undefined. */
export function errorCode(err: unknown): AnklumeErrorCode | undefined {
  return err instanceof AnklumeError ? err.code : undefined
}
