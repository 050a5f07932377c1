/** Bridges: create, update, delete, with the retries Incus 6.0's bridge churn needs. */
import type { DesiredNetwork } from '@anklume/planner'
import { updateWithEtag } from './etag-update.js'
import { isPendingNetwork } from './observe.js'
import { type Handler, type IncusCall, ignoreGone, isNotFound } from './ops-context.js'
import { BRIDGE_CHURN, retry } from './retry.js'

/**
 * Creates a bridge, recovering from what Incus leaves behind: a `Pending`
 * record from an apply killed mid-creation (replaced), and the spurious
 * "bridge children interfaces" failures seen on busy hosts (re-read, retried).
 */
export async function createNetwork(ctx: IncusCall, d: DesiredNetwork): Promise<void> {
  const { client, signal } = ctx
  const body = { name: d.name, type: 'bridge', description: d.description, config: d.config }
  let pending = false
  await retry(
    async () => {
      if (pending) await client.networks.delete(d.name, { signal }).catch(ignoreGone)
      await client.networks.create(body, { signal })
    },
    {
      ...BRIDGE_CHURN,
      signal,
      judge: async (err) => {
        const existing = await client.networks.get(d.name, { signal }).catch(() => undefined)
        pending = existing !== undefined && isPendingNetwork(existing)
        if (!existing || pending) return 'retry'
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
      return createNetwork(ctx, a.desired)
    case 'update':
      await updateWithEtag(ctx, a, a.changes)
      return
    case 'delete':
      return deleteNetwork(ctx, a.name)
  }
}
