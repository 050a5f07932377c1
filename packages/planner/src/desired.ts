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
import { allocateResources, type HostResources } from './resources.js'
import { restrictedConfig } from './restrictions.js'

export interface DesiredOptions {
  /** Nesting level for the name prefix (1 when unknown). */
  level: number
  /** Host totals (GET /1.0/resources), needed by resource_policy. */
  hostResources?: HostResources
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
    for (const m of d.machines) {
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
        volumes.set(key, { project: proj, pool, name: v.name, domain: d.name, description: '', config })
      }
      const ctx = {
        projectName: label,
        project: proj,
        bridge,
        instanceName: instanceName(m.name, naming),
        domain: d,
        policyConfig: policy.get(m.name) ?? {},
        warn,
      }
      parts.instances.push(desiredInstance(m, ctx, profileDefs))
    }
    parts.volumes.push(...volumes.values())
    const net = network(d, bridge, label)
    Object.assign(net.config, aux.bridgeConfig.get(bridge))
    state.networks.push(net)
    state.projects.push(project(d, proj, bridge, label, parts))
    state.profiles.push(...parts.profiles)
    state.volumes.push(...parts.volumes)
    state.instances.push(...parts.instances)
  }
  return state
}
