/**
 * What an interrupted bridge creation leaves behind. Incus creates a bridge
 * inside the POST (no background operation), holding a lock that serialises
 * creates: it writes a `Pending` record, builds the interface, then marks it
 * `Created`. When the client is killed mid-request, incusd may stop half-way
 * and leave the `Pending` record and, at times, the bridge interface itself.
 * Deleting a `Pending` record drops only the database row, so a bare
 * interface stays and every later create fails with "Network interface …
 * already exists" (Incus then lists it as an unmanaged network).
 *
 * Because creates are serialised, a create of ours that answers while the
 * record is still `Pending` proves no request is building it any more: the
 * record is stale. It is replaced, after the bare interface (an unused
 * bridge only) is removed on this host; when that cannot be done (not root,
 * a remote Incus, something plugged in) the record is kept and the error
 * gives the command.
 */
import { AnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import { isPendingNetwork } from './observe.js'
import { type IncusCall, ignoreGone, type OpsContext } from './ops-context.js'

export interface NetworkRecord {
  managed?: boolean
  status?: string
}

/** What a network read shows: nothing, a host interface Incus does not manage, a stale create, or a bridge. */
export type Leftover = 'absent' | 'unmanaged' | 'pending' | 'created'

export function classify(n: NetworkRecord | undefined): Leftover {
  if (!n) return 'absent'
  if (n.managed === false) return 'unmanaged'
  return isPendingNetwork(n) ? 'pending' : 'created'
}

/** Reads a network; any failure reads as absent (the caller's next call tells more). */
export function readNetwork(client: IncusClient, name: string, signal?: AbortSignal): Promise<Leftover> {
  return client.networks.get(name, { signal }).then(
    (n) => classify(n as NetworkRecord),
    () => 'absent' as const,
  )
}

/**
 * A host interface carries this infra's bridge name but Incus does not
 * manage it (left by an interrupted create, or made by hand). Never taken
 * for the bridge: it has none of the bridge's addresses, DHCP or rules.
 */
export class UnmanagedInterfaceError extends AnklumeError<'ANKLUME_UNMANAGED_INTERFACE'> {
  readonly interface: string
  constructor(name: string, opts: { message?: string; cause?: unknown } = {}) {
    super(
      'ANKLUME_UNMANAGED_INTERFACE',
      opts.message ??
        `a host interface named ${name} exists and is not an Incus managed network: the bridge cannot be created`,
      {
        hint:
          `if nothing of yours uses it (an interrupted apply leaves such an interface), remove it on the ` +
          `Incus host with \`sudo ip link delete ${name}\` and apply again`,
        ...(opts.cause === undefined ? {} : { cause: opts.cause }),
      },
    )
    this.name = 'UnmanagedInterfaceError'
    this.interface = name
  }
}

/**
 * Clears a stale `Pending` record (before a create replaces it, or in a
 * flush): removes the bare bridge it may have left on this host (when the
 * context can), then the record.
 */
export async function clearStalePending(
  ctx: IncusCall & Pick<OpsContext, 'removeBareBridge'>,
  name: string,
): Promise<void> {
  if (ctx.removeBareBridge) {
    const half = `the bridge ${name} was left half-made by an interrupted create (Incus record Pending)`
    const result = await ctx.removeBareBridge(name).catch((cause: unknown) => {
      const why = cause instanceof Error ? cause.message : String(cause)
      throw new UnmanagedInterfaceError(name, {
        message: `${half}; removing its interface failed: ${why}`,
        cause,
      })
    })
    if (result === 'kept') {
      throw new UnmanagedInterfaceError(name, {
        message: `${half}; its interface is not an unused bridge, so it was left alone`,
      })
    }
  }
  await ctx.client.networks.delete(name, { signal: ctx.signal }).catch(ignoreGone)
}
