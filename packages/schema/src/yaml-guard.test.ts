import { describe, expect, test } from 'vitest'
import { check, errors, lineOf, only } from '../test/helpers.js'
import { MAX_ALIASES, MAX_DEPTH } from './yaml-guard.js'

const HEAD = `project_name: demo
global:
  base_subnet: "10.100"
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev:
`

/** `vars:` nested `levels` maps deep, as block YAML. */
function deepBlock(levels: number): string {
  let text = `${HEAD}        vars:\n`
  for (let i = 0; i < levels; i++) text += `${' '.repeat(10 + i)}a${i}:\n`
  return `${text}${' '.repeat(10 + levels)}leaf: 1\n`
}

describe('nesting depth', () => {
  test('800 levels: one located "nesting deeper than" issue, the same verdict every run', () => {
    const text = deepBlock(800)
    const first = check(text)
    expect(first.ok).toBe(false)
    const e = only(first, 'YAML_TOO_DEEP')
    expect(e.message).toBe(`nesting deeper than ${MAX_DEPTH} levels (maps and lists, aliases expanded)`)
    // Level 65 is the map under a58 (root, domains, pro, machines, pro-dev, vars, a0 … a58).
    expect(e).toMatchObject({
      file: 'infra.yml',
      line: lineOf(text, `a${MAX_DEPTH - 5}:`),
      col: 6 + MAX_DEPTH,
    })
    expect(e.path).toBe('domains.pro.machines.pro-dev.vars.a0.a1.a2.a3.a4…')
    expect(errors(first)).toHaveLength(1)
    for (let i = 0; i < 3; i++) expect(check(text).issues).toEqual(first.issues)
  })

  test('flow lists 5000 deep never reach a stack overflow', () => {
    const text = `${HEAD}        vars: {x: ${'['.repeat(5000)}1${']'.repeat(5000)}}\n`
    const first = check(text)
    expect(first.issues).toEqual([
      // Level 65 is the 59th '[' (the {x: map is level 6), column 19 + 58.
      expect.objectContaining({
        code: 'YAML_TOO_DEEP',
        path: 'domains.pro.machines.pro-dev.vars.x[0][0][0][0]…',
        line: 9,
        col: 19 + MAX_DEPTH - 6,
      }),
    ])
    expect(check(text).issues).toEqual(first.issues)
  })

  test('a file just under the limit validates', () => {
    expect(check(deepBlock(MAX_DEPTH - 8)).issues.filter((i) => i.code === 'YAML_TOO_DEEP')).toEqual([])
  })

  test('depth counts aliases expanded: chained anchors cannot hide a deep structure', () => {
    const lines = [`${HEAD}        vars:`, `          l0: &l0 ${'['.repeat(30)}1${']'.repeat(30)}`]
    for (let i = 1; i < 5; i++)
      lines.push(`          l${i}: &l${i} ${'['.repeat(20)}*l${i - 1}${']'.repeat(20)}`)
    const text = `${lines.join('\n')}\n`
    const e = only(check(text), 'YAML_TOO_DEEP')
    // l2 = 20 levels + l1 (20 + 30), under 6 levels of file: 76 > 64.
    expect(e.line).toBe(lineOf(text, 'l2: &l2'))
  })
})

describe('aliases', () => {
  test('an alias inside its own anchor is refused (circular), at the alias', () => {
    const text = `${HEAD}        vars: &v {a: 1, self: *v}\n`
    const e = only(check(text), 'YAML_ALIAS')
    expect(e.message).toBe('alias *v is inside its own anchor (a circular structure)')
    expect(e.path).toBe('domains.pro.machines.pro-dev.vars.self')
    expect(e.line).toBe(lineOf(text, 'self: *v'))
  })

  test(`more than ${MAX_ALIASES} aliases: one clear issue`, () => {
    const many = Array.from({ length: MAX_ALIASES + 1 }, () => '*x').join(', ')
    const r = check(`${HEAD}        description: &x d\n        vars: {l: [${many}]}\n`)
    expect(only(r, 'YAML_ALIAS').message).toBe(
      `${MAX_ALIASES + 1} aliases: more than ${MAX_ALIASES} in one file`,
    )
  })

  test('issues inside aliased values are still located at the anchor', () => {
    const text = `${HEAD}        config: &c {limits.cpu: [1]}\n      pro-db:\n        config: *c\n`
    const found = check(text).issues.filter((i) => i.code === 'INVALID_TYPE')
    expect(found.map((i) => i.path)).toEqual([
      'domains.pro.machines.pro-dev.config.limits.cpu',
      'domains.pro.machines.pro-db.config.limits.cpu',
    ])
    for (const i of found) expect(i.line).toBe(lineOf(text, 'config: &c'))
  })
})

describe('keys JavaScript objects reserve', () => {
  const cases: Array<[string, string, string]> = [
    ['volume', '        storage_volumes:\n          __proto__: {path: /data}\n', 'storage_volumes.__proto__'],
    [
      'device',
      '        devices:\n          __proto__: {type: disk, path: /d, source: /srv}\n',
      'devices.__proto__',
    ],
    ['config key', '        config:\n          __proto__: "1"\n', 'config.__proto__'],
    [
      'cloud-init key',
      '        cloud_init:\n          user_data: {__proto__: {a: 1}}\n',
      'cloud_init.user_data.__proto__',
    ],
  ]
  test.each(cases)('__proto__ as a %s name is refused, never dropped', (_what, block, tail) => {
    const text = `${HEAD}${block}`
    const e = only(check(text), 'UNSAFE_KEY')
    expect(e).toMatchObject({
      severity: 'error',
      path: `domains.pro.machines.pro-dev.${tail}`,
      message: '"__proto__" cannot be a key (JavaScript objects reserve it)',
      line: lineOf(text, '__proto__'),
    })
  })

  test('__proto__ as a profile name is refused too', () => {
    const text = `${HEAD.replace('    machines:\n', '    profiles:\n      __proto__: {config: {limits.cpu: "1"}}\n    machines:\n')}        profiles: [default, __proto__]\n`
    expect(only(check(text), 'UNSAFE_KEY').path).toBe('domains.pro.profiles.__proto__')
  })

  test('constructor and toString are ordinary names', () => {
    const r = check(
      `${HEAD}        storage_volumes:\n          constructor: {path: /a}\n          toString: {path: /b}\n        config: {constructor: x}\n`,
    )
    expect(r.ok).toBe(true)
    const m = r.infra?.domains[0]?.machines[0]
    expect(m?.storageVolumes.map((v) => v.name)).toEqual(['constructor', 'toString'])
    expect(Object.keys(m?.config ?? {})).toEqual(['constructor'])
  })
})
