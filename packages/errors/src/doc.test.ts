import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from './codes.js'
import { renderErrorsDoc } from './doc.js'

const DOC = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url))

describe('docs/errors.md', () => {
  it('is exactly what the code table renders (regenerate: pnpm build && node tooling/gen-errors-doc.mjs)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderErrorsDoc())
  })

  it('has one row per code, under the section of its exit class', () => {
    const doc = renderErrorsDoc()
    const runtimeAt = doc.indexOf('## Runtime (exit 1)')
    expect(doc.indexOf('## Input (exit 2)')).toBeLessThan(runtimeAt)
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      const row = `| \`${code}\` | ${info.raisedBy} | ${info.description} |`
      const at = doc.indexOf(row)
      expect(at, code).toBeGreaterThan(0)
      expect(doc.indexOf(row, at + 1), code).toBe(-1)
      expect(at > runtimeAt, code).toBe(info.exit === 'runtime')
    }
  })

  it('renders any table it is given', () => {
    const doc = renderErrorsDoc({ ANKLUME_X: { exit: 'input', raisedBy: 'cli', description: 'an x' } })
    expect(doc).toContain('| `ANKLUME_X` | cli | an x |')
    expect(doc).not.toContain('INCUS_NOT_FOUND` |')
  })
})
