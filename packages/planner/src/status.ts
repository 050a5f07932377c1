/** Declared vs actual, per domain and instance, for `anklume status`. */
import type { DesiredState } from './desired-types.js'
import type { ObservedInstance, ObservedState } from './observed.js'
import { pkey } from './observed-index.js'

export interface InstanceStatus {
  machine: string
  instance: string
  project: string
  declaredType: 'container' | 'virtual-machine'
  exists: boolean
  /** Actual type when it exists (may differ from the declared one). */
  type: string | undefined
  /** `Running`, `Stopped`, `Frozen`… or `missing`. */
  state: string
  /** Declared static IPv4, if any. */
  declaredIp: string | undefined
  /** Global IPv4 addresses from the observed state (recursion=2), empty when unknown. */
  ipv4: string[]
  protected: { declared: boolean; actual: boolean | undefined }
  /** Snapshot count when the observed state carries snapshots. */
  snapshots: number | undefined
  /** Incus cluster: the member it is on. */
  location?: string
  /** Incus cluster: its member is offline (state `offline`, nothing else read). */
  offline?: boolean
}

export interface DomainStatus {
  domain: string
  project: string
  bridge: string | undefined
  projectExists: boolean
  bridgeExists: boolean
  instances: InstanceStatus[]
}

function ipv4Of(i: ObservedInstance): string[] {
  const out: string[] = []
  for (const [nic, net] of Object.entries(i.state?.network ?? {})) {
    if (nic === 'lo') continue
    for (const a of net.addresses ?? []) if (a.family === 'inet' && a.scope !== 'link') out.push(a.address)
  }
  return out
}

export function statusOf(desired: DesiredState, observed: ObservedState): DomainStatus[] {
  const instances = new Map(observed.instances.map((i) => [pkey(i.project, i.name), i]))
  const projects = new Set(observed.projects.map((p) => p.name))
  const networks = new Set(observed.networks.map((n) => n.name))
  const bridges = new Map(desired.networks.map((n) => [n.domain, n.name]))
  const byDomain = new Map<string, DomainStatus>()
  for (const p of desired.projects) {
    const bridge = bridges.get(p.domain)
    byDomain.set(p.domain, {
      domain: p.domain,
      project: p.name,
      bridge,
      projectExists: projects.has(p.name),
      bridgeExists: bridge !== undefined && networks.has(bridge),
      instances: [],
    })
  }
  const down = new Set((observed.cluster?.members ?? []).filter((m) => !m.online).map((m) => m.name))
  for (const d of desired.instances) {
    const o = instances.get(pkey(d.project, d.name))
    const offline = o !== undefined && (o.unreachable === true || down.has(o.location ?? ''))
    byDomain.get(d.domain)?.instances.push({
      machine: d.machine,
      instance: d.name,
      project: d.project,
      declaredType: d.type,
      exists: o !== undefined,
      type: o?.type,
      state: offline ? 'offline' : (o?.status ?? 'missing'),
      declaredIp: d.devices.eth0?.['ipv4.address'],
      ipv4: o ? ipv4Of(o) : [],
      protected: {
        declared: d.protected,
        actual: o && !offline ? o.config['security.protection.delete'] === 'true' : undefined,
      },
      snapshots: Array.isArray(o?.snapshots) ? o.snapshots.length : undefined,
      ...(o?.location ? { location: o.location } : {}),
      ...(offline ? { offline: true } : {}),
    })
  }
  return [...byDomain.values()]
}

/** What the domain lacks in Incus: its project, its bridge (empty when both exist). */
export function missingParts(d: DomainStatus): Array<'project' | 'bridge'> {
  const out: Array<'project' | 'bridge'> = []
  if (!d.projectExists) out.push('project')
  if (!d.bridgeExists) out.push('bridge')
  return out
}

/** The instance exists and its delete protection differs from the declared one. */
export function protectionDrift(i: InstanceStatus): boolean {
  return i.exists && !i.offline && i.protected.actual !== i.protected.declared
}
