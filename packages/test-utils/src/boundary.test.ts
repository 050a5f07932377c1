/**
 * The package's one rule: published code never depends on it. No non-test
 * file under a package's src/ imports it, and no package lists it outside
 * devDependencies.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')
const packageDirs = ['packages', 'apps'].flatMap((top) =>
  readdirSync(join(root, top)).map((name) => join(root, top, name)),
)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !/\.test(-util)?\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
}

describe('@anklume/test-utils stays out of published code', () => {
  it('no src/ file of another package imports it (tests aside)', () => {
    const offenders = packageDirs
      .filter((d) => !d.endsWith('test-utils'))
      .flatMap((d) => sourceFiles(join(d, 'src')))
      .filter((f) => readFileSync(f, 'utf8').includes('@anklume/test-utils'))
    expect(offenders).toEqual([])
  })

  it('only devDependencies list it', () => {
    const listed = packageDirs.flatMap((d) => {
      const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) as Record<string, unknown>
      return ['dependencies', 'peerDependencies', 'optionalDependencies']
        .filter((k) => Object.hasOwn((pkg[k] ?? {}) as object, '@anklume/test-utils'))
        .map((k) => `${pkg['name']}: ${k}`)
    })
    expect(listed).toEqual([])
  })
})
