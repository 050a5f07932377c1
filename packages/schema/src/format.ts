/** Human rendering of issues: `file:line:col  key.path  message` (+ hint line). */
import type { Issue } from './types.js'

export function issueLocation(issue: Issue): string {
  if (!issue.file) return ''
  return issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.col ?? 1}`
}

export function formatIssue(issue: Issue): string {
  const head = [issueLocation(issue), issue.path, issue.message].filter((s) => s !== '').join('  ')
  const line = issue.severity === 'warning' ? `warning: ${head}` : head
  return issue.hint ? `${line}\n  hint: ${issue.hint}` : line
}
