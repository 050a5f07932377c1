/**
 * What `flush` / `destroy` would delete, in the safe order, computed from
 * one observation. Pure. Only objects carrying `user.anklume.managed=true`
 * (and, when scoped, the infra's `user.anklume.project` / the domain's
 * `user.anklume.domain`) are ever planned for deletion.
 */
import { LABEL_DOMAIN, LABEL_MANAGED, LABEL_PROJECT, type ObservedState } from '@anklume/planner'

export interface FlushScope {
  /** Only objects labelled with this `project_name` (an infra file is known). Undefined: every anklume object. */
  projectName?: string
  /** Only this (unprefixed) domain: `anklume destroy <domain>`. */
  domain?: string
}

export interface FlushRef {
  name: string
  project: string
}

export interface FlushPlan {
  /** Instances to stop (forced) and delete; `protected` ones are unprotected first (only with force). */
  instances: Array<FlushRef & { protected: boolean; status: string }>
  /** Protected instances left alone (no --force). */
  skippedInstances: Array<FlushRef & { reason: string }>
  /** Domain projects with their own image store (`features.images=true`): their images go. */
  imageProjects: string[]
  volumes: Array<FlushRef & { pool: string }>
  /** Domain profiles (not `default`). */
  profiles: FlushRef[]
  /** Volumes and profiles still used by an instance that stays. */
  keptObjects: Array<FlushRef & { kind: 'volume' | 'profile'; reason: string }>
  /** Projects whose `default` profile devices are removed before the project goes. */
  defaultProfiles: string[]
  projects: string[]
  keptProjects: Array<{ name: string; reason: string }>
  /** Bridges, deleted all at once (each retried through the veth race). */
  networks: string[]
  keptNetworks: Array<{ name: string; reason: string }>
  /** Network ACLs of the scope (anklume's isolation on a cluster), deleted after the bridges. */
  acls: string[]
}

type Config = Record<string, string> | undefined

/** The scope's ownership test. */
export function inScope(config: Config, scope: FlushScope): boolean {
  if (config?.[LABEL_MANAGED] !== 'true') return false
  if (scope.projectName !== undefined && config[LABEL_PROJECT] !== scope.projectName) return false
  if (scope.domain !== undefined && config[LABEL_DOMAIN] !== scope.domain) return false
  return true
}

const key = (project: string | undefined, name: string) => `${project ?? 'default'}/${name}`

/** `/1.0/instances/x?project=p` → { kind: 'instances', key: 'p/x' } */
function usedByRef(url: string): { kind: string; key: string } | undefined {
  const m = /^\/1\.0\/([a-z-]+)\/([^?/]+)(?:\?(.*))?$/.exec(url)
  if (!m) return undefined
  const project = new URLSearchParams(m[3] ?? '').get('project') ?? 'default'
  return { kind: m[1] as string, key: key(project, decodeURIComponent(m[2] as string)) }
}

function isProtected(i: { config?: Config; expanded_config?: Config }): boolean {
  return (i.expanded_config ?? i.config)?.['security.protection.delete'] === 'true'
}

export function planFlush(
  observed: ObservedState,
  scope: FlushScope,
  opts: { force?: boolean } = {},
): FlushPlan {
  const plan: FlushPlan = {
    instances: [],
    skippedInstances: [],
    imageProjects: [],
    volumes: [],
    profiles: [],
    keptObjects: [],
    defaultProfiles: [],
    projects: [],
    keptProjects: [],
    networks: [],
    keptNetworks: [],
    acls: [],
  }
  const projects = observed.projects.filter((p) => p.name !== 'default' && inScope(p.config, scope))
  const projectNames = new Set(projects.map((p) => p.name))
  const deletedInstances = new Set<string>()
  const remaining = new Map<string, string[]>()
  const remain = (project: string, what: string) =>
    remaining.set(project, [...(remaining.get(project) ?? []), what])

  for (const i of observed.instances) {
    const ref = { name: i.name, project: i.project }
    if (!inScope(i.config, scope)) {
      if (projectNames.has(i.project)) remain(i.project, `instance ${i.name} (not anklume's)`)
      continue
    }
    const prot = isProtected(i as never)
    if (prot && !opts.force) {
      plan.skippedInstances.push({
        ...ref,
        reason: 'protected (security.protection.delete=true); --force deletes it',
      })
      remain(i.project, `protected instance ${i.name}`)
      continue
    }
    plan.instances.push({ ...ref, protected: prot, status: i.status })
    deletedInstances.add(key(i.project, i.name))
  }

  /** Instances (not deleted) in an object's `used_by`: it cannot go while they stay. */
  const users = (usedBy: readonly string[] | null | undefined) =>
    (usedBy ?? []).filter((url) => {
      const ref = usedByRef(url)
      return ref?.kind === 'instances' && !deletedInstances.has(ref.key)
    })
  const keep = (kind: 'volume' | 'profile', ref: FlushRef, by: string[]) => {
    plan.keptObjects.push({ ...ref, kind, reason: `still used by ${by.join(', ')}` })
    remain(ref.project, `${kind} ${ref.name}`)
  }

  for (const [pool, volumes] of Object.entries(observed.volumes)) {
    for (const v of volumes) {
      if (v.type !== 'custom') continue
      if (inScope(v.config, scope)) {
        const by = users((v as { used_by?: string[] | null }).used_by)
        if (by.length > 0) keep('volume', { name: `${pool}/${v.name}`, project: v.project }, by)
        else plan.volumes.push({ name: v.name, project: v.project, pool })
      } else if (projectNames.has(v.project)) remain(v.project, `volume ${pool}/${v.name} (not anklume's)`)
    }
  }

  const deletedProfiles = new Set<string>()
  for (const p of observed.profiles) {
    if (p.name === 'default') continue
    if (inScope(p.config, scope)) {
      const by = users((p as { used_by?: string[] | null }).used_by)
      if (by.length > 0) {
        keep('profile', { name: p.name, project: p.project }, by)
        continue
      }
      plan.profiles.push({ name: p.name, project: p.project })
      deletedProfiles.add(key(p.project, p.name))
    } else if (projectNames.has(p.project)) remain(p.project, `profile ${p.name} (not anklume's)`)
  }

  for (const p of projects) {
    const left = remaining.get(p.name)
    if (left) {
      plan.keptProjects.push({ name: p.name, reason: `still holds ${left.join(', ')}` })
      continue
    }
    plan.projects.push(p.name)
    if (p.config['features.images'] === 'true') plan.imageProjects.push(p.name)
    if (observed.profiles.some((x) => x.project === p.name && x.name === 'default')) {
      plan.defaultProfiles.push(p.name)
    }
  }
  const goneProjects = new Set(plan.projects)

  for (const n of observed.networks) {
    if (!inScope(n.config, scope)) continue
    const users = (n.used_by ?? []).filter((url) => {
      const ref = usedByRef(url)
      if (!ref) return true
      const project = ref.key.slice(0, ref.key.indexOf('/'))
      if (ref.kind === 'instances') return !deletedInstances.has(ref.key)
      if (ref.kind === 'profiles') return !deletedProfiles.has(ref.key) && !goneProjects.has(project)
      return true
    })
    if (users.length > 0)
      plan.keptNetworks.push({ name: n.name, reason: `still used by ${users.join(', ')}` })
    else plan.networks.push(n.name)
  }

  // ACLs in scope, unless a bridge that stays still names them.
  const kept = new Set(plan.keptNetworks.map((n) => n.name))
  const stillUsed = new Set(
    observed.networks
      .filter((n) => kept.has(n.name) || (!inScope(n.config, scope) && n.config['security.acls']))
      .flatMap((n) => (n.config['security.acls'] ?? '').split(',').map((a) => a.trim())),
  )
  for (const a of observed.acls ?? [])
    if (inScope(a.config, scope) && !stillUsed.has(a.name)) plan.acls.push(a.name)

  const sort = <T extends FlushRef>(xs: T[]) =>
    xs.sort((a, b) => a.project.localeCompare(b.project) || a.name.localeCompare(b.name))
  sort(plan.instances)
  sort(plan.skippedInstances)
  sort(plan.volumes)
  sort(plan.profiles)
  sort(plan.keptObjects)
  for (const list of [plan.projects, plan.networks, plan.imageProjects, plan.defaultProfiles, plan.acls])
    list.sort()
  for (const list of [plan.keptProjects, plan.keptNetworks]) list.sort((a, b) => a.name.localeCompare(b.name))
  return plan
}

/** True when the plan keeps something anklume owns (the isolation table must then stay). */
export function keepsAnything(plan: FlushPlan): boolean {
  return (
    plan.skippedInstances.length +
      plan.keptObjects.length +
      plan.keptProjects.length +
      plan.keptNetworks.length >
    0
  )
}
