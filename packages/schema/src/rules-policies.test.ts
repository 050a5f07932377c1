import { describe, expect, test } from 'vitest'
import { type AnyObj, baseInfra, check, errors, lineOf, only, yaml } from '../test/helpers.js'

function policies(list: AnyObj[], mutate?: (infra: AnyObj) => void): AnyObj {
  const infra: AnyObj = baseInfra()
  infra.network_policies = list
  mutate?.(infra)
  return infra
}

describe('network policy rules', () => {
  test('targets: domain, machine or host', () => {
    const r = check(
      policies([
        { from: 'host', to: 'pro' },
        { from: 'pro-dev', to: 'admin-ctl', ports: [22] },
      ]),
    )
    expect(r.issues).toEqual([])
  })

  test('an unknown target is an error listing the valid targets', () => {
    const text = yaml(policies([{ from: 'admin', to: 'prod' }]))
    const e = only(check(text), 'UNKNOWN_TARGET')
    expect(e).toMatchObject({
      path: 'network_policies[0].to',
      line: lineOf(text, 'to: prod'),
      hint: 'did you mean "pro"?',
    })
    expect(e.message).toContain('valid targets: host, admin, pro, admin-ctl, pro-dev, pro-db')
  })

  test('a machine target without an ip is an error', () => {
    const data = policies([{ from: 'admin', to: 'pro-db', ports: [5432] }], (i) => {
      delete i.domains.pro.machines['pro-db'].ip
    })
    const e = only(check(data), 'TARGET_WITHOUT_IP')
    expect(e.path).toBe('network_policies[0].to')
    expect(e.hint).toContain('domains.pro.machines.pro-db.ip')
  })

  test('a name that is both a domain and a machine is ambiguous', () => {
    const data = policies([{ from: 'host', to: 'pro' }], (i) => {
      i.domains.admin.machines.pro = { ip: '10.100.0.11' }
    })
    expect(only(check(data), 'AMBIGUOUS_TARGET').path).toBe('network_policies[0].to')
  })

  test('ports 1–65535 or all; protocol tcp|udp; required from/to', () => {
    expect(only(check(policies([{ from: 'admin', to: 'pro', ports: [0] }])), 'OUT_OF_RANGE').path).toBe(
      'network_policies[0].ports[0]',
    )
    expect(
      only(check(policies([{ from: 'admin', to: 'pro', ports: [65536] }])), 'OUT_OF_RANGE').message,
    ).toContain('65535')
    expect(
      only(check(policies([{ from: 'admin', to: 'pro', ports: 'any' }])), 'INVALID_TYPE').message,
    ).toContain('must be "all" or a list of ports')
    expect(only(check(policies([{ from: 'admin', to: 'pro', ports: [] }])), 'OUT_OF_RANGE').path).toBe(
      'network_policies[0].ports',
    )
    const proto = only(check(policies([{ from: 'admin', to: 'pro', protocol: 'icmp' }])), 'INVALID_VALUE')
    expect(proto.path).toBe('network_policies[0].protocol')
    expect(only(check(policies([{ to: 'pro' }])), 'MISSING_KEY').path).toBe('network_policies[0].from')
    expect(
      only(check(policies([{ from: 'admin', to: 'pro', bidirectionnal: true }])), 'UNKNOWN_KEY').hint,
    ).toBe('did you mean "bidirectional"?')
  })

  test('normalised: ports sorted and unique, protocol undefined only for all ports without protocol', () => {
    const r = check(
      policies([
        { from: 'admin', to: 'pro', ports: [443, 80, 443] },
        { from: 'admin', to: 'pro' },
        { from: 'admin', to: 'pro', ports: 'all', protocol: 'udp', bidirectional: true },
      ]),
    )
    expect(r.infra?.networkPolicies.map((p) => [p.ports, p.protocol, p.bidirectional])).toEqual([
      [[80, 443], 'tcp', false],
      ['all', undefined, false],
      ['all', 'udp', true],
    ])
  })
})

describe('ai_access_policy exclusive', () => {
  function ai(global: AnyObj, list: AnyObj[] = []): AnyObj {
    return policies(list, (i) => {
      i.global = { ...i.global, ai_access_policy: 'exclusive', ...global }
      i.domains['ai-tools'] = { subnet_id: 4, machines: { ollama: { ip: '10.100.4.10' } } }
    })
  }

  test('adds the implicit bidirectional policy from ai_access_default', () => {
    const r = check(ai({ ai_access_default: 'pro' }))
    expect(errors(r)).toEqual([])
    expect(r.infra?.networkPolicies.at(-1)).toMatchObject({
      from: 'pro',
      to: 'ai-tools',
      ports: 'all',
      protocol: undefined,
      bidirectional: true,
    })
  })

  test('no implicit policy when one already targets ai-tools', () => {
    const r = check(ai({ ai_access_default: 'pro' }, [{ from: 'pro', to: 'ollama', ports: [11434] }]))
    expect(r.infra?.networkPolicies.filter((p) => p.to === 'ai-tools' || p.to === 'ollama')).toHaveLength(1)
  })

  test('at most one policy may target ai-tools', () => {
    const r = check(
      ai({ ai_access_default: 'pro' }, [
        { from: 'pro', to: 'ai-tools', ports: [3000] },
        { from: 'admin', to: 'ollama', ports: [11434] },
      ]),
    )
    expect(only(r, 'AI_ACCESS_EXCLUSIVE').path).toBe('network_policies[1]')
  })

  test('ai_access_default required, known, not ai-tools; ai-tools must exist', () => {
    expect(only(check(ai({})), 'MISSING_KEY').path).toBe('global.ai_access_default')
    expect(only(check(ai({ ai_access_default: 'ai-tools' })), 'INVALID_VALUE').path).toBe(
      'global.ai_access_default',
    )
    expect(only(check(ai({ ai_access_default: 'prod' })), 'UNKNOWN_DOMAIN').hint).toBe('did you mean "pro"?')
    const data = ai({ ai_access_default: 'pro' })
    delete data.domains['ai-tools']
    expect(only(check(data), 'AI_TOOLS_MISSING').path).toBe('global.ai_access_policy')
  })
})
