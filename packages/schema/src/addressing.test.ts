import { describe, expect, test } from 'vitest'
import { type AnyObj, check, only } from '../test/helpers.js'

function addressed(domains: AnyObj, addressing: AnyObj = { base_octet: 10 }): AnyObj {
  return { project_name: 'z', global: { addressing }, domains }
}

describe('addressing mode', () => {
  test('zones by trust level, seq alphabetical within a zone, explicit subnet_id kept', () => {
    const r = check(
      addressed({
        zeta: { trust_level: 'trusted' },
        alpha: { trust_level: 'trusted' },
        mid: { trust_level: 'trusted', subnet_id: 0 },
        free: {},
        lab: { trust_level: 'disposable' },
        adm: { trust_level: 'admin' },
        dmz: { trust_level: 'untrusted', enabled: false },
      }),
    )
    expect(r.issues).toEqual([])
    const subnets = Object.fromEntries(r.infra?.domains.map((d) => [d.name, d.subnet]) ?? [])
    expect(subnets).toEqual({
      mid: '10.110.0.0/24',
      alpha: '10.110.1.0/24',
      zeta: '10.110.2.0/24',
      free: '10.120.0.0/24',
      lab: '10.150.0.0/24',
      adm: '10.100.0.0/24',
      dmz: '10.140.0.0/24',
    })
    expect(r.infra?.domains.find((d) => d.name === 'free')?.trustLevel).toBe('semi-trusted')
    expect(r.infra?.global.addressing).toEqual({ baseOctet: 10, zoneBase: 100, zoneStep: 10 })
    expect(r.infra?.global.baseSubnet).toBeUndefined()
  })

  test('base_octet defaults to 10', () => {
    expect(check(addressed({ a: {} }, {})).infra?.global.addressing?.baseOctet).toBe(10)
  })

  test('zone_base and zone_step move the zones', () => {
    const r = check(
      addressed({ a: { trust_level: 'untrusted' } }, { base_octet: 10, zone_base: 200, zone_step: 5 }),
    )
    expect(r.infra?.domains[0]?.subnet).toBe('10.220.0.0/24')
  })

  test('machines without ip get the lowest free host number, skipping explicit ones', () => {
    const r = check(
      addressed({
        lab: {
          machines: { a: {}, b: { ip: '10.120.0.2' }, c: {}, d: { ip: '10.120.0.1' }, e: {} },
        },
      }),
    )
    expect(r.infra?.domains[0]?.machines.map((m) => [m.name, m.ip])).toEqual([
      ['a', '10.120.0.3'],
      ['b', '10.120.0.2'],
      ['c', '10.120.0.4'],
      ['d', '10.120.0.1'],
      ['e', '10.120.0.5'],
    ])
  })

  test('more than 99 automatic addresses is an error', () => {
    const machines = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}`, {}]))
    const e = only(check(addressed({ lab: { machines } })), 'ADDRESSING_EXHAUSTED')
    expect(e.path).toBe('domains.lab.machines.m99')
  })

  test('duplicate subnet_id within a zone names the other domain; other zones may reuse it', () => {
    const e = only(
      check(
        addressed({ a: { subnet_id: 3 }, b: { subnet_id: 3 }, c: { subnet_id: 3, trust_level: 'admin' } }),
      ),
      'DUPLICATE_SUBNET_ID',
    )
    expect(e.path).toBe('domains.b.subnet_id')
    expect(e.message).toContain('domain "a" in zone "semi-trusted"')
  })

  test('zones above 255 are refused; base_octet must be 10; zone_base 0–245', () => {
    const e = only(
      check(
        addressed({ a: { trust_level: 'disposable' } }, { base_octet: 10, zone_base: 240, zone_step: 10 }),
      ),
      'ADDRESSING_OVERFLOW',
    )
    expect(e.path).toBe('domains.a.trust_level')
    expect(only(check(addressed({}, { base_octet: 192 })), 'INVALID_VALUE').path).toBe(
      'global.addressing.base_octet',
    )
    expect(only(check(addressed({}, { base_octet: 10, zone_base: 250 })), 'OUT_OF_RANGE').path).toBe(
      'global.addressing.zone_base',
    )
  })

  test('explicit ips must be in the computed subnet', () => {
    const e = only(check(addressed({ lab: { machines: { a: { ip: '10.100.0.5' } } } })), 'IP_OUTSIDE_SUBNET')
    expect(e.message).toContain('10.120.0.0/24')
  })

  test('policies may target machines that got an automatic address', () => {
    const r = check({
      ...addressed({ lab: { machines: { a: {} } } }),
      network_policies: [{ from: 'host', to: 'a' }],
    })
    expect(r.issues).toEqual([])
  })
})
