import { isAnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import type {
  ObservedCluster,
  ObservedInstance,
  ObservedPool,
  ObservedState,
  ObservedVolume,
} from '@anklume/planner'
import { BRIDGE_PREFIX } from '@anklume/schema'

export interface ObserveOptions {
  /** Storage pools whose custom volumes matter (the infra's pools). */
  pools: readonly string[]
  /** Also read runtime state and snapshots (recursion=2), for `status`. */
  withState?: boolean
  /** Also list the storage pools (a single host reads them only when a pool is missing). */
  withPools?: boolean
  /**
   * Read every network, whatever its name (`import`, which follows the NICs
   * of hand-made projects), not only the bridges anklume names.
   */
  allNetworks?: boolean
  signal?: AbortSignal
}

/** The bridges anklume names, of any infra and nesting level: `net-…`, `NNN-net-…`. */
const OWN_BRIDGE_NAME = new RegExp(`^(\\d{3}-)?${BRIDGE_PREFIX}`)

/**
 * The networks the planner needs: the list of names (cheap), then each bridge
 * anklume may have made, by name, all at once. Incus computes `used_by` for
 * every network it returns, which costs a scan of every instance per network;
 * `GET /1.0/networks?recursion=1` does that for all of them one after the
 * other (1.1–1.3 s for 20 bridges and 200 instances), the per-name reads run
 * side by side and skip the host's other interfaces. A bridge gone between the
 * two reads is absent.
 */
async function readNetworks(client: IncusClient, opts: ObserveOptions): Promise<unknown[]> {
  const signal = opts.signal
  if (opts.allNetworks) return client.networks.list({ signal })
  const urls = (await client.request<string[]>('GET', '/1.0/networks', { signal })).metadata ?? []
  const names = urls
    .map((u) => {
      const path = u.split('?')[0] ?? ''
      return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1))
    })
    .filter((n) => OWN_BRIDGE_NAME.test(n))
  const read = await Promise.all(
    names.map((name) =>
      client.networks.get(name, { signal }).catch((err: unknown) => {
        if (isAnklumeError(err, 'INCUS_NOT_FOUND')) return undefined
        throw err
      }),
    ),
  )
  return read.filter((n) => n !== undefined)
}

/**
 * An interrupted bridge creation leaves `Pending` behind; on a cluster a
 * network is `Pending` between its per-member creates and the global one,
 * and `Errored` when a member failed it. Neither is a usable bridge yet.
 */
export function isPendingNetwork(n: { status?: string }): boolean {
  return n.status === 'Pending' || n.status === 'Errored'
}

/** Reads an Incus cluster's members (undefined when Incus is not a cluster). */
export async function observeCluster(
  client: IncusClient,
  signal?: AbortSignal,
): Promise<ObservedCluster | undefined> {
  if (!(await client.cluster.isClustered({ signal }))) return undefined
  const members = await client.cluster.members({ signal })
  return {
    members: members.map((m) => ({
      name: m.server_name,
      online: m.status.toLowerCase() === 'online',
      status: m.status,
      groups: [...(m.groups ?? [])],
    })),
  }
}

/**
 * An instance of an offline cluster member is listed with `status: Error`
 * and null config, devices, profiles, state and snapshots: read it as empty
 * and mark it `unreachable`, so nothing downstream reads a null.
 */
export function normaliseInstance(i: ObservedInstance): ObservedInstance {
  const raw = i as unknown as Record<string, unknown>
  if (raw.config !== null && raw.devices !== null && raw.profiles !== null) return i
  return {
    ...i,
    config: (raw.config as Record<string, string> | null) ?? {},
    devices: (raw.devices as ObservedInstance['devices'] | null) ?? {},
    profiles: (raw.profiles as string[] | null) ?? [],
    unreachable: true,
  }
}

/**
 * Reads everything the planner compares, all at once: projects, profiles,
 * instances, custom volumes of each pool, images, network ACLs and zones with
 * one GET each whatever the size of the infra, the bridges with one GET each
 * (readNetworks), plus `GET /1.0` once for the extension checks. A pool that does not exist reads as empty, and then
 * the pools are listed (pool discovery). On an Incus cluster, also the
 * members and the pools; instances of an offline member are marked
 * `unreachable`.
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
  const missing = new Set<string>()
  const volumeLists = Promise.all(
    [...new Set(opts.pools)].map(async (pool) => {
      try {
        return [pool, await client.storage.volumes.list(pool, { allProjects: true, signal })] as const
      } catch (err) {
        if (isAnklumeError(err, 'INCUS_NOT_FOUND')) {
          missing.add(pool)
          return [pool, []] as const
        }
        throw err
      }
    }),
  )
  const cluster = observeCluster(client, signal)
  const [projects, networks, profiles, insts, volumes, images, acls, zones, members] = await Promise.all([
    client.projects.list({ signal }),
    readNetworks(client, opts),
    client.profiles.list({ allProjects: true, signal }),
    instances,
    volumeLists,
    client.images.list({ signal }),
    client.networkAcls.list({ signal }),
    client.networkZones.list({ signal }),
    cluster,
  ])
  const missingPool = volumes.some(([pool]) => missing.has(pool))
  const pools =
    opts.withPools || members || missingPool
      ? ((await client.storage.pools.list({ signal })) as unknown as ObservedPool[])
      : undefined
  return {
    projects: projects as ObservedState['projects'],
    networks: networks as ObservedState['networks'],
    profiles: profiles as ObservedState['profiles'],
    instances: (insts as ObservedState['instances']).map(normaliseInstance),
    volumes: Object.fromEntries(volumes.map(([pool, list]) => [pool, list as unknown as ObservedVolume[]])),
    images: images as unknown as ObservedState['images'],
    acls: acls as ObservedState['acls'],
    zones: zones as ObservedState['zones'],
    ...(pools ? { pools } : {}),
    ...(members ? { cluster: members } : {}),
  }
}
