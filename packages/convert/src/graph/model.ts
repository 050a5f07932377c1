import type { Infra, NetworkPolicy, TrustLevel } from '@anklume/schema'

/** What `anklume graph` draws: domains as clusters of machines, the host, and the allowed flows. */

export type GraphEndpoint =
  | { kind: 'host' }
  | { kind: 'domain'; name: string }
  | { kind: 'machine'; name: string }

export interface GraphCluster {
  name: string
  subnet: string
  trustLevel: TrustLevel | undefined
  enabled: boolean
  machines: Array<{ name: string; ip: string | undefined; type: 'lxc' | 'vm' }>
}

export interface GraphEdge {
  from: GraphEndpoint
  to: GraphEndpoint
  /** e.g. `tcp 22, 443`, `udp 53`, `all`, `tcp all`. */
  label: string
  bidirectional: boolean
  description: string
}

export interface InfraGraph {
  title: string
  clusters: GraphCluster[]
  /** Whether a policy involves the host (the host node is drawn only then). */
  host: boolean
  edges: GraphEdge[]
}

/** AnKLuMe's colour-blind-safe trust palette (Okabe-Ito based). */
export const TRUST_COLORS: Record<TrustLevel, string> = {
  admin: '#ff0000',
  trusted: '#005faf',
  'semi-trusted': '#ffd700',
  untrusted: '#9b59b6',
  disposable: '#5f5f5f',
}

export function flowLabel(p: NetworkPolicy): string {
  if (p.ports === 'all') return p.protocol ? `${p.protocol} all` : 'all'
  return `${p.protocol ?? 'tcp'} ${p.ports.join(', ')}`
}

export function buildGraph(infra: Infra): InfraGraph {
  const domains = new Set(infra.domains.map((d) => d.name))
  const endpoint = (name: string): GraphEndpoint =>
    name === 'host'
      ? { kind: 'host' }
      : domains.has(name)
        ? { kind: 'domain', name }
        : { kind: 'machine', name }
  const edges = infra.networkPolicies.map((p) => ({
    from: endpoint(p.from),
    to: endpoint(p.to),
    label: flowLabel(p),
    bidirectional: p.bidirectional,
    description: p.description,
  }))
  return {
    title: infra.projectName,
    clusters: infra.domains.map((d) => ({
      name: d.name,
      subnet: d.subnet,
      trustLevel: d.trustLevel,
      enabled: d.enabled,
      machines: d.machines.map((m) => ({ name: m.name, ip: m.ip, type: m.type })),
    })),
    host: edges.some((e) => e.from.kind === 'host' || e.to.kind === 'host'),
    edges,
  }
}

/** `pro · 10.100.1.0/24 · trusted (disabled)` */
export function clusterCaption(c: GraphCluster, sep: string): string {
  const parts = [c.name, c.subnet]
  if (c.trustLevel) parts.push(c.trustLevel)
  return parts.join(sep) + (c.enabled ? '' : ' (disabled)')
}
