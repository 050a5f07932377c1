/** `anklume pause|resume`: freeze / unfreeze instances (Incus `freeze`/`unfreeze`). */
import type { IncusClient } from '@anklume/incus-client'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { changeEach, type InstanceRef, type StateChangeResult } from './targets.js'

export type PauseResult = StateChangeResult

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
  return changeEach(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
    const project = { project: t.project, signal }
    const before = await client.instances.state(t.name, project)
    if (before.status === wanted) return { outcome: 'unchanged' as const, status: before.status }
    await client.instances.setState(t.name, { action: pause ? 'freeze' : 'unfreeze' }, project)
    const after = await client.instances.state(t.name, project)
    return { outcome: 'changed' as const, status: after.status }
  })
}
