import type { IncusClient } from '@anklume/incus-client'
import type {
  Action,
  DesiredInstance,
  DesiredNetwork,
  DesiredProfile,
  DesiredProject,
  DesiredVolume,
  Plan,
} from '@anklume/planner'
import type { NestingContext } from '@anklume/schema'
import { applyChanges, type Editable } from './changes.js'
import { deleteInstance, ignoreGone, type OpsContext, startInstance } from './instance-ops.js'
import { createNetwork, deleteNetwork } from './network-ops.js'
import { type GraphEvent, runGraph, type TaskResult } from './run-graph.js'

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

/** Wraps the server's message with what we were doing, keeping the error's code. */
function explain(action: Action, err: unknown): unknown {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as Error & { message: string }
    const where = `${action.op} ${action.kind} ${action.project ? `${action.project}/` : ''}${action.name}`
    if (!e.message.startsWith(where)) e.message = `${where}: ${e.message}`
  }
  return err
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
  const signal = opts.abortInFlight
  const byId = new Map(plan.actions.map((a) => [a.id, a]))
  const ops: OpsContext = { client, signal, nesting: opts.nesting }

  const update = async (a: Action) => {
    const p = a.project
    switch (a.kind) {
      case 'network': {
        const { value, etag } = await client.networks.getWithEtag(a.name, { signal })
        const next = applyChanges(value as Editable, a.changes)
        await client.networks.update(
          a.name,
          { config: next.config ?? {}, description: next.description ?? '' },
          { etag, signal },
        )
        return
      }
      case 'project': {
        const { value, etag } = await client.projects.getWithEtag(a.name, { signal })
        const next = applyChanges(value as Editable, a.changes)
        await client.projects.update(
          a.name,
          { config: next.config ?? {}, description: next.description ?? '' },
          { etag, signal },
        )
        return
      }
      case 'profile': {
        const { value, etag } = await client.profiles.getWithEtag(a.name, { project: p, signal })
        const next = applyChanges(value as Editable, a.changes)
        await client.profiles.update(
          a.name,
          { config: next.config ?? {}, devices: next.devices ?? {}, description: next.description ?? '' },
          { project: p, etag, signal },
        )
        return
      }
      case 'volume': {
        const pool = a.pool ?? 'default'
        const { value, etag } = await client.storage.volumes.getWithEtag(pool, a.name, { project: p, signal })
        const next = applyChanges(value as Editable, a.changes)
        await client.storage.volumes.update(
          pool,
          a.name,
          { config: next.config ?? {}, description: next.description ?? '' },
          { project: p, etag, signal },
        )
        return
      }
      case 'instance': {
        const { value, etag } = await client.instances.getWithEtag(a.name, { project: p, signal })
        const next = applyChanges(value as Editable, a.changes)
        await client.instances.update(a.name, next, { project: p, etag, signal })
        if (a.restart && value.status === 'Running') {
          await client.instances.setState(a.name, { action: 'restart', timeout: 30 }, { project: p, signal })
        }
        return
      }
    }
  }

  const createInstance = async (d: DesiredInstance) => {
    await client.instances.create(
      {
        name: d.name,
        type: d.type,
        description: d.description,
        source: d.source,
        profiles: d.profiles,
        config: d.config,
        devices: d.devices,
        start: false,
      },
      { project: d.project, signal },
    )
    await startInstance(ops, d)
  }

  const run = async (a: Action): Promise<void> => {
    const p = a.project
    switch (`${a.kind}:${a.op}`) {
      case 'network:create': {
        const d = a.desired as DesiredNetwork
        await opts.beforeNetworkCreate?.(d)
        await createNetwork(ops, {
          name: d.name,
          type: 'bridge',
          description: d.description,
          config: d.config,
        })
        return
      }
      case 'project:create': {
        const d = a.desired as DesiredProject
        await client.projects.create(
          { name: d.name, description: d.description, config: d.config },
          { signal },
        )
        return
      }
      case 'profile:create': {
        const d = a.desired as DesiredProfile
        await client.profiles.create(
          { name: d.name, description: d.description, config: d.config, devices: d.devices },
          { project: p, signal },
        )
        return
      }
      case 'volume:create': {
        const d = a.desired as DesiredVolume
        await client.storage.volumes.create(
          d.pool,
          {
            name: d.name,
            type: 'custom',
            content_type: 'filesystem',
            description: d.description,
            config: d.config,
          },
          { project: p, signal },
        )
        return
      }
      case 'instance:create':
        return createInstance(a.desired as DesiredInstance)
      case 'instance:replace': {
        // A domain move replaces the instance in its new project: delete it from the old one.
        const moved = a.changes.find((c) => c.field === 'project')
        await deleteInstance(ops, moved ? { ...a, project: String(moved.from) } : a)
        return createInstance(a.desired as DesiredInstance)
      }
      case 'instance:start': {
        const d = a.desired as DesiredInstance | undefined
        return startInstance(
          ops,
          d ?? { name: a.name, project: p ?? 'default', type: 'container', needsSocketDir: false },
        )
      }
      case 'instance:restart':
        await client.instances.setState(a.name, { action: 'restart', timeout: 30 }, { project: p, signal })
        return
      case 'instance:rebuild': {
        const d = a.desired as DesiredInstance
        const inst = await client.instances.get(a.name, { project: p, signal })
        if (inst.status !== 'Stopped') {
          await client.instances.setState(a.name, { action: 'stop', force: true }, { project: p, signal })
        }
        await client.instances.rebuild(a.name, { source: d.source }, { project: p, signal })
        await startInstance(ops, d)
        return
      }
      case 'instance:delete':
        return deleteInstance(ops, a, a.protected ?? false)
      case 'volume:delete':
        await client.storage.volumes
          .delete(a.pool ?? 'default', a.name, { project: p, signal })
          .catch(ignoreGone)
        return
      case 'profile:delete':
        await client.profiles.delete(a.name, { project: p, signal }).catch(ignoreGone)
        return
      case 'project:delete':
        await client.projects.delete(a.name, { signal }).catch(ignoreGone)
        return
      case 'network:delete':
        return deleteNetwork(ops, a.name)
      default:
        if (a.op === 'update') return update(a)
        throw new Error(`unsupported action ${a.op} on ${a.kind}`)
    }
  }

  const tasks = plan.actions.map((a) => ({
    id: a.id,
    dependsOn: a.dependsOn,
    // Bridges one at a time when deleting: parallel deletes fail spuriously.
    serial: a.kind === 'network' && a.op === 'delete' ? 'network-delete' : undefined,
    run: () => run(a).catch((err: unknown) => Promise.reject(explain(a, err))),
  }))
  const onEvent = (e: GraphEvent) => {
    if (!opts.onEvent) return
    if (e.type === 'start') opts.onEvent({ type: 'start', action: byId.get(e.id) as Action })
    else opts.onEvent({ type: 'finish', action: byId.get(e.result.id) as Action, result: e.result })
  }
  const results = await runGraph(tasks, { concurrency: opts.concurrency ?? 8, signal: opts.signal, onEvent })
  const counts = { done: 0, failed: 0, blocked: 0, cancelled: 0 }
  for (const r of results) counts[r.status]++
  return {
    results: results.map((r) => ({ ...r, action: byId.get(r.id) as Action })),
    ok: counts.failed === 0 && counts.blocked === 0 && counts.cancelled === 0,
    counts,
  }
}
