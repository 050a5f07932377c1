/**
 * `firewall_mode: vm`: the `sys-firewall` VM added to the `anklume` domain
 * (incus-mapping.md) unless the file declares it: ip .253, 2 CPUs, 2GiB, not
 * ephemeral, with a `firewall-multi-nic` profile holding one nic per domain
 * bridge (eth0 on the anklume bridge, then the other enabled domains sorted).
 */
import { makeMachine } from './builders.js'
import { bridgeName, type NamingOptions } from './naming.js'
import type { Infra, ProfileDef } from './types.js'

export const FIREWALL_MACHINE = 'sys-firewall'
export const FIREWALL_PROFILE = 'firewall-multi-nic'
export const FIREWALL_HOST = 253
export const FIREWALL_DOMAIN = 'anklume'

export function firewallProfile(infra: Infra, naming: NamingOptions): ProfileDef {
  const others = infra.domains
    .filter((d) => d.enabled && d.name !== FIREWALL_DOMAIN)
    .map((d) => d.name)
    .sort()
  const devices: Record<string, Record<string, string>> = {}
  for (const [i, d] of [FIREWALL_DOMAIN, ...others].entries()) {
    devices[`eth${i}`] = { type: 'nic', network: bridgeName(d, naming), name: `eth${i}` }
  }
  return {
    name: FIREWALL_PROFILE,
    description: 'sys-firewall: one nic per domain bridge',
    config: {},
    devices,
  }
}

/** Adds the firewall VM (and its profile) in place; validation guarantees the anklume domain exists. */
export function addFirewallVm(infra: Infra, naming: NamingOptions): void {
  const admin = infra.domains.find((d) => d.name === FIREWALL_DOMAIN)
  if (!admin) return
  if (infra.domains.some((d) => d.machines.some((m) => m.name === FIREWALL_MACHINE))) return
  if (!admin.profiles.some((p) => p.name === FIREWALL_PROFILE))
    admin.profiles.push(firewallProfile(infra, naming))
  const vm = makeMachine(FIREWALL_MACHINE, FIREWALL_DOMAIN, {
    description: 'Inter-domain firewall VM (firewall_mode: vm)',
    type: 'vm',
    osImage: infra.global.defaultOsImage,
    ip: `${admin.subnet.split('.').slice(0, 3).join('.')}.${FIREWALL_HOST}`,
    ephemeral: false,
    profiles: ['default', FIREWALL_PROFILE],
    config: { 'limits.cpu': '2', 'limits.memory': '2GiB' },
  })
  admin.machines.push(vm)
}
