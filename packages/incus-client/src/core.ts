/**
 * The client's shared core: JSON requests, raw (byte) requests, requests
 * that start an operation and wait for it, and the cached server info that
 * feature checks use. Resource groups are thin layers over this.
 */
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { checkEnvelope, etagOf, readEnvelope } from './envelope.js'
import { IncusError } from './errors.js'
import type { Http, Query } from './http.js'
import { waitOperation } from './operations.js'
import type { CallOptions, MutationOptions } from './types/common.js'
import type { Operation } from './types/operation.js'
import type { ServerInfo } from './types/server.js'

export interface RequestOptions extends CallOptions {
  /** Adds `?project=`. */
  project?: string | undefined
  /** Adds `?target=` (a cluster member, or `@group`). */
  target?: string | undefined
  query?: Query | undefined
  /** JSON body. */
  body?: unknown
  /** Raw body (file contents, image tarballs); sent as is with `headers`. */
  rawBody?: string | Buffer | Uint8Array | Readable | undefined
  headers?: Record<string, string> | undefined
  /** Sent as If-Match: the server answers 412 (INCUS_CONFLICT) when the object changed. */
  etag?: string | undefined
}

export interface IncusResponse<T> {
  /** HTTP status. */
  status: number
  type: 'sync' | 'async'
  etag: string | undefined
  metadata: T
  /** Operation URL of an async answer. */
  operation?: string
}

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Dispatcher.ResponseData['body']
}

export interface WaitOptions extends CallOptions {
  /** Give up after this many seconds (INCUS_TIMEOUT); no limit when omitted. */
  timeoutSec?: number | undefined
}

export class Core {
  readonly http: Http
  private readonly ignored: ReadonlySet<string>
  private info: Promise<ServerInfo> | undefined

  constructor(http: Http, ignoreExtensions: readonly string[] = []) {
    this.http = http
    this.ignored = new Set(ignoreExtensions)
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<IncusResponse<T>> {
    const headers: Record<string, string> = { ...options.headers }
    let body = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] = 'application/json'
    }
    if (options.etag !== undefined) headers['if-match'] = options.etag
    return this.http.exchange(
      method,
      path,
      { query: withProject(options), headers, body, signal: options.signal },
      async (res, full) => {
        const req = { method, path: full }
        const env = await readEnvelope(res, req)
        checkEnvelope(env, res.statusCode, req)
        const out: IncusResponse<T> = {
          status: res.statusCode,
          type: env.type === 'async' ? 'async' : 'sync',
          etag: etagOf(res),
          metadata: env.metadata as T,
        }
        if (env.operation) out.operation = env.operation
        return out
      },
    )
  }

  /** A request whose successful answer is bytes (files, logs, image exports), not JSON. */
  raw(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const req = { method, path }
    return this.http.exchange(
      method,
      path,
      {
        query: withProject(options),
        headers: options.headers,
        body: options.rawBody,
        signal: options.signal,
      },
      async (res) => {
        if (res.statusCode >= 400) {
          const env = await readEnvelope(res, req)
          checkEnvelope(env, res.statusCode, req)
        }
        return { status: res.statusCode, headers: res.headers, body: res.body }
      },
    )
  }

  /**
   * Sends a request that may start an operation and, unless `wait: false`,
   * waits for it. Returns the operation (finished, or running when not
   * waited for), or undefined for a sync answer or an operation that
   * finished and was forgotten before the wait began (re-read the object).
   */
  async mutate(
    method: string,
    path: string,
    options: RequestOptions & MutationOptions,
  ): Promise<Operation | undefined> {
    const res = await this.request<Operation>(method, path, options)
    if (res.type !== 'async' || !res.operation) return undefined
    if (options.wait === false) return res.metadata
    return this.wait(res.operation, options)
  }

  wait(operation: string, options: WaitOptions = {}): Promise<Operation | undefined> {
    return waitOperation(this, operation, options)
  }

  /**
   * `GET /1.0`, fetched once and cached for the life of the client (a failed
   * fetch is not cached). The shared fetch is not tied to one caller's
   * signal: each caller's signal only stops that caller's wait for it.
   */
  server(signal?: AbortSignal): Promise<ServerInfo> {
    if (!this.info) {
      const info = this.request<ServerInfo>('GET', '/1.0').then((r) => r.metadata)
      this.info = info
      info.catch(() => {
        if (this.info === info) this.info = undefined
      })
    }
    return untilAborted(this.info, signal, 'GET /1.0')
  }

  /** Whether the server has an API extension (and it is not in `ignoreExtensions`). */
  async hasExtension(name: string, signal?: AbortSignal): Promise<boolean> {
    if (this.ignored.has(name)) return false
    return (await this.server(signal)).api_extensions.includes(name)
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise
  const cancelled = () => new IncusError('INCUS_CANCELLED', `Request cancelled: ${what}`)
  if (signal.aborted) return Promise.reject(cancelled())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Adds `project` and `target` to a query when set. */
export function withProject(options: {
  project?: string | undefined
  target?: string | undefined
  query?: Query | undefined
}): Query | undefined {
  if (options.project === undefined && options.target === undefined) return options.query
  return {
    ...options.query,
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
  }
}

/** Encodes one path segment (names may contain `/`, e.g. image aliases). */
export const seg = (name: string): string => encodeURIComponent(name)
