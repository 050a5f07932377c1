import { AnklumeError } from '@anklume/errors'
import {
  type ApplyRulesetResult,
  listRuleset,
  type NftListing,
  readHostNetwork,
  removeBareBridge,
} from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import {
  checkSubnetOverlap,
  clusterInput,
  type DesiredNetwork,
  type DesiredState,
  desired as desiredState,
  diff,
  emptyObserved,
  type HostResources,
  type ObservedState,
  type Plan,
} from '@anklume/planner'
import type { Infra, NestingContext } from '@anklume/schema'
import { checkPlacements, clusterIsolation, resolvePool, usePool } from './cluster.js'
import { type ExecuteEvent, type ExecuteResult, executePlan } from './execute.js'
import { isPendingNetwork, observe } from './observe.js'
import type { TableLoader } from './ops-context.js'
import { loadWithHost } from './table-handler.js'
import { type Isolation, readIsolation, type TableState } from './table-state.js'

export interface PlanInfraOptions {
  /** Nesting level for the name prefix (1 when unknown). */
  level: number
  prune?: boolean
  force?: boolean
  rebuild?: boolean
  /** Only these (unprefixed) domains. */
  domains?: string[]
  /**
   * Compare the isolation table loaded on this machine with the generated one
   * and plan loading it when missing or different. Only for a local Incus
   * (this machine is its host) and never offline.
   */
  hostIsolation?: boolean
  /** Reads the host's ruleset (tests stub it; default `nft -j list ruleset`). */
  listRuleset?: () => Promise<NftListing | undefined>
  signal?: AbortSignal
}

export interface InfraPlan {
  plan: Plan
  /**
   * The infra the plan was made from: the file's, with the storage pool
   * discovered and, on an Incus cluster, network ACLs as the isolation.
   */
  infra: Infra
  /** The isolation table as read (absent without `hostIsolation` or offline). */
  isolation?: TableState
  desired: DesiredState
  observed: ObservedState
  /** false for `plan --offline` (against an empty Incus). */
  online: boolean
}

/** Pools the infra uses (root disks and volumes), whose volumes must be observed. */
export function poolsOf(infra: Infra): string[] {
  const pools = new Set([infra.global.storagePool])
  for (const d of infra.domains)
    for (const m of d.machines) for (const v of m.storageVolumes) pools.add(v.pool)
  return [...pools]
}

/**
 * Observe → desired → diff. With `client` undefined, plans against an empty
 * Incus (`plan --offline`), which needs no daemon.
 */
export async function planInfra(
  client: IncusClient | undefined,
  fileInfra: Infra,
  opts: PlanInfraOptions,
): Promise<InfraPlan> {
  let infra = fileInfra
  let observed = emptyObserved()
  let hostResources: HostResources | undefined
  let isolation: Isolation | undefined
  if (client) {
    // The host's ruleset does not depend on what Incus answers: read while it answers (as root;
    // otherwise readIsolation reports that loading the table needs root).
    let list = opts.listRuleset
    if (opts.hostIsolation && !list && process.getuid?.() === 0) {
      const early = listRuleset()
      early.catch(() => undefined) // awaited (and its failure reported) by readIsolation
      list = () => early
    }
    const [obs, res] = await Promise.all([
      observe(client, { pools: poolsOf(infra), signal: opts.signal }),
      infra.global.resourcePolicy ? client.resources({ signal: opts.signal }) : undefined,
    ])
    observed = obs
    checkPlacements(infra, obs)
    infra = clusterIsolation(infra, obs)
    infra = await usePool(client, infra, obs, resolvePool(infra, obs), opts.signal)
    // The table is generated once Incus answered: it names the other infras' bridges (observed).
    // Under a cluster the isolation is network ACLs, enforced by every member.
    if (opts.hostIsolation && !obs.cluster) {
      isolation = await readIsolation(client, infra, obs, { level: opts.level, signal: opts.signal, list })
    }
    if (res) hostResources = { cpuCount: res.cpu.total, memoryBytes: res.memory.total }
  }
  const cluster = clusterInput(observed)
  const desired = desiredState(infra, {
    level: opts.level,
    ...(hostResources ? { hostResources } : {}),
    ...(cluster ? { cluster } : {}),
  })
  if (desired.errors.length > 0) throw new ResourcePolicyError(desired.errors)
  // A bridge being created (or whose creation died) is `Pending`. A declared
  // one is hidden so the plan creates it (the executor never deletes it under
  // a request building it, bridge-leftovers.ts); an undeclared one stays an
  // orphan to prune.
  const declared = new Set(desired.networks.map((n) => n.name))
  observed.networks = observed.networks.filter((n) => !(isPendingNetwork(n) && declared.has(n.name)))
  const plan = diff(desired, observed, {
    projectName: infra.projectName,
    prune: opts.prune,
    force: opts.force,
    rebuild: opts.rebuild,
    domains: opts.domains,
    isolation: isolation?.input,
  })
  plan.warnings.unshift(...desired.warnings)
  const offline = offlineNote(observed, new Set(desired.instances.map((i) => `${i.project}/${i.name}`)))
  if (offline) plan.warnings.unshift(offline)
  return {
    plan,
    infra,
    ...(isolation ? { isolation: isolation.state } : {}),
    desired,
    observed,
    online: client !== undefined,
  }
}

/**
 * One line for the cluster members that are offline and what is left alone
 * on them: `cluster member m3 is offline: 2 instances on it left alone (a, b)`.
 */
export function offlineNote(observed: ObservedState, declared: ReadonlySet<string>): string | undefined {
  const down = (observed.cluster?.members ?? []).filter((m) => !m.online)
  if (down.length === 0) return undefined
  const parts = down.map((m) => {
    const on = observed.instances
      .filter((i) => i.location === m.name && declared.has(`${i.project}/${i.name}`))
      .map((i) => `${i.project}/${i.name}`)
    return `${m.name} (${m.status})${on.length > 0 ? `: ${on.length} instance${on.length > 1 ? 's' : ''} left alone (${on.join(', ')})` : ''}`
  })
  return `cluster member${down.length > 1 ? 's' : ''} offline: ${parts.join('; ')}`
}

/** resource_policy asks for more than the host has (and overcommit is off). */
export class ResourcePolicyError extends AnklumeError<'ANKLUME_RESOURCE_OVERCOMMIT'> {
  readonly errors: string[]
  constructor(errors: string[]) {
    super('ANKLUME_RESOURCE_OVERCOMMIT', `resource_policy: ${errors.join('; ')}`, {
      hint: 'lower limits or weights, reduce host_reserve, or set resource_policy.overcommit: true',
    })
    this.name = 'ResourcePolicyError'
    this.errors = errors
  }
}

/** A bridge's subnet overlaps the host's networks: that bridge is not created. */
export class OverlapError extends AnklumeError<'ANKLUME_SUBNET_OVERLAP'> {
  constructor(message: string) {
    super('ANKLUME_SUBNET_OVERLAP', message, {
      hint: 'choose another base_subnet / subnet_id for this domain, or free that range on the host',
    })
    this.name = 'OverlapError'
  }
}

/** A guard that refuses to create a bridge whose subnet overlaps the host's networks. */
export function overlapGuard(ownBridges: readonly string[]): (network: DesiredNetwork) => Promise<void> {
  let facts: ReturnType<typeof readHostNetwork> | undefined
  return async (network) => {
    facts ??= readHostNetwork(ownBridges)
    const conflicts = checkSubnetOverlap([network], await facts)
    if (conflicts.length > 0) throw new OverlapError(conflicts.map((c) => c.message).join('; '))
  }
}

export interface ApplyOptions {
  concurrency?: number
  signal?: AbortSignal
  nesting: NestingContext
  /**
   * Check new bridges against this machine's interfaces, routes and resolvers
   * (default true). Off for a remote Incus: this machine is not its host.
   */
  hostOverlapGuard?: boolean
  /** Loads the isolation table (tests stub it; default @anklume/host's applyRuleset). */
  loadTable?: TableLoader
  onEvent?: (event: ExecuteEvent) => void
}

export interface ApplyResult {
  execution: ExecuteResult
  /** The isolation table: loaded, already up to date, or not loaded and why (absent when not planned for). */
  nft?:
    | { ok: true; result: ApplyRulesetResult & { unchanged: boolean } }
    | { ok: false; error: unknown }
    | undefined
}

/**
 * Executes a computed plan: its ACLs, zones, Incus objects and (planned with
 * `hostIsolation`) the isolation table, each an action of the one graph.
 */
export async function applyInfra(
  client: IncusClient,
  planned: InfraPlan,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  let loaded: ApplyRulesetResult | undefined
  const loadTable: TableLoader = async (table, call) => {
    loaded = (await (opts.loadTable ?? loadWithHost)(table, call)) ?? { table: table.table, warnings: [] }
    return loaded
  }
  const execution = await executePlan(client, planned.plan, {
    concurrency: opts.concurrency,
    signal: opts.signal,
    nesting: opts.nesting,
    onEvent: opts.onEvent,
    loadTable,
    beforeNetworkCreate:
      opts.hostOverlapGuard === false ? undefined : overlapGuard(planned.desired.networks.map((n) => n.name)),
    removeBareBridge: opts.hostOverlapGuard === false ? undefined : removeBareBridge,
    cluster: planned.observed.cluster
      ? { members: planned.observed.cluster.members.map((m) => m.name) }
      : undefined,
  })
  return { execution, nft: tableOutcome(planned.isolation, execution, loaded) }
}

/** What became of the isolation table, for the apply report. */
function tableOutcome(
  state: TableState | undefined,
  execution: ExecuteResult,
  loaded: ApplyRulesetResult | undefined,
): ApplyResult['nft'] {
  if (state === undefined) return undefined
  if (state.status === 'unknown') return { ok: false, error: state.error }
  const run = execution.results.find((r) => r.action.kind === 'nft-table')
  if (!run) return { ok: true, result: { table: state.table, warnings: state.warnings, unchanged: true } }
  if (run.status === 'done' && loaded) {
    const warnings = [...state.warnings, ...loaded.warnings]
    return { ok: true, result: { ...loaded, warnings, unchanged: false } }
  }
  if (run.status === 'failed') return { ok: false, error: run.error }
  return undefined
}
