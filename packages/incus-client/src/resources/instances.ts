/** Instances (containers and VMs): CRUD, state changes, rebuild. */
import { type Core, seg } from '../core.js'
import type { MutationOptions, ProjectOptions } from '../types/common.js'
import type {
  Instance,
  InstancePut,
  InstanceRebuildPost,
  InstanceState,
  InstanceStatePut,
  InstancesPost,
} from '../types/instance.js'
import type { Operation } from '../types/operation.js'
import { type Crud, crud } from './crud.js'

export interface InstanceDeleteOptions extends MutationOptions {
  /** Stop a running instance (forced) before deleting it. */
  force?: boolean
}

export interface Instances extends Omit<Crud<Instance, InstancesPost, InstancePut>, 'delete'> {
  /** Runtime state: status, processes, network addresses. */
  state(name: string, options?: ProjectOptions): Promise<InstanceState>
  /** start, stop, restart, freeze, unfreeze (with `force` and `timeout` for stop/restart). */
  setState(name: string, state: InstanceStatePut, options?: MutationOptions): Promise<Operation | undefined>
  /** Re-creates the root filesystem from an image (or empty with `{type: 'none'}`); the instance must be stopped. */
  rebuild(name: string, body: InstanceRebuildPost, options?: MutationOptions): Promise<Operation | undefined>
  delete(name: string, options?: InstanceDeleteOptions): Promise<Operation | undefined>
  /**
   * Incus cluster: moves the instance to another member (`POST` on the
   * instance with `?target=`, Incus's own migration). A container must be
   * stopped first.
   */
  move(name: string, target: string, options?: MutationOptions): Promise<Operation | undefined>
}

export function instancesGroup(core: Core): Instances {
  const base = crud<Instance, InstancesPost, InstancePut>(core, '/1.0/instances', {
    extension: 'instance_all_projects',
  })
  const one = (name: string) => `/1.0/instances/${seg(name)}`
  return {
    ...base,
    state: async (name, options = {}) =>
      (await core.request<InstanceState>('GET', `${one(name)}/state`, options)).metadata,
    setState: (name, state, options = {}) =>
      core.mutate('PUT', `${one(name)}/state`, { ...options, body: state }),
    rebuild: (name, body, options = {}) => core.mutate('POST', `${one(name)}/rebuild`, { ...options, body }),
    move: (name, target, options = {}) =>
      core.mutate('POST', one(name), { ...options, target, body: { name, migration: true, live: false } }),
    delete: async (name, options = {}) => {
      if (options.force) {
        const state = await core.request<InstanceState>('GET', `${one(name)}/state`, options)
        if (state.metadata.status_code !== 102) {
          await core.mutate('PUT', `${one(name)}/state`, {
            ...options,
            wait: true,
            body: { action: 'stop', force: true },
          })
        }
      }
      return core.mutate('DELETE', one(name), options)
    },
  }
}
