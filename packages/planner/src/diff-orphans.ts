/**
 * Orphans: objects labelled for this infra (`user.anklume.managed=true`,
 * `user.anklume.project=<project_name>`) that are no longer declared. Deleted
 * only with prune (protected instances only with force), in the order
 * instances -> volumes -> profiles -> projects -> bridges; an object something
 * kept still uses is kept too, and says why. Unlabelled objects are never touched.
 */
import { addAction, type DiffContext, nicNetworks } from './diff-context.js'
import { isProtected } from './diff-instance.js'
import { isOurs, LABEL_DOMAIN } from './labels.js'
import type { ObservedInstance, ObservedProfile } from './observed.js'
import { type PooledVolume, pkey, vkey } from './observed-index.js'
import type { ObjectKind } from './plan-types.js'

export interface Declared {
  /** Names/keys of declared objects, same keys as the observed index. */
  networks: Set<string>
  projects: Set<string>
  profiles: Set<string>
  instances: Set<string>
  volumes: Set<string>
  /** Instance names (any project) that a replace already consumes. */
  replaced: Set<string>
  disabled: Set<string>
}

interface Orphan {
  kind: ObjectKind
  project?: string
  pool?: string
  name: string
  domain?: string
}

export function diffOrphans(
  ctx: DiffContext,
  declared: Declared,
  profilesByProject: Map<string, ObservedProfile[]>,
): void {
  const { idx, opts } = ctx
  const mine = (config: Record<string, string>) =>
    isOurs(config, opts.projectName) && !declared.disabled.has(config[LABEL_DOMAIN] ?? '')
  const gone = new Set<string>() // keys of objects that will be deleted
  const kept = (o: Orphan, reason: string) => {
    const { pool: _pool, ...rest } = o
    ctx.skipped.push({ ...rest, op: 'delete', reason })
  }
  const remove = (o: Orphan, key: string, extra: { protected?: boolean } = {}) => {
    gone.add(key)
    addAction(ctx, {
      ...o,
      op: 'delete',
      reason: 'orphan: labelled for this infra, no longer declared',
      ...extra,
    })
  }
  const notPruned = 'orphan: no longer declared; apply --prune to delete'
  const domainOf = (c: Record<string, string>) => c[LABEL_DOMAIN]

  const instancesIn = new Map<string, ObservedInstance[]>()
  for (const i of idx.instances.values()) {
    const list = instancesIn.get(i.project) ?? []
    list.push(i)
    instancesIn.set(i.project, list)
    const key = `instance:${pkey(i.project, i.name)}`
    if (!mine(i.config) || declared.instances.has(pkey(i.project, i.name)) || declared.replaced.has(i.name))
      continue
    const o: Orphan = { kind: 'instance', project: i.project, name: i.name, domain: domainOf(i.config) }
    if (!opts.prune) kept(o, notPruned)
    else if (isProtected(i) && !opts.force)
      kept(o, 'orphan, protected (ephemeral: false): needs --prune --force')
    else remove(o, key, { protected: isProtected(i) })
  }
  const liveInstances = (project: string) =>
    (instancesIn.get(project) ?? []).filter(
      (i) => !gone.has(`instance:${pkey(i.project, i.name)}`) && !declared.replaced.has(i.name),
    )

  const volumesIn = new Map<string, PooledVolume[]>()
  for (const v of idx.volumes.values()) {
    const list = volumesIn.get(v.project) ?? []
    list.push(v)
    volumesIn.set(v.project, list)
    if (!mine(v.config) || declared.volumes.has(vkey(v.project, v.pool, v.name))) continue
    const o: Orphan = {
      kind: 'volume',
      project: v.project,
      pool: v.pool,
      name: v.name,
      domain: domainOf(v.config),
    }
    const user = liveInstances(v.project).find((i) => attaches(i, v) && !wantsDetach(i, declared))
    if (!opts.prune) kept(o, notPruned)
    else if (user) kept(o, `orphan, still attached to instance ${user.name}`)
    else remove(o, `volume:${vkey(v.project, v.pool, v.name)}`)
  }
  for (const p of idx.profiles.values()) {
    if (p.name === 'default' || !mine(p.config) || declared.profiles.has(pkey(p.project, p.name))) continue
    const o: Orphan = { kind: 'profile', project: p.project, name: p.name, domain: domainOf(p.config) }
    const user = liveInstances(p.project).find(
      (i) => i.profiles.includes(p.name) && !wantsDetach(i, declared),
    )
    if (!opts.prune) kept(o, notPruned)
    else if (user) kept(o, `orphan, still used by instance ${user.name}`)
    else remove(o, `profile:${pkey(p.project, p.name)}`)
  }
  for (const p of idx.projects.values()) {
    if (!mine(p.config) || declared.projects.has(p.name)) continue
    const o: Orphan = { kind: 'project', name: p.name, domain: domainOf(p.config) }
    const inst = liveInstances(p.name)[0]
    const vol = (volumesIn.get(p.name) ?? []).find(
      (v) => !gone.has(`volume:${vkey(v.project, v.pool, v.name)}`),
    )
    const prof = (profilesByProject.get(p.name) ?? []).find(
      (x) => x.name !== 'default' && !gone.has(`profile:${pkey(x.project, x.name)}`),
    )
    if (!opts.prune) kept(o, notPruned)
    else if (inst) kept(o, `orphan, still holds instance ${inst.name}`)
    else if (vol) kept(o, `orphan, still holds volume ${vol.name}`)
    else if (prof) kept(o, `orphan, still holds profile ${prof.name}`)
    else remove(o, `project:${p.name}`)
  }
  let users: Map<string, NetUser[]> | undefined
  for (const n of idx.networks.values()) {
    if (!mine(n.config) || declared.networks.has(n.name)) continue
    const o: Orphan = { kind: 'network', name: n.name, domain: domainOf(n.config) }
    users ??= networkUsers(profilesByProject, idx.instances.values(), gone, declared)
    const user = users.get(n.name)?.find((u) => u.alive())?.label
    if (!opts.prune) kept(o, notPruned)
    else if (user) kept(o, `orphan, still used by ${user}`)
    else remove(o, `network:${n.name}`)
  }
}

function attaches(i: ObservedInstance, v: PooledVolume): boolean {
  return Object.values(i.devices).some((d) => d.type === 'disk' && d.pool === v.pool && d.source === v.name)
}

/** A declared instance will be updated to its declared devices/profiles: what it drops is free to go. */
function wantsDetach(i: ObservedInstance, declared: Declared): boolean {
  return declared.instances.has(pkey(i.project, i.name))
}

interface NetUser {
  label: string
  alive: () => boolean
}

/** Every profile and instance device that uses a network, with a test of whether it outlives the plan. */
function networkUsers(
  profilesByProject: Map<string, ObservedProfile[]>,
  instances: Iterable<ObservedInstance>,
  gone: Set<string>,
  declared: Declared,
): Map<string, NetUser[]> {
  const users = new Map<string, NetUser[]>()
  const add = (net: string, u: NetUser) => {
    const list = users.get(net)
    if (list) list.push(u)
    else users.set(net, [u])
  }
  for (const [project, profiles] of profilesByProject) {
    for (const p of profiles) {
      const key = pkey(project, p.name)
      const alive = () =>
        !gone.has(`project:${project}`) && !gone.has(`profile:${key}`) && !declared.profiles.has(key)
      for (const net of nicNetworks(p.devices)) add(net, { label: `profile ${key}`, alive })
    }
  }
  for (const i of instances) {
    const key = pkey(i.project, i.name)
    const alive = () =>
      !gone.has(`instance:${key}`) && !declared.replaced.has(i.name) && !declared.instances.has(key)
    for (const net of nicNetworks(i.devices)) add(net, { label: `instance ${key}`, alive })
  }
  return users
}
