/**
 * The live state: observed once, then re-observed when Incus's event stream
 * (`/1.0/events`, lifecycle) reports a change to one of the infra's objects,
 * and pushed to every open page. Refreshes are coalesced (one runs at a
 * time; changes during it cause one more). CPU and memory counters change
 * without events: an optional slow tick re-reads the machines (not the plan)
 * while a page is open.
 */

import { buildGraph } from '@anklume/convert'
import type { EventStream, IncusClient, IncusEvent } from '@anklume/incus-client'
import { desired as desiredState } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import { type DashboardState, domainsOf, driftNow } from './state.js'

export type EventsStatus = 'connecting' | 'connected' | 'reconnecting'

export interface LiveOptions {
  level: number
  /** Milliseconds between CPU/memory re-reads while a page is open (0: never; default 5000). */
  metricsIntervalMs?: number
  /** Delay that groups a burst of events into one refresh (default 100 ms). */
  debounceMs?: number
  onError?: (e: unknown) => void
}

export interface LiveSnapshot extends DashboardState {
  events: EventsStatus
  /** A new plan is being computed (the drift shown is the previous one). */
  planning: boolean
}

/** The infra's Incus objects, to tell its events from other infras'. */
function ownership(infra: Infra, level: number) {
  const d = desiredState(infra, { level })
  const projects = new Set(d.projects.map((p) => p.name))
  const networks = new Set(d.networks.map((n) => n.name))
  return (e: IncusEvent): boolean => {
    const source = String(e.metadata['source'] ?? '')
    const m = /^\/1\.0\/networks\/([^/?]+)/.exec(source)
    if (m) return networks.has(decodeURIComponent(m[1] ?? ''))
    const q = /[?&]project=([^&]+)/.exec(source)
    const project = e.project ?? (q ? decodeURIComponent(q[1] ?? '') : 'default')
    return projects.has(project)
  }
}

export class LiveState {
  private current: LiveSnapshot | undefined
  private readonly listeners = new Set<(s: LiveSnapshot) => void>()
  private stream: EventStream | undefined
  private status: EventsStatus = 'connecting'
  private running: Promise<void> | undefined
  private again: 'full' | 'domains' | undefined
  private timer: NodeJS.Timeout | undefined
  private tick: NodeJS.Timeout | undefined
  private closed = false
  private readonly ours: (e: IncusEvent) => boolean

  private readonly client: IncusClient
  private readonly infra: Infra
  private readonly opts: LiveOptions

  constructor(client: IncusClient, infra: Infra, opts: LiveOptions) {
    this.client = client
    this.infra = infra
    this.opts = opts
    this.ours = ownership(infra, opts.level)
  }

  /** Subscribes to the events, then observes once. */
  async start(): Promise<void> {
    await this.connect()
    await this.refresh('full')
    const every = this.opts.metricsIntervalMs ?? 5000
    if (every > 0) {
      this.tick = setInterval(() => {
        if (this.listeners.size > 0) void this.refresh('domains')
      }, every)
      this.tick.unref()
    }
  }

  private async connect(): Promise<void> {
    let delay = 500
    for (;;) {
      if (this.closed) return
      try {
        this.stream = await this.client.events((e) => this.onEvent(e), { types: ['lifecycle'] })
        this.setStatus('connected')
        this.stream.closed.catch(() => {
          if (this.closed) return
          this.setStatus('reconnecting')
          void this.connect().then(() => this.refresh('full'))
        })
        return
      } catch (e) {
        if (this.current === undefined && this.status === 'connecting') throw e
        this.opts.onError?.(e)
        await new Promise((r) => setTimeout(r, delay))
        delay = Math.min(delay * 2, 10_000)
      }
    }
  }

  private setStatus(s: EventsStatus): void {
    this.status = s
    if (this.current) {
      this.current = { ...this.current, events: s }
      this.emit()
    }
  }

  private onEvent(e: IncusEvent): void {
    if (!this.ours(e)) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.refresh('full'), this.opts.debounceMs ?? 100)
  }

  /** Re-observes (coalesced); resolves once the state includes every change before the call. */
  refresh(kind: 'full' | 'domains' = 'full'): Promise<void> {
    if (this.running) {
      this.again = this.again === 'full' || kind === 'full' ? 'full' : 'domains'
      return this.running
    }
    this.running = this.observe(kind).finally(() => {
      this.running = undefined
      const next = this.again
      this.again = undefined
      if (next && !this.closed) void this.refresh(next)
    })
    return this.running
  }

  private async observe(kind: 'full' | 'domains'): Promise<void> {
    const opts = { level: this.opts.level }
    try {
      // The machines first (a few cheap GETs), shown at once; then the plan,
      // which reads everything and can take seconds on a busy host.
      const { domains, clustered } = await domainsOf(this.client, this.infra, opts)
      this.current = {
        infra: this.infra.projectName,
        target: this.client.target,
        graph: this.current?.graph ?? buildGraph(this.infra),
        drift: this.current?.drift ?? { pending: true },
        events: this.status,
        domains,
        clustered,
        observedAt: new Date().toISOString(),
        planning: kind === 'full' || (this.current?.planning ?? false),
      }
      this.emit()
      if (kind === 'full') {
        const drift = await driftNow(this.client, this.infra, opts).catch((e: unknown) => ({
          error: e instanceof Error ? e.message : String(e),
        }))
        this.current = { ...this.current, drift, planning: false }
        this.emit()
      }
    } catch (e) {
      this.opts.onError?.(e)
    }
  }

  private emit(): void {
    const s = this.current
    if (!s) return
    for (const l of this.listeners) l(s)
  }

  get snapshot(): LiveSnapshot | undefined {
    return this.current
  }

  /** Calls `listener` with every new state (and the current one now); returns the unsubscribe. */
  subscribe(listener: (s: LiveSnapshot) => void): () => void {
    this.listeners.add(listener)
    if (this.current) listener(this.current)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    clearInterval(this.tick)
    this.stream?.close()
    this.listeners.clear()
  }
}
