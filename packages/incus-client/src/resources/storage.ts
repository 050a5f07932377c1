/** Storage pools (read) and custom storage volumes (CRUD, per pool). */
import { type Core, seg } from '../core.js'
import { listObjects } from '../listing.js'
import type {
  CallOptions,
  ListOptions,
  MutationOptions,
  ProjectOptions,
  UpdateOptions,
  WithEtag,
} from '../types/common.js'
import type { Operation } from '../types/operation.js'
import type { StoragePool, StorageVolume, StorageVolumePut, StorageVolumesPost } from '../types/storage.js'
import { crud } from './crud.js'

export interface StorageVolumes {
  /** Custom volumes of a pool (in one project, or across projects with `allProjects`). */
  list(pool: string, options?: ListOptions): Promise<StorageVolume[]>
  get(pool: string, name: string, options?: ProjectOptions): Promise<StorageVolume>
  getWithEtag(pool: string, name: string, options?: ProjectOptions): Promise<WithEtag<StorageVolume>>
  create(pool: string, body: StorageVolumesPost, options?: MutationOptions): Promise<Operation | undefined>
  update(
    pool: string,
    name: string,
    body: StorageVolumePut,
    options?: UpdateOptions,
  ): Promise<Operation | undefined>
  patch(
    pool: string,
    name: string,
    body: Partial<StorageVolumePut>,
    options?: UpdateOptions,
  ): Promise<Operation | undefined>
  delete(pool: string, name: string, options?: MutationOptions): Promise<Operation | undefined>
}

export interface Storage {
  pools: {
    list(options?: CallOptions): Promise<StoragePool[]>
    get(name: string, options?: CallOptions): Promise<StoragePool>
  }
  volumes: StorageVolumes
}

export function storageGroup(core: Core): Storage {
  const volumes = (pool: string) =>
    crud<StorageVolume, StorageVolumesPost, StorageVolumePut>(
      core,
      `/1.0/storage-pools/${seg(pool)}/volumes/custom`,
      {
        extension: 'storage_volumes_all_projects',
        feature: 'features.storage.volumes',
      },
    )
  return {
    pools: {
      list: (options) => listObjects<StoragePool>(core, '/1.0/storage-pools', options),
      get: async (name, options = {}) =>
        (await core.request<StoragePool>('GET', `/1.0/storage-pools/${seg(name)}`, options)).metadata,
    },
    volumes: {
      list: (pool, options) => volumes(pool).list(options),
      get: (pool, name, options) => volumes(pool).get(name, options),
      getWithEtag: (pool, name, options) => volumes(pool).getWithEtag(name, options),
      create: (pool, body, options) => volumes(pool).create(body, options),
      update: (pool, name, body, options) => volumes(pool).update(name, body, options),
      patch: (pool, name, body, options) => volumes(pool).patch(name, body, options),
      delete: (pool, name, options) => volumes(pool).delete(name, options),
    },
  }
}
