/** Bridges: create, update, delete, with the retries Incus 6.0's bridge churn needs. */
import type { DesiredNetwork } from '@anklume/planner'
import { type PendingWait, readNetwork, settlePending, UnmanagedInterfaceError } from './bridge-leftovers.js'
import { updateWithEtag } from './etag-update.js'
import { type Handler, type IncusCall, ignoreGone, isNotFound } from './ops-context.js'
import { BRIDGE_CHURN, PENDING_BRIDGE, retry } from './retry.js'

/**
 * Creates a bridge, recovering from what Incus leaves behind (bridge-leftovers.ts):
 * a `Pending` record another request is still building is waited for (done
 * when it ends `Created`), and replaced only when it stays `Pending`; a host
 * interface of that name that Incus does not manage is an error, never
 * success; the spurious "bridge children interfaces" failures seen on busy
 * hosts are re-read and retried.
 */
export async function createNetwork(
  ctx: IncusCall,
  d: DesiredNetwork,
  wait: PendingWait = PENDING_BRIDGE,
): Promise<void> {
  const { client, signal } = ctx
  const body = { name: d.name, type: 'bridge', description: d.description, config: d.config }
  // The plan hides a declared `Pending` bridge: look before creating over it.
  let replace = false
  const before = await readNetwork(client, d.name, signal)
  if (before === 'unmanaged') throw new UnmanagedInterfaceError(d.name)
  if (before === 'pending') {
    const after = await settlePending(ctx, d.name, wait)
    if (after === 'created') return
    if (after === 'unmanaged') throw new UnmanagedInterfaceError(d.name)
    replace = after === 'pending'
  }
  await retry(
    async () => {
      if (replace) await client.networks.delete(d.name, { signal }).catch(ignoreGone)
      replace = false
      await client.networks.create(body, { signal })
    },
    {
      ...BRIDGE_CHURN,
      signal,
      judge: async (err) => {
        let now = await readNetwork(client, d.name, signal)
        if (now === 'pending') now = await settlePending(ctx, d.name, wait)
        replace = now === 'pending'
        if (now === 'unmanaged') throw new UnmanagedInterfaceError(d.name)
        if (now === 'absent' || now === 'pending') return 'retry'
        // It exists: made by this failed call (done), or by someone else before (409).
        return (err as { status?: number }).status === 409 ? 'fail' : 'done'
      },
    },
  )
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
      return createNetwork(ctx, a.desired, ctx.pendingBridge)
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      return deleteNetwork(ctx, a.name)
  }
}
