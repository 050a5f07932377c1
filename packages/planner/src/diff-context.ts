/** Shared state of one diff run: options, the observed index, and what has been planned so far. */
import type { IsolationInput } from './diff-isolation.js'
import type { ObservedIndex } from './observed-index.js'
import type { Action, Change, Skipped } from './plan-types.js'
import { actionId } from './plan-types.js'

export interface DiffOptions {
  /** Delete unprotected orphans (apply --prune). */
  prune?: boolean
  /** Also replace/delete protected instances (apply --force). */
  force?: boolean
  /** Rebuild instances whose os_image changed (apply --rebuild). */
  rebuild?: boolean
  /** Only plan actions of these (unprefixed) domains. */
  domains?: string[]
  /** Extra disabled domains, on top of DesiredState.disabledDomains. */
  disabledDomains?: string[]
  /** The infra's project_name: the `user.anklume.project` label that marks our objects. */
  projectName: string
  /** The generated and live isolation tables: a missing or different table is a `nft-table` action. */
  isolation?: IsolationInput | undefined
}

/** Networks, volumes and profiles an action touches, for dependency edges. */
export interface Refs {
  networks: string[]
  /** `pool/name` in the action's project. */
  volumes: string[]
  profiles: string[]
}

export interface Draft {
  action: Action
  refs: Refs
}

export interface DiffContext {
  opts: DiffOptions
  idx: ObservedIndex
  drafts: Draft[]
  skipped: Skipped[]
  warnings: string[]
}

export function noRefs(): Refs {
  return { networks: [], volumes: [], profiles: [] }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** An action as the diff functions describe it: id and edges come later, changes default to none. */
export type NewAction = DistributiveOmit<Action, 'id' | 'dependsOn' | 'changes'> & { changes?: Change[] }

export function addAction(ctx: DiffContext, a: NewAction, refs: Refs = noRefs()): Action {
  // Keys in a fixed order (`plan --json` shows them so); `a` was checked against the union.
  const action = {
    id: actionId(a.kind, a.kind === 'volume' ? `${a.project}/${a.pool}` : a.project, a.name, a.op),
    op: a.op,
    kind: a.kind,
    ...(a.project !== undefined ? { project: a.project } : {}),
    name: a.name,
    ...(a.domain !== undefined ? { domain: a.domain } : {}),
    ...(a.pool !== undefined ? { pool: a.pool } : {}),
    dependsOn: [],
    reason: a.reason,
    changes: a.changes ?? [],
    ...(a.desired !== undefined ? { desired: a.desired } : {}),
    ...(a.restart ? { restart: true } : {}),
    ...(a.protected !== undefined ? { protected: a.protected } : {}),
  } as Action
  ctx.drafts.push({ action, refs })
  return action
}

/** `config limits.cpu, devices eth0` — the short list of what differs, for reasons. */
export function describeChanges(changes: Change[]): string {
  const parts = changes.map((c) => (c.key === undefined ? c.field : `${c.field} ${c.key}`))
  return parts.length > 6 ? `${parts.slice(0, 6).join(', ')} and ${parts.length - 6} more` : parts.join(', ')
}

export function nicNetworks(devices: Record<string, Record<string, string>>): string[] {
  const out: string[] = []
  for (const d of Object.values(devices)) if (d.type === 'nic' && d.network !== undefined) out.push(d.network)
  return out
}

export function volumeRefs(devices: Record<string, Record<string, string>>): string[] {
  const out: string[] = []
  for (const d of Object.values(devices)) {
    if (d.type === 'disk' && d.pool !== undefined && d.source !== undefined && d.path !== '/') {
      out.push(`${d.pool}/${d.source}`)
    }
  }
  return out
}
