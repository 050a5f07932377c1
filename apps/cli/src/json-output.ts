/**
 * `--json`: one envelope for every command, on success and on failure, on
 * stdout (docs/cli.md "JSON output"):
 *
 *   { "format_version": 1, "command": "snapshot list", "ok": true,
 *     "result": …, "diagnostics": [{ "code", "severity", "message", "hint"?,
 *     "file"?, "line"?, "col"?, "path"? }] }
 *
 * Commands hand their result to `printJson`; the envelope is written once,
 * when the command is over (so `ok` follows its exit code), by `main`.
 */
import { isAnklumeError } from '@anklume/errors'

export const JSON_FORMAT_VERSION = 1

export interface Diagnostic {
  /** A stable code: an anklume error code (`ANKLUME_…`), an infra issue code (`YAML_SYNTAX`…), or a system one (`ENOENT`). */
  code: string
  severity: 'error' | 'warning'
  message: string
  hint?: string
  file?: string
  line?: number
  col?: number
  /** Dotted key path in the infra file, when the diagnostic is about one key. */
  path?: string
}

export interface Envelope {
  format_version: number
  command: string
  ok: boolean
  result: unknown
  diagnostics: Diagnostic[]
}

const state = {
  json: false,
  command: '',
  has: false,
  result: undefined as unknown,
  ok: undefined as boolean | undefined,
  diagnostics: [] as Diagnostic[],
}

/** Starts a run: JSON mode when `--json` is among the options (before any `--`). */
export function startOutput(args: readonly string[]): void {
  const end = args.indexOf('--')
  state.json = (end === -1 ? args : args.slice(0, end)).includes('--json')
  state.command = ''
  state.has = false
  state.result = undefined
  state.ok = undefined
  state.diagnostics = []
}

export const jsonMode = (): boolean => state.json

/** The command's name as typed, subcommands included (`snapshot list`). */
export function setCommand(name: string): void {
  if (!state.command) state.command = name
}

export function addDiagnostics(...ds: Diagnostic[]): void {
  state.diagnostics.push(...ds)
}

/** An infra issue (schema) as a diagnostic. */
export function issueDiagnostic(i: {
  code: string
  severity: 'error' | 'warning'
  message: string
  hint?: string | undefined
  file?: string | undefined
  line?: number | undefined
  col?: number | undefined
  path?: string | undefined
}): Diagnostic {
  return {
    code: i.code,
    severity: i.severity,
    message: i.message,
    ...(i.hint ? { hint: i.hint } : {}),
    ...(i.file ? { file: i.file } : {}),
    ...(i.line !== undefined ? { line: i.line } : {}),
    ...(i.col !== undefined ? { col: i.col } : {}),
    ...(i.path ? { path: i.path } : {}),
  }
}

/** What an error says, as diagnostics: every issue of an invalid infra file, else one. */
export function errorDiagnostics(err: unknown): Diagnostic[] {
  const issues = (err as { issues?: unknown } | null)?.issues
  if (isAnklumeError(err) && Array.isArray(issues) && issues.length > 0)
    return (issues as Parameters<typeof issueDiagnostic>[0][]).map(issueDiagnostic)
  const e = (err ?? {}) as { message?: unknown; code?: unknown; hint?: unknown }
  const code = typeof e.code === 'string' ? e.code : 'ERROR'
  const message = typeof e.message === 'string' ? e.message : String(err)
  return [
    {
      code,
      severity: 'error',
      message,
      ...(typeof e.hint === 'string' && e.hint ? { hint: e.hint } : {}),
    },
  ]
}

/** The command's result; `ok` when the exit code alone does not say it (plan --detailed-exitcode 2). */
export function printJson(result: unknown, opts: { ok?: boolean } = {}): void {
  state.has = true
  state.result = result
  if (opts.ok !== undefined) state.ok = opts.ok
}

/** The envelope for this run, given its exit code. */
export function envelope(code: number): Envelope {
  return {
    format_version: JSON_FORMAT_VERSION,
    command: state.command,
    ok: state.ok ?? code === 0,
    result: state.has ? state.result : null,
    diagnostics: state.diagnostics,
  }
}

/** Writes the envelope on stdout (JSON mode only). */
export function flushJson(code: number): void {
  if (!state.json) return
  process.stdout.write(`${JSON.stringify(envelope(code), null, 2)}\n`)
}
