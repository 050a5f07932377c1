/** Raw machine (zod output) -> normalised Machine. */
import { stringify } from 'yaml'
import { toIncusExpiry } from './formats.js'
import type { RawMachine } from './raw-machine.js'
import type { CloudInit, Machine, SourcePos } from './types.js'

export type Stringish = string | number | boolean

export function stringMap(m: Record<string, Stringish> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(m ?? {})) out[k] = String(v)
  return out
}

export function deviceMap(
  m: Record<string, Record<string, Stringish>> | null | undefined,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const [k, v] of Object.entries(m ?? {})) out[k] = stringMap(v)
  return out
}

/** A cloud-init document: strings as written, maps as `#cloud-config` YAML (network config without header). */
export function cloudInitDoc(doc: unknown, header: boolean): string | undefined {
  if (doc === undefined) return undefined
  if (typeof doc === 'string') return doc
  const body = stringify(doc)
  return header ? `#cloud-config\n${body}` : body
}

function cloudInit(raw: RawMachine['cloud_init']): CloudInit | undefined {
  if (!raw) return undefined
  return {
    userData: cloudInitDoc(raw.user_data, true),
    vendorData: cloudInitDoc(raw.vendor_data, true),
    networkConfig: cloudInitDoc(raw.network_config, false),
  }
}

export interface MachineDefaults {
  domain: string
  ephemeral: boolean
  /** The domain's placement (cluster). */
  placement: string | undefined
  osImage: string
  storagePool: string
  ip: string | undefined
  pos: SourcePos | undefined
  /** Host access grants the machine uses (validated). */
  hostAccess: string[]
}

export function normaliseMachine(
  name: string,
  raw: RawMachine | null | undefined,
  def: MachineDefaults,
): Machine {
  const m = raw ?? {}
  return {
    name,
    domain: def.domain,
    description: m.description ?? '',
    type: m.type ?? 'lxc',
    osImage: m.os_image ?? def.osImage,
    ip: def.ip,
    ephemeral: m.ephemeral ?? def.ephemeral,
    placement: m.placement ?? def.placement,
    gpu: m.gpu ?? false,
    gpuPci: m.gpu_pci,
    profiles: m.profiles ?? ['default'],
    config: stringMap(m.config),
    devices: deviceMap(m.devices),
    storageVolumes: Object.entries(m.storage_volumes ?? {}).map(([vname, v]) => ({
      name: vname,
      pool: v.pool ?? def.storagePool,
      size: v.size,
      path: v.path,
    })),
    bootAutostart: m.boot_autostart,
    bootPriority: m.boot_priority,
    snapshotsSchedule: m.snapshots_schedule?.trim(),
    snapshotsExpiry: m.snapshots_expiry === undefined ? undefined : toIncusExpiry(m.snapshots_expiry),
    weight: m.weight ?? 1,
    cloudInit: cloudInit(m.cloud_init),
    incusSocket: m.incus_socket ?? false,
    hostAccess: def.hostAccess,
    roles: m.roles ?? [],
    services: m.services,
    vars: m.vars ?? undefined,
    exportApps: m.export_apps ?? undefined,
    persistentData: m.persistent_data ?? undefined,
    pos: def.pos,
  }
}
