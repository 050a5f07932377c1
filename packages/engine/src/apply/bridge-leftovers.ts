/**
 * What an interrupted bridge creation leaves behind, and how a later create
 * deals with it. Incus creates a bridge in the request itself (no background
 * operation, so nothing in /1.0/operations tells it is still running): it
 * writes a `Pending` record, builds the interface, then marks it `Created`.
 * A killed apply leaves that request running in incusd: deleting the record
 * under it leaves a bare host interface behind. So a `Pending` record is
 * waited for, and only replaced once it stayed `Pending` longer than any
 * create takes (the request died with incusd).
 */
import { AnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import { isPendingNetwork } from './observe.js'
import type { IncusCall } from './ops-context.js'
import { PENDING_BRIDGE } from './retry.js'

export interface NetworkRecord {
  managed?: boolean
  status?: string
}

/** How long a `Pending` record is waited for, and how often it is re-read. */
export interface PendingWait {
  pollMs: number
  waitMs: number
}

/** What became of a record: absent, a host interface Incus does not manage, still `Pending`, or done. */
export type Leftover = 'absent' | 'unmanaged' | 'pending' | 'created'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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
 * Re-reads a `Pending` bridge until another request finishes it (`created`),
 * drops it (`absent`), or the wait runs out (`pending`: a record left by a
 * request that died).
 */
export async function settlePending(
  ctx: IncusCall,
  name: string,
  wait: PendingWait = PENDING_BRIDGE,
): Promise<Leftover> {
  const deadline = Date.now() + wait.waitMs
  for (;;) {
    const now = await readNetwork(ctx.client, name, ctx.signal)
    if (now !== 'pending' || Date.now() >= deadline || ctx.signal?.aborted) return now
    await sleep(wait.pollMs)
  }
}

/**
 * A host interface carries this infra's bridge name but Incus does not manage
 * it (left by an interrupted create, or made by hand). Never taken for the
 * bridge: it has none of the bridge's addresses, DHCP or firewall rules.
 */
export class UnmanagedInterfaceError extends AnklumeError<'ANKLUME_UNMANAGED_INTERFACE'> {
  readonly interface: string
  constructor(name: string) {
    super(
      'ANKLUME_UNMANAGED_INTERFACE',
      `a host interface named ${name} exists and is not an Incus managed network: the bridge cannot be created`,
      {
        hint:
          `if nothing of yours uses it (an interrupted apply leaves such an interface), remove it with ` +
          `\`sudo ip link delete ${name}\` and apply again`,
      },
    )
    this.name = 'UnmanagedInterfaceError'
    this.interface = name
  }
}
