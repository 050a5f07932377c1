/** The instance files API: push a file, make a directory, read a file, delete. */
import type { Readable } from 'node:stream'
import { type Core, seg } from '../core.js'
import type { ProjectOptions } from '../types/common.js'

export interface FileOwnership extends ProjectOptions {
  /** Permission bits, e.g. 0o644 (default 0o644 for files, 0o755 for directories). */
  mode?: number
  uid?: number
  gid?: number
}

export interface FileContent {
  content: Buffer
  uid: number
  gid: number
  mode: number
  type: string
}

export interface Files {
  /** Writes (creates or overwrites) a file in the instance. */
  push(
    instance: string,
    path: string,
    content: string | Buffer | Uint8Array | Readable,
    options?: FileOwnership,
  ): Promise<void>
  /** Creates a directory (its parent must exist: INCUS_NOT_FOUND otherwise); an existing one is fine. */
  mkdir(instance: string, path: string, options?: FileOwnership): Promise<void>
  /** Reads a file's bytes. */
  read(instance: string, path: string, options?: ProjectOptions): Promise<Buffer>
  /** Reads a file's bytes, owner and mode. */
  readWithInfo(instance: string, path: string, options?: ProjectOptions): Promise<FileContent>
  delete(instance: string, path: string, options?: ProjectOptions): Promise<void>
}

function ownerHeaders(type: 'file' | 'directory', options: FileOwnership): Record<string, string> {
  const mode = options.mode ?? (type === 'file' ? 0o644 : 0o755)
  return {
    'x-incus-type': type,
    'x-incus-mode': `0${mode.toString(8)}`,
    'x-incus-uid': String(options.uid ?? 0),
    'x-incus-gid': String(options.gid ?? 0),
  }
}

export function filesGroup(core: Core): Files {
  const at = (instance: string) => `/1.0/instances/${seg(instance)}/files`
  const readWithInfo = async (instance: string, path: string, options: ProjectOptions = {}) => {
    const res = await core.raw('GET', at(instance), { ...options, query: { path } })
    const content = Buffer.from(await res.body.arrayBuffer())
    const h = (name: string) => String(res.headers[name] ?? '')
    return {
      content,
      uid: Number(h('x-incus-uid')),
      gid: Number(h('x-incus-gid')),
      mode: Number.parseInt(h('x-incus-mode') || '0', 8),
      type: h('x-incus-type'),
    }
  }
  return {
    push: async (instance, path, content, options = {}) => {
      const headers = {
        ...ownerHeaders('file', options),
        'x-incus-write': 'overwrite',
        'content-type': 'application/octet-stream',
      }
      const rawBody = typeof content === 'string' ? Buffer.from(content) : content
      await core.request('POST', at(instance), { ...options, query: { path }, headers, rawBody })
    },
    mkdir: async (instance, path, options = {}) => {
      await core.request('POST', at(instance), {
        ...options,
        query: { path },
        headers: ownerHeaders('directory', options),
      })
    },
    read: async (instance, path, options) => (await readWithInfo(instance, path, options)).content,
    readWithInfo,
    delete: async (instance, path, options = {}) => {
      await core.request('DELETE', at(instance), { ...options, query: { path } })
    },
  }
}
