/** Human rendering of issues: `file:line:col  key.path  message` (+ hint line). */
import { escapeControl } from './escape.js'
import type { Issue } from './types.js'

export function issueLocation(issue: Issue): string {
  if (!issue.file) return ''
  const file = escapeControl(issue.file)
  return issue.line === undefined ? file : `${file}:${issue.line}:${issue.col ?? 1}`
}

/** One issue, then its hint on a second line; control characters in any part are escaped. */
export function formatIssue(issue: Issue): string {
  const head = [issueLocation(issue), escapeControl(issue.path), escapeControl(issue.message)]
    .filter((s) => s !== '')
    .join('  ')
  const line = issue.severity === 'warning' ? `warning: ${head}` : head
  return issue.hint ? `${line}\n  hint: ${escapeControl(issue.hint)}` : line
}
