/**
 * `anklume flush` / `anklume destroy <domain>`: guard → lock → observe →
 * plan → execute. The CLI calls the steps itself to confirm in between;
 * `flush()` runs them all (library use, tests).
 */

import { acquireLock, contextDir, readNestingContext, removeBareBridge } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import type { ObservedState } from '@anklume/planner'
import { lockTarget } from '../apply/cluster.js'
import { observe } from '../apply/observe.js'
import { describePlan, executeFlush, type FlushItem } from './execute.js'
import { productionGuard } from './guard.js'
import { type FlushPlan, type FlushScope, planFlush } from './plan.js'
import { flushLabel } from './scope.js'
import { existingTables } from './table.js'

export interface FlushOptions {
  scope: FlushScope
  /** Pass the production guard and delete protected instances too. */
  force?: boolean
  /** Only report what would go. */
  dryRun?: boolean
  /** The isolation table to delete at the end of a whole flush (default `anklume`); ignored for one domain. */
  nftTable?: string
  /** false: leave the nftables table alone. */
  nft?: boolean
  /**
   * Removes the generated Ansible files last (`@anklume/convert`'s
   * removeGeneratedInventory bound to the tree and scope); with `dryRun`, only
   * lists them. The engine writes no files of its own.
   */
  inventory?: InventoryCleaner
  /** Directory of the nesting context files (default `$ANKLUME_CONTEXT_DIR`, else /etc/anklume). */
  contextDir?: string
  /**
   * This machine is the Incus host (default true; false for a remote): a
   * bare bridge a killed create left behind is removed with its record.
   */
  hostInterfaces?: boolean
  /** An explicit apply-lock name (default: the client's Incus target), so a flush never interleaves with an apply. */
  lockPath?: string
  concurrency?: number
  signal?: AbortSignal
}

/** Deletes (or with dryRun lists) generated inventory files; paths relative to the tree. */
export type InventoryCleaner = (opts: {
  dryRun: boolean
}) => Promise<{ deleted: string[]; stripped: string[] }>

export interface FlushReport {
  dryRun: boolean
  plan: FlushPlan
  items: FlushItem[]
  /** false when something failed. */
  ok: boolean
}

/** Refuses on a production host without force (before anything is read or deleted). */
export async function checkFlushAllowed(
  opts: Pick<FlushOptions, 'contextDir' | 'force' | 'scope'>,
): Promise<void> {
  const ctx = await readNestingContext(contextDir(opts.contextDir))
  productionGuard(ctx, opts.force === true, flushLabel(opts.scope))
}

/** One observation (every storage pool's volumes) and the plan. */
export async function prepareFlush(
  client: IncusClient,
  opts: Pick<FlushOptions, 'scope' | 'force' | 'signal'>,
): Promise<{ plan: FlushPlan; observed: ObservedState }> {
  const pools = (await client.storage.pools.list({ signal: opts.signal })).map((p) => p.name)
  const [observed, networks] = await Promise.all([
    observe(client, { pools, signal: opts.signal }),
    client.networks.list({ signal: opts.signal }),
  ])
  // observe() hides bridges left `Pending` by an interrupted creation; flush removes them too.
  observed.networks = networks as ObservedState['networks']
  return { plan: planFlush(observed, opts.scope, { force: opts.force }), observed }
}

/** The table a flush deletes, or undefined when it must stay (one domain, or nft disabled). */
export function flushTable(opts: Pick<FlushOptions, 'scope' | 'nft' | 'nftTable'>): string | undefined {
  if (opts.nft === false || opts.scope.domain !== undefined) return undefined
  return opts.nftTable ?? 'anklume'
}

/**
 * What a dry run of the inventory cleaner found: files that are only
 * generated would be deleted; files with content of the user's around the
 * managed block are kept, only the block is rewritten away.
 */
export function inventoryItems(inv: { deleted: string[]; stripped: string[] }): FlushItem[] {
  return [
    ...inv.deleted.map((p): FlushItem => ({ kind: 'inventory', name: p, status: 'would-delete' })),
    ...inv.stripped.map(
      (p): FlushItem => ({
        kind: 'inventory',
        name: p,
        status: 'kept',
        reason: 'managed block to remove, your content kept',
      }),
    ),
  ]
}

/** Executes a prepared plan (the caller holds the lock). */
export async function runFlush(
  client: IncusClient,
  plan: FlushPlan,
  opts: FlushOptions,
): Promise<FlushReport> {
  const inv = opts.inventory
  const table = flushTable(opts)
  // Only its own table: another infra's (or an earlier anklume's still in use) stays.
  const networks = table === undefined ? [] : await client.networks.list({ signal: opts.signal })
  const items = await executeFlush(client, plan, {
    concurrency: opts.concurrency,
    signal: opts.signal,
    nftTable: await existingTables(table, opts.scope, networks as ObservedState['networks']),
    removeBareBridge: opts.hostInterfaces === false ? undefined : removeBareBridge,
    inventory: inv ? () => inv({ dryRun: false }) : undefined,
  })
  return { dryRun: false, plan, items, ok: !items.some((i) => i.status === 'failed') }
}

/** Guard, lock, observe, plan, then delete (or only describe with `dryRun`). */
export async function flush(client: IncusClient, opts: FlushOptions): Promise<FlushReport> {
  if (opts.dryRun) {
    const { plan, observed } = await prepareFlush(client, opts)
    const items = describePlan(plan, await existingTables(flushTable(opts), opts.scope, observed.networks))
    if (opts.inventory) items.push(...inventoryItems(await opts.inventory({ dryRun: true })))
    return { dryRun: true, plan, items, ok: true }
  }
  await checkFlushAllowed(opts)
  const lock = await acquireLock({ target: await lockTarget(client, opts.signal), path: opts.lockPath })
  try {
    const { plan } = await prepareFlush(client, opts)
    return await runFlush(client, plan, opts)
  } finally {
    await lock.release()
  }
}
