/**
 * Incus cluster placement: which member each instance runs on, and how a
 * domain's bridge spans members. Pure and deterministic: the same file on
 * the same cluster places the same way on every run.
 *
 * - A declared member (`placement: node2`) is where the machine runs; an
 *   instance elsewhere is moved there.
 * - A declared group (`placement: '@gpu'`) allows any member of the group:
 *   an instance already on one stays; a new one goes to the group member
 *   picked by the domain name (so a domain's machines stay together).
 * - Nothing declared: an existing instance stays where it is (never moved);
 *   a new one goes to the domain's member. Domains that a network policy
 *   links share one member (Incus bridges route between domains on the
 *   sender's member only: see docs/cluster.md), so the default is per group
 *   of linked domains: the member a domain of the group declares, else the
 *   cluster's members sorted by name, indexed by a hash of the group's first
 *   domain name. A domain then sits on one member and needs no tunnel.
 */
import type { Infra } from '@anklume/schema'
import type { ObservedCluster, ObservedMember } from './observed.js'

/** What desired() needs to place instances on a cluster (see clusterInput()). */
export interface ClusterInput {
  /** Every member, online or not (placement must not change when one is down). */
  members: readonly ObservedMember[]
  /** `project/name` of an existing instance -> the member it is on. */
  locations: ReadonlyMap<string, string>
  /** Pools whose volumes live on one member (dir, btrfs, lvm, zfs): volumes need the instance's member. */
  localPools: ReadonlySet<string>
}

/** Where one domain's instances go by default, and where a group placement picks from. */
export interface DomainDefault {
  domain: string
  /** defaultMembers() of the domain. */
  member: string
}

export interface InstancePlacement {
  /** The member the instance is (or will be) on. */
  target: string
  /** Members it may stay on (a declared placement); absent when nothing is declared (never moved). */
  allowed?: string[]
  /** The placement as declared (`node2`, `@gpu`). */
  declared?: string
}

/** 32-bit FNV-1a: a stable hash of a name (not for security). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Member names, sorted. */
export function memberNames(members: readonly ObservedMember[]): string[] {
  return members.map((m) => m.name).sort(byName)
}

/** Members of a cluster group, sorted (`group` without its `@`). */
export function groupMembers(members: readonly ObservedMember[], group: string): string[] {
  return members
    .filter((m) => m.groups.includes(group))
    .map((m) => m.name)
    .sort(byName)
}

/** The member a domain's undeclared machines go to, when nothing links it to another domain. */
export function domainMember(members: readonly ObservedMember[], domain: string): string {
  const names = memberNames(members)
  return names[fnv1a(domain) % names.length] as string
}

/**
 * The default member of each enabled domain: domains linked by network
 * policies (directly or through others) form a group that shares one member,
 * the one a domain of the group declares as `placement` (first by domain
 * name), else domainMember() of the group's first domain name.
 */
export function defaultMembers(infra: Infra, members: readonly ObservedMember[]): Map<string, string> {
  const enabled = infra.domains.filter((d) => d.enabled)
  const domainOfMachine = new Map<string, string>()
  for (const d of enabled) for (const m of d.machines) domainOfMachine.set(m.name, d.name)
  const names = new Set(enabled.map((d) => d.name))
  const parent = new Map<string, string>([...names].map((n) => [n, n]))
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r) as string
    parent.set(x, r)
    return r
  }
  const endpoint = (e: string) => (names.has(e) ? e : domainOfMachine.get(e))
  for (const p of infra.networkPolicies) {
    const a = endpoint(p.from)
    const b = endpoint(p.to)
    if (a === undefined || b === undefined) continue
    const [low, high] = [find(a), find(b)].sort(byName) as [string, string]
    if (low !== high) parent.set(high, low)
  }
  const groups = new Map<string, string[]>()
  for (const n of [...names].sort(byName)) {
    const r = find(n)
    groups.set(r, [...(groups.get(r) ?? []), n])
  }
  const out = new Map<string, string>()
  const byDomain = new Map(enabled.map((d) => [d.name, d]))
  const known = new Set(members.map((m) => m.name))
  for (const group of groups.values()) {
    const pinned = group.map((n) => byDomain.get(n)?.placement).find((p) => p !== undefined && known.has(p))
    const member = pinned ?? domainMember(members, group[0] as string)
    for (const n of group) out.set(n, member)
  }
  return out
}

/**
 * Why a placement cannot be used on this cluster (unknown member, empty
 * group), or undefined when it is fine.
 */
export function placementProblem(members: readonly ObservedMember[], placement: string): string | undefined {
  if (placement.startsWith('@')) {
    const group = placement.slice(1)
    if (groupMembers(members, group).length > 0) return undefined
    const groups = [...new Set(members.flatMap((m) => m.groups))].sort(byName)
    return `cluster group "${group}" has no member (groups: ${groups.map((g) => `@${g}`).join(', ') || 'none'})`
  }
  if (members.some((m) => m.name === placement)) return undefined
  return `"${placement}" is not a member of this cluster (members: ${memberNames(members).join(', ')})`
}

/** Where one instance runs (see the module comment). */
export function placeInstance(
  input: ClusterInput,
  key: string,
  home: DomainDefault,
  declared: string | undefined,
): InstancePlacement {
  const here = input.locations.get(key)
  if (declared === undefined) return { target: here ?? home.member }
  const allowed = declared.startsWith('@')
    ? groupMembers(input.members, declared.slice(1))
    : input.members.some((m) => m.name === declared)
      ? [declared]
      : []
  if (allowed.length === 0) return { target: here ?? home.member }
  if (here !== undefined && allowed.includes(here)) return { target: here, allowed, declared }
  // A group: the domain's default member when it is in the group, else one picked by the domain name.
  const pick = allowed.includes(home.member)
    ? home.member
    : (allowed[fnv1a(home.domain) % allowed.length] as string)
  return { target: pick, allowed, declared }
}

/** The VXLAN tunnel a bridge gets when its domain spans members (Incus `tunnel.<name>.*` keys). */
export const TUNNEL_NAME = 't'

/**
 * The tunnel keys of a bridge spanning members: one multicast VXLAN segment
 * per bridge (VNI and group derived from the bridge name, distinct within
 * the infra), and each member's dnsmasq answering only the instances it
 * hosts (every member runs its own dnsmasq on the same segment: without
 * this, another member's dnsmasq hands out a dynamic address first).
 */
export function tunnelConfig(vni: number): Record<string, string> {
  return {
    [`tunnel.${TUNNEL_NAME}.protocol`]: 'vxlan',
    [`tunnel.${TUNNEL_NAME}.id`]: String(vni),
    [`tunnel.${TUNNEL_NAME}.group`]: tunnelGroup(vni),
    'raw.dnsmasq': 'dhcp-ignore=tag:!known',
  }
}

/** 239.X.Y.Z (organisation-local multicast) from the 24-bit VNI. */
export function tunnelGroup(vni: number): string {
  return `239.${(vni >> 16) & 255}.${(vni >> 8) & 255}.${vni & 255}`
}

/**
 * VNIs for the given bridge names: from a hash of the name (stable), probed
 * past collisions in sorted name order (distinct within one infra). 1..2^24-1.
 */
export function tunnelIds(bridges: readonly string[]): Map<string, number> {
  const out = new Map<string, number>()
  const used = new Set<number>()
  for (const b of [...bridges].sort(byName)) {
    let id = (fnv1a(`anklume-vxlan:${b}`) % 0xfffffe) + 1
    while (used.has(id)) id = (id % 0xfffffe) + 1
    used.add(id)
    out.set(b, id)
  }
  return out
}

/** Incus names a tunnel interface `<bridge>-<tunnel>`: it must fit in 15 characters. */
export function tunnelFits(bridge: string): boolean {
  return bridge.length + 1 + TUNNEL_NAME.length <= 15
}

/** Builds the placement input from an observation (undefined when Incus is not a cluster). */
export function clusterInput(observed: {
  cluster?: ObservedCluster | undefined
  instances: readonly { project: string; name: string; location?: string | undefined }[]
  pools?: readonly { name: string; driver: string }[] | undefined
}): ClusterInput | undefined {
  const cluster = observed.cluster
  if (!cluster || cluster.members.length === 0) return undefined
  const locations = new Map<string, string>()
  for (const i of observed.instances) if (i.location) locations.set(`${i.project}/${i.name}`, i.location)
  const LOCAL = new Set(['dir', 'btrfs', 'lvm', 'zfs'])
  const localPools = new Set((observed.pools ?? []).filter((p) => LOCAL.has(p.driver)).map((p) => p.name))
  return { members: cluster.members, locations, localPools }
}
