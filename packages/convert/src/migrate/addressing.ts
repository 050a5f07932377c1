/**
 * AnKLuMe's Python-era addressing, reproduced so a migrated infra keeps
 * every address: enabled domains are grouped by trust level and numbered in
 * alphabetical order within their zone (from 0); machines without `ip` get
 * the lowest free host number from .1, in alphabetical order of their short
 * name, up to .99. The migrated file then states every subnet_id and IP.
 */
import { hostNumber, STATIC_LAST } from '@anklume/schema'

export const ZONE_OFFSETS: Record<string, number> = {
  admin: 0,
  trusted: 10,
  'semi-trusted': 20,
  untrusted: 40,
  disposable: 50,
}

export interface AddressedDomain {
  name: string
  trustLevel: string
  enabled: boolean
  /** short machine name → declared IP (or undefined) */
  machines: Map<string, string | undefined>
}

export interface DomainAddresses {
  seq: number
  /** `A.B.C` */
  prefix: string
  /** short machine name → IP */
  ips: Map<string, string>
}

export function assignAddresses(
  domains: AddressedDomain[],
  firstOctet: number,
  baseSecond: number,
): Map<string, DomainAddresses> {
  const byZone = new Map<string, string[]>()
  for (const d of domains) {
    if (!d.enabled) continue
    byZone.set(d.trustLevel, [...(byZone.get(d.trustLevel) ?? []), d.name])
  }
  const out = new Map<string, DomainAddresses>()
  for (const [trust, names] of byZone) {
    const second = baseSecond + (ZONE_OFFSETS[trust] ?? 20)
    names.sort().forEach((name, seq) => {
      const d = domains.find((x) => x.name === name)!
      const prefix = `${firstOctet}.${second}.${seq}`
      const used = new Set<number>()
      for (const ip of d.machines.values()) {
        const host = ip === undefined ? undefined : hostNumber(ip)
        if (host !== undefined) used.add(host)
      }
      const ips = new Map<string, string>()
      let next = 1
      for (const short of [...d.machines.keys()].sort()) {
        const declared = d.machines.get(short)
        if (declared !== undefined) {
          ips.set(short, declared)
          continue
        }
        while (used.has(next) && next <= STATIC_LAST) next++
        if (next > STATIC_LAST) continue
        ips.set(short, `${prefix}.${next}`)
        used.add(next)
        next++
      }
      out.set(name, { seq, prefix, ips })
    })
  }
  return out
}
