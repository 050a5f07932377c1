/**
 * The CRUD shape most Incus collections share: list, get (with or without
 * its ETag), create, update (PUT), patch, delete, rename.
 */
import { type Core, seg } from '../core.js'
import { listObjects, type ProjectScope } from '../listing.js'
import type {
  ListOptions,
  MutationOptions,
  ProjectOptions,
  UpdateOptions,
  WithEtag,
} from '../types/common.js'
import type { Operation } from '../types/operation.js'

export interface Crud<T, Post, Put> {
  list(options?: ListOptions): Promise<T[]>
  get(name: string, options?: ProjectOptions): Promise<T>
  getWithEtag(name: string, options?: ProjectOptions): Promise<WithEtag<T>>
  create(body: Post, options?: MutationOptions): Promise<Operation | undefined>
  /** PUT: replaces the writable fields; pass `etag` to fail with INCUS_CONFLICT if it changed. */
  update(name: string, body: Put, options?: UpdateOptions): Promise<Operation | undefined>
  /**
   * PATCH: sends only the given fields. How a `config` map merges is the
   * server's choice: instances and profiles merge keys, projects replace the map.
   */
  patch(name: string, body: Partial<Put>, options?: UpdateOptions): Promise<Operation | undefined>
  delete(name: string, options?: MutationOptions): Promise<Operation | undefined>
  rename(name: string, newName: string, options?: MutationOptions): Promise<Operation | undefined>
}

export function crud<T extends object, Post, Put>(
  core: Core,
  base: string,
  scope?: ProjectScope,
): Crud<T, Post, Put> {
  const one = (name: string) => `${base}/${seg(name)}`
  return {
    list: (options) => listObjects<T>(core, base, options, scope),
    get: async (name, options = {}) => (await core.request<T>('GET', one(name), options)).metadata,
    getWithEtag: async (name, options = {}) => {
      const res = await core.request<T>('GET', one(name), options)
      return { value: res.metadata, etag: res.etag }
    },
    create: (body, options = {}) => core.mutate('POST', base, { ...options, body }),
    update: (name, body, options = {}) => core.mutate('PUT', one(name), { ...options, body }),
    patch: (name, body, options = {}) => core.mutate('PATCH', one(name), { ...options, body }),
    delete: (name, options = {}) => core.mutate('DELETE', one(name), options),
    rename: (name, newName, options = {}) =>
      core.mutate('POST', one(name), { ...options, body: { name: newName } }),
  }
}
