/**
 * The isolation table as `plan`, `status` and `doctor` see it: the table the
 * infra generates (knowing the other infras' bridges) compared with the one
 * loaded on this machine's kernel. Read only for a local Incus (its host is
 * this machine), never offline.
 */
import {
  type HostWarning,
  listRuleset,
  type NftListing,
  requireNftablesDriver,
  requireRoot,
} from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { generateRuleset, isolationModel } from '@anklume/nftables'
import { type IsolationInput, type ObservedState, tableDifference } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import { coexistence, isolationInputs } from './isolation.js'

/** Whether the live table is the generated one; `warnings` say how it coexists with other infras'. */
export type TableState =
  | { status: 'same' | 'missing'; table: string; warnings: HostWarning[] }
  | { status: 'differs'; table: string; difference: string; warnings: HostWarning[] }
  /** Not readable (not root, not the nftables firewall driver, no nft) or owned by another infra: nothing planned. */
  | { status: 'unknown'; table: string; error: unknown }

export interface ReadIsolationOptions {
  level: number
  signal?: AbortSignal | undefined
  /** Reads the host's ruleset (tests stub it; default `nft -j list ruleset`). */
  list?: (() => Promise<NftListing | undefined>) | undefined
}

export interface Isolation {
  /** What the planner compares (absent when the table could not be read). */
  input?: IsolationInput
  state: TableState
}

/** Generates the infra's table and reads the host's tables. Never throws: an unreadable table is `unknown`. */
export async function readIsolation(
  client: IncusClient,
  infra: Infra,
  observed: Pick<ObservedState, 'networks'>,
  opts: ReadIsolationOptions,
): Promise<Isolation> {
  // Other infras' bridges are dropped both ways (isolation.ts).
  const model = isolationModel(infra, { level: opts.level, ...isolationInputs(observed, infra) })
  const table = model.table
  try {
    const server = await client.server({ signal: opts.signal })
    requireNftablesDriver(server.environment?.firewall)
    if (!opts.list) requireRoot() // not root: the error apply reports names the command that loads it
    // One `nft list ruleset`: our live table, and the other infras' tables.
    const host = coexistence(await (opts.list ?? listRuleset)(), model)
    const ruleset = generateRuleset(model, { replaces: host.replaces })
    const bridges = model.domains.filter((d) => d.enabled).map((d) => d.bridge)
    // An unmarked table (an earlier anklume) or an earlier table of ours to replace: reloaded.
    const stale = !host.marked
      ? 'not marked as this infra’s'
      : host.replaces.length > 0
        ? `replaces ${host.replaces.map((n) => `inet ${n}`).join(', ')}`
        : undefined
    const input: IsolationInput = {
      desired: { table, text: ruleset.text, bridges },
      generated: ruleset.json,
      live: host.live,
      ...(host.live && stale ? { stale } : {}),
    }
    const { warnings } = host
    const difference = tableDifference(input)
    if (host.live === undefined) return { input, state: { status: 'missing', table, warnings } }
    if (difference === undefined) return { input, state: { status: 'same', table, warnings } }
    return { input, state: { status: 'differs', table, difference, warnings } }
  } catch (error) {
    return { state: { status: 'unknown', table, error } }
  }
}

/** One line for `status`: `isolation: table inet anklume loaded`. */
export function describeTable(state: TableState): string {
  const head = `isolation: table inet ${state.table}`
  switch (state.status) {
    case 'same':
      return `${head} loaded`
    case 'missing':
      return `${head} missing (run: anklume apply)`
    case 'differs':
      return `${head} differs from the infra file: ${state.difference} (run: anklume apply)`
    case 'unknown':
      return `${head} not checked: ${(state.error as Error)?.message ?? String(state.error)}`
  }
}
