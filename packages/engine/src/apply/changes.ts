import type { Change } from '@anklume/planner'

/** The writable part of an Incus object that plan changes edit. */
export interface Editable {
  config?: Record<string, string>
  devices?: Record<string, Record<string, string>>
  profiles?: string[]
  description?: string
}

/**
 * Applies a plan's precise changes to a freshly read object, leaving every
 * other key (server-filled ones included) as the server has it.
 */
export function applyChanges<T extends Editable>(fresh: T, changes: readonly Change[]): T {
  const out: T = {
    ...fresh,
    config: { ...(fresh.config ?? {}) },
    ...(fresh.devices ? { devices: { ...fresh.devices } } : {}),
  }
  for (const c of changes) {
    switch (c.field) {
      case 'config': {
        const config = out.config as Record<string, string>
        if (c.key === undefined) break
        if (c.to === undefined) delete config[c.key]
        else config[c.key] = String(c.to)
        break
      }
      case 'devices': {
        if (!out.devices) out.devices = {}
        const devices = out.devices
        if (c.key === undefined) break
        if (c.to === undefined) delete devices[c.key]
        else devices[c.key] = { ...(c.to as Record<string, string>) }
        break
      }
      case 'profiles':
        out.profiles = [...((c.to as string[] | undefined) ?? [])]
        break
      case 'description':
        out.description = (c.to as string | undefined) ?? ''
        break
      default:
        break
    }
  }
  return out
}
