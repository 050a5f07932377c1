/** Human rendering of issues: `file:line:col  key.path  message` (+ source excerpt, hint line). */
import { escapeControl } from './escape.js'
import type { Issue } from './types.js'

export interface FormatIssueOptions {
  /** ANSI colours: errors red, warnings yellow (the caller decides from TTY, NO_COLOR, FORCE_COLOR). */
  color?: boolean
}

export function issueLocation(issue: Issue): string {
  if (!issue.file) return ''
  const file = escapeControl(issue.file)
  return issue.line === undefined ? file : `${file}:${issue.line}:${issue.col ?? 1}`
}

const paint = (on: boolean, code: string, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text)

/** A tab is shown as one space so the caret stays under its column; other controls escaped. */
const shown = (text: string) => escapeControl(text.replaceAll('\t', ' '))

/**
 * The source line with a caret under the column:
 * ```
 *     8 |       a-1: { ip: "10.1.1.2"
 *       |            ^
 * ```
 */
export function sourceExcerpt(issue: Issue, color = false): string[] {
  if (issue.source === undefined || issue.line === undefined) return []
  const num = String(issue.line)
  const gutter = ' '.repeat(num.length)
  const before = shown(issue.source.slice(0, Math.max(0, (issue.col ?? 1) - 1)))
  const caret = paint(color, issue.severity === 'error' ? '1;31' : '1;33', '^')
  return [`  ${num} | ${shown(issue.source)}`, `  ${gutter} | ${' '.repeat(before.length)}${caret}`]
}

/** One issue, its source line with a caret (when known), then its hint; control characters escaped. */
export function formatIssue(issue: Issue, opts: FormatIssueOptions = {}): string {
  const color = opts.color === true
  const head = [issueLocation(issue), escapeControl(issue.path), escapeControl(issue.message)]
    .filter((s) => s !== '')
    .join('  ')
  const first =
    issue.severity === 'warning' ? paint(color, '33', `warning: ${head}`) : paint(color, '31', head)
  const lines = [first, ...sourceExcerpt(issue, color)]
  if (issue.hint) lines.push(`  hint: ${escapeControl(issue.hint)}`)
  return lines.join('\n')
}
