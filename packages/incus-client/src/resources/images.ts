/**
 * Images: list, get, delete, aliases, import from a tarball (buffer or
 * stream), export to a stream or a file, and copy from a remote image server
 * (pulled by the daemon, e.g. simplestreams).
 */
import { createWriteStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type Core, seg } from '../core.js'
import { IncusError } from '../errors.js'
import { listObjects } from '../listing.js'
import type { ListOptions, MutationOptions, ProjectOptions } from '../types/common.js'
import type {
  Image,
  ImageAlias,
  ImageAliasesPost,
  ImageImportOptions,
  ImageRemoteSource,
} from '../types/image.js'
import type { Operation } from '../types/operation.js'

export interface ImageExport {
  body: Readable
  contentType: string
  /** File name the server suggests, e.g. `<fingerprint>.tar.gz`. */
  filename: string | undefined
}

export interface ImageAliases {
  list(options?: ProjectOptions): Promise<ImageAlias[]>
  get(name: string, options?: ProjectOptions): Promise<ImageAlias>
  create(body: ImageAliasesPost, options?: ProjectOptions): Promise<void>
  /** Points an alias at another image and/or changes its description. */
  update(
    name: string,
    body: { target: string; description?: string },
    options?: ProjectOptions,
  ): Promise<void>
  delete(name: string, options?: ProjectOptions): Promise<void>
}

export interface Images {
  list(options?: ListOptions): Promise<Image[]>
  get(fingerprint: string, options?: ProjectOptions): Promise<Image>
  delete(fingerprint: string, options?: MutationOptions): Promise<Operation | undefined>
  aliases: ImageAliases
  /** Uploads a unified image tarball; returns the new image's fingerprint. */
  importTarball(
    data: Buffer | Uint8Array | Readable,
    options?: ImageImportOptions & MutationOptions & { alias?: string },
  ): Promise<{ fingerprint: string }>
  /** Streams a unified image tarball (the caller must consume or destroy `body`). */
  export(fingerprint: string, options?: ProjectOptions): Promise<ImageExport>
  exportToFile(fingerprint: string, file: string, options?: ProjectOptions): Promise<{ bytes: number }>
  /** Has the daemon pull an image from a remote server; waits for it and returns the fingerprint. */
  copyFromRemote(
    source: ImageRemoteSource,
    options?: MutationOptions & { aliases?: string[]; autoUpdate?: boolean },
  ): Promise<{ fingerprint: string | undefined }>
}

function fingerprintOf(op: Operation | undefined): string | undefined {
  const fp = op?.metadata?.['fingerprint']
  return typeof fp === 'string' ? fp : undefined
}

export function imagesGroup(core: Core): Images {
  const aliasPath = (name: string) => `/1.0/images/aliases/${seg(name)}`
  const aliases: ImageAliases = {
    list: async (options = {}) =>
      (
        await core.request<ImageAlias[]>('GET', '/1.0/images/aliases', {
          ...options,
          query: { recursion: 1 },
        })
      ).metadata,
    get: async (name, options = {}) =>
      (await core.request<ImageAlias>('GET', aliasPath(name), options)).metadata,
    create: async (body, options = {}) => {
      await core.request('POST', '/1.0/images/aliases', { ...options, body })
    },
    update: async (name, body, options = {}) => {
      await core.request('PUT', aliasPath(name), { ...options, body: { description: '', ...body } })
    },
    delete: async (name, options = {}) => {
      await core.request('DELETE', aliasPath(name), options)
    },
  }
  const exportImage = async (fingerprint: string, options: ProjectOptions = {}): Promise<ImageExport> => {
    const res = await core.raw('GET', `/1.0/images/${seg(fingerprint)}/export`, options)
    const contentType = String(res.headers['content-type'] ?? '')
    const filename = /filename=("?)([^";]+)\1/.exec(String(res.headers['content-disposition'] ?? ''))?.[2]
    return { body: res.body, contentType, filename }
  }
  return {
    list: (options) =>
      listObjects<Image>(core, '/1.0/images', options, {
        extension: 'images_all_projects',
        feature: 'features.images',
      }),
    get: async (fingerprint, options = {}) =>
      (await core.request<Image>('GET', `/1.0/images/${seg(fingerprint)}`, options)).metadata,
    delete: (fingerprint, options = {}) => core.mutate('DELETE', `/1.0/images/${seg(fingerprint)}`, options),
    aliases,
    importTarball: async (data, options = {}) => {
      const headers: Record<string, string> = {
        'content-type': 'application/octet-stream',
        'x-incus-public': options.public ? '1' : '0',
      }
      if (options.filename) headers['x-incus-filename'] = options.filename
      if (options.properties)
        headers['x-incus-properties'] = new URLSearchParams(options.properties).toString()
      const scope = { project: options.project, signal: options.signal }
      const op = await core.mutate('POST', '/1.0/images', {
        ...scope,
        timeoutSec: options.timeoutSec,
        rawBody: data,
        headers,
      })
      const fingerprint = fingerprintOf(op)
      if (!fingerprint) {
        throw new IncusError('INCUS_BAD_RESPONSE', 'Image import finished without a fingerprint', {
          path: '/1.0/images',
          hint: 'List the images to find the new one.',
        })
      }
      if (options.alias) {
        await aliases.create({ name: options.alias, target: fingerprint }, scope)
      }
      return { fingerprint }
    },
    export: exportImage,
    exportToFile: async (fingerprint, file, options = {}) => {
      const exp = await exportImage(fingerprint, options)
      if (exp.contentType.startsWith('multipart/')) {
        exp.body.destroy()
        throw new IncusError(
          'INCUS_BAD_RESPONSE',
          `Image ${fingerprint} is a split image (metadata + rootfs)`,
          {
            hint: 'Only unified image tarballs can be exported to one file.',
          },
        )
      }
      let bytes = 0
      exp.body.on('data', (chunk: Buffer) => {
        bytes += chunk.length
      })
      await pipeline(exp.body, createWriteStream(file))
      return { bytes }
    },
    copyFromRemote: async (source, options = {}) => {
      const body = {
        source: { type: 'image', mode: 'pull', protocol: 'simplestreams', ...source },
        aliases: (options.aliases ?? []).map((name) => ({ name })),
        auto_update: options.autoUpdate ?? false,
      }
      const op = await core.mutate('POST', '/1.0/images', {
        project: options.project,
        signal: options.signal,
        timeoutSec: options.timeoutSec,
        body,
      })
      return { fingerprint: fingerprintOf(op) }
    },
  }
}
