import type { ConfigMap } from './common.js'

/** `GET /1.0/cluster`. */
export interface ClusterInfo {
  server_name: string
  enabled: boolean
  member_config?: unknown[]
}

/** `GET /1.0/cluster/members?recursion=1`. */
export interface ClusterMember {
  server_name: string
  url: string
  /** `Online`, `Offline`, `Evacuated`, `Blocked`… (Incus writes `Online`/`Offline`). */
  status: string
  message?: string
  roles?: string[] | null
  /** Cluster groups the member belongs to (`default` at least). */
  groups?: string[] | null
  architecture?: string
  failure_domain?: string
  description?: string
  database?: boolean
  config?: ConfigMap | null
}
