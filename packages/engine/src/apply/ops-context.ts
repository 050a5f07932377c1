/** What the Incus operations of an apply (and of a flush) share. */
import { isAnklumeError } from '@anklume/errors'
import type { ApplyRulesetResult } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import type { ActionOf, DesiredNetwork, DesiredTable, Kind } from '@anklume/planner'
import type { NestingContext } from '@anklume/schema'

/** A client and the signal that aborts its requests. */
export interface IncusCall {
  client: IncusClient
  /** Aborts the requests themselves (not set for Ctrl-C: running actions finish). */
  signal: AbortSignal | undefined
}

/** What the executor's handlers get. */
export interface OpsContext extends IncusCall {
  /** Host context the new instances' /etc/anklume files derive from. */
  nesting: NestingContext
  /** Checks run right before a bridge is created (e.g. the host subnet-overlap guard). */
  beforeNetworkCreate?: ((network: DesiredNetwork) => void | Promise<void>) | undefined
  /** Loads the isolation table of a `nft-table` action (default: @anklume/host's applyRuleset). */
  loadTable?: TableLoader | undefined
  /**
   * Removes an unused bridge interface a killed create left on the Incus
   * host (@anklume/host removeBareBridge); unset for a remote Incus.
   */
  removeBareBridge?: ((name: string) => Promise<'absent' | 'removed' | 'kept'>) | undefined
  /**
   * Incus cluster: its members. Bridges are created in two phases (one
   * pending create per member, then the global one); instances and local
   * volumes go to the member the plan names.
   */
  cluster?: { members: string[] } | undefined
}

/** Loads an isolation table on the Incus host. */
export type TableLoader = (table: DesiredTable, ctx: IncusCall) => Promise<ApplyRulesetResult | undefined>

/** Carries out the actions of one kind. */
export type Handler<K extends Kind> = (ctx: OpsContext, action: ActionOf<K>) => Promise<void>

export const isNotFound = (err: unknown): boolean => isAnklumeError(err, 'INCUS_NOT_FOUND')

/** For `.catch`: an object already gone is what a delete wanted. */
export function ignoreGone(err: unknown): void {
  if (!isNotFound(err)) throw err
}

/** The error's message, whatever was thrown. */
export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : String((err as { message?: unknown })?.message ?? err)
