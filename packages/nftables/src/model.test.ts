import { makeInfra } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { generateRuleset } from './generate.js'
import { isolationModel } from './model.js'
import { sanitizeComment } from './names.js'

describe('isolationModel', () => {
  it('resolves domains, machines and policies into bridge / address flows', () => {
    const infra = makeInfra({
      domains: [
        { name: 'pro', id: 1, machines: { 'pro-dev': 1, 'pro-dhcp': undefined } },
        { name: 'shared', id: 3, machines: { printer: 10 } },
      ],
      policies: [
        { from: 'pro-dev', to: 'shared', ports: [631], bidirectional: true, description: 'print' },
        { from: 'host', to: 'printer', ports: [22], bidirectional: true },
      ],
    })
    const m = isolationModel(infra)
    expect(m.domains.map((d) => [d.name, d.bridge, d.subnet, d.gateway])).toEqual([
      ['pro', 'net-pro', '10.100.1.0/24', '10.100.1.254'],
      ['shared', 'net-shared', '10.100.3.0/24', '10.100.3.254'],
    ])
    expect(m.domains.every((d) => d.enabled)).toBe(true)
    expect(m.domains[0]?.machines).toEqual([
      { name: 'pro-dev', domain: 'pro', ip: '10.100.1.1' },
      { name: 'pro-dhcp', domain: 'pro', ip: undefined },
    ])
    expect(m.flows).toMatchInlineSnapshot(`
      [
        {
          "comment": "print",
          "from": {
            "bridge": "net-pro",
            "domain": "pro",
            "ip": "10.100.1.1",
            "kind": "machine",
            "machine": "pro-dev",
          },
          "policy": 0,
          "ports": [
            631,
          ],
          "protocol": "tcp",
          "to": {
            "bridge": "net-shared",
            "domain": "shared",
            "kind": "domain",
          },
        },
        {
          "comment": "print",
          "from": {
            "bridge": "net-shared",
            "domain": "shared",
            "kind": "domain",
          },
          "policy": 0,
          "ports": [
            631,
          ],
          "protocol": "tcp",
          "to": {
            "bridge": "net-pro",
            "domain": "pro",
            "ip": "10.100.1.1",
            "kind": "machine",
            "machine": "pro-dev",
          },
        },
        {
          "comment": "policy 1",
          "from": {
            "bridge": "net-shared",
            "domain": "shared",
            "ip": "10.100.3.10",
            "kind": "machine",
            "machine": "printer",
          },
          "policy": 1,
          "ports": [
            22,
          ],
          "protocol": "tcp",
          "to": {
            "kind": "host",
          },
        },
      ]
    `)
    expect(m.skipped).toEqual([])
  })

  it('keeps disabled domains fully isolated and lists the policies that name them', () => {
    const infra = makeInfra({
      domains: [
        { name: 'a', id: 1 },
        { name: 'old', id: 2, enabled: false, machines: { legacy: 5 } },
      ],
      policies: [
        { from: 'a', to: 'old' },
        { from: 'legacy', to: 'a', ports: [80] },
        { from: 'host', to: 'a' },
        { from: 'a', to: 'a', ports: [22] },
      ],
    })
    const m = isolationModel(infra)
    expect(m.domains.map((d) => [d.name, d.enabled])).toEqual([
      ['a', true],
      ['old', false],
    ])
    expect(m.flows).toEqual([])
    expect(m.skipped).toEqual([
      { policy: 0, reason: '"old" belongs to a disabled domain' },
      { policy: 1, reason: '"legacy" belongs to a disabled domain' },
      { policy: 2, reason: 'from host: the host already reaches every domain (no rule needed)' },
      { policy: 3, reason: 'both ends are on the same bridge: traffic inside a domain is never filtered' },
    ])
    // Its bridge may still exist from an earlier apply: it is a domain bridge
    // (dropped to and from the others), with no policy element.
    const text = generateRuleset(m).text
    expect(text).toContain('"net-old" . "net-old" comment "same bridge"')
    expect(
      text
        .split('\n')
        .filter((l) => l.includes('net-old'))
        .map((l) => l.trim()),
    ).toEqual([
      '"net-old"',
      '"net-old" . "net-old" comment "same bridge"',
      '"net-old" . 10.100.2.254 . icmp comment "ICMP"',
      '"net-old" . 10.100.2.254 . tcp . 53 comment "DNS",',
      '"net-old" . 10.100.2.254 . udp . 53 comment "DNS"',
    ])
  })

  it('refuses a machine without a static ip as a policy target, with a hint', () => {
    const infra = makeInfra({
      domains: [
        { name: 'a', id: 1, machines: { web: undefined } },
        { name: 'b', id: 2 },
      ],
      policies: [{ from: 'b', to: 'web', ports: [80] }],
    })
    expect(() => isolationModel(infra)).toThrow(
      expect.objectContaining({
        code: 'ANKLUME_NFT_MACHINE_NO_IP',
        message: 'network_policies[0].to: machine "web" has no static ip, so it cannot be a policy target',
        hint: 'give web an ip inside 10.100.1.0/24, or target its domain "a"',
      }),
    )
  })

  it('refuses unknown targets and unsafe table names', () => {
    const infra = makeInfra({ domains: [{ name: 'a', id: 1 }], policies: [{ from: 'a', to: 'nope' }] })
    expect(() => isolationModel(infra)).toThrow(
      expect.objectContaining({ code: 'ANKLUME_NFT_UNKNOWN_TARGET' }),
    )
    const bad = makeInfra({ domains: [], table: 'x; flush ruleset' })
    expect(() => isolationModel(bad)).toThrow(expect.objectContaining({ code: 'ANKLUME_NFT_INVALID_NAME' }))
    expect(() => isolationModel(makeInfra({ domains: [] }), { table: 'anklume_t1a2b' })).not.toThrow()
  })

  it('refuses bridge names Linux would reject', () => {
    const infra = makeInfra({ domains: [{ name: 'a-very-long-domain', id: 1 }] })
    expect(() => isolationModel(infra)).toThrow(expect.objectContaining({ code: 'ANKLUME_NFT_INVALID_NAME' }))
  })
})

describe('sanitizeComment', () => {
  it('keeps a safe ASCII subset so a description cannot escape the quoted comment', () => {
    expect(sanitizeComment('Pro prints via "CUPS"\\n; flush ruleset')).toBe(
      'Pro prints via CUPS n; flush ruleset',
    )
    expect(sanitizeComment('Accès imprimante partagée\n(étage 2)')).toBe(
      'Acces imprimante partagee (etage 2)',
    )
    expect(sanitizeComment('x'.repeat(300))).toHaveLength(100)
    expect(sanitizeComment('  \t ')).toBe('')
  })
})
