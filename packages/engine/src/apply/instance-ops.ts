/** Instance steps the handlers compose: create, start (prepared), stop, delete. */
import type { DesiredInstance } from '@anklume/planner'
import { prepareOrMark } from './instance-setup.js'
import { type IncusCall, isNotFound, messageOf, type OpsContext } from './ops-context.js'
import { INSTANCE_CHURN, INSTANCE_TRANSIENT, retry } from './retry.js'

const ALREADY = { start: /already running/i, stop: /already stopped/i } as const

/**
 * Starts or stops an instance. "already running" / "already stopped" is the
 * wanted state (e.g. the start a killed apply had sent went through), and
 * Incus's transient failures ("Invalid PID", a NIC that cannot start yet)
 * are retried with backoff.
 */
export function changeState(
  ctx: IncusCall,
  name: string,
  project: string | undefined,
  state: { action: 'start' } | { action: 'stop'; force: true },
): Promise<void> {
  const { client, signal } = ctx
  return retry(() => client.instances.setState(name, state, { project, signal }), {
    ...INSTANCE_CHURN,
    signal,
    judge: (err) => {
      const message = messageOf(err)
      if (ALREADY[state.action].test(message)) return 'done'
      return INSTANCE_TRANSIENT.test(message) ? 'retry' : 'fail'
    },
  })
}

/**
 * Prepares a container (context files, socket directory) and starts it. A
 * container whose files cannot be pushed is started anyway and marked, so
 * the next apply plans a `start` that pushes them (instance-setup.ts).
 * `marked`: the instance may carry that mark (a `start` or `rebuild` action).
 */
export async function startInstance(
  ctx: OpsContext,
  d: Pick<DesiredInstance, 'name' | 'project' | 'type' | 'needsSocketDir'>,
  marked = false,
): Promise<void> {
  await prepareOrMark(ctx, d, marked)
  await changeState(ctx, d.name, d.project, { action: 'start' })
}

/** Creates an instance stopped, then prepares and starts it. */
/** Incus still runs another request's create of this instance (a killed apply's). */
const CREATE_IN_FLIGHT = /Instance is busy running a "create" operation/
const ALREADY_EXISTS = /already exists/

/**
 * Creates an instance, then starts it. A killed apply's create of the same
 * instance can still be running in Incus when the next apply starts: Incus
 * then answers "Instance is busy running a "create" operation". That create
 * is waited for (tried again each second, up to a minute) and its instance
 * taken over once it exists: it was made from the same plan, and the next
 * plan compares its config as for any instance.
 */
export async function createInstance(ctx: OpsContext, d: DesiredInstance): Promise<void> {
  const { client, signal } = ctx
  let inFlight = false
  await retry(
    () =>
      client.instances.create(
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
        { project: d.project, signal, ...(d.target !== undefined ? { target: d.target } : {}) },
      ),
    {
      attempts: 60,
      delayMs: () => 1000,
      signal,
      judge: (err) => {
        const message = messageOf(err)
        if (CREATE_IN_FLIGHT.test(message)) {
          inFlight = true
          return 'retry'
        }
        return inFlight && ALREADY_EXISTS.test(message) ? 'done' : 'fail'
      },
    },
  )
  await startInstance(ctx, d)
}

/** Force-stops an instance (we are destroying it anyway); an already stopped one is fine. */
export function stopForce(ctx: IncusCall, name: string, project: string | undefined): Promise<void> {
  return changeState(ctx, name, project, { action: 'stop', force: true })
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
