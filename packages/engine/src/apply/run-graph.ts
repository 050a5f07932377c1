/**
 * Runs a dependency graph of tasks with bounded concurrency.
 *
 * - A task starts once every task it depends on has succeeded.
 * - A failure fails only the task itself; its dependents (transitively) are
 *   marked `blocked` and never run. Independent work carries on.
 * - A task also waits for the tasks in its `after` list to finish, whatever
 *   their outcome (done, failed or blocked): ordering without the blocking.
 * - Tasks sharing a `serial` key never run at the same time (Incus 6.0
 *   mishandles network ACLs deleted at once).
 * - `light` tasks (instance deletes: they only wait on Incus) do not take a
 *   slot of `concurrency`: up to LIGHT_FACTOR × concurrency of them run beside
 *   the others, so a teardown is not paced by the limit meant for creates.
 * - When `signal` aborts, nothing new starts; in-flight tasks finish and
 *   the rest is reported `cancelled`, leaving a state the next run converges.
 */

import { DEFAULT_CONCURRENCY } from '../defaults.js'

export type TaskStatus = 'done' | 'failed' | 'blocked' | 'cancelled'

export interface GraphTask {
  id: string
  dependsOn: readonly string[]
  /** Tasks that must have finished first, whatever their outcome. */
  after?: readonly string[] | undefined
  serial?: string | undefined
  /** Runs beside the `concurrency` limit, within its own (LIGHT_FACTOR × concurrency). */
  light?: boolean | undefined
  run: () => Promise<void>
}

/** How many light tasks may run at once, per slot of `concurrency`. */
export const LIGHT_FACTOR = 4

export interface TaskResult {
  id: string
  status: TaskStatus
  error?: unknown
  /** For blocked tasks: the failed dependency. */
  blockedBy?: string
  durationMs: number
}

export type GraphEvent = { type: 'start'; id: string } | { type: 'finish'; result: TaskResult }

export interface RunGraphOptions {
  concurrency?: number
  signal?: AbortSignal
  onEvent?: (event: GraphEvent) => void
}

export async function runGraph(
  tasks: readonly GraphTask[],
  opts: RunGraphOptions = {},
): Promise<TaskResult[]> {
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY)
  const byId = new Map(tasks.map((t) => [t.id, t]))
  const dependents = new Map<string, string[]>()
  const followers = new Map<string, string[]>()
  const waitingOn = new Map<string, number>()
  for (const t of tasks) {
    const deps = t.dependsOn.filter((d) => byId.has(d))
    const after = (t.after ?? []).filter((d) => byId.has(d) && !deps.includes(d))
    waitingOn.set(t.id, deps.length + after.length)
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), t.id])
    for (const d of after) followers.set(d, [...(followers.get(d) ?? []), t.id])
  }
  const results = new Map<string, TaskResult>()
  const ready: string[] = tasks.filter((t) => waitingOn.get(t.id) === 0).map((t) => t.id)
  const busySerial = new Set<string>()
  let running = 0
  let light = 0
  const lightLimit = concurrency * LIGHT_FACTOR

  const release = (id: string) => {
    const left = (waitingOn.get(id) ?? 0) - 1
    waitingOn.set(id, left)
    if (left === 0 && !results.has(id)) ready.push(id)
  }
  const finish = (result: TaskResult) => {
    results.set(result.id, result)
    opts.onEvent?.({ type: 'finish', result })
    for (const f of followers.get(result.id) ?? []) release(f)
  }
  const block = (id: string, by: string) => {
    for (const dep of dependents.get(id) ?? []) {
      if (results.has(dep)) continue
      finish({ id: dep, status: 'blocked', blockedBy: by, durationMs: 0 })
      block(dep, by)
    }
  }

  return new Promise((resolve) => {
    const pump = () => {
      while (!opts.signal?.aborted) {
        const idx = ready.findIndex((id) => {
          const t = byId.get(id) as GraphTask
          if (t.serial !== undefined && busySerial.has(t.serial)) return false
          return t.light ? light < lightLimit : running < concurrency
        })
        if (idx < 0) break
        const [id] = ready.splice(idx, 1) as [string]
        const task = byId.get(id) as GraphTask
        if (task.light) light++
        else running++
        if (task.serial !== undefined) busySerial.add(task.serial)
        opts.onEvent?.({ type: 'start', id })
        const started = performance.now()
        task.run().then(
          () => settle(task, { id, status: 'done', durationMs: performance.now() - started }),
          (error: unknown) =>
            settle(task, { id, status: 'failed', error, durationMs: performance.now() - started }),
        )
      }
      if (running === 0 && light === 0) {
        for (const t of tasks) {
          if (!results.has(t.id)) finish({ id: t.id, status: 'cancelled', durationMs: 0 })
        }
        resolve(tasks.map((t) => results.get(t.id) as TaskResult))
      }
    }
    const settle = (task: GraphTask, result: TaskResult) => {
      if (task.light) light--
      else running--
      if (task.serial !== undefined) busySerial.delete(task.serial)
      finish(result)
      if (result.status === 'done') {
        for (const dep of dependents.get(task.id) ?? []) release(dep)
      } else {
        block(task.id, task.id)
      }
      pump()
    }
    pump()
  })
}
