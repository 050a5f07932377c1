/** Collecting issues with their source positions, then sorting them by file position. */
import { formatPath, type Locator } from './locator.js'
import type { Issue, Severity } from './types.js'
import type { Path } from './yaml-doc.js'

export class IssueSink {
  readonly issues: Issue[] = []
  readonly locator: Locator

  constructor(locator: Locator) {
    this.locator = locator
  }

  add(
    severity: Severity,
    code: string,
    path: Path,
    message: string,
    hint?: string,
    want: 'key' | 'value' = 'value',
  ): void {
    const at = this.locator.locate(path, want)
    this.issues.push({
      severity,
      code,
      path: formatPath(path),
      message,
      ...(hint ? { hint } : {}),
      ...(at ? { file: at.file, line: at.line, col: at.col } : {}),
    })
  }

  error(code: string, path: Path, message: string, hint?: string, want: 'key' | 'value' = 'value'): void {
    this.add('error', code, path, message, hint, want)
  }

  warn(code: string, path: Path, message: string, hint?: string, want: 'key' | 'value' = 'value'): void {
    this.add('warning', code, path, message, hint, want)
  }

  get errorCount(): number {
    return this.issues.filter((i) => i.severity === 'error').length
  }
}

/** Sort by file (in reading order), line, column; issues without a position first. */
export function sortIssues(issues: Issue[], files: readonly string[]): Issue[] {
  const fileRank = (f: string | undefined) =>
    f === undefined ? -1 : files.indexOf(f) + 1 || files.length + 1
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        fileRank(a.issue.file) - fileRank(b.issue.file) ||
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        (a.issue.col ?? 0) - (b.issue.col ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.issue)
}
