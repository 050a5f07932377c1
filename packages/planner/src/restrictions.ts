/**
 * `restricted: true` projects: Incus's `restricted=true` blocks nesting,
 * privileged containers, most device types and non-managed disks. We open
 * exactly what the domain's instances and profiles use, checked on Incus
 * 6.0.4: a pool-backed disk (custom volume) is allowed by the default
 * `restricted.devices.disk=managed`; a host-path disk needs `allow` plus
 * `restricted.devices.disk.paths`; proxy, gpu, unix-*, usb, pci devices need
 * `restricted.devices.<type>=allow`; `security.nesting=true` needs
 * `restricted.containers.nesting=allow`.
 */
import type { Config, Devices } from './desired-types.js'

export interface RestrictionInput {
  /** Every network the project's nics use (its own bridge first). */
  networks: string[]
  /** Instance and profile configs of the domain. */
  configs: Config[]
  /** Instance and profile devices of the domain. */
  devices: Devices[]
}

const ALLOW_TYPES = new Set([
  'gpu',
  'proxy',
  'unix-char',
  'unix-block',
  'unix-hotplug',
  'usb',
  'pci',
  'infiniband',
])

export function restrictedConfig(input: RestrictionInput): Config {
  const out: Config = {
    restricted: 'true',
    'restricted.networks.access': [...new Set(input.networks)].join(','),
  }
  for (const config of input.configs) {
    if (config['security.nesting'] === 'true') out['restricted.containers.nesting'] = 'allow'
    if (config['security.privileged'] === 'true') out['restricted.containers.privilege'] = 'allow'
    for (const key of Object.keys(config)) {
      if (/^raw\.(lxc|idmap|seccomp|apparmor)$/.test(key) || key.startsWith('security.syscalls.')) {
        out['restricted.containers.lowlevel'] = 'allow'
      }
      if (key === 'raw.qemu' || key.startsWith('raw.qemu.'))
        out['restricted.virtual-machines.lowlevel'] = 'allow'
    }
  }
  const diskPaths = new Set<string>()
  for (const devices of input.devices) {
    for (const dev of Object.values(devices)) {
      const type = dev.type ?? ''
      if (ALLOW_TYPES.has(type)) out[`restricted.devices.${type}`] = 'allow'
      if (type === 'disk' && dev.pool === undefined && dev.source !== undefined && dev.path !== '/') {
        diskPaths.add(dev.source)
      }
      if (type === 'nic' && dev.network === undefined) out['restricted.devices.nic'] = 'allow'
    }
  }
  if (diskPaths.size > 0) {
    out['restricted.devices.disk'] = 'allow'
    out['restricted.devices.disk.paths'] = [...diskPaths].sort().join(',')
  }
  return out
}
