/**
 * Which isolation table a flush may delete: only its own. Several infras
 * share a host, each with its own table; the table carries its owner (the
 * `domain_bridges` set comment, see @anklume/nftables owner.ts). A table of
 * an earlier anklume carries no owner: it is kept while it still holds a
 * bridge of another infra.
 */
import { listRuleset, listTable } from '@anklume/host'
import { liveIsolationTables, ownerToken } from '@anklume/nftables'
import { LABEL_MANAGED, LABEL_PROJECT, type ObservedState } from '@anklume/planner'
import type { FlushScope } from './plan.js'

/** The table a flush would delete, or (`kept`) why it stays. */
export interface FlushTable {
  name: string
  kept?: string
}

type Networks = ObservedState['networks']

/** The verdict for a live table listing (`nft -j list table inet <name>`). Pure. */
export function tableVerdict(
  name: string,
  listing: { nftables: unknown[] },
  scope: FlushScope,
  networks: Networks = [],
): FlushTable {
  const project = scope.projectName
  const t = liveIsolationTables(listing).find((x) => x.name === name)
  if (project === undefined || t === undefined) return { name }
  if (t.owner !== undefined) {
    return t.owner === ownerToken(project)
      ? { name }
      : { name, kept: `it isolates the domains of project ${t.owner}, another infra` }
  }
  const bridges = new Set(t.bridges)
  const other = networks.find(
    (n) =>
      bridges.has(n.name) &&
      n.config?.[LABEL_MANAGED] === 'true' &&
      n.config[LABEL_PROJECT] !== undefined &&
      n.config[LABEL_PROJECT] !== project,
  )
  if (!other) return { name }
  return {
    name,
    kept: `a table of an earlier anklume that still isolates ${other.name} of project ${other.config?.[LABEL_PROJECT]}`,
  }
}

/**
 * `table` when it is loaded in the kernel and this flush may delete it (or it
 * cannot be read: then kept in the list, as the delete will say why), with
 * `kept` when it belongs to another infra; undefined when it is not loaded.
 */
export async function existingTable(
  table: string | undefined,
  scope: FlushScope = {},
  networks?: Networks,
): Promise<FlushTable | undefined> {
  if (table === undefined) return undefined
  let listing: Awaited<ReturnType<typeof listTable>>
  try {
    listing = await listTable(table)
  } catch {
    return { name: table }
  }
  return listing ? tableVerdict(table, listing, scope, networks) : undefined
}

/**
 * The tables a flush deals with: `table` (see existingTable) and, when every
 * anklume object is in scope (no infra file), every other anklume isolation
 * table loaded on the host (one per infra since tables are per infra).
 */
export async function existingTables(
  table: string | undefined,
  scope: FlushScope = {},
  networks?: Networks,
): Promise<FlushTable[]> {
  if (table === undefined) return []
  const named = await existingTable(table, scope, networks)
  const out = named ? [named] : []
  if (scope.projectName !== undefined) return out
  const listing = await listRuleset().catch(() => undefined)
  for (const t of listing ? liveIsolationTables(listing) : [])
    if (t.name !== table) out.push({ name: t.name })
  return out
}

/** A table argument in any of its forms, as a list. */
export function tableList(t: string | FlushTable | FlushTable[] | undefined): FlushTable[] {
  if (t === undefined) return []
  if (typeof t === 'string') return [{ name: t }]
  return Array.isArray(t) ? t : [t]
}
