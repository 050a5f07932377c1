/** Instance steps the handlers compose: create, start (prepared), stop, delete. */
import type { DesiredInstance } from '@anklume/planner'
import { prepareInstance } from './instance-setup.js'
import { type IncusCall, isNotFound, type OpsContext } from './ops-context.js'
import { DEVICE_START, DEVICE_START_FAILURE, retry, retryWhen } from './retry.js'

/** Prepares a container (context files, socket directory) and starts it. */
export async function startInstance(
  ctx: OpsContext,
  d: Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>,
): Promise<void> {
  const { client, signal } = ctx
  await prepareInstance(ctx, d)
  await retry(() => client.instances.setState(d.name, { action: 'start' }, { project: d.project, signal }), {
    ...DEVICE_START,
    signal,
    judge: retryWhen(DEVICE_START_FAILURE),
  })
}

/** Creates an instance stopped, then prepares and starts it. */
export async function createInstance(ctx: OpsContext, d: DesiredInstance): Promise<void> {
  const { client, signal } = ctx
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
  await startInstance(ctx, d)
}

/** Force-stops an instance (we are destroying it anyway); an already stopped one is fine. */
export async function stopForce(ctx: IncusCall, name: string, project: string | undefined): Promise<void> {
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
 * observation; when unknown the instance is read first. An absent one is fine.
 */
export async function deleteInstance(
  ctx: IncusCall,
  target: { name: string; project?: string | undefined },
  knownProtected?: boolean,
): Promise<void> {
  const { client, signal } = ctx
  const { name, project } = target
  try {
    const isProtected =
      knownProtected ??
      (await client.instances.get(name, { project, signal })).config?.['security.protection.delete'] ===
        'true'
    if (isProtected) {
      await client.instances.patch(
        name,
        { config: { 'security.protection.delete': 'false' } },
        { project, signal },
      )
    }
    await stopForce(ctx, name, project)
    await client.instances.delete(name, { project, signal })
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
}
