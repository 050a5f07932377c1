/**
 * What planning needs before desired() on an Incus cluster or a host whose
 * pool is not `default`: the placements checked against the members, the
 * isolation moved onto Incus network ACLs, and the storage pool resolved.
 */
import { AnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import { type ObservedState, type ObservedVolume, placementProblem } from '@anklume/planner'
import type { Infra, SourcePos } from '@anklume/schema'

/** A `placement` names a member or group the cluster does not have. */
export class PlacementError extends AnklumeError<'ANKLUME_PLACEMENT'> {
  constructor(message: string) {
    super('ANKLUME_PLACEMENT', message, {
      hint: 'use a member name from `incus cluster list` or @group from `incus cluster group list`',
    })
    this.name = 'PlacementError'
  }
}

/** The infra's storage pool is not on this Incus. */
export class StoragePoolError extends AnklumeError<'ANKLUME_STORAGE_POOL_MISSING'> {
  constructor(message: string, pools: readonly string[]) {
    super('ANKLUME_STORAGE_POOL_MISSING', message, {
      hint:
        pools.length > 0
          ? `set global.storage_pool to one of: ${pools.join(', ')}`
          : 'create a storage pool first (incus storage create default dir)',
    })
    this.name = 'StoragePoolError'
  }
}

const at = (pos: SourcePos | undefined) => (pos ? `${pos.file}:${pos.line}: ` : '')

/** Every placement of the file must name a member or a non-empty group of the cluster. */
export function checkPlacements(infra: Infra, observed: ObservedState): void {
  const members = observed.cluster?.members
  if (!members) return
  const problems: string[] = []
  for (const d of infra.domains) {
    if (!d.enabled) continue
    const own = d.placement !== undefined ? placementProblem(members, d.placement) : undefined
    if (own) problems.push(`${at(d.pos)}domains.${d.name}.placement: ${own}`)
    for (const m of d.machines) {
      if (m.placement === undefined || m.placement === d.placement) continue
      const bad = placementProblem(members, m.placement)
      if (bad) problems.push(`${at(m.pos)}domains.${d.name}.machines.${m.name}.placement: ${bad}`)
    }
  }
  if (problems.length > 0) throw new PlacementError(problems.join('; '))
}

/**
 * Under a cluster the isolation is Incus network ACLs, which every member
 * enforces on its own bridges (a table on the machine running anklume
 * isolates nothing there): `isolation.network_acls` is on.
 */
export function clusterIsolation(infra: Infra, observed: ObservedState): Infra {
  if (!observed.cluster || infra.global.isolation.networkAcls) return infra
  return {
    ...infra,
    global: { ...infra.global, isolation: { ...infra.global.isolation, networkAcls: true } },
  }
}

/**
 * The pool the infra's root disks and undeclared volumes go to. Declared
 * (`global.storage_pool`): it must exist. Not declared: `default` when
 * there is one, else the pool of the `default` profile's root disk in the
 * default project (what `incus launch` uses), else the only pool.
 * Returns the pool, or throws StoragePoolError listing the pools.
 */
export function resolvePool(infra: Infra, observed: ObservedState): string {
  const wanted = infra.global.storagePool
  const pools = observed.pools
  if (!pools) return wanted // listed only when one was missing (or on a cluster)
  const names = pools.map((p) => p.name).sort()
  const has = (p: string) => names.includes(p)
  for (const d of infra.domains)
    for (const m of d.machines)
      for (const v of m.storageVolumes) {
        if (v.pool !== wanted && !has(v.pool)) {
          throw new StoragePoolError(
            `${at(m.pos)}storage pool "${v.pool}" of volume ${v.name} (machine ${m.name}) is not on this Incus (pools: ${names.join(', ') || 'none'})`,
            names,
          )
        }
      }
  if (has(wanted)) return wanted
  if (!infra.global.storagePoolDeclared) {
    const root = observed.profiles.find((p) => p.project === 'default' && p.name === 'default')?.devices?.root
    if (root?.pool && has(root.pool)) return root.pool
    if (names.length === 1) return names[0] as string
  }
  const why = infra.global.storagePoolDeclared
    ? `global.storage_pool "${wanted}" is not on this Incus`
    : `no storage_pool is declared and this Incus has no pool "default" to use`
  throw new StoragePoolError(`${why} (pools: ${names.join(', ') || 'none'})`, names)
}

/** The infra with `pool` instead of the undeclared default, and its volumes read. */
export async function usePool(
  client: IncusClient | undefined,
  infra: Infra,
  observed: ObservedState,
  pool: string,
  signal?: AbortSignal,
): Promise<Infra> {
  const from = infra.global.storagePool
  if (pool === from) return infra
  if (client && !(pool in observed.volumes)) {
    const list = await client.storage.volumes.list(pool, { allProjects: true, signal })
    observed.volumes[pool] = list as unknown as ObservedVolume[]
  }
  return {
    ...infra,
    global: { ...infra.global, storagePool: pool },
    domains: infra.domains.map((d) => ({
      ...d,
      machines: d.machines.map((m) => ({
        ...m,
        storageVolumes: m.storageVolumes.map((v) => (v.pool === from ? { ...v, pool } : v)),
      })),
    })),
  }
}

/**
 * What the apply lock is keyed on: the Incus target (socket path or remote
 * origin), except on a cluster, where every member answers for the same
 * cluster: its certificate (the same on every member), so applies through
 * two members' addresses still exclude each other on this machine.
 */
export async function lockTarget(client: IncusClient, signal?: AbortSignal): Promise<string> {
  const env = (await client.server({ signal })).environment
  const fp = env?.certificate_fingerprint
  return env?.server_clustered && fp ? `incus-cluster:${fp}` : client.target
}
