/**
 * Key-precise comparison of config maps and device maps, ignoring what the
 * server fills in by itself (so a converged infra plans zero changes).
 */
import type { Config, Device, Devices } from './desired-types.js'
import { LABEL_CONTEXT, LABEL_IMAGE } from './labels.js'
import type { Change, ObjectKind } from './plan-types.js'

/** True for a key the server sets by itself and that we leave alone when we did not declare it. */
export type ServerFilled = (key: string) => boolean

const NETWORK_FILLED = new Set(['ipv4.address', 'ipv6.address', 'ipv4.nat', 'ipv6.nat'])

/**
 * Seen on Incus 6.0.4: instances gain `volatile.*` and `image.*`; projects gain
 * `features.storage.buckets` (and other `features.*` defaults); networks gain
 * addresses and NAT defaults when not declared; storage drivers add their own
 * volume defaults (`block.*`, `zfs.*`, `lvm.*`, `btrfs.*`, `security.*`…), so for
 * volumes only `size`, `snapshots.*` and `user.*` are ours to remove.
 */
export const serverFilled: Record<ObjectKind, ServerFilled> = {
  network: (k) => k.startsWith('volatile.') || NETWORK_FILLED.has(k),
  project: (k) => k.startsWith('volatile.') || k.startsWith('features.'),
  profile: (k) => k.startsWith('volatile.'),
  volume: (k) => !(k === 'size' || k.startsWith('snapshots.') || k.startsWith('user.')),
  // The image label is compared separately (image drift -> rebuild); the
  // context mark plans a start (diff-instance.ts).
  instance: (k) =>
    k.startsWith('volatile.') || k.startsWith('image.') || k === LABEL_IMAGE || k === LABEL_CONTEXT,
}

/** `obj[key]` when `key` is obj's own: names like `constructor` or `toString` are data, never Object.prototype. */
export function own<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

export function configChanges(
  desired: Config,
  observed: Config,
  filled: ServerFilled,
  skip?: string,
): Change[] {
  const changes: Change[] = []
  for (const [key, to] of Object.entries(desired)) {
    if (key === skip) continue
    const from = own(observed, key)
    if (from !== to)
      changes.push(from === undefined ? { field: 'config', key, to } : { field: 'config', key, from, to })
  }
  for (const [key, from] of Object.entries(observed)) {
    if (key === skip || Object.hasOwn(desired, key) || filled(key)) continue
    changes.push({ field: 'config', key, from, to: undefined })
  }
  return changes.sort(byKey)
}

export function sameDevice(a: Device, b: Device): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
}

export function deviceChanges(desired: Devices, observed: Devices): Change[] {
  const changes: Change[] = []
  for (const [key, to] of Object.entries(desired)) {
    const from = own(observed, key)
    if (from === undefined) changes.push({ field: 'devices', key, to })
    else if (!sameDevice(from, to)) changes.push({ field: 'devices', key, from, to })
  }
  for (const [key, from] of Object.entries(observed)) {
    if (!Object.hasOwn(desired, key)) changes.push({ field: 'devices', key, from, to: undefined })
  }
  return changes.sort(byKey)
}

export function descriptionChange(desired: string, observed: string | undefined): Change[] {
  const from = observed ?? ''
  return from === desired ? [] : [{ field: 'description', from, to: desired }]
}

export function listChange(field: 'profiles', desired: string[], observed: string[]): Change[] {
  const same = desired.length === observed.length && desired.every((p, i) => p === observed[i])
  return same ? [] : [{ field, from: [...observed], to: [...desired] }]
}

function byKey(a: Change, b: Change): number {
  const x = a.key ?? ''
  const y = b.key ?? ''
  return x < y ? -1 : x > y ? 1 : 0
}
