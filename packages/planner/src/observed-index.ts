/** Maps over an ObservedState so that the diff stays linear in its size. */
import { isOurs } from './labels.js'
import type {
  ObservedImage,
  ObservedInstance,
  ObservedNetwork,
  ObservedProfile,
  ObservedProject,
  ObservedState,
  ObservedVolume,
} from './observed.js'

export type PooledVolume = ObservedVolume & { pool: string }

export interface ObservedIndex {
  projects: Map<string, ObservedProject>
  networks: Map<string, ObservedNetwork>
  /** `project/name` */
  profiles: Map<string, ObservedProfile>
  /** `project/name` */
  instances: Map<string, ObservedInstance>
  /** Our instances (labelled for this infra) by instance name, across projects. */
  oursByName: Map<string, ObservedInstance[]>
  /** `project/pool/name`, custom volumes only. */
  volumes: Map<string, PooledVolume>
  imagesByFingerprint: Map<string, ObservedImage>
  imagesByAlias: Map<string, ObservedImage>
  /** Incus cluster: members that are not online (their instances are left alone). */
  offlineMembers: Set<string>
}

export const pkey = (project: string, name: string): string => `${project}/${name}`
export const vkey = (project: string, pool: string, name: string): string => `${project}/${pool}/${name}`

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

export function indexObserved(o: ObservedState, projectName: string): ObservedIndex {
  const idx: ObservedIndex = {
    projects: new Map(o.projects.map((p) => [p.name, p])),
    networks: new Map(o.networks.map((n) => [n.name, n])),
    profiles: new Map(o.profiles.map((p) => [pkey(p.project, p.name), p])),
    instances: new Map(o.instances.map((i) => [pkey(i.project, i.name), i])),
    oursByName: new Map(),
    volumes: new Map(),
    imagesByFingerprint: new Map(o.images.map((i) => [i.fingerprint, i])),
    imagesByAlias: new Map(),
    offlineMembers: new Set((o.cluster?.members ?? []).filter((m) => !m.online).map((m) => m.name)),
  }
  for (const i of o.instances) if (isOurs(i.config, projectName)) push(idx.oursByName, i.name, i)
  for (const [pool, vols] of Object.entries(o.volumes)) {
    for (const v of vols) {
      if (v.type === 'custom') idx.volumes.set(vkey(v.project, pool, v.name), { ...v, pool })
    }
  }
  for (const img of o.images) for (const a of img.aliases ?? []) idx.imagesByAlias.set(a.name, img)
  return idx
}
