/** Runs a plan: one task per action (its kind's handler), the dependency graph, the counts. */
import type { IncusClient } from '@anklume/incus-client'
import type { Action, DesiredNetwork, Plan } from '@anklume/planner'
import type { NestingContext } from '@anklume/schema'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { explain, runAction, serialKey } from './handlers.js'
import type { OpsContext, TableLoader } from './ops-context.js'
import { type GraphEvent, type GraphTask, runGraph, type TaskResult } from './run-graph.js'

export interface ExecuteOptions {
  concurrency?: number
  /** Stops launching new actions; the ones running finish (the next apply converges). */
  signal?: AbortSignal
  /** Also aborts the Incus requests of running actions. */
  abortInFlight?: AbortSignal
  /** Host context the new instances' /etc/anklume files derive from. */
  nesting: NestingContext
  /** Checks run right before a bridge is created (e.g. the host subnet-overlap guard). */
  beforeNetworkCreate?: (network: DesiredNetwork) => void | Promise<void>
  /** Loads the isolation table of a `nft-table` action (default: @anklume/host's applyRuleset). */
  loadTable?: TableLoader
  /** Removes a bare bridge a killed create left on this host (local Incus only). */
  removeBareBridge?: OpsContext['removeBareBridge']
  /** Incus cluster: its members (two-phase bridge creates). */
  cluster?: OpsContext['cluster']
  onEvent?: (event: ExecuteEvent) => void
}

export type ExecuteEvent =
  | { type: 'start'; action: Action }
  | { type: 'finish'; action: Action; result: TaskResult }

export interface ExecuteResult {
  results: Array<TaskResult & { action: Action }>
  ok: boolean
  counts: Record<TaskResult['status'], number>
}

function task(ctx: OpsContext, a: Action): GraphTask {
  return {
    id: a.id,
    dependsOn: a.dependsOn,
    after: a.after,
    serial: serialKey(a),
    // Deleting an instance only waits on Incus (stop, delete): not paced by the limit meant for creates.
    light: a.kind === 'instance' && a.op === 'delete',
    run: () => runAction(ctx, a).catch((err: unknown) => Promise.reject(explain(a, err))),
  }
}

/** Runs a plan's actions in dependency order with bounded concurrency. */
export async function executePlan(
  client: IncusClient,
  plan: Plan,
  opts: ExecuteOptions,
): Promise<ExecuteResult> {
  // `opts.signal` only stops launching new actions: actions already running
  // finish (Ctrl-C semantics), so no client call gets it. `opts.abortInFlight`
  // cuts those calls too.
  const ctx: OpsContext = {
    client,
    signal: opts.abortInFlight,
    nesting: opts.nesting,
    beforeNetworkCreate: opts.beforeNetworkCreate,
    loadTable: opts.loadTable,
    removeBareBridge: opts.removeBareBridge,
    cluster: opts.cluster,
  }
  const byId = new Map(plan.actions.map((a) => [a.id, a]))
  const actionOf = (id: string) => byId.get(id) as Action
  const onEvent = opts.onEvent
    ? (e: GraphEvent) =>
        opts.onEvent?.(
          e.type === 'start'
            ? { type: 'start', action: actionOf(e.id) }
            : { type: 'finish', action: actionOf(e.result.id), result: e.result },
        )
    : undefined

  const results = await runGraph(
    plan.actions.map((a) => task(ctx, a)),
    { concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY, signal: opts.signal, onEvent },
  )

  const counts = { done: 0, failed: 0, blocked: 0, cancelled: 0 }
  for (const r of results) counts[r.status]++
  return {
    results: results.map((r) => ({ ...r, action: actionOf(r.id) })),
    ok: counts.failed === 0 && counts.blocked === 0 && counts.cancelled === 0,
    counts,
  }
}
