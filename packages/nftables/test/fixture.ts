/**
 * Builds complete, normalised `Infra` objects for tests (the shape
 * @anklume/schema's loader returns), from a few lines of input.
 */
import type { Domain, Infra, Machine, NetworkPolicy, Protocol } from '@anklume/schema'

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
  return {
    name,
    domain,
    description: '',
    type: 'lxc',
    osImage: 'anklume-test/busybox',
    ip,
    ephemeral: true,
    gpu: false,
    gpuPci: undefined,
    profiles: ['default'],
    config: {},
    devices: {},
    storageVolumes: [],
    bootAutostart: undefined,
    bootPriority: undefined,
    snapshotsSchedule: undefined,
    snapshotsExpiry: undefined,
    weight: 1,
    cloudInit: undefined,
    incusSocket: false,
    roles: [],
    services: undefined,
    vars: undefined,
    exportApps: undefined,
    persistentData: undefined,
    pos: undefined,
  }
}

function domain(d: DomainSpec, base: string): Domain {
  const net = `${base}.${d.id}`
  return {
    name: d.name,
    description: '',
    subnetId: d.id,
    subnet: `${net}.0/24`,
    gateway: `${net}.254`,
    enabled: d.enabled ?? true,
    ephemeral: true,
    trustLevel: undefined,
    profiles: [],
    limits: {},
    restricted: false,
    nat: false,
    dnsZone: false,
    machines: Object.entries(d.machines ?? {}).map(([m, h]) =>
      machine(m, d.name, h === undefined ? undefined : `${net}.${h}`),
    ),
    filePortal: undefined,
    aiProvider: undefined,
    aiSanitize: undefined,
    pos: undefined,
  }
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
  return {
    projectName: 'test',
    schemaVersion: 1,
    global: {
      baseSubnet: base,
      addressing: undefined,
      defaultOsImage: 'anklume-test/busybox',
      defaultConnection: undefined,
      defaultUser: undefined,
      storagePool: 'default',
      nestingPrefix: spec.nestingPrefix ?? false,
      resourcePolicy: undefined,
      gpuPolicy: 'exclusive',
      firewallMode: 'host',
      aiAccessPolicy: 'open',
      aiAccessDefault: undefined,
      aiVramFlush: true,
      isolation: { table: spec.table ?? 'anklume', egress: spec.egress ?? true, networkAcls: false },
    },
    domains: spec.domains.map((d) => domain(d, base)),
    networkPolicies: (spec.policies ?? []).map(policy),
    sharedVolumes: undefined,
    sources: ['test.yml'],
  }
}
