/**
 * network_policies read back from anklume's network ACLs. When the bridges
 * carry anklume's ACLs (`isolation.network_acls`, or any infra on a
 * cluster), each declared flow into a domain is one ingress rule of that
 * domain's ACL (`@anklume/nftables` generateNetworkAcls): source the other
 * domain's subnet or a machine's IP, destination the domain's subnet or one
 * of its machines, the ports and protocol, the policy's description. The two
 * baseline rules (own gateway, own subnet) are not policies.
 *
 * A policy towards the host is an allowed egress rule to the domain's own
 * gateway, written only when egress is rejected by default (`isolation.egress:
 * false`); with egress allowed it is not in the ACLs.
 *
 * On a single host without ACLs the policies live only in the nftables table,
 * which `import` (an Incus reader) does not read: the file then has none, and
 * a note says so.
 */
import type { ObservedAcl } from '@anklume/planner'

/** One imported domain as the policy reader needs it. */
export interface PolicyDomain {
  name: string
  bridge: string
  /** `A.B.C` of the domain's /24. */
  net: string
  /** Machine name -> static IP. */
  machines: ReadonlyMap<string, string>
}

interface AclRule {
  action?: string
  state?: string
  description?: string
  source?: string
  destination?: string
  protocol?: string
  destination_port?: string
}

const BASELINE = new Set(['host (own gateway)', 'same domain'])

/** The infra-file name of an address: a domain by its subnet, a machine by its IP. */
function endpointNamer(
  domains: readonly PolicyDomain[],
): (address: string | undefined) => string | undefined {
  const names = new Map<string, string>()
  for (const d of domains) {
    names.set(`${d.net}.0/24`, d.name)
    for (const [machine, ip] of d.machines) names.set(ip, machine)
  }
  return (address) => (address ? names.get(address.trim()) : undefined)
}

const isPolicyDescription = (d: string | undefined) => d !== undefined && d !== '' && !/^policy \d+$/.test(d)

/** Ports of a rule: a list of numbers, or undefined when the text is not one. */
function portsOf(text: string | undefined): number[] | undefined {
  if (!text) return undefined
  const ports = text.split(',').map((p) => Number(p.trim()))
  return ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535) ? ports : undefined
}

/**
 * The policies the domains' ACLs allow, in domain order; a rule anklume would
 * not have written (unknown address, port range, action other than allow) is
 * reported through `warn` and left out. A flow allowed both ways with the
 * same ports and description comes back as one `bidirectional` policy.
 */
export function policiesFromAcls(
  domains: readonly PolicyDomain[],
  acls: readonly ObservedAcl[],
  warn: (m: string) => void,
): Array<Record<string, unknown>> {
  const name = endpointNamer(domains)
  const policies: Array<Record<string, unknown>> = []
  const rules = (d: PolicyDomain) => {
    const acl = acls.find((a) => a.name === `acl-${d.bridge}`)
    // Flows into d (ingress); flows from d to the host are allowed egress to d's
    // own gateway (only written when egress is rejected by default).
    const gateway = `${d.net}.254`
    const toHost = ((acl?.egress ?? []) as AclRule[]).filter(
      (r) => r.action === 'allow' && r.destination === gateway,
    )
    return [
      ...((acl?.ingress ?? []) as AclRule[]).map((r) => ({ r, host: false })),
      ...toHost.map((r) => ({ r, host: true })),
    ]
  }
  for (const d of domains) {
    for (const { r, host } of rules(d)) {
      if (r.action === 'allow' && BASELINE.has(r.description ?? '')) continue
      const from = name(r.source)
      const to = host ? 'host' : name(r.destination)
      const ports = r.destination_port === undefined ? 'all' : portsOf(r.destination_port)
      if (r.action !== 'allow' || r.state === 'disabled' || !from || !to || ports === undefined) {
        warn(
          `ACL acl-${d.bridge}: ${host ? 'egress' : 'ingress'} rule ${JSON.stringify(r)} is not one anklume writes for a network policy: not imported`,
        )
        continue
      }
      const policy: Record<string, unknown> = {}
      if (isPolicyDescription(r.description)) policy.description = r.description
      policy.from = from
      policy.to = to
      if (ports !== 'all') policy.ports = ports
      // tcp is the default with ports; with ports: all, no protocol means every protocol.
      if (r.protocol === 'udp' || (ports === 'all' && r.protocol === 'tcp')) policy.protocol = r.protocol
      policies.push(policy)
    }
  }
  return mergeMirrors(policies)
}

const key = (p: Record<string, unknown>, flip = false) =>
  JSON.stringify([
    flip ? p.to : p.from,
    flip ? p.from : p.to,
    p.description ?? null,
    p.ports ?? null,
    p.protocol ?? null,
  ])

/** a→b and b→a with the same description, ports and protocol: one bidirectional policy. */
function mergeMirrors(policies: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  const used = new Set<number>()
  policies.forEach((p, i) => {
    if (used.has(i)) return
    const mirror = policies.findIndex((q, j) => j > i && !used.has(j) && key(q) === key(p, true))
    if (mirror >= 0 && p.from !== p.to) {
      used.add(mirror)
      out.push({ ...p, bidirectional: true })
    } else out.push(p)
  })
  return out
}
