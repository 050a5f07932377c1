/** The error `loadOrThrow` raises: stable code, every issue, a message naming the first ones. */
import { formatIssue } from './format.js'
import type { Issue } from './types.js'

export const MAX_ISSUES_IN_MESSAGE = 5

export class SchemaError extends Error {
  /** `ANKLUME_FILE_NOT_FOUND` when the file is missing, else `ANKLUME_SCHEMA_INVALID`. */
  readonly code: string
  readonly issues: Issue[]
  readonly hint: string | undefined

  constructor(issues: Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error')
    const missing = errors.length > 0 && errors.every((i) => i.code === 'FILE_NOT_FOUND')
    const shown = errors.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => formatIssue(i).split('\n')[0])
    const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : ''
    const head = missing
      ? 'infra file not found'
      : `infra file is invalid (${errors.length} error${errors.length === 1 ? '' : 's'})`
    super(`${head}:\n  ${shown.join('\n  ')}${more}`)
    this.name = 'SchemaError'
    this.code = missing ? 'ANKLUME_FILE_NOT_FOUND' : 'ANKLUME_SCHEMA_INVALID'
    this.issues = issues
    this.hint = missing ? errors[0]?.hint : 'run `anklume validate` to see every problem'
  }
}
