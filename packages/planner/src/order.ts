/**
 * Dependency edges and order. Creation: network ACLs and zones -> bridges -> projects -> default
 * profiles -> domain profiles -> volumes -> instances (-> start/restart).
 * Deletion: instances -> volumes -> profiles -> projects -> bridges -> ACLs and
 * zones. The isolation table comes last, after every bridge action whatever its
 * outcome (`after`: one failed bridge does not keep the others unprotected).
 * Instances start being built once every bridge create or update has finished
 * (`after`, whatever the outcome): Incus 6.0 fails a bridge create now and
 * then while veths come and go ("Failed to delete bridge children
 * interfaces"), and 190 containers starting beside the last of 20 bridges
 * outlasted its retries. The `incus` CLI admin does the same: bridges, then
 * launches. Within
 * one instance: create/replace/rebuild, then move, then update, then start/restart. An edge
 * exists only where one object really needs the other, so independent work
 * (all bridges, all projects, instances of different domains) runs at once.
 * Every edge points to an action earlier in the returned list.
 */
import type { Draft } from './diff-context.js'
import { pkey } from './observed-index.js'
import type { Action } from './plan-types.js'

/** ACLs, zones and the isolation table: the whole infra's, beside its domains. */
export function isBeside(a: Action): boolean {
  return a.kind === 'acl' || a.kind === 'zone' || a.kind === 'nft-table'
}

/** ACLs and zones a bridge's config names. */
function bridgeRefs(config: Record<string, string>): string[] {
  const names = (key: string, kind: string) =>
    (config[key] ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '')
      .map((n) => `${kind}:${n}`)
  return [...names('security.acls', 'acl'), ...names('dns.zone.forward', 'zone')]
}

export function rank(a: Action): number {
  if (a.kind === 'nft-table') return 14
  if (a.op === 'delete')
    return { instance: 8, volume: 9, profile: 10, project: 11, network: 12, acl: 13, zone: 13 }[a.kind]
  switch (a.kind) {
    case 'acl':
    case 'zone':
      return -1
    case 'network':
      return 0
    case 'project':
      return 1
    case 'profile':
      return a.name === 'default' ? 2 : 3
    case 'volume':
      return 4
    case 'instance':
      return a.op === 'start' || a.op === 'restart' ? 7 : a.op === 'update' ? 6 : a.op === 'move' ? 5.5 : 5
  }
}

function push(map: Map<string, Action[]>, key: string, a: Action): void {
  const list = map.get(key)
  if (list) list.push(a)
  else map.set(key, [a])
}

export function order(drafts: Draft[]): Action[] {
  const sorted = drafts.map((d, i) => ({ d, i, r: rank(d.action) })).sort((x, y) => x.r - y.r || x.i - y.i)
  const byObject = new Map<string, Action[]>() // non-delete actions by kind:key
  const byProject = new Map<string, Action[]>() // every action inside a project
  const byNetwork = new Map<string, Action[]>() // actions whose object uses a network
  const projectDeletesByDomain = new Map<string, Action[]>()
  const networkActions: Action[] = []
  for (const { d } of sorted) {
    const a = d.action
    const key =
      a.kind === 'volume' ? `${a.project}/${a.pool}/${a.name}` : a.project ? pkey(a.project, a.name) : a.name
    if (a.op !== 'delete') push(byObject, `${a.kind}:${key}`, a)
    if (a.project !== undefined) push(byProject, a.project, a)
    for (const n of d.refs.networks) push(byNetwork, n, a)
    if (a.kind === 'project' && a.op === 'delete') push(projectDeletesByDomain, a.domain ?? '', a)
    if (a.kind === 'network') networkActions.push(a)
  }
  const bridgeBuilds = networkActions
    .filter((x) => x.op !== 'delete')
    .map((x) => x.id)
    .sort()
  const out: Action[] = []
  for (const { d } of sorted) {
    const a = d.action
    const deps = new Set<string>()
    const add = (list: Action[] | undefined) => {
      for (const x of list ?? []) if (x !== a) deps.add(x.id)
    }
    const nonDelete = (list: Action[] | undefined) => add(list?.filter((x) => x.op !== 'delete'))
    if (a.kind === 'nft-table') {
      a.after = networkActions.map((x) => x.id).sort()
    } else if (a.op === 'delete') {
      if (a.kind === 'acl' || a.kind === 'zone') add(networkActions)
      if (a.kind === 'volume' || a.kind === 'profile')
        add(byProject.get(a.project ?? '')?.filter((x) => x.kind === 'instance'))
      if (a.kind === 'project') add(byProject.get(a.name))
      if (a.kind === 'network') {
        add(byNetwork.get(a.name))
        add(projectDeletesByDomain.get(a.domain ?? ''))
      }
    } else if (a.kind === 'network') {
      for (const ref of bridgeRefs(a.desired.config)) nonDelete(byObject.get(ref))
    } else if (a.kind === 'profile' || a.kind === 'volume' || a.kind === 'instance') {
      const project = a.project ?? ''
      nonDelete(byObject.get(`project:${project}`))
      for (const n of d.refs.networks) nonDelete(byObject.get(`network:${n}`))
      if (a.kind === 'instance') {
        if (bridgeBuilds.length > 0) a.after = bridgeBuilds
        for (const p of d.refs.profiles) nonDelete(byObject.get(`profile:${pkey(project, p)}`))
        for (const v of d.refs.volumes) nonDelete(byObject.get(`volume:${project}/${v}`))
        // Same instance: update after rebuild; start/restart after both.
        const same = byObject.get(`instance:${pkey(project, a.name)}`) ?? []
        if (a.op === 'update') add(same.filter((x) => x.op === 'rebuild' || x.op === 'move'))
        if (a.op === 'start' || a.op === 'restart')
          add(same.filter((x) => x.op === 'rebuild' || x.op === 'update' || x.op === 'move'))
      }
    }
    a.dependsOn = [...deps].sort()
    out.push(a)
  }
  return out
}
