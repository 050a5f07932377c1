/**
 * Dependency edges and order. Creation: bridges -> projects -> default
 * profiles -> domain profiles -> volumes -> instances (-> start/restart).
 * Deletion: instances -> volumes -> profiles -> projects -> bridges. Within
 * one instance: create/replace/rebuild, then update, then start/restart. An edge
 * exists only where one object really needs the other, so independent work
 * (all bridges, all projects, instances of different domains) runs at once.
 * Every edge points to an action earlier in the returned list.
 */
import type { Draft } from './diff-context.js'
import { pkey } from './observed-index.js'
import type { Action } from './plan-types.js'

export function rank(a: Action): number {
  if (a.op === 'delete') return { instance: 8, volume: 9, profile: 10, project: 11, network: 12 }[a.kind]
  switch (a.kind) {
    case 'network':
      return 0
    case 'project':
      return 1
    case 'profile':
      return a.name === 'default' ? 2 : 3
    case 'volume':
      return 4
    case 'instance':
      return a.op === 'start' || a.op === 'restart' ? 7 : a.op === 'update' ? 6 : 5
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
  for (const { d } of sorted) {
    const a = d.action
    const key =
      a.kind === 'volume' ? `${a.project}/${a.pool}/${a.name}` : a.project ? pkey(a.project, a.name) : a.name
    if (a.op !== 'delete') push(byObject, `${a.kind}:${key}`, a)
    if (a.project !== undefined) push(byProject, a.project, a)
    for (const n of d.refs.networks) push(byNetwork, n, a)
    if (a.kind === 'project' && a.op === 'delete') push(projectDeletesByDomain, a.domain ?? '', a)
  }
  const out: Action[] = []
  for (const { d } of sorted) {
    const a = d.action
    const deps = new Set<string>()
    const add = (list: Action[] | undefined) => {
      for (const x of list ?? []) if (x !== a) deps.add(x.id)
    }
    const nonDelete = (list: Action[] | undefined) => add(list?.filter((x) => x.op !== 'delete'))
    if (a.op === 'delete') {
      if (a.kind === 'volume' || a.kind === 'profile')
        add(byProject.get(a.project ?? '')?.filter((x) => x.kind === 'instance'))
      if (a.kind === 'project') add(byProject.get(a.name))
      if (a.kind === 'network') {
        add(byNetwork.get(a.name))
        add(projectDeletesByDomain.get(a.domain ?? ''))
      }
    } else if (a.kind === 'profile' || a.kind === 'volume' || a.kind === 'instance') {
      const project = a.project ?? ''
      nonDelete(byObject.get(`project:${project}`))
      for (const n of d.refs.networks) nonDelete(byObject.get(`network:${n}`))
      if (a.kind === 'instance') {
        for (const p of d.refs.profiles) nonDelete(byObject.get(`profile:${pkey(project, p)}`))
        for (const v of d.refs.volumes) nonDelete(byObject.get(`volume:${project}/${v}`))
        // Same instance: update after rebuild; start/restart after both.
        const same = byObject.get(`instance:${pkey(project, a.name)}`) ?? []
        if (a.op === 'update') add(same.filter((x) => x.op === 'rebuild'))
        if (a.op === 'start' || a.op === 'restart')
          add(same.filter((x) => x.op === 'rebuild' || x.op === 'update'))
      }
    }
    a.dependsOn = [...deps].sort()
    out.push(a)
  }
  return out
}
