import { makeInfra } from '@anklume/test-utils'
import { describe, expect, it } from 'vitest'
import { generateNetworkAcls } from './acls.js'
import { isolationModel } from './model.js'

const infra = (egress: boolean) =>
  makeInfra({
    egress,
    domains: [
      { name: 'pro', id: 1, machines: { 'pro-dev': 1 } },
      { name: 'shared', id: 3 },
    ],
    policies: [
      { from: 'pro-dev', to: 'shared', ports: [631, 9100], description: 'print' },
      { from: 'shared', to: 'host', ports: 'all', protocol: 'udp' },
    ],
  })

describe('generateNetworkAcls', () => {
  it('writes one ACL per bridge: ingress allows the declared flows, egress allowed by default', () => {
    const out = generateNetworkAcls(isolationModel(infra(true)))
    expect(out).toMatchInlineSnapshot(`
      {
        "acls": [
          {
            "config": {
              "user.anklume.domain": "pro",
              "user.anklume.managed": "true",
              "user.anklume.project": "test",
            },
            "description": "anklume isolation of domain pro",
            "egress": [
              {
                "action": "reject",
                "description": "other domains' gateways",
                "destination": "10.100.3.254",
                "state": "enabled",
              },
            ],
            "ingress": [
              {
                "action": "allow",
                "description": "host (own gateway)",
                "source": "10.100.1.254",
                "state": "enabled",
              },
              {
                "action": "allow",
                "description": "same domain",
                "source": "10.100.1.0/24",
                "state": "enabled",
              },
            ],
            "name": "acl-net-pro",
          },
          {
            "config": {
              "user.anklume.domain": "shared",
              "user.anklume.managed": "true",
              "user.anklume.project": "test",
            },
            "description": "anklume isolation of domain shared",
            "egress": [
              {
                "action": "reject",
                "description": "other domains' gateways",
                "destination": "10.100.1.254",
                "state": "enabled",
              },
            ],
            "ingress": [
              {
                "action": "allow",
                "description": "host (own gateway)",
                "source": "10.100.3.254",
                "state": "enabled",
              },
              {
                "action": "allow",
                "description": "same domain",
                "source": "10.100.3.0/24",
                "state": "enabled",
              },
              {
                "action": "allow",
                "description": "print",
                "destination": "10.100.3.0/24",
                "destination_port": "631,9100",
                "protocol": "tcp",
                "source": "10.100.1.1",
                "state": "enabled",
              },
            ],
            "name": "acl-net-shared",
          },
        ],
        "networks": [
          {
            "acl": "acl-net-pro",
            "config": {
              "security.acls": "acl-net-pro",
              "security.acls.default.egress.action": "allow",
              "security.acls.default.ingress.action": "reject",
            },
            "network": "net-pro",
          },
          {
            "acl": "acl-net-shared",
            "config": {
              "security.acls": "acl-net-shared",
              "security.acls.default.egress.action": "allow",
              "security.acls.default.ingress.action": "reject",
            },
            "network": "net-shared",
          },
        ],
      }
    `)
  })

  it('with egress off, egress is default-reject and allows the flows leaving the domain', () => {
    const out = generateNetworkAcls(isolationModel(infra(false)), { name: (d) => `iso-${d.name}` })
    expect(out.networks.map((n) => n.config)).toEqual([
      {
        'security.acls': 'iso-pro',
        'security.acls.default.ingress.action': 'reject',
        'security.acls.default.egress.action': 'reject',
      },
      {
        'security.acls': 'iso-shared',
        'security.acls.default.ingress.action': 'reject',
        'security.acls.default.egress.action': 'reject',
      },
    ])
    expect(out.acls.map((a) => a.egress.filter((r) => r.action === 'allow'))).toEqual([
      [
        {
          action: 'allow',
          state: 'enabled',
          description: 'print',
          source: '10.100.1.1',
          destination: '10.100.3.0/24',
          protocol: 'tcp',
          destination_port: '631,9100',
        },
      ],
      [
        {
          action: 'allow',
          state: 'enabled',
          description: 'policy 1',
          source: '10.100.3.0/24',
          destination: '10.100.3.254',
          protocol: 'udp',
        },
      ],
    ])
  })

  it('writes no ACL for a disabled domain (its bridge may not exist)', () => {
    const m = isolationModel(
      makeInfra({
        domains: [
          { name: 'on', id: 1 },
          { name: 'off', id: 2, enabled: false },
        ],
      }),
    )
    const out = generateNetworkAcls(m)
    expect(out.acls.map((a) => a.name)).toEqual(['acl-net-on'])
    expect(out.acls[0]?.egress).toEqual([
      {
        action: 'reject',
        state: 'enabled',
        description: "other domains' gateways",
        destination: '10.100.2.254',
      },
    ])
  })
})
