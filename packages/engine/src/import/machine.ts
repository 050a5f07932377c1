/** One Incus instance -> one `machines.<name>` entry of the infra file (the reverse of desiredInstance). */
import type { Config, Device, Devices, ObservedInstance, ObservedVolume } from '@anklume/planner'
import { serverFilled } from '@anklume/planner'
import { cronError, durationError, GATEWAY_HOST, hostNumber, toIncusExpiry } from '@anklume/schema'

/** The nic anklume puts in default profiles and static-IP overrides (planner eth0Device). */
export function anklumeEth0(bridge: string): Device {
  return {
    type: 'nic',
    network: bridge,
    name: 'eth0',
    'security.mac_filtering': 'true',
    'security.ipv4_filtering': 'true',
  }
}

/** The `incus_socket: true` proxy device (lifecycle.md, Nesting). */
export const SOCKET_DEVICE_NAME = 'incus-socket'
export const SOCKET_DEVICE: Device = {
  type: 'proxy',
  connect: 'unix:/var/lib/incus/unix.socket',
  listen: 'unix:/var/lib/incus/unix.socket',
  bind: 'instance',
  'security.uid': '0',
  'security.gid': '0',
  mode: '0660',
}

export function sameDevice(a: Device | undefined, b: Device): boolean {
  if (!a) return false
  const ka = Object.keys(a)
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k])
}

export interface MachineContext {
  bridge: string
  /** `A.B.C` of the domain's /24. */
  net: string
  /** Custom volumes of the instance's project, by name, with their pool. */
  volumes: Map<string, ObservedVolume & { pool: string }>
  /** global.storage_pool of the imported file. */
  storagePool: string
  image: string
}

export interface ImportedMachine {
  raw: Record<string, unknown>
  ephemeral: boolean
  image: string
  /** Names of the custom volumes this machine attaches as storage_volumes. */
  volumes: string[]
}

function isVolumeDisk(name: string, dev: Device, ctx: MachineContext): boolean {
  const vol = ctx.volumes.get(name)
  if (!vol || dev.type !== 'disk' || dev.source !== name || dev.pool !== vol.pool || !dev.path) return false
  return Object.keys(dev).every((k) => ['type', 'pool', 'source', 'path'].includes(k))
}

/** Keys apply derives from first-class machine keys, read back into those keys. */
function firstClass(config: Config, raw: Record<string, unknown>, out: Config): void {
  for (const [key, value] of Object.entries(config)) {
    if (serverFilled.instance(key) || key.startsWith('user.anklume.')) continue
    if (key === 'boot.autostart' && (value === 'true' || value === 'false')) {
      raw.boot_autostart = value === 'true'
    } else if (key === 'boot.autostart.priority' && /^\d{1,3}$/.test(value) && Number(value) <= 100) {
      raw.boot_priority = Number(value)
    } else if (key === 'snapshots.schedule' && cronError(value) === undefined) {
      raw.snapshots_schedule = value
    } else if (
      key === 'snapshots.expiry' &&
      durationError(value) === undefined &&
      toIncusExpiry(value) === value
    ) {
      raw.snapshots_expiry = value
    } else if (key !== 'security.protection.delete') {
      out[key] = value
    }
  }
}

/** Converts an instance; `name` is its machine name (the nesting prefix already removed). */
export function convertMachine(inst: ObservedInstance, ctx: MachineContext): ImportedMachine {
  const raw: Record<string, unknown> = {}
  if (inst.description) raw.description = inst.description
  if (inst.type === 'virtual-machine') raw.type = 'vm'
  const config: Config = {}
  firstClass(inst.config, raw, config)
  const devices: Devices = {}
  const volumes: string[] = []
  const storage: Record<string, Record<string, string>> = {}
  for (const [name, dev] of Object.entries(inst.devices)) {
    if (name === 'eth0' && dev.type === 'nic' && dev['ipv4.address'] !== undefined) {
      const ip = dev['ipv4.address']
      const host = hostNumber(ip) ?? 0
      if (ip.startsWith(`${ctx.net}.`) && host >= 1 && host < GATEWAY_HOST) {
        raw.ip = ip
        const { 'ipv4.address': _, ...rest } = dev
        if (!sameDevice(rest, anklumeEth0(ctx.bridge))) devices.eth0 = rest
        continue
      }
    }
    if (
      name === SOCKET_DEVICE_NAME &&
      sameDevice(dev, SOCKET_DEVICE) &&
      config['security.nesting'] === 'true'
    ) {
      raw.incus_socket = true
      delete config['security.nesting']
      continue
    }
    if (isVolumeDisk(name, dev, ctx)) {
      const vol = ctx.volumes.get(name)
      const entry: Record<string, string> = {}
      if (vol?.pool !== ctx.storagePool) entry.pool = dev.pool ?? ''
      if (vol?.config.size) entry.size = vol.config.size
      entry.path = dev.path ?? ''
      storage[name] = entry
      volumes.push(name)
      continue
    }
    devices[name] = { ...dev }
  }
  const ephemeral = inst.config['security.protection.delete'] !== 'true'
  if (inst.profiles.length !== 1 || inst.profiles[0] !== 'default') raw.profiles = [...inst.profiles]
  if (Object.keys(config).length > 0) raw.config = sortKeys(config)
  if (Object.keys(devices).length > 0) raw.devices = sortKeys(devices)
  if (volumes.length > 0) raw.storage_volumes = storage
  return { raw, ephemeral, image: ctx.image, volumes }
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
