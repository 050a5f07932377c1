/**
 * The Plan: ordered actions with dependency edges, each saying what, where
 * and why. The executor (@anklume/engine) runs it.
 */
import type { DesiredAcl, DesiredZone } from './auxiliary.js'
import type {
  DesiredInstance,
  DesiredNetwork,
  DesiredProfile,
  DesiredProject,
  DesiredVolume,
} from './desired-types.js'

export type Op = 'create' | 'update' | 'restart' | 'replace' | 'delete' | 'start' | 'rebuild' | 'move'
/** Incus objects inside or beside the infra's projects. */
export type ObjectKind = 'network' | 'project' | 'profile' | 'volume' | 'instance'
/**
 * Every kind of action: the Incus objects, the network ACLs and zones beside
 * the bridges, and the host's nftables isolation table.
 */
export type Kind = ObjectKind | 'acl' | 'zone' | 'nft-table'

/** The isolation table to load on the Incus host (what `nft -f` gets). */
export interface DesiredTable {
  /** `inet <table>`. */
  table: string
  /** The generated nft text (one atomic transaction that replaces the table). */
  text: string
  /** Bridges of the enabled domains (the loader warns when they are not on this host). */
  bridges: string[]
}

/**
 * One precise edit of an existing object. `to: undefined` removes the key or
 * device. `devices` changes carry the whole device object. `profiles` sets the
 * whole list. `project`/`type` only appear on `replace`, `source` on `rebuild`,
 * `location` (cluster member) on `move`.
 */
export interface Change {
  field: 'config' | 'devices' | 'profiles' | 'description' | 'type' | 'source' | 'project' | 'location'
  key?: string
  from?: unknown
  to?: unknown
}

export type DesiredObject =
  | DesiredNetwork
  | DesiredProject
  | DesiredProfile
  | DesiredVolume
  | DesiredInstance
  | DesiredAcl
  | DesiredZone
  | DesiredTable

/** What every action carries, whatever its kind and op. */
export interface ActionBase {
  /** Stable id: `<kind>:<project>/<name>:<op>` (`<kind>:<name>:<op>` for networks and projects). */
  id: string
  /** Incus project holding the object (absent for networks and projects). */
  project?: string
  name: string
  /** Unprefixed domain the object belongs to, when known. */
  domain?: string
  /** Storage pool (volumes only). */
  pool?: string
  /** Ids of actions that must succeed first. Always earlier in `Plan.actions`. */
  dependsOn: string[]
  /**
   * Ids of actions that must have finished first, whatever their outcome (the
   * isolation table is loaded after the bridges, even when one failed).
   */
  after?: string[]
  reason: string
  changes: Change[]
  /** An update of a running instance that needs a restart to take effect. */
  restart?: boolean
  /** The instance has (create: will have) `security.protection.delete=true`. */
  protected?: boolean
}

/** Creates and updates of a kind carry the desired object; deletes carry none. */
type Shaped<K extends Kind, D, WithDesired extends Op, Bare extends Op = 'delete'> =
  | (ActionBase & { kind: K; op: WithDesired; desired: D })
  | (ActionBase & { kind: K; op: Bare; desired?: undefined })

export type NetworkAction = Shaped<'network', DesiredNetwork, 'create' | 'update'>
export type ProjectAction = Shaped<'project', DesiredProject, 'create' | 'update'>
export type ProfileAction = Shaped<'profile', DesiredProfile, 'create' | 'update'>
export type VolumeAction = Shaped<'volume', DesiredVolume, 'create' | 'update'>
/** A restart (a profile's devices changed) and a delete need no desired instance. */
export type InstanceAction = Shaped<
  'instance',
  DesiredInstance,
  'create' | 'update' | 'replace' | 'rebuild' | 'start' | 'move',
  'restart' | 'delete'
>

export type AclAction = Shaped<'acl', DesiredAcl, 'create' | 'update'>
export type ZoneAction = Shaped<'zone', DesiredZone, 'create' | 'update'>
/** `create`: the table is missing; `update`: it differs from the generated one. Both load it whole. */
export type TableAction = ActionBase & { kind: 'nft-table'; op: 'create' | 'update'; desired: DesiredTable }

/** One step of a plan, discriminated by `kind` and `op`. */
export type Action =
  | NetworkAction
  | ProjectAction
  | ProfileAction
  | VolumeAction
  | InstanceAction
  | AclAction
  | ZoneAction
  | TableAction

/** The actions of one kind. */
export type ActionOf<K extends Kind> = Extract<Action, { kind: K }>

export interface Skipped {
  kind: Kind
  project?: string
  name: string
  domain?: string
  /** What would have been done. */
  op: Op
  reason: string
}

/** Counts of the Incus object actions (network, project, profile, volume, instance) by op, then the rest. */
export interface PlanSummary {
  create: number
  update: number
  replace: number
  delete: number
  start: number
  restart: number
  rebuild: number
  /** Instances moved to another cluster member (Incus migration, not delete + create). */
  move: number
  /** Network ACL and zone actions (creates, updates, deletes). */
  auxiliary: number
  /** Isolation table actions (0 or 1). */
  isolation: number
}

export interface Plan {
  actions: Action[]
  skipped: Skipped[]
  warnings: string[]
  summary: PlanSummary
}

export function actionId(kind: Kind, project: string | undefined, name: string, op: Op): string {
  return `${kind}:${project === undefined ? '' : `${project}/`}${name}:${op}`
}
