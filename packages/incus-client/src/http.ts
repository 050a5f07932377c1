/**
 * One HTTP exchange with the daemon: query building, request counting and the
 * `onRequest` hook, cancellation, timeouts, and retries of idempotent reads
 * (GET/HEAD only) on transport errors. Everything else (JSON envelopes,
 * operations) sits on top of this.
 */
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { IncusError } from './errors.js'
import type { Transport } from './transport.js'
import { classifyTransportError } from './transport-errors.js'

export type Query = Record<string, string | number | boolean | undefined>

export interface RequestEvent {
  method: string
  /** Path with its query string. */
  path: string
  /** HTTP status, or 0 when no response arrived (transport error). */
  status: number
  durationMs: number
  /** 1 for the first try, 2+ for retries. */
  attempt: number
  /** The IncusError code, when no response arrived. */
  error?: string
}

/** A request still without an answer after a while (`onWaiting`). */
export interface WaitingEvent {
  method: string
  /** Path with its query string. */
  path: string
  /** Time since the request was sent. */
  waitedMs: number
  /** The limit it will hit (the request timeout). */
  timeoutMs: number
}

export interface ClientStats {
  /** HTTP exchanges sent, retries and operation waits included. */
  requests: number
  /** Exchanges other than GET/HEAD. */
  writes: number
  /** Retries after transport errors. */
  retries: number
}

export interface HttpOptions {
  onRequest?: ((event: RequestEvent) => void) | undefined
  userAgent?: string | undefined
  /** Extra tries of a GET/HEAD after a transport error (default 2). */
  retries?: number | undefined
  /** Time allowed for response headers and between body chunks (default 300 s). */
  requestTimeoutMs?: number | undefined
  /**
   * Called while a request has no answer: after `waitingNoticeMs`, then at
   * doubling intervals (at most a minute apart). Long polls (operation
   * waits, which are meant to wait) do not report.
   */
  onWaiting?: ((event: WaitingEvent) => void) | undefined
  /** First `onWaiting` call after this long without response headers (default 5000 ms). */
  waitingNoticeMs?: number | undefined
}

export interface ExchangeOptions {
  query?: Query | undefined
  headers?: Record<string, string> | undefined
  body?: string | Buffer | Uint8Array | Readable | undefined
  signal?: AbortSignal | undefined
  /** Overrides the client's request timeout (used by long polls). */
  timeoutMs?: number | undefined
}

export function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v))
  const qs = params.toString()
  if (!qs) return path
  return path + (path.includes('?') ? '&' : '?') + qs
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class Http {
  readonly stats: ClientStats = { requests: 0, writes: 0, retries: 0 }
  private readonly transport: Transport
  private readonly options: HttpOptions

  constructor(transport: Transport, options: HttpOptions) {
    this.transport = transport
    this.options = options
  }

  get target(): string {
    return this.transport.target
  }

  /**
   * Sends one request and hands the response to `consume` (which reads the
   * body). Transport errors, during the request or while reading the body,
   * are retried for GET/HEAD only.
   */
  async exchange<R>(
    method: string,
    path: string,
    options: ExchangeOptions,
    consume: (res: Dispatcher.ResponseData, fullPath: string) => Promise<R>,
  ): Promise<R> {
    const full = withQuery(path, options.query)
    const idempotent = method === 'GET' || method === 'HEAD'
    const maxAttempts = idempotent ? 1 + (this.options.retries ?? 2) : 1
    const timeout = options.timeoutMs ?? this.options.requestTimeoutMs ?? 300_000
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'anklume-incus-client' }
    Object.assign(headers, options.headers)
    for (let attempt = 1; ; attempt++) {
      if (options.signal?.aborted) throw cancelled(method, full)
      const started = performance.now()
      let status = 0
      this.stats.requests++
      if (!idempotent) this.stats.writes++
      const answered = options.timeoutMs === undefined ? this.watch(method, full, timeout) : undefined
      try {
        const res = await this.transport.pool.request({
          path: full,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: options.body ?? null,
          signal: options.signal ?? null,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        })
        answered?.()
        status = res.statusCode
        this.emit({ method, path: full, status, durationMs: performance.now() - started, attempt })
        return await consume(res, full)
      } catch (err) {
        answered?.()
        if (err instanceof IncusError) throw err
        if (options.signal?.aborted) {
          if (status === 0) this.emit(failed(method, full, started, attempt, 'INCUS_CANCELLED'))
          throw cancelled(method, full, err)
        }
        const t = classifyTransportError(err, { method, path: full, target: this.transport.target })
        if (status === 0) this.emit(failed(method, full, started, attempt, t.error.code))
        if (!t.retryable || attempt >= maxAttempts) throw t.error
        this.stats.retries++
        await sleep(50 * attempt)
      }
    }
  }

  destroy(): Promise<void> {
    return this.transport.pool.destroy()
  }

  close(): Promise<void> {
    return this.transport.pool.close()
  }

  /** Reports a request still waiting for its headers (`onWaiting`); returns the function that stops it. */
  private watch(method: string, path: string, timeoutMs: number): (() => void) | undefined {
    const hook = this.options.onWaiting
    if (!hook) return undefined
    const started = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const schedule = (delay: number) => {
      timer = setTimeout(() => {
        try {
          hook({ method, path, waitedMs: performance.now() - started, timeoutMs })
        } catch {
          // ignored on purpose, as for onRequest
        }
        schedule(Math.min(delay * 2, 60_000))
      }, delay)
      timer.unref()
    }
    schedule(this.options.waitingNoticeMs ?? 5000)
    return () => clearTimeout(timer)
  }

  /** Calls the hook; an error thrown by the hook is ignored (it must never fail or retry a request). */
  private emit(event: RequestEvent): void {
    try {
      this.options.onRequest?.(event)
    } catch {
      // ignored on purpose
    }
  }
}

function failed(method: string, path: string, started: number, attempt: number, error: string): RequestEvent {
  return { method, path, status: 0, durationMs: performance.now() - started, attempt, error }
}

function cancelled(method: string, path: string, cause?: unknown): IncusError {
  return new IncusError('INCUS_CANCELLED', `Request cancelled: ${method} ${path}`, { method, path, cause })
}
