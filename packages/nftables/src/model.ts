import { bridgeName, type Infra, type NetworkPolicy } from '@anklume/schema'
import { NftablesError } from './errors.js'
import type {
  Endpoint,
  Flow,
  ForeignBridge,
  IsolationModel,
  ModelDomain,
  SkippedPolicy,
  SourceEndpoint,
} from './model-types.js'
import { checkCidr, checkIfname, checkIpv4, checkTableName, sanitizeComment } from './names.js'

export interface ModelOptions {
  /** Nesting level used for the `NNN-` name prefix (1 when absent). */
  level?: number
  /** Overrides `infra.global.isolation.table`. */
  table?: string
  /** Bridges of other anklume infras on this host (apply passes what it observes). */
  foreignBridges?: readonly ForeignBridge[]
}

/** Foreign bridges, checked, deduplicated, sorted, minus any bridge of our own domains. */
export function foreignBridgesOf(
  foreign: readonly ForeignBridge[],
  domains: readonly ModelDomain[],
): ForeignBridge[] {
  const own = new Set(domains.map((d) => d.bridge))
  const byName = new Map<string, ForeignBridge>()
  for (const f of foreign) {
    if (own.has(f.bridge) || byName.has(f.bridge)) continue
    byName.set(f.bridge, { bridge: checkIfname(f.bridge), project: f.project })
  }
  return [...byName.values()].sort((a, b) => (a.bridge < b.bridge ? -1 : a.bridge > b.bridge ? 1 : 0))
}

type Resolved = Endpoint | { kind: 'disabled'; name: string }

/**
 * Resolves an Infra into the small model the ruleset is built from: domains
 * with their bridge, subnet, gateway and machine IPs, and every policy as
 * directed flows between bridges / addresses.
 *
 * Disabled domains stay in the model (`enabled: false`): apply creates
 * nothing for them but leaves existing resources alone, so a bridge of theirs
 * may still carry running instances, which must not become a hole in the
 * isolation. They get no flows: policies that name them or their machines
 * are listed in `skipped`.
 */
export function isolationModel(infra: Infra, opts: ModelOptions = {}): IsolationModel {
  const naming = { nestingPrefix: infra.global.nestingPrefix, level: opts.level ?? 1 }
  const table = checkTableName(opts.table ?? infra.global.isolation.table)
  const domains: ModelDomain[] = []
  const disabled = new Set<string>()
  const byDomain = new Map<string, ModelDomain>()
  const machines = new Map<string, { domain: string; ip: string | undefined }>()
  for (const d of infra.domains) {
    for (const m of d.machines) machines.set(m.name, { domain: d.name, ip: m.ip })
    if (!d.enabled) disabled.add(d.name)
    const md: ModelDomain = {
      name: d.name,
      enabled: d.enabled,
      bridge: checkIfname(bridgeName(d.name, naming)),
      subnet: checkCidr(d.subnet, `domain ${d.name} subnet`),
      gateway: checkIpv4(d.gateway, `domain ${d.name} gateway`),
      machines: d.machines.map((m) => ({
        name: m.name,
        domain: d.name,
        ip: m.ip === undefined ? undefined : checkIpv4(m.ip, `machine ${m.name} ip`),
      })),
    }
    domains.push(md)
    if (d.enabled) byDomain.set(d.name, md)
  }

  const resolve = (target: string, where: string): Resolved => {
    if (target === 'host') return { kind: 'host' }
    const d = byDomain.get(target)
    if (d) return { kind: 'domain', domain: d.name, bridge: d.bridge }
    if (disabled.has(target)) return { kind: 'disabled', name: target }
    const m = machines.get(target)
    if (!m) {
      throw new NftablesError(
        'ANKLUME_NFT_UNKNOWN_TARGET',
        `${where}: "${target}" is not a domain, a machine or "host"`,
      )
    }
    const md = byDomain.get(m.domain)
    if (!md) return { kind: 'disabled', name: target }
    if (m.ip === undefined) {
      throw new NftablesError(
        'ANKLUME_NFT_MACHINE_NO_IP',
        `${where}: machine "${target}" has no static ip, so it cannot be a policy target`,
        `give ${target} an ip inside ${md.subnet}, or target its domain "${m.domain}"`,
      )
    }
    return { kind: 'machine', machine: target, domain: m.domain, bridge: md.bridge, ip: m.ip }
  }

  const flows: Flow[] = []
  const skipped: SkippedPolicy[] = []
  infra.networkPolicies.forEach((p, i) => {
    const where = `network_policies[${i}]`
    const from = resolve(p.from, `${where}.from`)
    const to = resolve(p.to, `${where}.to`)
    if (from.kind === 'disabled' || to.kind === 'disabled') {
      const name = from.kind === 'disabled' ? from.name : (to as { name: string }).name
      skipped.push({ policy: i, reason: `"${name}" belongs to a disabled domain` })
      return
    }
    const comment = sanitizeComment(p.description) || `policy ${i}`
    const made = [directed(from, to, p, i, comment)]
    if (p.bidirectional) made.push(directed(to, from, p, i, comment))
    const kept = made.filter((f): f is Flow => f !== undefined)
    if (kept.length === 0) skipped.push({ policy: i, reason: reasonFor(from, to) })
    flows.push(...kept)
  })
  return {
    project: infra.projectName,
    table,
    egress: infra.global.isolation.egress,
    domains,
    foreignBridges: foreignBridgesOf(opts.foreignBridges ?? [], domains),
    flows,
    skipped,
  }
}

function directed(
  from: Endpoint,
  to: Endpoint,
  p: NetworkPolicy,
  i: number,
  comment: string,
): Flow | undefined {
  if (from.kind === 'host') return undefined
  if (to.kind !== 'host' && to.bridge === from.bridge) return undefined
  return { from: from as SourceEndpoint, to, protocol: p.protocol, ports: p.ports, policy: i, comment }
}

function reasonFor(from: Endpoint, to: Endpoint): string {
  if (from.kind === 'host' && to.kind === 'host') return 'host to host: nothing to filter'
  if (from.kind === 'host') return 'from host: the host already reaches every domain (no rule needed)'
  return 'both ends are on the same bridge: traffic inside a domain is never filtered'
}
