/** Bridges: create, update, delete, with the retries Incus 6.0's bridge churn needs. */
import type { DesiredNetwork } from '@anklume/planner'
import { clearStalePending, readNetwork, UnmanagedInterfaceError } from './bridge-leftovers.js'
import { updateWithEtag } from './etag-update.js'
import { isPendingNetwork } from './observe.js'
import { type Handler, type IncusCall, isNotFound, type OpsContext } from './ops-context.js'
import { BRIDGE_CHURN, BRIDGE_CREATE, backoff, type RetryPolicy, retry } from './retry.js'

const ADDRESS_IN_USE = /dnsmasq: failed to create listening socket .*Address already in use/

/**
 * Creates a bridge, recovering from what Incus leaves behind
 * (bridge-leftovers.ts): a `Pending` record is never deleted while a
 * request may be building it (the POST waits for Incus's create lock, so a
 * record still `Pending` after it answered is stale, and is replaced); a
 * host interface of that name that Incus does not manage is an error,
 * never success; the spurious "bridge children interfaces" failures seen
 * on busy hosts are re-read and retried.
 */
export async function createNetwork(ctx: OpsContext, d: DesiredNetwork): Promise<void> {
  if (ctx.cluster) return createClusterNetwork(ctx, d, ctx.cluster.members)
  const { client, signal } = ctx
  const body = { name: d.name, type: 'bridge', description: d.description, config: d.config }
  let stale = false
  await retry(
    async () => {
      if (stale) await clearStalePending(ctx, d.name)
      stale = false
      await client.networks.create(body, { signal })
    },
    {
      ...BRIDGE_CREATE,
      signal,
      judge: async (err) => {
        const now = await readNetwork(client, d.name, signal)
        if (now === 'unmanaged') throw new UnmanagedInterfaceError(d.name)
        stale = now === 'pending'
        // A dnsmasq left by a killed create still holds the gateway address:
        // on the Incus host, clearing what is left of the bridge stops it.
        if (now === 'absent' && ADDRESS_IN_USE.test(String((err as Error).message)) && ctx.removeBareBridge) {
          await ctx.removeBareBridge(d.name).catch(() => undefined)
        }
        if (now === 'absent' || now === 'pending') return 'retry'
        // It exists: made by this failed call or by the request of a killed
        // apply (done), or by someone else before (409 on a fresh create).
        return (err as { status?: number }).status === 409 ? 'fail' : 'done'
      },
    },
  )
}

/**
 * A managed network on an Incus cluster is created in two phases: a
 * `POST /1.0/networks?target=<member>` per member (name and type only: the
 * member-specific keys, none of which anklume sets), which leaves it
 * `Pending` and lists the member in `locations`, then the global POST with
 * the full config, which creates it on every member. A network already
 * `Pending` or `Errored` (an interrupted apply, a member that failed) is
 * finished: members already in `locations` are not created again, and the
 * global POST retries the members that failed. The bridge churn of Incus
 * 6.0 ("Failed to delete bridge children interfaces") is retried.
 */
export async function createClusterNetwork(
  ctx: OpsContext,
  d: DesiredNetwork,
  members: readonly string[],
): Promise<void> {
  const { client, signal } = ctx
  const read = () =>
    client.networks.get(d.name, { signal }).then(
      (n) => n as { status?: string; locations?: string[] | null; managed?: boolean },
      (err: unknown) => {
        if (isNotFound(err)) return undefined
        throw err
      },
    )
  const now = await read()
  if (now?.managed === false) throw new UnmanagedInterfaceError(d.name)
  if (now && !isPendingNetwork(now)) return
  const have = new Set(now?.locations ?? [])
  for (const member of members) {
    if (have.has(member)) continue
    await client.networks.create({ name: d.name, type: 'bridge', config: {} }, { target: member, signal })
  }
  const body = { name: d.name, type: 'bridge', description: d.description, config: d.config }
  await retry(() => client.networks.create(body, { signal }), {
    ...BRIDGE_CHURN,
    signal,
    judge: async () => {
      const after = await read()
      return after && !isPendingNetwork(after) ? 'done' : 'retry'
    },
  })
}

/**
 * Deletes a bridge, one path for apply and flush. Incus sometimes answers
 * "Failed to delete bridge children interfaces" while a just-deleted
 * instance's veth goes away, and the bridge may go anyway: re-read, and
 * retry before reporting a failure. An absent bridge is fine.
 */
export async function deleteNetwork(ctx: IncusCall, name: string): Promise<void> {
  const { client, signal } = ctx
  await retry(() => client.networks.delete(name, { signal }), {
    ...BRIDGE_CHURN,
    signal,
    judge: async () => {
      const still = await client.networks.get(name, { signal }).then(
        () => true,
        (e: unknown) => !isNotFound(e),
      )
      return still ? 'retry' : 'done'
    },
  })
}

export const networkHandler: Handler<'network'> = async (ctx, a) => {
  switch (a.op) {
    case 'create':
      await ctx.beforeNetworkCreate?.(a.desired)
      return createNetwork(ctx, a.desired)
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      return removeBridge(ctx, a.name)
  }
}

/**
 * A killed client does not stop incusd: the create it sent goes on building
 * the bridge (interface, ports, dnsmasq) for a while after the kill, and the
 * record stays `Pending` meanwhile. Its interface may then look in use for a
 * moment. 8 tries over about 15 s outlast it.
 */
export const PENDING_SETTLE: RetryPolicy = { attempts: 8, delayMs: backoff(400, 3200) }

/**
 * Deletes a bridge for apply (prune) and flush. A `Pending` record (a
 * killed create) may have left its interface on this host: it is cleared
 * with its interface; while that interface still looks in use (the killed
 * request is still building it) the record is re-read and tried again, and
 * a record that became `Created` meanwhile is deleted the usual way.
 */
export async function removeBridge(ctx: IncusCall & Pick<OpsContext, 'removeBareBridge'>, name: string) {
  const { client, signal } = ctx
  if (!ctx.removeBareBridge) return deleteNetwork(ctx, name)
  let now = await readNetwork(client, name, signal)
  await retry(
    async () => {
      if (now === 'pending') await clearStalePending(ctx, name)
      else if (now === 'created') await deleteNetwork(ctx, name)
    },
    {
      ...PENDING_SETTLE,
      signal,
      judge: async (err) => {
        if (!(err instanceof UnmanagedInterfaceError)) return 'fail'
        now = await readNetwork(client, name, signal)
        return now === 'absent' ? 'done' : 'retry'
      },
    },
  )
}
