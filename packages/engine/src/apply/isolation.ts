/**
 * Several infras on one host: what the isolation table of this infra needs
 * to know about the others. Each infra owns its table (default
 * `anklume_<project_name>`); the bridges of every other anklume infra go in
 * its `foreign_bridges` set, so traffic between them and this infra's
 * domains is dropped both ways. The newest applied table knows all the
 * others, which is enough whichever infra was applied first.
 */
import { AnklumeError } from '@anklume/errors'
import type { HostWarning, NftListing } from '@anklume/host'
import {
  type ForeignBridge,
  type IsolationModel,
  type LiveIsolationTable,
  liveIsolationTables,
  ownerToken,
  tableOf,
} from '@anklume/nftables'
import { LABEL_MANAGED, LABEL_PROJECT, type ObservedState } from '@anklume/planner'
import type { Infra } from '@anklume/schema'

/** Bridges labelled with another anklume project (the generator's `foreignBridges`). */
export function isolationInputs(
  observed: Pick<ObservedState, 'networks'>,
  infra: Pick<Infra, 'projectName'>,
): { foreignBridges: ForeignBridge[] } {
  const foreignBridges: ForeignBridge[] = []
  for (const n of observed.networks) {
    const project = n.config?.[LABEL_PROJECT]
    if (n.config?.[LABEL_MANAGED] !== 'true' || project === undefined) continue
    if (project !== infra.projectName) foreignBridges.push({ bridge: n.name, project })
  }
  return { foreignBridges }
}

/** The isolation table's name is taken by another infra's table. */
export class TableOwnedError extends AnklumeError<'ANKLUME_NFT_TABLE_OWNED'> {
  constructor(table: string, whose: string) {
    super('ANKLUME_NFT_TABLE_OWNED', `table inet ${table} isolates ${whose}: it is not this infra's`, {
      hint: 'give this infra its own table: remove global.isolation.table (default anklume_<project_name>) or pick another name',
    })
    this.name = 'TableOwnedError'
  }
}

export interface Coexistence {
  /** This infra's live table (undefined: not loaded yet). */
  live: NftListing | undefined
  /** The live table is marked as this infra's (false: absent, or an unmarked table of an earlier anklume). */
  marked: boolean
  /** Earlier tables of this infra to delete in the same transaction (legacy `anklume`, a renamed table). */
  replaces: string[]
  warnings: HostWarning[]
}

const describe = (t: LiveIsolationTable) =>
  `inet ${t.name} (${t.owner === undefined ? 'unmarked, from an earlier anklume' : `project ${t.owner}`})`

/**
 * Reads the host's ruleset (`nft -j list ruleset`) for anklume tables.
 * Refuses (TableOwnedError) when the table named like ours belongs to another
 * infra: marked with another project, or unmarked with another infra's bridges
 * in it. Earlier tables of ours go in `replaces`; the other infras' tables are
 * reported in one warning that says how they coexist.
 */
export function coexistence(listing: NftListing | undefined, model: IsolationModel): Coexistence {
  const token = ownerToken(model.project)
  const own = new Set(model.domains.map((d) => d.bridge))
  const foreign = new Map(model.foreignBridges.map((f) => [f.bridge, f.project]))
  const foreignIn = (t: LiveIsolationTable) => t.bridges.filter((b) => foreign.has(b))
  const result: Coexistence = { live: undefined, marked: false, replaces: [], warnings: [] }
  const others: LiveIsolationTable[] = []
  for (const t of listing ? liveIsolationTables(listing) : []) {
    if (t.name === model.table) {
      const theirs = foreignIn(t)
      if (t.owner !== undefined && t.owner !== token) throw new TableOwnedError(t.name, `project ${t.owner}`)
      if (t.owner === undefined && theirs.length > 0) {
        const b = theirs[0] as string
        throw new TableOwnedError(t.name, `bridges of another infra (${b}, project ${foreign.get(b)})`)
      }
      result.live = tableOf(listing as NftListing, t.name) as NftListing | undefined
      result.marked = t.owner === token
    } else if (
      t.owner === token ||
      (t.owner === undefined && t.bridges.some((b) => own.has(b)) && foreignIn(t).length === 0)
    ) {
      result.replaces.push(t.name)
    } else others.push(t)
  }
  if (result.replaces.length > 0) {
    result.warnings.push({
      code: 'TABLE_REPLACED',
      message:
        `table inet ${model.table} replaces this infra's earlier ${result.replaces.map((n) => `inet ${n}`).join(', ')} ` +
        '(one table per infra now): if `anklume nft install` persisted the old one, run it again and remove the old file under /etc/nftables.d',
    })
  }
  if (others.length > 0) {
    result.warnings.push({
      code: 'OTHER_INFRA_TABLES',
      message:
        `other anklume infras' isolation tables are loaded on this host: ${others.map(describe).join(', ')}. ` +
        `They coexist: each table isolates its own infra's domains, and inet ${model.table} drops all traffic ` +
        `between this infra's domains and the ${model.foreignBridges.length} bridges of the other infras, both ways ` +
        '(no policy opens it); flush deletes only its own table',
    })
  }
  return result
}
