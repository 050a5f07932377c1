/** `anklume pause|resume`: freeze / unfreeze instances (Incus `freeze`/`unfreeze`). */
import type { IncusClient } from '@anklume/incus-client'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { type InstanceRef, mapSettled } from './targets.js'

export interface PauseResult {
  instance: string
  project: string
  /** `changed`: frozen/unfrozen now; `unchanged`: already in that state. */
  outcome: 'changed' | 'unchanged' | 'failed'
  /** Status after the call (`Frozen`, `Running`…), when known. */
  status?: string
  error?: unknown
}

export interface PauseOptions {
  concurrency?: number
  signal?: AbortSignal
}

/**
 * Freezes (`pause: true`) or unfreezes every target, concurrently. An
 * instance already in the wanted state is left alone; a stopped instance
 * cannot be frozen and is reported as failed with Incus's message.
 */
export async function setPaused(
  client: IncusClient,
  targets: readonly InstanceRef[],
  pause: boolean,
  opts: PauseOptions = {},
): Promise<PauseResult[]> {
  const signal = opts.signal
  const wanted = pause ? 'Frozen' : 'Running'
  const settled = await mapSettled(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
    const project = { project: t.project, signal }
    const before = await client.instances.state(t.name, project)
    if (before.status === wanted) return { outcome: 'unchanged' as const, status: before.status }
    await client.instances.setState(t.name, { action: pause ? 'freeze' : 'unfreeze' }, project)
    const after = await client.instances.state(t.name, project)
    return { outcome: 'changed' as const, status: after.status }
  })
  return settled.map((s) =>
    s.ok
      ? { instance: s.item.name, project: s.item.project, ...s.value }
      : { instance: s.item.name, project: s.item.project, outcome: 'failed', error: s.error },
  )
}
