import { describe, expect, it } from 'vitest'
import { type PolicyDomain, policiesFromAcls } from './policies.js'

const domains: PolicyDomain[] = [
  { name: 'pro', bridge: 'net-pro', net: '10.1.1', machines: new Map([['pro-dev', '10.1.1.10']]) },
  { name: 'shared', bridge: 'net-shared', net: '10.1.2', machines: new Map([['printer', '10.1.2.10']]) },
]
const baseline = (net: string) => [
  { action: 'allow', state: 'enabled', description: 'host (own gateway)', source: `${net}.254` },
  { action: 'allow', state: 'enabled', description: 'same domain', source: `${net}.0/24` },
]

describe('policiesFromAcls', () => {
  it('reads machines, domains, ports, udp and mirrored flows back; reports a rule anklume does not write', () => {
    const warnings: string[] = []
    const acls = [
      {
        name: 'acl-net-pro',
        config: {},
        ingress: [
          ...baseline('10.1.1'),
          {
            action: 'allow',
            state: 'enabled',
            description: 'sync',
            source: '10.1.2.0/24',
            destination: '10.1.1.0/24',
          },
        ],
        egress: [
          {
            action: 'allow',
            state: 'enabled',
            description: 'dns',
            source: '10.1.1.10',
            destination: '10.1.1.254',
            protocol: 'udp',
            destination_port: '53',
          },
        ],
      },
      {
        name: 'acl-net-shared',
        config: {},
        ingress: [
          ...baseline('10.1.2'),
          {
            action: 'allow',
            state: 'enabled',
            description: 'print',
            source: '10.1.1.10',
            destination: '10.1.2.10',
            protocol: 'tcp',
            destination_port: '631,9100',
          },
          {
            action: 'allow',
            state: 'enabled',
            description: 'sync',
            source: '10.1.1.0/24',
            destination: '10.1.2.0/24',
          },
          {
            action: 'allow',
            state: 'enabled',
            description: 'policy 3',
            source: '10.1.1.0/24',
            destination: '10.1.2.0/24',
            protocol: 'udp',
            destination_port: '514',
          },
          { action: 'allow', state: 'enabled', source: '192.0.2.1', destination: '10.1.2.0/24' },
        ],
      },
    ]
    expect(policiesFromAcls(domains, acls, (m) => warnings.push(m))).toEqual([
      { description: 'sync', from: 'shared', to: 'pro', bidirectional: true },
      { description: 'dns', from: 'pro-dev', to: 'host', ports: [53], protocol: 'udp' },
      { description: 'print', from: 'pro-dev', to: 'printer', ports: [631, 9100] },
      { from: 'pro', to: 'shared', ports: [514], protocol: 'udp' },
    ])
    expect(warnings).toEqual([expect.stringContaining('ACL acl-net-shared: ingress rule {"action":"allow"')])
    expect(warnings[0]).toContain('192.0.2.1')
  })
})
