/** The error `loadOrThrow` raises: stable code, every issue, a message naming the first ones. */
import { AnklumeError } from '@anklume/errors'
import { formatIssue, sourceExcerpt } from './format.js'
import type { Issue } from './types.js'

export const MAX_ISSUES_IN_MESSAGE = 5

/** `ANKLUME_FILE_NOT_FOUND` when the file is missing, else `ANKLUME_SCHEMA_INVALID`. */
export type SchemaErrorCode = 'ANKLUME_FILE_NOT_FOUND' | 'ANKLUME_SCHEMA_INVALID'

export class SchemaError extends AnklumeError<SchemaErrorCode> {
  readonly issues: Issue[]

  constructor(issues: Issue[]) {
    const errors = issues.filter((i) => i.severity === 'error')
    const missing = errors.length > 0 && errors.every((i) => i.code === 'FILE_NOT_FOUND')
    // Each issue's first line, and the source line with its caret when known (YAML syntax).
    const shown = errors
      .slice(0, MAX_ISSUES_IN_MESSAGE)
      .map((i) =>
        [formatIssue({ ...i, hint: undefined, source: undefined }), ...sourceExcerpt(i)].join('\n  '),
      )
    const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : ''
    const head = missing
      ? 'infra file not found'
      : `infra file is invalid (${errors.length} error${errors.length === 1 ? '' : 's'})`
    super(
      missing ? 'ANKLUME_FILE_NOT_FOUND' : 'ANKLUME_SCHEMA_INVALID',
      `${head}:\n  ${shown.join('\n  ')}${more}`,
      {
        hint:
          missing || (errors.length === 1 && errors[0]?.hint)
            ? errors[0]?.hint
            : 'run `anklume validate` to see every problem',
      },
    )
    this.name = 'SchemaError'
    this.issues = issues
  }
}
