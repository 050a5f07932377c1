import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, isAnklumeErrorCode } from './codes.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Words that look like codes but are not error codes (environment variables, identifiers, issue codes). */
const NOT_ERROR_CODES = new Set([
  'ANKLUME_CONTEXT_DIR', // environment variable
  'ANKLUME_LOCK_PATH', // environment variable
  'INCUS_DIR', // environment variable
  'INCUS_SOCKET', // environment variable
  'INCUS_CONF', // environment variable (the incus CLI's config directory)
  'ANKLUME_EXTENSIONS', // a constant of @anklume/engine's doctor
  'INCUS_SOCKET_VM', // a schema issue code (in `validate` output), not an error
])

/** Every non-test .ts file under packages/<pkg>/src and apps/<app>/src, except this package's. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = []
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(ROOT, group))) {
      if (group === 'packages' && pkg === 'errors') continue
      const src = join(ROOT, group, pkg, 'src')
      let files: string[]
      try {
        files = readdirSync(src, { recursive: true, encoding: 'utf8' })
      } catch {
        continue
      }
      for (const f of files) {
        if (f.endsWith('.ts') && !f.endsWith('.test.ts')) {
          out.push({ file: join(group, pkg, 'src', f), text: readFileSync(join(src, f), 'utf8') })
        }
      }
    }
  }
  return out
}

const CODE_WORD = /\b(?:ANKLUME|INCUS)_[A-Z][A-Z0-9_]*\b/g

describe('the code table', () => {
  it('holds well-formed codes with a one-line description and an exit class', () => {
    for (const [code, info] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^(ANKLUME|INCUS)_[A-Z][A-Z0-9_]*$/)
      expect(info.description, code).toMatch(/^[^\n]+$/)
      expect(info.raisedBy, code).toMatch(/^[a-z-]+( \([a-z ,-]+\))?$/)
      expect(['input', 'runtime'], code).toContain(info.exit)
      expect(isAnklumeErrorCode(code)).toBe(true)
    }
    expect(isAnklumeErrorCode('UND_ERR_SOCKET')).toBe(false)
    expect(isAnklumeErrorCode('toString')).toBe(false)
  })

  it('lists every code the sources use, and only codes they use', () => {
    const used = new Map<string, string>()
    for (const { file, text } of sources()) {
      for (const [word] of text.matchAll(CODE_WORD)) if (!used.has(word)) used.set(word, file)
    }
    const missing = [...used].filter(([w]) => !NOT_ERROR_CODES.has(w) && !isAnklumeErrorCode(w))
    expect(missing.map(([w, file]) => `${w} (${file})`)).toEqual([])
    const unused = Object.keys(ERROR_CODES).filter((c) => !used.has(c))
    expect(unused).toEqual([])
    // the exceptions list stays honest too
    expect([...NOT_ERROR_CODES].filter((w) => !used.has(w))).toEqual([])
  })

  it('keeps the invalid-input codes the CLI always mapped to exit 2', () => {
    const input = Object.entries(ERROR_CODES)
      .filter(([, i]) => i.exit === 'input')
      .map(([c]) => c)
    expect(input).toEqual(
      expect.arrayContaining([
        'ANKLUME_SCHEMA_INVALID',
        'ANKLUME_FILE_NOT_FOUND',
        'ANKLUME_USAGE',
        'ANKLUME_RESOURCE_OVERCOMMIT',
        'ANKLUME_INVENTORY_MARKERS',
        'ANKLUME_MIGRATE_INVALID',
        'ANKLUME_MIGRATE_NOT_A_PROJECT',
        'ANKLUME_MIGRATE_UNSUPPORTED',
        'ANKLUME_SCHEMA_VERSION_UNSUPPORTED',
      ]),
    )
  })
})

describe('the package boundary', () => {
  it('imports nothing: no dependency, only relative and node: imports', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'packages/errors/package.json'), 'utf8'))
    expect(pkg.dependencies ?? {}).toEqual({})
    const here = fileURLToPath(new URL('.', import.meta.url))
    for (const f of readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const specifiers = [...readFileSync(join(here, f), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1])
      expect(
        specifiers.filter((s) => !s?.startsWith('./')),
        f,
      ).toEqual([])
    }
  })
})
