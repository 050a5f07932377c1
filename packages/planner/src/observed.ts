/**
 * ObservedState: what Incus holds, structurally as the REST API returns it
 * (the `metadata` of each recursion=1 listing). Only the fields the planner
 * reads are required; extra fields are allowed and ignored.
 */
import type { Config, Devices } from './desired-types.js'

/** GET /1.0/projects?recursion=1 */
export interface ObservedProject {
  name: string
  description?: string
  config: Config
  used_by?: string[] | null
}

/** GET /1.0/networks?recursion=1 (the `default` project). */
export interface ObservedNetwork {
  name: string
  description?: string
  type?: string
  managed?: boolean
  /**
   * `Created`; `Pending` when its creation was interrupted (on a cluster:
   * until the global create), `Errored` when a cluster member failed it.
   */
  status?: string
  config: Config
  used_by?: string[] | null
  /** Incus cluster: the members that have it. */
  locations?: string[] | null
}

/** GET /1.0/profiles?recursion=1&all-projects=true */
export interface ObservedProfile {
  name: string
  project: string
  description?: string
  config: Config
  devices: Devices
}

export interface ObservedAddress {
  family: string
  address: string
  netmask?: string
  scope?: string
}

/** GET /1.0/instances?recursion=1&all-projects=true (recursion=2 adds `state` and `snapshots`). */
export interface ObservedInstance {
  name: string
  project: string
  type: 'container' | 'virtual-machine' | string
  /** `Running`, `Stopped`, `Frozen`, `Error`… */
  status: string
  description?: string
  config: Config
  devices: Devices
  profiles: string[]
  state?: { network?: Record<string, { addresses?: ObservedAddress[] }> | null } | null
  snapshots?: unknown[] | null
  /** Incus cluster: the member the instance is on. */
  location?: string
  /**
   * Its cluster member is offline: Incus lists it with `status: Error` and
   * null config/devices (read as empty). Plans and applies leave it alone.
   */
  unreachable?: boolean
}

/** GET /1.0/storage-pools/<pool>/volumes?recursion=1&all-projects=true */
export interface ObservedVolume {
  name: string
  project: string
  /** `custom`, `container`, `virtual-machine`, `image`: only `custom` is considered. */
  type: string
  description?: string
  config: Config
  /** Incus cluster, pool local to each member: the member holding it. */
  location?: string
}

/** GET /1.0/storage-pools?recursion=1 */
export interface ObservedPool {
  name: string
  driver: string
  status?: string
  /** Incus cluster: the members that have it. */
  locations?: string[] | null
}

/** A member of an Incus cluster (GET /1.0/cluster/members?recursion=1). */
export interface ObservedMember {
  name: string
  /** `status` is `Online`. An offline member's instances are left alone. */
  online: boolean
  status: string
  /** Cluster groups (`default` at least): `placement: '@group'`. */
  groups: string[]
}

/** `server_clustered: true`: the members. Absent for a single Incus host. */
export interface ObservedCluster {
  members: ObservedMember[]
}

/** GET /1.0/images?recursion=1 */
export interface ObservedImage {
  fingerprint: string
  aliases?: { name: string; description?: string }[] | null
  update_source?: { alias?: string; server?: string; protocol?: string } | null
}

export interface ObservedState {
  projects: ObservedProject[]
  networks: ObservedNetwork[]
  profiles: ObservedProfile[]
  instances: ObservedInstance[]
  /** Volume listings keyed by storage pool name (the listing is per pool). */
  volumes: Record<string, ObservedVolume[]>
  images: ObservedImage[]
  /** GET /1.0/network-acls?recursion=1 (compared with the declared ACLs: `acl` actions). */
  acls?: ObservedAcl[]
  /** GET /1.0/network-zones?recursion=1 (compared with the declared zones: `zone` actions). */
  zones?: ObservedZone[]
  /** GET /1.0/storage-pools?recursion=1 (pool discovery, local pools on a cluster). */
  pools?: ObservedPool[]
  /** Present when Incus is a cluster. */
  cluster?: ObservedCluster
}

export interface ObservedAcl {
  name: string
  description?: string
  config: Config
  ingress?: unknown[] | null
  egress?: unknown[] | null
}

export interface ObservedZone {
  name: string
  description?: string
  config: Config
}

/** An Incus with nothing in it, for `plan --offline`. */
export function emptyObserved(): ObservedState {
  return { projects: [], networks: [], profiles: [], instances: [], volumes: {}, images: [] }
}
