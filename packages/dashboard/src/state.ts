/**
 * What the page shows, as plain JSON: the infra's domains (trust colour,
 * subnet, bridge) with their machines as Incus reports them right now
 * (state, IPv4, CPU, memory, snapshots, protection, cluster member), the
 * isolation map (the same model as `anklume graph`) and the drift (plan).
 */
import { buildGraph, type InfraGraph } from '@anklume/convert'
import { planInfra } from '@anklume/engine'
import { type IncusClient, isIncusError } from '@anklume/incus-client'
import {
  actionLabel,
  desired as desiredState,
  LABEL_MANAGED,
  LABEL_PROJECT,
  type ObservedInstance,
  type Plan,
  statusOf,
  summaryLine,
} from '@anklume/planner'
import type { Infra, TrustLevel } from '@anklume/schema'
import { trustColour } from './trust.js'

export interface MachineView {
  machine: string
  /** The Incus instance name (nesting prefix included). */
  instance: string
  project: string
  type: 'container' | 'virtual-machine'
  exists: boolean
  /** `Running`, `Stopped`, `Frozen`… or `missing`. */
  state: string
  ipv4: string[]
  declaredIp: string | undefined
  /** CPU time used since start, in seconds (undefined when not running). */
  cpuSeconds: number | undefined
  memoryBytes: number | undefined
  snapshots: string[]
  protected: boolean
  /** Cluster member the instance runs on (clusters only). */
  location: string | undefined
  /** anklume manages it (labels): the actions are allowed on it. */
  managed: boolean
}

export interface DomainView {
  name: string
  project: string
  trustLevel: TrustLevel
  /** Border colour of the trust level (`#rrggbb`). */
  colour: string
  subnet: string
  bridge: string | undefined
  enabled: boolean
  projectExists: boolean
  bridgeExists: boolean
  machines: MachineView[]
}

export interface DriftView {
  /** `Plan: 1 to create, …` or `No changes. Incus matches the infra file.` */
  summary: string
  actions: Array<{ id: string; op: string; kind: string; label: string; reason: string; domain?: string }>
  warnings: string[]
}

export interface DashboardState {
  /** The infra's `project_name`. */
  infra: string
  /** The Incus target (socket or remote URL). */
  target: string
  clustered: boolean
  domains: DomainView[]
  graph: InfraGraph
  /** The plan; `pending` until the first one is computed. */
  drift: DriftView | { error: string } | { pending: true }
  /** ISO time of the observation. */
  observedAt: string
}

interface InstanceFull extends ObservedInstance {
  location?: string
  state?:
    | (ObservedInstance['state'] & {
        cpu?: { usage?: number }
        memory?: { usage?: number }
      })
    | null
  snapshots?: Array<{ name: string }> | null
}

export interface StateOptions {
  /** Nesting level of the names (1 when not nested). */
  level: number
  signal?: AbortSignal
}

export function driftOf(plan: Plan): DriftView {
  return {
    summary: summaryLine(plan),
    actions: plan.actions.map((a) => ({
      id: a.id,
      op: a.op,
      kind: a.kind,
      label: actionLabel(a),
      reason: a.reason,
      ...(a.domain !== undefined ? { domain: a.domain } : {}),
    })),
    warnings: plan.warnings,
  }
}

/** True when the instance carries anklume's labels for this infra. */
export function isManaged(config: Record<string, string> | undefined, infraProject: string): boolean {
  return config?.[LABEL_MANAGED] === 'true' && config[LABEL_PROJECT] === infraProject
}

/**
 * The instances of `projects` with runtime state and snapshots (recursion=2,
 * one GET per project). Never all projects: gathering the state of every
 * instance on the host can take seconds (other infras' VMs, nested daemons).
 */
export async function listInstances(
  client: IncusClient,
  projects: readonly string[],
  signal?: AbortSignal,
): Promise<InstanceFull[]> {
  const lists = await Promise.all(
    projects.map(async (project) => {
      try {
        const res = await client.request<InstanceFull[]>('GET', '/1.0/instances', {
          query: { recursion: 2 },
          project,
          signal,
        })
        return (res.metadata ?? []).map((i) => ({ ...i, project: i.project || project }))
      } catch (e) {
        if (isIncusError(e, 'INCUS_NOT_FOUND')) return [] // the domain is not applied yet
        throw e
      }
    }),
  )
  return lists.flat()
}

/** The domains and machines part (cheap: one listing and the projects and networks). */
export async function domainsOf(
  client: IncusClient,
  infra: Infra,
  opts: StateOptions,
): Promise<{ domains: DomainView[]; clustered: boolean }> {
  const desired = desiredState(infra, { level: opts.level })
  const [instances, projects, networks] = await Promise.all([
    listInstances(
      client,
      desired.projects.map((p) => p.name),
      opts.signal,
    ),
    client.projects.list({ signal: opts.signal }),
    // One GET per bridge of the infra: listing every network is slow on a busy host.
    Promise.all(
      desired.networks.map((n) =>
        client.networks.get(n.name, { signal: opts.signal }).catch((e: unknown) => {
          if (isIncusError(e, 'INCUS_NOT_FOUND')) return undefined
          throw e
        }),
      ),
    ).then((list) => list.filter((n) => n !== undefined)),
  ])
  const status = statusOf(desired, {
    instances,
    projects,
    networks,
  } as unknown as Parameters<typeof statusOf>[1])
  const full = new Map(instances.map((i) => [`${i.project}/${i.name}`, i]))
  const domains = infra.domains.map((d): DomainView => {
    const s = status.find((x) => x.domain === d.name)
    const trustLevel = d.trustLevel ?? 'semi-trusted'
    return {
      name: d.name,
      project: s?.project ?? d.name,
      trustLevel,
      colour: trustColour(trustLevel),
      subnet: d.subnet,
      bridge: s?.bridge,
      enabled: d.enabled,
      projectExists: s?.projectExists ?? false,
      bridgeExists: s?.bridgeExists ?? false,
      machines: (s?.instances ?? []).map((i): MachineView => {
        const o = full.get(`${i.project}/${i.instance}`)
        const running = o?.status === 'Running' || o?.status === 'Frozen'
        const cpu = o?.state?.cpu?.usage
        const mem = o?.state?.memory?.usage
        return {
          machine: i.machine,
          instance: i.instance,
          project: i.project,
          type: i.declaredType,
          exists: i.exists,
          state: i.state,
          ipv4: i.ipv4,
          declaredIp: i.declaredIp,
          cpuSeconds: running && typeof cpu === 'number' ? cpu / 1e9 : undefined,
          memoryBytes: running && typeof mem === 'number' ? mem : undefined,
          snapshots: (o?.snapshots ?? []).map((x) => x.name.split('/').pop() ?? x.name),
          protected: i.protected.actual ?? i.protected.declared,
          location: o?.location && o.location !== 'none' ? o.location : undefined,
          managed: isManaged(o?.config, infra.projectName),
        }
      }),
    }
  })
  const clustered = instances.some(
    (i) => i.location !== undefined && i.location !== '' && i.location !== 'none',
  )
  return { domains, clustered }
}

/** The drift: the plan an `apply` of the infra would run now. */
export async function driftNow(client: IncusClient, infra: Infra, opts: StateOptions): Promise<DriftView> {
  const planned = await planInfra(client, infra, { level: opts.level, signal: opts.signal })
  return driftOf(planned.plan)
}

/** Everything the page shows, observed now. */
export async function dashboardState(
  client: IncusClient,
  infra: Infra,
  opts: StateOptions,
): Promise<DashboardState> {
  const [{ domains, clustered }, drift] = await Promise.all([
    domainsOf(client, infra, opts),
    driftNow(client, infra, opts).catch((e: unknown) => ({
      error: e instanceof Error ? e.message : String(e),
    })),
  ])
  return {
    infra: infra.projectName,
    target: client.target,
    clustered,
    domains,
    graph: buildGraph(infra),
    drift,
    observedAt: new Date().toISOString(),
  }
}
