import { isAnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import type { Action, DesiredInstance } from '@anklume/planner'
import type { NestingContext } from '@anklume/schema'
import { prepareInstance } from './instance-setup.js'

/** What the Incus operations of an apply share. */
export interface OpsContext {
  client: IncusClient
  /** Aborts the requests themselves (not set for Ctrl-C: running actions finish). */
  signal: AbortSignal | undefined
  nesting: NestingContext
}

export const isNotFound = (err: unknown): boolean => isAnklumeError(err, 'INCUS_NOT_FOUND')

export function ignoreGone(err: unknown): void {
  if (!isNotFound(err)) throw err
}

/** Prepares a container (context files, socket directory) and starts it. */
export async function startInstance(
  ctx: OpsContext,
  d: Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>,
): Promise<void> {
  const { client, signal } = ctx
  await prepareInstance(client, d, ctx.nesting, signal)
  // Incus 6.0 now and then fails a NIC's start while a bridge was just
  // (re)created ("Failed to start device … Failed adding bridge filter
  // rules"); the same start a moment later works. Other failures are final.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.instances.setState(d.name, { action: 'start' }, { project: d.project, signal })
      return
    } catch (err) {
      const transient = /Failed to start device/.test(String((err as Error).message))
      if (!transient || attempt >= 3 || signal?.aborted) throw err
      await new Promise((r) => setTimeout(r, 1000 * attempt))
    }
  }
}

/** Force-stops an instance (we are destroying it anyway); an already stopped one is fine. */
export async function stopForce(ctx: OpsContext, name: string, project: string | undefined): Promise<void> {
  const { client, signal } = ctx
  try {
    await client.instances.setState(name, { action: 'stop', force: true }, { project, signal })
  } catch (err) {
    if (!/already stopped/i.test(String((err as Error).message))) throw err
  }
}

/**
 * Deletes an instance: clears its delete protection first when it has it
 * (the planner only deletes or replaces a protected instance under --force),
 * stops it with force, deletes it. `knownProtected` comes from the plan's
 * observation; when unknown the instance is read first.
 */
export async function deleteInstance(ctx: OpsContext, a: Action, knownProtected?: boolean): Promise<void> {
  const { client, signal } = ctx
  const p = a.project
  try {
    const isProtected =
      knownProtected ??
      (await client.instances.get(a.name, { project: p, signal })).config?.['security.protection.delete'] ===
        'true'
    if (isProtected) {
      await client.instances.patch(
        a.name,
        { config: { 'security.protection.delete': 'false' } },
        { project: p, signal },
      )
    }
    await stopForce(ctx, a.name, p)
    await client.instances.delete(a.name, { project: p, signal })
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
