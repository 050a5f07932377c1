import type { Domain, Machine, NamingOptions } from '@anklume/schema'
import { instanceName } from '@anklume/schema'
import { persistentDataDevices } from './compat-devices.js'

type Devices = Record<string, Record<string, string>>

/** Variables anklume manages in host_vars (a `vars` entry with one of these names is not written). */
export const MANAGED_HOST_KEYS = [
  'instance_name',
  'instance_type',
  'instance_description',
  'instance_domain',
  'instance_ephemeral',
  'instance_os_image',
  'instance_ip',
  'instance_gpu',
  'instance_profiles',
  'instance_config',
  'instance_devices',
  'instance_storage_volumes',
  'instance_roles',
  'instance_boot_autostart',
  'instance_boot_priority',
  'instance_snapshots_schedule',
  'instance_snapshots_expiry',
  'instance_services',
  'instance_export_apps',
  'instance_persistent_data',
] as const

/** Never written: inventory variables override the playbook's `connection:`. */
export const FORBIDDEN_VARS = new Set(['ansible_connection', 'ansible_user'])

const nonEmpty = (o: object): boolean => Object.keys(o).length > 0

/**
 * host_vars/<machine>.yml, as AnKLuMe's generator wrote it: each variable
 * only when it carries information (defaults like `profiles: [default]`,
 * `gpu: false` or empty maps are left to the roles' own defaults), then the
 * compatibility keys, then the machine's `vars` as top-level variables.
 */
export function hostVars(
  m: Machine,
  d: Domain,
  naming: NamingOptions,
  sharedDevices: Devices | undefined,
): Record<string, unknown> {
  const v: Record<string, unknown> = {
    instance_name: instanceName(m.name, naming),
    instance_type: m.type,
    instance_description: m.description,
    instance_domain: d.name,
    instance_ephemeral: m.ephemeral,
    instance_os_image: m.osImage,
  }
  if (m.ip !== undefined) v.instance_ip = m.ip
  if (m.gpu) v.instance_gpu = true
  if (!(m.profiles.length === 1 && m.profiles[0] === 'default')) v.instance_profiles = [...m.profiles]
  if (nonEmpty(m.config)) v.instance_config = { ...m.config }
  const devices: Devices = {
    ...sharedDevices,
    ...persistentDataDevices(d.name, m.name, m.persistentData),
    ...m.devices,
  }
  if (nonEmpty(devices)) v.instance_devices = devices
  if (m.storageVolumes.length > 0) {
    v.instance_storage_volumes = Object.fromEntries(
      m.storageVolumes.map((s) => [
        s.name,
        { pool: s.pool, ...(s.size !== undefined ? { size: s.size } : {}), path: s.path },
      ]),
    )
  }
  if (m.roles.length > 0) v.instance_roles = [...m.roles]
  if (m.bootAutostart !== undefined) v.instance_boot_autostart = m.bootAutostart
  if (m.bootPriority !== undefined) v.instance_boot_priority = m.bootPriority
  if (m.snapshotsSchedule !== undefined) v.instance_snapshots_schedule = m.snapshotsSchedule
  if (m.snapshotsExpiry !== undefined) v.instance_snapshots_expiry = m.snapshotsExpiry
  if (m.services !== undefined && m.services !== null) v.instance_services = m.services
  if (m.exportApps !== undefined) v.instance_export_apps = [...m.exportApps]
  if (m.persistentData !== undefined && m.persistentData !== null)
    v.instance_persistent_data = m.persistentData
  for (const [key, value] of Object.entries(m.vars ?? {})) {
    if (FORBIDDEN_VARS.has(key) || key in v || (MANAGED_HOST_KEYS as readonly string[]).includes(key))
      continue
    v[key] = value
  }
  return v
}

/** Why some of a machine's `vars` are not written (forbidden or clashing with a managed variable). */
export function skippedVars(m: Machine): string[] {
  const out: string[] = []
  for (const key of Object.keys(m.vars ?? {})) {
    if (FORBIDDEN_VARS.has(key)) {
      out.push(`${m.name}: vars.${key} not written (it would override the playbook's connection)`)
    } else if ((MANAGED_HOST_KEYS as readonly string[]).includes(key)) {
      out.push(`${m.name}: vars.${key} not written (anklume manages ${key})`)
    }
  }
  return out
}
