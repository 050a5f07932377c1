/** Infra -> DesiredState: every Incus object `apply` must make exist (incus-mapping.md). */

import type { Domain, Infra, NamingOptions, ProfileDef } from '@anklume/schema'
import { bridgeName, dhcpRange, instanceName, networkPrefix, projectName } from '@anklume/schema'
import { auxiliary } from './auxiliary.js'
import { desiredInstance, eth0Device } from './desired-instance.js'
import type {
  Config,
  DesiredInstance,
  DesiredNetwork,
  DesiredProfile,
  DesiredProject,
  DesiredState,
  DesiredVolume,
} from './desired-types.js'
import { LABEL_TRUST, labels } from './labels.js'
import {
  type ClusterInput,
  defaultMembers,
  placeInstance,
  tunnelConfig,
  tunnelFits,
  tunnelIds,
} from './placement.js'
import { allocateResources, type HostResources } from './resources.js'
import { restrictedConfig } from './restrictions.js'

export interface DesiredOptions {
  /** Nesting level for the name prefix (1 when unknown). */
  level: number
  /** Host totals (GET /1.0/resources), needed by resource_policy. */
  hostResources?: HostResources
  /**
   * Incus cluster (clusterInput() of the observation): instances get a
   * member, local volumes their instance's member, and a bridge whose
   * domain spans members its VXLAN tunnel (placement.ts). Placements must
   * have been checked (placementProblem) by the caller.
   */
  cluster?: ClusterInput
}

/** The description Incus gives a new project's default profile; we keep it, so it never drifts. */
export function defaultProfileDescription(project: string): string {
  return `Default Incus profile for project ${project}`
}

function network(d: Domain, name: string, projectLabel: string): DesiredNetwork {
  return {
    name,
    domain: d.name,
    description: d.description,
    config: {
      'ipv4.address': `${d.gateway}/24`,
      'ipv4.nat': String(d.nat),
      'ipv4.dhcp.ranges': dhcpRange(networkPrefix(d.gateway) ?? d.gateway),
      'ipv6.address': 'none',
      ...labels(projectLabel, d.name),
    },
  }
}

function nicNetworks(devices: DesiredProfile['devices'][]): string[] {
  const out: string[] = []
  for (const devs of devices) {
    for (const dev of Object.values(devs)) if (dev.type === 'nic' && dev.network) out.push(dev.network)
  }
  return out
}

function project(
  d: Domain,
  name: string,
  bridge: string,
  projectLabel: string,
  parts: DomainParts,
): DesiredProject {
  const config: Config = {
    'features.networks': 'false',
    'features.profiles': 'true',
    'features.storage.volumes': 'true',
    'features.images': 'false',
    ...labels(projectLabel, d.name),
  }
  if (d.trustLevel !== undefined) config[LABEL_TRUST] = d.trustLevel
  for (const [k, v] of Object.entries(d.limits)) if (v !== undefined) config[`limits.${k}`] = v
  if (d.restricted) {
    const devices = [...parts.profiles.map((p) => p.devices), ...parts.instances.map((i) => i.devices)]
    Object.assign(
      config,
      restrictedConfig({
        networks: [bridge, ...nicNetworks(devices)],
        configs: [...parts.profiles.map((p) => p.config), ...parts.instances.map((i) => i.config)],
        devices,
      }),
    )
  }
  return { name, domain: d.name, description: d.description, config }
}

interface DomainParts {
  profiles: DesiredProfile[]
  volumes: DesiredVolume[]
  instances: DesiredInstance[]
}

export function desired(infra: Infra, opts: DesiredOptions): DesiredState {
  const naming: NamingOptions = { nestingPrefix: infra.global.nestingPrefix, level: opts.level }
  const warnings: string[] = []
  const errors: string[] = []
  const warn = (m: string) => warnings.push(m)
  const label = infra.projectName

  const policy = new Map<string, Config>()
  if (infra.global.resourcePolicy) {
    if (opts.hostResources) {
      const alloc = allocateResources(infra, opts.hostResources)
      for (const row of alloc.rows) policy.set(row.machine, row.config)
      warnings.push(...alloc.warnings)
      errors.push(...alloc.errors)
    } else {
      warn('resource_policy is set but the host resources are unknown: no CPU/memory limits are planned')
    }
  }

  const aux = auxiliary(infra, naming)
  const cluster = opts.cluster
  const vnis = cluster
    ? tunnelIds(infra.domains.filter((d) => d.enabled).map((d) => bridgeName(d.name, naming)))
    : undefined
  const homes = cluster ? defaultMembers(infra, cluster.members) : undefined
  const state: DesiredState = {
    projectName: label,
    networks: [],
    projects: [],
    profiles: [],
    volumes: [],
    instances: [],
    disabledDomains: infra.domains.filter((d) => !d.enabled).map((d) => d.name),
    warnings,
    errors,
    acls: aux.acls,
    zones: aux.zones,
  }
  for (const d of infra.domains) {
    if (!d.enabled) continue
    const proj = projectName(d.name, naming)
    const bridge = bridgeName(d.name, naming)
    const profileDefs = new Map<string, ProfileDef>(d.profiles.map((p) => [p.name, p]))
    const parts: DomainParts = { profiles: [], volumes: [], instances: [] }
    parts.profiles.push({
      project: proj,
      name: 'default',
      domain: d.name,
      description: defaultProfileDescription(proj),
      config: labels(label, d.name),
      devices: {
        root: { type: 'disk', path: '/', pool: infra.global.storagePool },
        eth0: eth0Device(bridge),
      },
    })
    for (const p of d.profiles) {
      if (p.name === 'default') {
        warn(`domain ${d.name}: a profile named "default" is the project's default profile; it is ignored`)
        continue
      }
      parts.profiles.push({
        project: proj,
        name: p.name,
        domain: d.name,
        description: p.description,
        config: { ...p.config, ...labels(label, d.name) },
        devices: structuredClone(p.devices),
      })
    }
    const volumes = new Map<string, DesiredVolume>()
    const members = new Set<string>()
    for (const m of d.machines) {
      const name = instanceName(m.name, naming)
      const home = { domain: d.name, member: homes?.get(d.name) ?? '' }
      const placed = cluster ? placeInstance(cluster, `${proj}/${name}`, home, m.placement) : undefined
      if (placed) members.add(placed.target)
      for (const v of m.storageVolumes) {
        const pool = v.pool || infra.global.storagePool
        const key = `${pool}/${v.name}`
        const config: Config = { ...labels(label, d.name) }
        if (v.size !== undefined) config.size = v.size
        const seen = volumes.get(key)
        if (seen) {
          if (seen.config.size !== config.size) {
            warn(
              `volume ${v.name} of domain ${d.name} is declared with different sizes; the first one is used`,
            )
          }
          continue
        }
        const vol: DesiredVolume = {
          project: proj,
          pool,
          name: v.name,
          domain: d.name,
          description: '',
          config,
        }
        if (placed && cluster?.localPools.has(pool)) vol.target = placed.target
        volumes.set(key, vol)
      }
      const ctx = {
        projectName: label,
        project: proj,
        bridge,
        instanceName: name,
        domain: d,
        policyConfig: policy.get(m.name) ?? {},
        warn,
      }
      const inst = desiredInstance(m, ctx, profileDefs)
      if (placed) {
        inst.target = placed.target
        if (placed.allowed) inst.allowedMembers = placed.allowed
        if (placed.declared) inst.placement = placed.declared
      }
      parts.instances.push(inst)
    }
    parts.volumes.push(...volumes.values())
    const net = network(d, bridge, label)
    Object.assign(net.config, aux.bridgeConfig.get(bridge))
    if (members.size > 1) {
      if (tunnelFits(bridge)) Object.assign(net.config, tunnelConfig(vnis?.get(bridge) ?? 1))
      else
        warn(
          `domain ${d.name} spans cluster members ${[...members].sort().join(', ')}, but its bridge name ${bridge} is too long for a tunnel interface (${bridge}-t must fit in 15 characters): its machines on different members cannot reach each other; shorten the domain name or place it on one member`,
        )
    }
    state.networks.push(net)
    state.projects.push(project(d, proj, bridge, label, parts))
    state.profiles.push(...parts.profiles)
    state.volumes.push(...parts.volumes)
    state.instances.push(...parts.instances)
  }
  if (cluster) warnUnroutedPolicies(infra, state)
  return state
}

/**
 * On a cluster, Incus routes between two domains on the sender's member,
 * whose copy of the other bridge reaches only the instances on that member
 * (every member answers the gateway address with the same MAC, so replies
 * to its ARP requests go to the member hosting the instance). A policy whose
 * two ends run on different members is allowed by the ACLs but its packets
 * cannot be delivered: say so.
 */
function warnUnroutedPolicies(infra: Infra, state: DesiredState): void {
  const members = new Map<string, Set<string>>() // domain or machine -> members
  const add = (key: string, member: string | undefined) => {
    if (member === undefined) return
    const set = members.get(key) ?? new Set<string>()
    set.add(member)
    members.set(key, set)
  }
  for (const i of state.instances) {
    add(i.domain, i.target)
    add(i.machine, i.target)
  }
  for (const p of infra.networkPolicies) {
    const from = members.get(p.from)
    const to = members.get(p.to)
    if (!from || !to) continue
    const all = new Set([...from, ...to])
    if (all.size <= 1) continue
    state.warnings.push(
      `network policy ${p.from} -> ${p.to}: its ends run on different cluster members (${[...from].sort().join(', ')} -> ${[...to].sort().join(', ')}); Incus bridges route between domains on the sender's member only, so these packets are not delivered across members: place both ends on one member (docs/cluster.md)`,
    )
  }
}
