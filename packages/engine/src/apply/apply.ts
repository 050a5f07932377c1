import { AnklumeError } from '@anklume/errors'
import {
  type ApplyRulesetResult,
  applyRuleset,
  listRuleset,
  readHostNetwork,
  requireNftablesDriver,
} from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { diffRulesets, generateRuleset, isolationModel } from '@anklume/nftables'
import {
  checkSubnetOverlap,
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
import { type AuxChange, auxiliaryChanges, deleteStaleAuxiliary, upsertAuxiliary } from './auxiliary.js'
import { type ExecuteEvent, type ExecuteResult, executePlan } from './execute.js'
import { coexistence, isolationInputs } from './isolation.js'
import { isPendingNetwork, observe } from './observe.js'

export interface PlanInfraOptions {
  /** Nesting level for the name prefix (1 when unknown). */
  level: number
  prune?: boolean
  force?: boolean
  rebuild?: boolean
  /** Only these (unprefixed) domains. */
  domains?: string[]
  signal?: AbortSignal
}

export interface InfraPlan {
  plan: Plan
  /** Network ACL / zone changes apply makes around the plan's actions. */
  auxiliary: AuxChange[]
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
  infra: Infra,
  opts: PlanInfraOptions,
): Promise<InfraPlan> {
  let observed = emptyObserved()
  let hostResources: HostResources | undefined
  if (client) {
    const [obs, res] = await Promise.all([
      observe(client, { pools: poolsOf(infra), signal: opts.signal }),
      infra.global.resourcePolicy ? client.resources({ signal: opts.signal }) : undefined,
    ])
    observed = obs
    if (res) hostResources = { cpuCount: res.cpu.total, memoryBytes: res.memory.total }
  }
  const desired = desiredState(infra, { level: opts.level, hostResources })
  if (desired.errors.length > 0) throw new ResourcePolicyError(desired.errors)
  // A bridge whose creation was interrupted stays `Pending` (a database record,
  // no interface). A declared one is hidden so the plan creates it again (the
  // executor replaces the record); an undeclared one stays an orphan to prune.
  const declared = new Set(desired.networks.map((n) => n.name))
  observed.networks = observed.networks.filter((n) => !(isPendingNetwork(n) && declared.has(n.name)))
  const plan = diff(desired, observed, {
    projectName: infra.projectName,
    prune: opts.prune,
    force: opts.force,
    rebuild: opts.rebuild,
    domains: opts.domains,
  })
  plan.warnings.unshift(...desired.warnings)
  return {
    plan,
    desired,
    observed,
    online: client !== undefined,
    auxiliary: auxiliaryChanges(desired, observed),
  }
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
  /** Regenerate and load the isolation table at the end (default true). */
  nft?: boolean
  /**
   * Check new bridges against this machine's interfaces, routes and resolvers
   * (default true). Off for a remote Incus: this machine is not its host.
   */
  hostOverlapGuard?: boolean
  level: number
  onEvent?: (event: ExecuteEvent) => void
}

export interface ApplyResult {
  execution: ExecuteResult
  /** Network ACLs / zones created, updated or deleted around the plan. */
  auxiliary: string[]
  nft?:
    | { ok: true; result: ApplyRulesetResult & { unchanged: boolean } }
    | { ok: false; error: unknown }
    | undefined
}

/** Executes a computed plan, then (unless disabled) loads the nftables isolation table. */
export async function applyInfra(
  client: IncusClient,
  infra: Infra,
  planned: InfraPlan,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const { desired, observed } = planned
  // ACLs and zones first (bridges refer to them), stale ones after the plan.
  const auxiliary = await upsertAuxiliary(client, desired, observed, opts.signal)
  const execution = await executePlan(client, planned.plan, {
    concurrency: opts.concurrency,
    signal: opts.signal,
    nesting: opts.nesting,
    onEvent: opts.onEvent,
    beforeNetworkCreate:
      opts.hostOverlapGuard === false ? undefined : overlapGuard(planned.desired.networks.map((n) => n.name)),
  })
  if (execution.ok && !opts.signal?.aborted) {
    auxiliary.push(...(await deleteStaleAuxiliary(client, desired, observed, opts.signal)))
  }
  if (opts.nft === false || opts.signal?.aborted) return { execution, auxiliary }
  try {
    const server = await client.server({ signal: opts.signal })
    const firewallDriver = server.environment?.firewall
    // Other infras' bridges are dropped both ways (isolation.ts).
    const model = isolationModel(infra, { level: opts.level, ...isolationInputs(observed, infra) })
    requireNftablesDriver(firewallDriver)
    // One `nft list ruleset`: our live table, and the other infras' tables.
    const host = coexistence(await listRuleset().catch(() => undefined), model)
    const ruleset = generateRuleset(model, { replaces: host.replaces })
    // A converged host already has this exact table: no check + load.
    if (
      host.live &&
      host.marked &&
      host.replaces.length === 0 &&
      diffRulesets(host.live, ruleset.json).same
    ) {
      return {
        execution,
        auxiliary,
        nft: { ok: true, result: { table: model.table, warnings: host.warnings, unchanged: true } },
      }
    }
    const result = await applyRuleset(ruleset, { firewallDriver })
    const warnings = [...host.warnings, ...result.warnings]
    return { execution, auxiliary, nft: { ok: true, result: { ...result, warnings, unchanged: false } } }
  } catch (error) {
    return { execution, auxiliary, nft: { ok: false, error } }
  }
}
