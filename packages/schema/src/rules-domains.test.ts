import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, check, errors, lineOf, only, yaml } from '../test/helpers.js'

function withDomain(name: string, domain: AnyObj, global: AnyObj = {}): AnyObj {
  const infra: AnyObj = baseInfra()
  infra.global = { ...infra.global, ...global }
  infra.domains[name] = domain
  return infra
}

describe('domain rules', () => {
  test('the base infra is valid', () => {
    expect(check(baseInfra()).issues).toEqual([])
  })

  test('invalid domain name: error at the key', () => {
    const data = withDomain('Bad_Name', { subnet_id: 5 })
    const text = yaml(data)
    const e = only(check(text), 'INVALID_NAME')
    expect(e).toMatchObject({ path: 'domains.Bad_Name', line: lineOf(text, 'Bad_Name:'), col: 3 })
  })

  test('reserved domain names default and host', () => {
    expect(only(check(withDomain('default', { subnet_id: 5 })), 'RESERVED_NAME').path).toBe('domains.default')
    expect(only(check(withDomain('host', { subnet_id: 5 })), 'RESERVED_NAME').path).toBe('domains.host')
  })

  test('bridge name over 15 characters says how many to remove', () => {
    const text = yaml(withDomain('abcdefghijkl', { subnet_id: 5 }))
    const e = only(check(text), 'BRIDGE_NAME_TOO_LONG')
    expect(e.message).toContain('"net-abcdefghijkl" is 16 characters')
    expect(e.hint).toBe('shorten the domain name by 1 character')
    expect(e.line).toBe(lineOf(text, 'abcdefghijkl:'))
    expect(check(withDomain('abcdefghijk', { subnet_id: 5 })).ok).toBe(true)
  })

  test('the nesting prefix counts toward the bridge name, with the context level', () => {
    const data = withDomain('abcdefg', { subnet_id: 5 }, { nesting_prefix: true })
    expect(check(data).ok).toBe(true) // 001-net-abcdefg = 15
    const long = withDomain('abcdefgh', { subnet_id: 5 }, { nesting_prefix: true })
    const e = only(check(long, { absoluteLevel: 2 }), 'BRIDGE_NAME_TOO_LONG')
    expect(e.message).toContain('"002-net-abcdefgh" is 16 characters')
    expect(e.hint).toContain('by 1 character (the nesting prefix takes 4)')
  })

  test('subnet_id is required with base_subnet, unique, and the error names the other domain', () => {
    const missing = withDomain('lab', { machines: {} })
    const text = yaml(missing)
    const e = only(check(text), 'MISSING_KEY')
    expect(e).toMatchObject({ path: 'domains.lab.subnet_id', line: lineOf(text, 'lab:') + 1 })
    const dup = check(withDomain('lab', { subnet_id: 1 }))
    const d = only(dup, 'DUPLICATE_SUBNET_ID')
    expect(d.path).toBe('domains.lab.subnet_id')
    expect(d.message).toContain('already used by domain "pro"')
    expect(d.hint).toBe('pick a free number, e.g. 2')
  })

  test('subnet_id range 0–254', () => {
    const e = only(check(withDomain('lab', { subnet_id: 255 })), 'OUT_OF_RANGE')
    expect(e.path).toBe('domains.lab.subnet_id')
    expect(only(check(withDomain('lab', { subnet_id: 2.5 })), 'INVALID_TYPE').message).toContain('an integer')
  })

  test('trust_level enum with a suggestion', () => {
    const e = only(check(withDomain('lab', { subnet_id: 5, trust_level: 'trustd' })), 'INVALID_VALUE')
    expect(e.path).toBe('domains.lab.trust_level')
    expect(e.hint).toBe('did you mean "trusted"?')
  })

  test('a domain profile named default is refused', () => {
    const e = only(check(withDomain('lab', { subnet_id: 5, profiles: { default: {} } })), 'RESERVED_NAME')
    expect(e.path).toBe('domains.lab.profiles.default')
  })

  test('dns_zone: bool or a DNS name; true needs a DNS-safe project name', () => {
    expect(check(withDomain('lab', { subnet_id: 5, dns_zone: 'lab.internal' })).ok).toBe(true)
    expect(
      only(check(withDomain('lab', { subnet_id: 5, dns_zone: 'Bad Zone' })), 'INVALID_DNS_ZONE').path,
    ).toBe('domains.lab.dns_zone')
    const data = withDomain('lab', { subnet_id: 5, dns_zone: true })
    data.project_name = 'My Project'
    expect(only(check(data), 'INVALID_DNS_ZONE').message).toContain('"My Project"')
  })

  test('limits values are checked', () => {
    expect(
      check(
        withDomain('lab', {
          subnet_id: 5,
          limits: { cpu: 4, memory: '8GiB', disk: '50GB', instances: '10' },
        }),
      ).ok,
    ).toBe(true)
    expect(
      only(check(withDomain('lab', { subnet_id: 5, limits: { memory: 'lots' } })), 'INVALID_SIZE').path,
    ).toBe('domains.lab.limits.memory')
    expect(
      only(check(withDomain('lab', { subnet_id: 5, limits: { cpu: 'two' } })), 'INVALID_LIMIT').path,
    ).toBe('domains.lab.limits.cpu')
  })

  test('limits keys are checked', () => {
    const e = only(check(withDomain('lab', { subnet_id: 5, limits: { cpus: 4 } })), 'UNKNOWN_KEY')
    expect(e).toMatchObject({ path: 'domains.lab.limits.cpus', hint: 'did you mean "cpu"?' })
  })

  test('an unknown domain key is an error with a suggestion', () => {
    const text = yaml(withDomain('lab', { subnet_id: 5, ephemeral: true, machnes: {} }))
    const e = only(check(text), 'UNKNOWN_KEY')
    expect(e).toMatchObject({
      path: 'domains.lab.machnes',
      hint: 'did you mean "machines"?',
      line: lineOf(text, 'machnes'),
    })
  })

  test('disabled domains keep their subnet reserved', () => {
    const data = withDomain('old', { subnet_id: 1, enabled: false })
    expect(only(check(data), 'DUPLICATE_SUBNET_ID').path).toMatch(/^domains\.old\./)
    const ok = check(withDomain('old', { subnet_id: 9, enabled: false }))
    expect(ok.infra?.domains.find((d) => d.name === 'old')).toMatchObject({
      enabled: false,
      subnet: '10.100.9.0/24',
    })
  })

  test('errors are collected in one pass', () => {
    const data = withDomain('Bad', { subnet_id: 300, trust_level: 'x', foo: 1 })
    expect(
      errors(check(data))
        .map((e) => e.code)
        .sort(),
    ).toEqual(['INVALID_NAME', 'INVALID_VALUE', 'OUT_OF_RANGE', 'UNKNOWN_KEY'])
  })
})
