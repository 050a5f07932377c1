/** DesiredState + ObservedState -> Plan (incus-mapping.md, Reconciliation). */
import type { DesiredState } from './desired-types.js'
import { diffAuxiliary } from './diff-auxiliary.js'
import { addAction, type DiffContext, type DiffOptions, nicNetworks } from './diff-context.js'
import { diffInstance } from './diff-instance.js'
import { diffIsolation } from './diff-isolation.js'
import { diffNetwork, diffProfile, diffProject, diffVolume } from './diff-objects.js'
import { type Declared, diffOrphans } from './diff-orphans.js'
import type { ObservedProfile, ObservedState } from './observed.js'
import { indexObserved, pkey, vkey } from './observed-index.js'
import { isBeside, order } from './order.js'
import type { Action, Plan, PlanSummary } from './plan-types.js'

export type { DiffOptions } from './diff-context.js'

function summarise(actions: Action[]): PlanSummary {
  const s: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    delete: 0,
    start: 0,
    restart: 0,
    rebuild: 0,
    move: 0,
    auxiliary: 0,
    isolation: 0,
  }
  for (const a of actions) {
    if (a.kind === 'nft-table') s.isolation++
    else if (a.kind === 'acl' || a.kind === 'zone') s.auxiliary++
    else s[a.op]++
    if (a.op === 'update' && a.restart) s.restart++
  }
  return s
}

/** Running instances that use a profile whose devices change need a restart too. */
function profileRestarts(ctx: DiffContext, observed: ObservedState, declared: Set<string>): void {
  const changed = new Set<string>()
  for (const { action: a } of ctx.drafts) {
    if (a.kind === 'profile' && a.op === 'update' && a.changes.some((c) => c.field === 'devices')) {
      changed.add(pkey(a.project ?? '', a.name))
    }
  }
  if (changed.size === 0) return
  const busy = new Set<string>()
  for (const { action: a } of ctx.drafts) {
    if (a.kind === 'instance' && (a.restart || a.op !== 'update')) busy.add(pkey(a.project ?? '', a.name))
  }
  for (const i of observed.instances) {
    const key = pkey(i.project, i.name)
    if (i.status !== 'Running' || busy.has(key) || !declared.has(key)) continue
    const profiles = i.profiles.filter((p) => changed.has(pkey(i.project, p)))
    if (profiles.length === 0) continue
    addAction(
      ctx,
      {
        op: 'restart',
        kind: 'instance',
        project: i.project,
        name: i.name,
        ...(i.config['user.anklume.domain'] ? { domain: i.config['user.anklume.domain'] } : {}),
        reason: `devices of profile ${profiles.join(', ')} changed: restart to take effect`,
      },
      { networks: [], volumes: [], profiles },
    )
  }
}

export function diff(desired: DesiredState, observed: ObservedState, opts: DiffOptions): Plan {
  const idx = indexObserved(observed, opts.projectName)
  const ctx: DiffContext = { opts, idx, drafts: [], skipped: [], warnings: [...desired.warnings] }
  const profileNets = new Map<string, string[]>()
  for (const p of desired.profiles) profileNets.set(pkey(p.project, p.name), nicNetworks(p.devices))

  diffAuxiliary(ctx, desired, observed)
  for (const n of desired.networks) diffNetwork(ctx, n)
  for (const p of desired.projects) diffProject(ctx, p)
  for (const p of desired.profiles) diffProfile(ctx, p)
  for (const v of desired.volumes) diffVolume(ctx, v)
  for (const i of desired.instances) diffInstance(ctx, i, profileNets)
  profileRestarts(ctx, observed, new Set(desired.instances.map((i) => pkey(i.project, i.name))))

  const declared: Declared = {
    networks: new Set(desired.networks.map((n) => n.name)),
    projects: new Set(desired.projects.map((p) => p.name)),
    profiles: new Set(desired.profiles.map((p) => pkey(p.project, p.name))),
    instances: new Set(desired.instances.map((i) => pkey(i.project, i.name))),
    volumes: new Set(desired.volumes.map((v) => vkey(v.project, v.pool, v.name))),
    replaced: new Set(ctx.drafts.filter((d) => d.action.op === 'replace').map((d) => d.action.name)),
    disabled: new Set([...desired.disabledDomains, ...(opts.disabledDomains ?? [])]),
  }
  const profilesByProject = new Map<string, ObservedProfile[]>()
  for (const p of observed.profiles) {
    const list = profilesByProject.get(p.project) ?? []
    list.push(p)
    profilesByProject.set(p.project, list)
  }
  diffOrphans(ctx, declared, profilesByProject)
  diffIsolation(ctx, opts.isolation)

  let actions = order(ctx.drafts)
  let skipped = ctx.skipped
  if (opts.domains !== undefined) {
    // ACLs, zones and the isolation table are the whole infra's: always kept.
    const only = new Set(opts.domains)
    actions = actions.filter((a) => isBeside(a) || (a.domain !== undefined && only.has(a.domain)))
    const kept = new Set(actions.map((a) => a.id))
    for (const a of actions) {
      a.dependsOn = a.dependsOn.filter((id) => kept.has(id))
      if (a.after) a.after = a.after.filter((id) => kept.has(id))
    }
    skipped = skipped.filter((s) => s.domain !== undefined && only.has(s.domain))
  }
  return { actions, skipped, warnings: ctx.warnings, summary: summarise(actions) }
}
