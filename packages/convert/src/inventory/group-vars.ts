import type { Domain, Infra, NamingOptions, NetworkPolicy } from '@anklume/schema'
import { bridgeName, instanceName, projectName } from '@anklume/schema'

/** A policy written back in infra.yml's own keys (what AnKLuMe's generator copied verbatim). */
function policyVars(p: NetworkPolicy): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (p.description) out.description = p.description
  out.from = p.from
  out.to = p.to
  out.ports = p.ports === 'all' ? 'all' : [...p.ports]
  if (p.protocol !== undefined) out.protocol = p.protocol
  if (p.bidirectional) out.bidirectional = true
  return out
}

/** Every image the infra uses (all domains, enabled or not), sorted, for image pre-download roles. */
export function allImages(infra: Infra): string[] {
  return [...new Set(infra.domains.flatMap((d) => d.machines.map((m) => m.osImage)))].sort()
}

/** group_vars/all.yml */
export function allVars(infra: Infra): Record<string, unknown> {
  const g = infra.global
  const v: Record<string, unknown> = { project_name: infra.projectName }
  if (g.addressing) {
    v.addressing = {
      base_octet: g.addressing.baseOctet,
      zone_base: g.addressing.zoneBase,
      zone_step: g.addressing.zoneStep,
    }
  } else {
    v.base_subnet = g.baseSubnet ?? '10.100'
  }
  v.default_os_image = g.defaultOsImage
  if (g.defaultConnection !== undefined) v.psot_default_connection = g.defaultConnection
  if (g.defaultUser !== undefined) v.psot_default_user = g.defaultUser
  const images = allImages(infra)
  if (images.length > 0) v.incus_all_images = images
  if (infra.networkPolicies.length > 0) v.network_policies = infra.networkPolicies.map(policyVars)
  return v
}

/** group_vars/<domain>.yml */
export function domainVars(d: Domain, naming: NamingOptions): Record<string, unknown> {
  const aiProvider = d.aiProvider ?? 'local'
  const aiSanitize = d.aiSanitize ?? (aiProvider === 'cloud' || aiProvider === 'local-first')
  const v: Record<string, unknown> = {
    domain_name: d.name,
    domain_description: d.description,
    domain_ephemeral: d.ephemeral,
  }
  if (d.trustLevel !== undefined) v.domain_trust_level = d.trustLevel
  v.domain_ai_provider = aiProvider
  v.domain_ai_sanitize = aiSanitize
  if (d.filePortal) {
    v.domain_file_portal = { allowed_paths: [...d.filePortal.allowedPaths], read_only: d.filePortal.readOnly }
  }
  v.incus_project = projectName(d.name, naming)
  v.incus_network = { name: bridgeName(d.name, naming), subnet: d.subnet, gateway: d.gateway }
  v.subnet_id = d.subnetId
  if (d.profiles.length > 0) {
    v.incus_profiles = Object.fromEntries(
      d.profiles.map((p) => {
        const def: Record<string, unknown> = {}
        if (p.description) def.description = p.description
        if (Object.keys(p.config).length > 0) def.config = { ...p.config }
        if (Object.keys(p.devices).length > 0) def.devices = { ...p.devices }
        return [p.name, def]
      }),
    )
  }
  return v
}

/** The connection plugin the inventory's variables are for. */
export const ANSIBLE_INCUS_CONNECTION = 'community.general.incus'

export interface ConnectionOptions {
  /** `ansible_incus_remote`: the `incus` CLI remote name the machines are on (default: the plugin's `local`). */
  incusRemote?: string
  /** Also write `ansible_connection: community.general.incus` (it overrides a play's `connection:`). */
  connection?: boolean
}

/**
 * inventory/<domain>.yml: per host, `ansible_host` = static IP (AnKLuMe's
 * meaning, kept), and what the `community.general.incus` connection plugin
 * needs to reach the instance: `ansible_incus_host` (the Incus instance
 * name; the plugin prefers it to `ansible_host`), `ansible_incus_project`,
 * and `ansible_incus_remote` when a remote was named. None of them changes a
 * play that connects otherwise (`connection: local`); `ansible_connection`
 * only on request.
 */
export function inventoryVars(
  d: Domain,
  naming: NamingOptions,
  opts: ConnectionOptions = {},
): Record<string, unknown> {
  const hosts: Record<string, unknown> = {}
  for (const m of d.machines) {
    const h: Record<string, unknown> = {}
    if (m.ip !== undefined) h.ansible_host = m.ip
    h.ansible_incus_host = instanceName(m.name, naming)
    h.ansible_incus_project = projectName(d.name, naming)
    if (opts.incusRemote !== undefined) h.ansible_incus_remote = opts.incusRemote
    if (opts.connection) h.ansible_connection = ANSIBLE_INCUS_CONNECTION
    hosts[m.name] = h
  }
  return { all: { children: { [d.name]: { hosts: d.machines.length > 0 ? hosts : null } } } }
}
