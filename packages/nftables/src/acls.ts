import type { Endpoint, Flow, IsolationModel, ModelDomain } from './model-types.js'

/** One rule of an Incus network ACL (`POST /1.0/network-acls` body format). */
export interface NetworkAclRule {
  action: 'allow' | 'reject' | 'drop'
  state: 'enabled'
  description?: string
  source?: string
  destination?: string
  protocol?: 'tcp' | 'udp'
  destination_port?: string
}

/** An Incus network ACL, ready to be created in the `default` project. */
export interface NetworkAclDef {
  name: string
  description: string
  ingress: NetworkAclRule[]
  egress: NetworkAclRule[]
  /** Only `user.*` keys are allowed on ACLs: ownership labels. */
  config: Record<string, string>
}

/** Config to set on a domain's bridge to attach its ACL. */
export interface NetworkAclAttachment {
  network: string
  acl: string
  config: Record<string, string>
}

export interface NetworkAcls {
  acls: NetworkAclDef[]
  networks: NetworkAclAttachment[]
}

export interface NetworkAclOptions {
  /** ACL name of a domain (default `acl-<bridge>`, e.g. `acl-net-pro`). */
  name?: (domain: ModelDomain) => string
}

function address(e: Endpoint, subnet: Map<string, string>): string {
  if (e.kind === 'machine') return e.ip
  if (e.kind === 'domain') return subnet.get(e.bridge) ?? ''
  return ''
}

function rule(f: Flow, source: string, destination: string): NetworkAclRule {
  const r: NetworkAclRule = { action: 'allow', state: 'enabled', description: f.comment, source, destination }
  if (f.protocol) r.protocol = f.protocol
  else if (f.ports !== 'all') r.protocol = 'tcp'
  if (f.ports !== 'all') r.destination_port = f.ports.join(',')
  return r
}

/**
 * The same isolation as Incus network ACLs, one per domain bridge, for
 * `isolation.network_acls: true` (defence in depth next to the nftables
 * table, which stays the reference). Disabled domains get none (their bridge
 * may not exist). Pure; creating the ACLs and setting the
 * returned config on each bridge is the caller's job.
 *
 * Bridge ACLs only see traffic crossing the bridge/host boundary (Incus docs,
 * "Bridge limitations"), and Incus keeps its baseline DNS/DHCP/ICMP rules to
 * the bridge address ahead of them. Per domain D:
 * - ingress (towards D's instances) is default-reject: allowed are D's own
 *   gateway (the host), D's own subnet, and every flow whose destination is
 *   in D (source: the other domain's subnet or machine IP);
 * - egress is default-allow when `egress` is on (other domains are protected
 *   by their own ingress), otherwise default-reject with allow rules for the
 *   flows leaving D (including to D's gateway for `to: host` policies);
 * - egress to the other domains' gateways is always rejected.
 * Unlike the nftables table, the ACLs cannot restrict which ports of D's own
 * gateway are reachable while egress is on, and ingress from outside the host
 * to D (network forwards) is rejected.
 */
export function generateNetworkAcls(model: IsolationModel, opts: NetworkAclOptions = {}): NetworkAcls {
  const nameOf = opts.name ?? ((d: ModelDomain) => `acl-${d.bridge}`)
  const subnet = new Map(model.domains.map((d) => [d.bridge, d.subnet]))
  const acls: NetworkAclDef[] = []
  const networks: NetworkAclAttachment[] = []
  for (const d of model.domains) {
    if (!d.enabled) continue
    const name = nameOf(d)
    const ingress: NetworkAclRule[] = [
      { action: 'allow', state: 'enabled', description: 'host (own gateway)', source: d.gateway },
      { action: 'allow', state: 'enabled', description: 'same domain', source: d.subnet },
    ]
    const egress: NetworkAclRule[] = []
    for (const f of model.flows) {
      const src = address(f.from, subnet)
      if (f.to.kind !== 'host' && f.to.bridge === d.bridge) ingress.push(rule(f, src, address(f.to, subnet)))
      if (!model.egress && f.from.bridge === d.bridge) {
        egress.push(rule(f, src, f.to.kind === 'host' ? d.gateway : address(f.to, subnet)))
      }
    }
    const others = model.domains.filter((o) => o.bridge !== d.bridge).map((o) => o.gateway)
    if (others.length > 0) {
      egress.push({
        action: 'reject',
        state: 'enabled',
        description: "other domains' gateways",
        destination: others.join(','),
      })
    }
    acls.push({
      name,
      description: `anklume isolation of domain ${d.name}`,
      ingress,
      egress,
      config: {
        'user.anklume.managed': 'true',
        'user.anklume.project': model.project,
        'user.anklume.domain': d.name,
      },
    })
    networks.push({
      network: d.bridge,
      acl: name,
      config: {
        'security.acls': name,
        'security.acls.default.ingress.action': 'reject',
        'security.acls.default.egress.action': model.egress ? 'allow' : 'reject',
      },
    })
  }
  return { acls, networks }
}
