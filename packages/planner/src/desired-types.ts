/**
 * DesiredState: what Incus must hold after `apply`, as plain data, already
 * named (nesting prefix applied) and labelled. Built by `desired()`.
 */

import type { DesiredAcl, DesiredZone } from './auxiliary.js'

export type Config = Record<string, string>
export type Device = Record<string, string>
export type Devices = Record<string, Device>

/** A managed bridge in the `default` project. */
export interface DesiredNetwork {
  name: string
  /** Unprefixed domain name. */
  domain: string
  description: string
  config: Config
}

export interface DesiredProject {
  name: string
  domain: string
  description: string
  config: Config
}

/** A profile of a domain project: its `default` profile or a domain profile. */
export interface DesiredProfile {
  project: string
  name: string
  domain: string
  description: string
  config: Config
  devices: Devices
}

/** A custom storage volume in a domain project. */
export interface DesiredVolume {
  project: string
  pool: string
  name: string
  domain: string
  description: string
  config: Config
  /** Incus cluster, pool local to each member: the member of the instance that uses it (`?target=`). */
  target?: string
}

/** `source` of POST /1.0/instances. */
export interface ImageSource {
  type: 'image'
  alias?: string
  fingerprint?: string
  server?: string
  protocol?: 'simplestreams'
}

export interface DesiredInstance {
  project: string
  /** Incus instance name (prefixed). */
  name: string
  /** Machine name as written in the infra file. */
  machine: string
  domain: string
  type: 'container' | 'virtual-machine'
  description: string
  /** The `os_image` string as declared (also stored in the `user.anklume.image` label). */
  image: string
  source: ImageSource
  profiles: string[]
  config: Config
  devices: Devices
  /** Not ephemeral: `security.protection.delete=true`. */
  protected: boolean
  /** incus_socket: the proxy listen directory must exist in the instance before its first start. */
  needsSocketDir: boolean
  /** Host access the infra file allows this machine (`raw.lxc`, `disk:/etc`…): the plan text shows it. Absent when none. */
  hostAccess?: string[]
  /** Incus cluster: the member it runs on (creation: `?target=`; see placement.ts). */
  target?: string
  /** Incus cluster: members it may stay on (declared placement); absent = anywhere, never moved. */
  allowedMembers?: string[]
  /** Incus cluster: the placement as declared (`node2`, `@gpu`). */
  placement?: string
}

export interface DesiredState {
  /** The infra's `project_name` (value of the `user.anklume.project` label). */
  projectName: string
  networks: DesiredNetwork[]
  projects: DesiredProject[]
  profiles: DesiredProfile[]
  volumes: DesiredVolume[]
  instances: DesiredInstance[]
  /** Unprefixed names of disabled domains: their objects are left alone and never orphans. */
  disabledDomains: string[]
  /** Incus network ACLs (isolation.network_acls), in the default project; `acl` actions before the bridges. */
  acls: DesiredAcl[]
  /** Incus network zones (dns_zone); `zone` actions before the bridges. */
  zones: DesiredZone[]
  warnings: string[]
  /** resource_policy errors (overcommit without `overcommit: true`…): the caller must not apply. */
  errors: string[]
}
