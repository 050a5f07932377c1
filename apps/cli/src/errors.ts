/**
 * One top-level mapping from the error family's stable codes to exit codes
 * and one-line messages. Exit codes (docs/cli.md):
 *   0 success · 1 runtime failure (Incus error, partial apply) · 2 invalid input
 *   plan --detailed-exitcode: 0 no changes · 2 changes pending · 3 invalid input · 1 error
 */

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_INVALID = 2

const INVALID_INPUT_CODES = new Set([
  'ANKLUME_SCHEMA_INVALID',
  'ANKLUME_FILE_NOT_FOUND',
  'ANKLUME_USAGE',
  'ANKLUME_RESOURCE_OVERCOMMIT',
  'ANKLUME_INVENTORY_MARKERS',
  'ANKLUME_MIGRATE_INVALID',
  'ANKLUME_MIGRATE_NOT_A_PROJECT',
  'ANKLUME_MIGRATE_UNSUPPORTED',
  'ANKLUME_SCHEMA_VERSION_UNSUPPORTED',
])

interface CodedError {
  code?: unknown
  message?: unknown
  hint?: unknown
  stack?: unknown
}

export function errorCode(err: unknown): string | undefined {
  const code = (err as CodedError | null)?.code
  return typeof code === 'string' ? code : undefined
}

export function exitCodeFor(err: unknown): number {
  const code = errorCode(err)
  return code && INVALID_INPUT_CODES.has(code) ? EXIT_INVALID : EXIT_FAILURE
}

/** One line (plus a hint line when known); the stack only with --verbose. */
export function renderError(err: unknown, verbose: boolean): string {
  const e = (err ?? {}) as CodedError
  const code = errorCode(err)
  const message = typeof e.message === 'string' ? e.message : String(err)
  let out = `error${code ? ` [${code}]` : ''}: ${message}`
  if (typeof e.hint === 'string' && e.hint) out += `\n  hint: ${e.hint}`
  if (verbose && typeof e.stack === 'string') out += `\n${e.stack}`
  return out
}

/** An error raised by the CLI itself (bad arguments, missing file). */
export class CliError extends Error {
  readonly code: string
  readonly hint: string | undefined
  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = 'CliError'
    this.code = code
    this.hint = hint
  }
}
