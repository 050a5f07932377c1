/** Shapes shared by many Incus objects. */

export type ConfigMap = Record<string, string>
export type Device = Record<string, string>
export type DeviceMap = Record<string, Device>

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal
}

/** Options of calls on project-scoped objects. */
export interface ProjectOptions extends CallOptions {
  /** Incus project; the server's default project when omitted. */
  project?: string
  /**
   * Incus cluster: the member the request is about (`?target=`): where a
   * new instance or custom volume goes, the member-specific phase of a
   * network create, which member's copy of a local volume to read.
   * `@group` names a cluster group (instance creation).
   */
  target?: string
}

/** Options of list calls on project-scoped objects. */
export interface ListOptions extends ProjectOptions {
  /** List across every project (objects then carry their `project`). */
  allProjects?: boolean
}

/** Options of calls that may start a background operation. */
export interface MutationOptions extends ProjectOptions {
  /** Wait for the operation to finish (default true). */
  wait?: boolean
  /** Give up waiting after this many seconds (INCUS_TIMEOUT); no limit when omitted. */
  timeoutSec?: number
}

/** Options of updates (PUT/PATCH). */
export interface UpdateOptions extends MutationOptions {
  /** ETag from a previous read: the server answers 412 (INCUS_CONFLICT) if the object changed. */
  etag?: string
}

/** A value together with the ETag the server sent with it. */
export interface WithEtag<T> {
  value: T
  etag: string | undefined
}
