import { describe, expect, test } from 'vitest'
import { check, errors, only } from '../test/helpers.js'

const GOOD = `project_name: demo
global:
  base_subnet: "10.100"
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev:
        ip: "10.100.1.10"
`

describe('YAML reading', () => {
  test('a syntax error is one issue with its position, never a throw', () => {
    const r = check(`project_name: demo\nglobal: {base_subnet: "10.100"\ndomains: {}\n`)
    expect(r.ok).toBe(false)
    const e = errors(r)[0]
    expect(e).toMatchObject({ code: 'YAML_SYNTAX', file: 'infra.yml' })
    expect(e?.line).toBeGreaterThanOrEqual(2)
    expect(e?.message).not.toContain('\n')
    expect(e?.message).not.toMatch(/ at line/)
  })

  test('an unclosed quote', () => {
    const e = only(check(`project_name: "demo\nglobal: {}\n`), 'YAML_SYNTAX')
    expect(e.line).toBeGreaterThanOrEqual(1)
  })

  test('duplicate keys are errors at the second key; the rest is still validated', () => {
    const text = GOOD.replace('    subnet_id: 1\n', '    subnet_id: 1\n    subnet_id: 2\n').replace(
      'ip: "10.100.1.10"',
      'ip: "10.100.1.10"\n        tpye: vm',
    )
    const r = check(text)
    expect(only(r, 'DUPLICATE_KEY')).toMatchObject({
      line: 7,
      severity: 'error',
      path: 'domains.pro.subnet_id',
    })
    expect(only(r, 'UNKNOWN_KEY')).toMatchObject({
      path: 'domains.pro.machines.pro-dev.tpye',
      hint: 'did you mean "type"?',
    })
  })

  test('anchors, aliases and merge keys work, and positions follow them', () => {
    const text = `project_name: demo
global:
  base_subnet: "10.100"
x-small: &small
  type: lxc
  config:
    limits.cpu: 2
  bogus: 1
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev:
        <<: *small
        ip: "10.100.1.10"
      pro-db:
        <<: *small
        type: vm
`
    const r = check(text)
    // x-small is itself an unknown top-level key; bogus is reported through the merge, at its source line
    expect(errors(r).map((e) => [e.code, e.path, e.line])).toEqual([
      ['UNKNOWN_KEY', 'x-small', 4],
      ['UNKNOWN_KEY', 'domains.pro.machines.pro-dev.bogus', 8],
      ['UNKNOWN_KEY', 'domains.pro.machines.pro-db.bogus', 8],
    ])
    const fixed = check(
      text.replace('  bogus: 1\n', '').replace('x-small: &small', 'global_defaults_unused: &small'),
    )
    expect(errors(fixed).map((e) => e.path)).toEqual(['global_defaults_unused'])
    const aliasOnly = check(
      text.replace('x-small: &small\n  type: lxc\n  config:\n    limits.cpu: 2\n  bogus: 1\n', ''),
    )
    expect(aliasOnly.ok).toBe(false) // *small is now undefined: a YAML error, reported not thrown
  })

  test('merge keys produce the merged machine', () => {
    const text = `project_name: demo
global:
  base_subnet: "10.100"
domains:
  pro:
    subnet_id: 1
    machines:
      pro-dev: &dev
        type: vm
        config: { limits.cpu: 2 }
      pro-db:
        <<: *dev
        ip: "10.100.1.11"
`
    const r = check(text)
    expect(r.issues).toEqual([])
    expect(r.infra?.domains[0]?.machines[1]).toMatchObject({
      type: 'vm',
      ip: '10.100.1.11',
      config: { 'limits.cpu': '2' },
    })
  })

  test('empty document, list document, scalar document', () => {
    expect(only(check(''), 'INVALID_TYPE').message).toBe('expected a map, got null (empty value)')
    expect(only(check('- a\n- b\n'), 'INVALID_TYPE').message).toBe('expected a map, got a list')
    expect(only(check('hello\n'), 'INVALID_TYPE').line).toBe(1)
  })

  test('several documents in one file are refused', () => {
    expect(only(check(`${GOOD}---\n${GOOD}`), 'YAML_SYNTAX').line).toBe(10)
  })

  test('empty collections written as nothing are accepted', () => {
    const r = check(
      'project_name: demo\nglobal: {}\ndomains:\n  lab:\n    subnet_id: 1\n    machines:\n    profiles:\nnetwork_policies:\n',
    )
    expect(r.issues).toEqual([])
    expect(r.infra?.domains[0]?.machines).toEqual([])
  })
})
