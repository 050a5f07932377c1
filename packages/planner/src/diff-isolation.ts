/**
 * The host's nftables isolation table as a plan action: loaded when it is
 * missing, reloaded when the live table differs from the generated one, left
 * alone when they match. Only planned when the caller read the live table
 * (a local Incus): `plan --offline` and `--remote` have no table action.
 */
import { diffRulesets } from '@anklume/nftables'
import { addAction, type DiffContext } from './diff-context.js'
import type { DesiredTable } from './plan-types.js'

/** What the caller knows of the isolation table. */
export interface IsolationInput {
  desired: DesiredTable
  /** The generated table as libnftables JSON. */
  generated: { nftables: unknown[] }
  /** `nft -j list table inet <table>`, undefined when the table does not exist. */
  live: { nftables: unknown[] } | undefined
  /** Why a live table that matches must still be reloaded (unmarked, an earlier table to replace). */
  stale?: string
}

/** Why the live table differs, for the plan line: `3 elements differ`, `rules reordered`. */
export function tableDifference(iso: IsolationInput): string | undefined {
  if (iso.live === undefined) return 'table missing'
  const d = diffRulesets(iso.live, iso.generated)
  if (d.same) return iso.stale
  const lines = [...d.added, ...d.removed]
  if (lines.length === 0) return 'rules reordered'
  const what = lines.every((l) => l.startsWith('element ')) ? 'element' : 'ruleset line'
  return `${lines.length} ${what}${lines.length > 1 ? 's' : ''} differ${lines.length > 1 ? '' : 's'}`
}

export function diffIsolation(ctx: DiffContext, iso: IsolationInput | undefined): void {
  if (!iso) return
  const reason = tableDifference(iso)
  if (reason === undefined) return
  addAction(ctx, {
    op: iso.live === undefined ? 'create' : 'update',
    kind: 'nft-table',
    name: iso.desired.table,
    reason,
    desired: iso.desired,
  })
}
