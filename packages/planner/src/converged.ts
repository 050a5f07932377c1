/**
 * The ObservedState Incus 6.0 returns once a DesiredState has been applied,
 * with the keys the server adds by itself (seen on Incus 6.0.4): `volatile.*`
 * and `image.*` on instances, `features.storage.buckets` on projects, the
 * `default` project and its profile. Used by tests (a converged infra must
 * plan zero changes) and benchmarks.
 */
import { own } from './compare.js'
import type { DesiredState } from './desired-types.js'
import type { ObservedImage, ObservedState, ObservedVolume } from './observed.js'
import { emptyObserved } from './observed.js'

/** A deterministic 64-hex fingerprint for an image string. */
export function fakeFingerprint(image: string): string {
  let h = 0x811c9dc5
  let out = ''
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${round}:${image}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
    out += h.toString(16).padStart(8, '0')
  }
  return out.slice(0, 64)
}

export interface ConvergedOptions {
  /** Instance status (default `Running`). */
  status?: string
}

export function observedFrom(d: DesiredState, opts: ConvergedOptions = {}): ObservedState {
  const o = emptyObserved()
  o.projects.push({
    name: 'default',
    description: 'Default Incus project',
    config: {
      'features.images': 'true',
      'features.networks': 'true',
      'features.networks.zones': 'true',
      'features.profiles': 'true',
      'features.storage.buckets': 'true',
      'features.storage.volumes': 'true',
    },
  })
  o.profiles.push({
    name: 'default',
    project: 'default',
    description: 'Default Incus profile',
    config: {},
    devices: {},
  })
  for (const n of d.networks) {
    o.networks.push({
      name: n.name,
      description: n.description,
      type: 'bridge',
      managed: true,
      config: { ...n.config },
    })
  }
  for (const p of d.projects) {
    o.projects.push({
      name: p.name,
      description: p.description,
      config: { 'features.storage.buckets': 'true', ...p.config },
    })
  }
  for (const p of d.profiles) {
    o.profiles.push({
      name: p.name,
      project: p.project,
      description: p.description,
      config: { ...p.config },
      devices: structuredClone(p.devices),
    })
  }
  const images = new Map<string, ObservedImage>()
  for (const i of d.instances) {
    const fp = fakeFingerprint(i.image)
    if (!images.has(fp)) {
      images.set(fp, {
        fingerprint: fp,
        aliases: i.source.server ? [] : [{ name: i.source.alias ?? '' }],
        update_source: i.source.server
          ? { alias: i.source.alias ?? '', server: i.source.server, protocol: 'simplestreams' }
          : null,
      })
    }
    o.instances.push({
      name: i.name,
      project: i.project,
      type: i.type,
      status: opts.status ?? 'Running',
      description: i.description,
      config: {
        ...i.config,
        'image.os': 'Debian',
        'image.release': 'trixie',
        'volatile.base_image': fp,
        'volatile.uuid': fakeFingerprint(`uuid:${i.project}/${i.name}`).slice(0, 32),
        'volatile.eth0.hwaddr': '10:66:6a:00:00:01',
        'volatile.last_state.power': 'RUNNING',
      },
      devices: structuredClone(i.devices),
      profiles: [...i.profiles],
    })
  }
  o.images.push(...images.values())
  for (const v of d.volumes) {
    const list: ObservedVolume[] = own(o.volumes, v.pool) ?? []
    list.push({
      name: v.name,
      project: v.project,
      type: 'custom',
      description: v.description,
      config: { ...v.config },
    })
    o.volumes[v.pool] = list
  }
  return o
}
