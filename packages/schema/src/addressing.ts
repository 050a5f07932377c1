/**
 * Subnets of domains and addresses of machines, in both modes:
 * - `base_subnet`: `A.B.<subnet_id>.0/24`, subnet_id required and unique;
 * - `addressing`: `10.<zone_base + zone offset>.<seq>.0/24` by trust level,
 *   seq = subnet_id or the lowest free number (alphabetical within the zone),
 *   and machines without `ip` get the lowest free host number from .1.
 */

import { hostNumber } from './ipv4.js'
import type { IssueSink } from './issues.js'
import { type DomainNet, domainNet, MAX_SUBNET_ID, STATIC_LAST } from './layout.js'
import type { TrustLevel } from './types.js'
import type { View, ViewDomain, ViewMachine } from './view.js'

/** Zone offsets in units of `zone_step` (10 by default: 0, 10, 20, 40, 50). */
export const ZONE_STEPS: Record<TrustLevel, number> = {
  admin: 0,
  trusted: 1,
  'semi-trusted': 2,
  untrusted: 4,
  disposable: 5,
}

export const DEFAULT_ADDRESSING_TRUST: TrustLevel = 'semi-trusted'

export interface AddressPlan {
  nets: Map<string, DomainNet>
  /** Declared (well-formed) or assigned address of each machine. */
  ips: Map<ViewMachine, string>
  assigned: Set<ViewMachine>
}

function baseSubnetNets(view: View, sink: IssueSink, nets: Map<string, DomainNet>): void {
  const owner = new Map<number, string>()
  const used = new Set(view.domains.flatMap((d) => (d.subnetId === undefined ? [] : [d.subnetId])))
  for (const d of view.domains) {
    if (d.raw.subnet_id === undefined) {
      sink.error(
        'MISSING_KEY',
        [...d.path, 'subnet_id'],
        'missing required key "subnet_id" (the third octet of the domain subnet)',
        `pick a free number 0–${MAX_SUBNET_ID}, e.g. subnet_id: ${firstFree(used)}`,
      )
      continue
    }
    if (d.subnetId === undefined) continue
    const other = owner.get(d.subnetId)
    if (other !== undefined) {
      sink.error(
        'DUPLICATE_SUBNET_ID',
        [...d.path, 'subnet_id'],
        `subnet_id ${d.subnetId} is already used by domain "${other}"`,
        `pick a free number, e.g. ${firstFree(used)}`,
      )
      continue
    }
    owner.set(d.subnetId, d.name)
    if (view.baseSubnet) nets.set(d.name, domainNet(view.baseSubnet, d.subnetId))
  }
}

function firstFree(used: Set<number>): number {
  let n = 0
  while (used.has(n)) n++
  return n
}

function zoneNets(view: View, sink: IssueSink, nets: Map<string, DomainNet>): void {
  const { zoneBase, zoneStep } = view.addressing ?? { zoneBase: 100, zoneStep: 10 }
  const zones = new Map<TrustLevel, ViewDomain[]>()
  for (const d of view.domains) {
    const t = d.trustLevel ?? DEFAULT_ADDRESSING_TRUST
    zones.set(t, [...(zones.get(t) ?? []), d])
  }
  for (const [trust, domains] of zones) {
    const second = zoneBase + ZONE_STEPS[trust] * zoneStep
    if (second > 255) {
      for (const d of domains)
        sink.error(
          'ADDRESSING_OVERFLOW',
          d.raw.trust_level === undefined ? ['global', 'addressing'] : [...d.path, 'trust_level'],
          `zone "${trust}" would use 10.${second}.x.x (zone_base ${zoneBase} + ${ZONE_STEPS[trust]} × zone_step ${zoneStep}), above 255`,
          'lower global.addressing.zone_base or zone_step',
        )
      continue
    }
    const owner = new Map<number, string>()
    for (const d of domains) {
      if (d.subnetId === undefined) continue
      const other = owner.get(d.subnetId)
      if (other !== undefined) {
        sink.error(
          'DUPLICATE_SUBNET_ID',
          [...d.path, 'subnet_id'],
          `subnet_id ${d.subnetId} is already used by domain "${other}" in zone "${trust}"`,
          'remove subnet_id to get a free number automatically',
        )
        continue
      }
      owner.set(d.subnetId, d.name)
      nets.set(d.name, domainNet(`10.${second}`, d.subnetId))
    }
    const auto = domains
      .filter((d) => d.raw.subnet_id === undefined)
      .sort((a, b) => (a.name < b.name ? -1 : 1))
    let seq = 0
    for (const d of auto) {
      while (owner.has(seq)) seq++
      if (seq > MAX_SUBNET_ID) {
        sink.error(
          'ADDRESSING_EXHAUSTED',
          d.path,
          `zone "${trust}" has no free subnet left for domain "${d.name}"`,
        )
        continue
      }
      owner.set(seq, d.name)
      nets.set(d.name, domainNet(`10.${second}`, seq))
    }
  }
}

function assignIps(view: View, sink: IssueSink, plan: AddressPlan): void {
  for (const d of view.domains) {
    const net = plan.nets.get(d.name)
    if (!net) continue
    const used = new Set<number>()
    for (const m of d.machines) {
      if (m.ip?.startsWith(`${net.prefix}.`)) used.add(hostNumber(m.ip) ?? 0)
    }
    let next = 1
    for (const m of d.machines) {
      if (m.raw.ip !== undefined) continue
      while (used.has(next)) next++
      if (next > STATIC_LAST) {
        sink.error(
          'ADDRESSING_EXHAUSTED',
          m.path,
          `no free static address left in ${net.prefix}.1–.${STATIC_LAST} for machine "${m.name}"`,
          'give some machines an explicit ip, or split the domain',
          'key',
        )
        continue
      }
      used.add(next)
      plan.ips.set(m, `${net.prefix}.${next}`)
      plan.assigned.add(m)
    }
  }
}

export function planAddresses(view: View, sink: IssueSink): AddressPlan {
  const plan: AddressPlan = { nets: new Map(), ips: new Map(), assigned: new Set() }
  if (view.addressing) zoneNets(view, sink, plan.nets)
  else baseSubnetNets(view, sink, plan.nets)
  for (const m of view.domains.flatMap((d) => d.machines)) if (m.ip) plan.ips.set(m, m.ip)
  if (view.addressing) assignIps(view, sink, plan)
  return plan
}
