/** Incus clustering: whether the server is a cluster, and its members. */
import type { Core } from '../core.js'
import type { ClusterInfo, ClusterMember } from '../types/cluster.js'
import type { CallOptions } from '../types/common.js'

export interface Cluster {
  /** Whether `GET /1.0` says `environment.server_clustered` (cached with the server info). */
  isClustered(options?: CallOptions): Promise<boolean>
  /** `GET /1.0/cluster`. */
  info(options?: CallOptions): Promise<ClusterInfo>
  /** `GET /1.0/cluster/members?recursion=1`: every member, online or not. */
  members(options?: CallOptions): Promise<ClusterMember[]>
}

export function clusterGroup(core: Core): Cluster {
  return {
    isClustered: async (o = {}) => (await core.server(o.signal)).environment?.server_clustered === true,
    info: async (o = {}) => (await core.request<ClusterInfo>('GET', '/1.0/cluster', o)).metadata,
    members: async (o = {}) =>
      (
        await core.request<ClusterMember[]>('GET', '/1.0/cluster/members', {
          query: { recursion: 1 },
          signal: o.signal,
        })
      ).metadata,
  }
}
