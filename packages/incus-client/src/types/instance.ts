import type { ConfigMap, DeviceMap } from './common.js'

export type InstanceType = 'container' | 'virtual-machine'

/** Where a new instance (or a rebuild) takes its root filesystem from. */
export interface InstanceSource {
  type: 'image' | 'none' | 'copy' | 'migration'
  alias?: string
  fingerprint?: string
  properties?: Record<string, string>
  /** Remote image server (simplestreams or incus). */
  server?: string
  protocol?: 'simplestreams' | 'incus' | 'oci'
  mode?: 'pull' | 'push'
  allow_inconsistent?: boolean
  source?: string
  project?: string
}

export interface InstancePut {
  architecture?: string
  config?: ConfigMap
  devices?: DeviceMap
  ephemeral?: boolean
  profiles?: string[]
  stateful?: boolean
  description?: string
}

export interface InstancesPost extends InstancePut {
  name: string
  type?: InstanceType
  source: InstanceSource
  /** Start the instance once created. */
  start?: boolean
  instance_type?: string
}

export interface Instance {
  name: string
  description: string
  type: InstanceType
  status: string
  status_code: number
  architecture: string
  config: ConfigMap
  devices: DeviceMap
  expanded_config?: ConfigMap
  expanded_devices?: DeviceMap
  ephemeral: boolean
  profiles: string[]
  stateful: boolean
  created_at: string
  last_used_at: string
  location: string
  project: string
}

export interface InstanceStateNetworkAddress {
  family: 'inet' | 'inet6'
  address: string
  netmask: string
  scope: string
}

export interface InstanceStateNetwork {
  addresses: InstanceStateNetworkAddress[]
  hwaddr: string
  host_name: string
  mtu: number
  state: string
  type: string
  counters?: Record<string, number>
}

export interface InstanceState {
  status: string
  status_code: number
  pid: number
  processes: number
  network: Record<string, InstanceStateNetwork> | null
  memory?: { usage: number; usage_peak?: number; total?: number; [key: string]: unknown }
  cpu?: { usage: number; [key: string]: unknown }
  disk?: Record<string, { usage: number; total?: number }> | null
}

export type InstanceAction = 'start' | 'stop' | 'restart' | 'freeze' | 'unfreeze'

export interface InstanceStatePut {
  action: InstanceAction
  force?: boolean
  /** Seconds to wait for a clean stop before giving up (server side); -1 = no limit. */
  timeout?: number
  stateful?: boolean
}

export interface InstanceRebuildPost {
  source: InstanceSource
}

export interface Snapshot {
  name: string
  created_at: string
  expires_at?: string
  stateful: boolean
  config: ConfigMap
  devices: DeviceMap
  profiles: string[]
  architecture: string
  ephemeral: boolean
  size?: number
  last_used_at?: string
  expanded_config?: ConfigMap
  expanded_devices?: DeviceMap
}

export interface SnapshotsPost {
  name: string
  stateful?: boolean
  /** RFC 3339 date after which the snapshot is deleted. */
  expires_at?: string
}
