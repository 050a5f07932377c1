/**
 * One top-level mapping from the error family's stable codes to exit codes
 * and one-line messages. Which codes are invalid input is said once, in the
 * code table of @anklume/errors (`ERROR_CODES[code].exit`). Exit codes
 * (docs/errors.md):
 *   0 success · 1 runtime failure (Incus error, partial apply) · 2 invalid input
 *   plan --detailed-exitcode: 0 no changes · 2 changes pending · 3 invalid input · 1 error
 */
import {
  AnklumeError,
  type AnklumeErrorCode,
  ERROR_CODES,
  escapeControl,
  isAnklumeError,
} from '@anklume/errors'

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_INVALID = 2

/** 2 for an anklume error the code table calls invalid input, else 1. */
export function exitCodeFor(err: unknown): number {
  return isAnklumeError(err) && ERROR_CODES[err.code]?.exit === 'input' ? EXIT_INVALID : EXIT_FAILURE
}

/**
 * The code shown in brackets: the anklume code, or the system error code of
 * a Node/undici error that escaped (ENOENT, EACCES, UND_ERR_…).
 */
function shownCode(err: unknown): string | undefined {
  if (isAnklumeError(err)) return err.code
  const code = (err as NodeJS.ErrnoException | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Escapes control characters line by line: a message keeps its lines (issue lists) but no ESC, CR… */
const escapeLines = (text: string): string => text.split('\n').map(escapeControl).join('\n')

/**
 * One line (plus a hint line when known); the stack only with --verbose;
 * `error [CODE]:` in red with `color`. Messages may carry what Incus or a
 * file said: control characters are escaped.
 */
export function renderError(err: unknown, verbose: boolean, color = false): string {
  const e = (err ?? {}) as { message?: unknown; stack?: unknown }
  const code = shownCode(err)
  const message = typeof e.message === 'string' ? e.message : String(err)
  const head = `error${code ? ` [${escapeControl(code)}]` : ''}:`
  let out = `${color ? `\u001b[1;31m${head}\u001b[0m` : head} ${escapeLines(message)}`
  if (isAnklumeError(err) && err.hint) out += `\n  hint: ${escapeLines(err.hint)}`
  if (verbose && typeof e.stack === 'string') out += `\n${e.stack}`
  return out
}

/** An error raised by the CLI itself (bad arguments, missing file). */
export class CliError extends AnklumeError {
  constructor(code: AnklumeErrorCode, message: string, hint?: string) {
    super(code, message, { hint })
    this.name = 'CliError'
  }
}
