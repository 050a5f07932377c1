import type { Infra } from '@anklume/schema'

/**
 * AnKLuMe's generator turned two compatibility keys into disk devices merged
 * into `instance_devices` (shared volumes first, then persistent data, then
 * the machine's own devices, which win): its playbooks create them. These
 * are the same devices, computed the same way.
 */

type Devices = Record<string, Record<string, string>>

const SHARED_BASE = '/srv/anklume/shares'
const PERSISTENT_BASE = '/srv/anklume/data'

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `shared_volumes` → `sv-<name>` disk devices per machine (domain consumers expand to their machines). */
export function sharedVolumeDevices(infra: Infra): Map<string, Devices> {
  const out = new Map<string, Devices>()
  if (!isMap(infra.sharedVolumes)) return out
  const byDomain = new Map(infra.domains.map((d) => [d.name, d.machines.map((m) => m.name)]))
  for (const [vname, raw] of Object.entries(infra.sharedVolumes)) {
    if (!isMap(raw)) continue
    const source = typeof raw.source === 'string' ? raw.source : `${SHARED_BASE}/${vname}`
    const path = typeof raw.path === 'string' ? raw.path : `/shared/${vname}`
    const shift = raw.shift !== false
    const consumers = isMap(raw.consumers) ? raw.consumers : {}
    const access = new Map<string, unknown>()
    for (const [name, mode] of Object.entries(consumers)) {
      for (const m of byDomain.get(name) ?? []) access.set(m, mode)
    }
    for (const [name, mode] of Object.entries(consumers)) if (!byDomain.has(name)) access.set(name, mode)
    for (const [machine, mode] of access) {
      const dev: Record<string, string> = { type: 'disk', source, path }
      if (shift) dev.shift = 'true'
      if (mode === 'ro') dev.readonly = 'true'
      const devices = out.get(machine) ?? {}
      devices[`sv-${vname}`] = dev
      out.set(machine, devices)
    }
  }
  return out
}

/** `persistent_data` → `pd-<name>` disk devices under /srv/anklume/data/<domain>/<machine>/<name>. */
export function persistentDataDevices(domain: string, machine: string, persistentData: unknown): Devices {
  const out: Devices = {}
  if (!isMap(persistentData)) return out
  for (const [vname, raw] of Object.entries(persistentData)) {
    if (!isMap(raw) || typeof raw.path !== 'string' || !raw.path) continue
    const dev: Record<string, string> = {
      type: 'disk',
      source: `${PERSISTENT_BASE}/${domain}/${machine}/${vname}`,
      path: raw.path,
      shift: 'true',
    }
    if (raw.readonly === true) dev.readonly = 'true'
    out[`pd-${vname}`] = dev
  }
  return out
}
