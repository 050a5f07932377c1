/** Instance snapshots: list, get, create, restore, delete. */
import { type Core, seg } from '../core.js'
import type { MutationOptions, ProjectOptions } from '../types/common.js'
import type { Snapshot, SnapshotsPost } from '../types/instance.js'
import type { Operation } from '../types/operation.js'

export interface Snapshots {
  list(instance: string, options?: ProjectOptions): Promise<Snapshot[]>
  get(instance: string, snapshot: string, options?: ProjectOptions): Promise<Snapshot>
  create(instance: string, body: SnapshotsPost, options?: MutationOptions): Promise<Operation | undefined>
  /** Puts the instance back to the snapshot (`PUT /1.0/instances/<n> {restore}`). */
  restore(instance: string, snapshot: string, options?: MutationOptions): Promise<Operation | undefined>
  delete(instance: string, snapshot: string, options?: MutationOptions): Promise<Operation | undefined>
}

export function snapshotsGroup(core: Core): Snapshots {
  const all = (instance: string) => `/1.0/instances/${seg(instance)}/snapshots`
  return {
    list: async (instance, options = {}) =>
      (await core.request<Snapshot[]>('GET', all(instance), { ...options, query: { recursion: 1 } }))
        .metadata,
    get: async (instance, snapshot, options = {}) =>
      (await core.request<Snapshot>('GET', `${all(instance)}/${seg(snapshot)}`, options)).metadata,
    create: (instance, body, options = {}) => core.mutate('POST', all(instance), { ...options, body }),
    restore: (instance, snapshot, options = {}) =>
      core.mutate('PUT', `/1.0/instances/${seg(instance)}`, { ...options, body: { restore: snapshot } }),
    delete: (instance, snapshot, options = {}) =>
      core.mutate('DELETE', `${all(instance)}/${seg(snapshot)}`, options),
  }
}
