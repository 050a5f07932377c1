/**
 * Choosing how the imported file states subnets: one `base_subnet` (the A.B
 * most bridges share), or AnKLuMe's `addressing` zones when the bridges sit
 * on several `10.X` ranges that the domains' trust levels explain.
 */
import type { ObservedState } from '@anklume/planner'
import { LABEL_TRUST } from '@anklume/planner'
import { networkPrefix, parseIpv4, type TrustLevel, ZONE_STEPS } from '@anklume/schema'

export interface Zoned {
  project: string
  /** Bridge address `A.B.C.254/24`. */
  address: string
}

export interface Addressing {
  base_octet: 10
  zone_base: number
  zone_step: number
}

const octets = (address: string): number[] => parseIpv4(address.split('/')[0] ?? '') ?? []

function trustOf(observed: ObservedState, project: string): TrustLevel | undefined {
  const t = observed.projects.find((p) => p.name === project)?.config[LABEL_TRUST] ?? 'semi-trusted'
  return t in ZONE_STEPS ? (t as TrustLevel) : undefined
}

function solve(items: Array<{ second: number; steps: number }>): Omit<Addressing, 'base_octet'> | undefined {
  const steps = new Set([10])
  for (const a of items)
    for (const b of items) {
      const q = (a.second - b.second) / (a.steps - b.steps)
      if (a.steps !== b.steps && Number.isInteger(q) && q >= 1) steps.add(q)
    }
  for (const zoneStep of steps) {
    const first = items[0]
    if (!first) return undefined
    const zoneBase = first.second - first.steps * zoneStep
    if (zoneBase >= 0 && zoneBase <= 245 && items.every((i) => i.second === zoneBase + i.steps * zoneStep))
      return { zone_base: zoneBase, zone_step: zoneStep }
  }
  return undefined
}

/**
 * The `addressing` settings that reproduce every bridge's subnet, or
 * undefined when they do not fit: one A.B only (base_subnet says it), a
 * range outside 10/8, second octets the trust levels do not explain, or a
 * machine without a static address (addressing mode would give it one).
 */
export function zonedAddressing(domains: readonly Zoned[], observed: ObservedState): Addressing | undefined {
  const seconds = new Set(domains.map((d) => octets(d.address)[1]))
  if (seconds.size < 2 || domains.some((d) => octets(d.address)[0] !== 10)) return undefined
  const items: Array<{ second: number; steps: number }> = []
  for (const d of domains) {
    const trust = trustOf(observed, d.project)
    if (trust === undefined) return undefined
    items.push({ second: octets(d.address)[1] ?? -1, steps: ZONE_STEPS[trust] })
    const net = networkPrefix(d.address)
    const dhcp = observed.instances.some(
      (i) => i.project === d.project && !i.devices.eth0?.['ipv4.address']?.startsWith(`${net}.`),
    )
    if (dhcp) return undefined
  }
  const zones = solve(items)
  return zones ? { base_octet: 10, ...zones } : undefined
}
