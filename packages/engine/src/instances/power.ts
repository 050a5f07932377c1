/** Start, stop, restart instances (the dashboard's buttons; pause/resume is pause.ts). */
import type { IncusClient } from '@anklume/incus-client'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { changeEach, type InstanceRef, type StateChangeResult } from './targets.js'

export type PowerAction = 'start' | 'stop' | 'restart'

export type PowerResult = StateChangeResult

export interface PowerOptions {
  concurrency?: number
  signal?: AbortSignal
  /** Seconds a clean stop/restart may take before Incus gives up (default 30, as apply's restarts). */
  timeout?: number
  /** Kill instead of a clean shutdown. */
  force?: boolean
}

/**
 * Runs `action` on every target, concurrently. Starting a running instance
 * or stopping a stopped one changes nothing; a frozen instance is unfrozen
 * before a stop or restart (Incus refuses to stop a frozen one cleanly).
 */
export async function setPower(
  client: IncusClient,
  targets: readonly InstanceRef[],
  action: PowerAction,
  opts: PowerOptions = {},
): Promise<PowerResult[]> {
  const signal = opts.signal
  return changeEach(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, async (t) => {
    const project = { project: t.project, signal }
    const before = (await client.instances.state(t.name, project)).status
    if ((action === 'start' && before === 'Running') || (action === 'stop' && before === 'Stopped')) {
      return { outcome: 'unchanged' as const, status: before }
    }
    if (action === 'restart' && before === 'Stopped') {
      await client.instances.setState(t.name, { action: 'start' }, project)
    } else {
      if (action !== 'start' && before === 'Frozen') {
        await client.instances.setState(t.name, { action: 'unfreeze' }, project)
      }
      const state =
        action === 'start'
          ? { action }
          : opts.force
            ? { action, force: true }
            : { action, timeout: opts.timeout ?? 30 }
      await client.instances.setState(t.name, state, project)
    }
    const after = await client.instances.state(t.name, project)
    return { outcome: 'changed' as const, status: after.status }
  })
}
