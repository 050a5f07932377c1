/**
 * Objects next to the bridges that some infras ask for: Incus network ACLs
 * (`isolation.network_acls: true`, defence in depth beside the nftables
 * table) and network zones (`dns_zone`). Each comes with the config its
 * bridge must carry to use it, so the bridge's desired config says it and a
 * converged infra never shows that key as drift.
 */
import { generateNetworkAcls, isolationModel, type NetworkAclDef } from '@anklume/nftables'
import type { Infra, NamingOptions } from '@anklume/schema'
import { bridgeName } from '@anklume/schema'
import type { Config } from './desired-types.js'
import { LABEL_DOMAIN, LABEL_MANAGED, LABEL_PROJECT } from './labels.js'

export type DesiredAcl = NetworkAclDef

/** An Incus network zone for a domain's forward DNS records. */
export interface DesiredZone {
  name: string
  domain: string
  description: string
  config: Config
}

export interface Auxiliary {
  acls: DesiredAcl[]
  zones: DesiredZone[]
  /** Extra config per bridge name (`security.acls*`, `dns.zone.forward`). */
  bridgeConfig: Map<string, Config>
}

export function auxiliary(infra: Infra, naming: NamingOptions): Auxiliary {
  const bridgeConfig = new Map<string, Config>()
  const add = (bridge: string, config: Config) =>
    bridgeConfig.set(bridge, { ...bridgeConfig.get(bridge), ...config })
  let acls: DesiredAcl[] = []
  if (infra.global.isolation.networkAcls) {
    const generated = generateNetworkAcls(isolationModel(infra, { level: naming.level }))
    acls = generated.acls
    for (const n of generated.networks) add(n.network, n.config)
  }
  const zones: DesiredZone[] = []
  for (const d of infra.domains) {
    if (!d.enabled || d.dnsZone === false) continue
    const name = `${d.name}.${d.dnsZone}`
    zones.push({
      name,
      domain: d.name,
      description: `forward DNS of anklume domain ${d.name}`,
      config: { [LABEL_MANAGED]: 'true', [LABEL_PROJECT]: infra.projectName, [LABEL_DOMAIN]: d.name },
    })
    add(bridgeName(d.name, naming), { 'dns.zone.forward': name })
  }
  return { acls, zones, bridgeConfig }
}
