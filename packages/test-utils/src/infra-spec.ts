/**
 * Builds complete, normalised `Infra` objects for tests (the shape
 * @anklume/schema's loader returns), from a few lines of input.
 */
import {
  makeInfra as baseInfra,
  type Domain,
  type Infra,
  type Machine,
  makeDomain,
  makeMachine,
  type NetworkPolicy,
  type Protocol,
} from '@anklume/schema'

export interface DomainSpec {
  name: string
  /** Third octet; the subnet is `<base>.<id>.0/24`. */
  id: number
  enabled?: boolean
  /** Machine name -> static ip host number (undefined: DHCP). */
  machines?: Record<string, number | undefined>
}

export interface PolicySpec {
  from: string
  to: string
  ports?: number[] | 'all'
  protocol?: Protocol
  bidirectional?: boolean
  description?: string
}

export interface InfraSpec {
  domains: DomainSpec[]
  policies?: PolicySpec[]
  base?: string
  table?: string
  egress?: boolean
  nestingPrefix?: boolean
}

function machine(name: string, domain: string, ip: string | undefined): Machine {
  return makeMachine(name, domain, { osImage: 'anklume-test/busybox', ip, ephemeral: true })
}

function domain(d: DomainSpec, base: string): Domain {
  const net = `${base}.${d.id}`
  return makeDomain(
    d.name,
    d.id,
    {},
    {
      enabled: d.enabled ?? true,
      ephemeral: true,
      nat: false,
      machines: Object.entries(d.machines ?? {}).map(([m, h]) =>
        machine(m, d.name, h === undefined ? undefined : `${net}.${h}`),
      ),
    },
    base,
  )
}

export function policy(p: PolicySpec): NetworkPolicy {
  const ports = p.ports ?? 'all'
  return {
    description: p.description ?? '',
    from: p.from,
    to: p.to,
    ports,
    protocol: p.protocol ?? (ports === 'all' ? undefined : 'tcp'),
    bidirectional: p.bidirectional ?? false,
    pos: undefined,
  }
}

export function makeInfra(spec: InfraSpec): Infra {
  const base = spec.base ?? '10.100'
  const infra = baseInfra(
    spec.domains.map((d) => domain(d, base)),
    {
      baseSubnet: base,
      defaultOsImage: 'anklume-test/busybox',
      nestingPrefix: spec.nestingPrefix ?? false,
      isolation: { table: spec.table ?? 'anklume', egress: spec.egress ?? true, networkAcls: false },
    },
    'test',
  )
  return { ...infra, networkPolicies: (spec.policies ?? []).map(policy), sources: ['test.yml'] }
}
