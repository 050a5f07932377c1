/**
 * `firewall_mode: vm` (incus-mapping.md): a `sys-firewall` VM in the
 * `anklume` domain (ip .253, 2 CPUs, 2GiB, protected) unless declared, with a
 * `firewall-multi-nic` profile holding one nic per domain bridge: `eth0` on
 * the anklume bridge, the others sorted by bridge name.
 */
import type { Domain, Infra, Machine, NamingOptions, ProfileDef } from '@anklume/schema'
import { bridgeName } from '@anklume/schema'

export const FIREWALL_DOMAIN = 'anklume'
export const FIREWALL_MACHINE = 'sys-firewall'
export const FIREWALL_PROFILE = 'firewall-multi-nic'

function firewallMachine(domain: Domain, infra: Infra): Machine {
  const gateway = domain.gateway.split('.')
  gateway[3] = '253'
  return {
    name: FIREWALL_MACHINE,
    domain: domain.name,
    description: 'anklume firewall VM (firewall_mode: vm)',
    type: 'vm',
    osImage: infra.global.defaultOsImage,
    ip: gateway.join('.'),
    ephemeral: false,
    gpu: false,
    gpuPci: undefined,
    profiles: ['default', FIREWALL_PROFILE],
    config: { 'limits.cpu': '2', 'limits.memory': '2GiB' },
    devices: {},
    storageVolumes: [],
    bootAutostart: undefined,
    bootPriority: undefined,
    snapshotsSchedule: undefined,
    snapshotsExpiry: undefined,
    weight: 1,
    cloudInit: undefined,
    incusSocket: false,
    roles: [],
    services: undefined,
    vars: undefined,
    exportApps: undefined,
    persistentData: undefined,
    pos: undefined,
  }
}

/** The infra with the firewall VM and its profile added, or unchanged (plus a warning when it cannot be). */
export function withFirewallVm(infra: Infra, naming: NamingOptions): { infra: Infra; warnings: string[] } {
  if (infra.global.firewallMode !== 'vm') return { infra, warnings: [] }
  const home = infra.domains.find((d) => d.name === FIREWALL_DOMAIN && d.enabled)
  if (!home) {
    return {
      infra,
      warnings: [`firewall_mode: vm needs an enabled "${FIREWALL_DOMAIN}" domain; no firewall VM is planned`],
    }
  }
  const others = infra.domains
    .filter((d) => d.enabled && d !== home)
    .map((d) => bridgeName(d.name, naming))
    .sort()
  const devices: ProfileDef['devices'] = {
    eth0: { type: 'nic', network: bridgeName(home.name, naming), name: 'eth0' },
  }
  others.forEach((network, i) => {
    devices[`eth${i + 1}`] = { type: 'nic', network, name: `eth${i + 1}` }
  })
  const profile: ProfileDef = {
    name: FIREWALL_PROFILE,
    description: 'One nic per domain bridge for the firewall VM',
    config: {},
    devices,
  }
  const declared = infra.domains.some((d) => d.machines.some((m) => m.name === FIREWALL_MACHINE))
  const profiles = [...home.profiles.filter((p) => p.name !== FIREWALL_PROFILE), profile]
  const machines = declared ? home.machines : [...home.machines, firewallMachine(home, infra)]
  const domains = infra.domains.map((d) => (d === home ? { ...d, profiles, machines } : d))
  return { infra: { ...infra, domains }, warnings: [] }
}
