import { ignoreGone, isNotFound, type OpsContext } from './instance-ops.js'
import { isPendingNetwork } from './observe.js'

/**
 * Creates a bridge, recovering from what Incus leaves behind: a `Pending`
 * record from an apply killed mid-creation (replaced), and the spurious
 * "bridge children interfaces" failures seen on busy hosts (re-read, retried).
 */
export async function createNetwork(
  ctx: OpsContext,
  body: {
    name: string
    type: string
    description: string
    config: Record<string, string>
  },
): Promise<void> {
  const { client, signal } = ctx
  for (let attempt = 1; ; attempt++) {
    try {
      await client.networks.create(body, { signal })
      return
    } catch (err) {
      const existing = await client.networks.get(body.name, { signal }).catch(() => undefined)
      if (existing && !isPendingNetwork(existing)) {
        if ((err as { status?: number }).status === 409) throw err
        return
      }
      if (attempt >= 5) throw err
      if (existing) await client.networks.delete(body.name, { signal }).catch(ignoreGone)
      await new Promise((r) => setTimeout(r, 400 * attempt))
    }
  }
}

/**
 * Deletes a bridge. Incus sometimes answers "Failed to delete bridge children
 * interfaces" while a just-deleted instance's veth goes away: re-read, and
 * retry a few times before reporting a failure.
 */
export async function deleteNetwork(ctx: OpsContext, name: string): Promise<void> {
  const { client, signal } = ctx
  for (let attempt = 1; ; attempt++) {
    try {
      await client.networks.delete(name, { signal })
      return
    } catch (err) {
      const still = await client.networks.get(name, { signal }).then(
        () => true,
        (e: unknown) => !isNotFound(e),
      )
      if (!still) return
      if (attempt >= 5) throw err
      await new Promise((r) => setTimeout(r, 400 * attempt))
    }
  }
}
