import { isAnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import type { ObservedState, ObservedVolume } from '@anklume/planner'

export interface ObserveOptions {
  /** Storage pools whose custom volumes matter (the infra's pools). */
  pools: readonly string[]
  /** Also read runtime state and snapshots (recursion=2), for `status`. */
  withState?: boolean
  signal?: AbortSignal
}

/** An interrupted bridge creation leaves this status behind. */
export function isPendingNetwork(n: { status?: string }): boolean {
  return n.status === 'Pending'
}

/**
 * Reads everything the planner compares, with a constant number of GETs
 * whatever the size of the infra: projects, networks, profiles, instances,
 * custom volumes of each pool, images, network ACLs and zones (plus `GET /1.0` once for the
 * extension checks). A pool that does not exist reads as empty.
 */
export async function observe(client: IncusClient, opts: ObserveOptions): Promise<ObservedState> {
  const signal = opts.signal
  const instances = opts.withState
    ? client
        .request<ObservedState['instances']>('GET', '/1.0/instances', {
          query: { recursion: 2, 'all-projects': true },
          signal,
        })
        .then((r) => r.metadata)
    : client.instances.list({ allProjects: true, signal })
  const volumeLists = Promise.all(
    [...new Set(opts.pools)].map(async (pool) => {
      try {
        return [pool, await client.storage.volumes.list(pool, { allProjects: true, signal })] as const
      } catch (err) {
        if (isAnklumeError(err, 'INCUS_NOT_FOUND')) return [pool, []] as const
        throw err
      }
    }),
  )
  const [projects, networks, profiles, insts, volumes, images, acls, zones] = await Promise.all([
    client.projects.list({ signal }),
    client.networks.list({ signal }),
    client.profiles.list({ allProjects: true, signal }),
    instances,
    volumeLists,
    client.images.list({ signal }),
    client.networkAcls.list({ signal }),
    client.networkZones.list({ signal }),
  ])
  return {
    projects: projects as ObservedState['projects'],
    networks: networks as ObservedState['networks'],
    profiles: profiles as ObservedState['profiles'],
    instances: insts as ObservedState['instances'],
    volumes: Object.fromEntries(volumes.map(([pool, list]) => [pool, list as unknown as ObservedVolume[]])),
    images: images as unknown as ObservedState['images'],
    acls: acls as ObservedState['acls'],
    zones: zones as ObservedState['zones'],
  }
}
