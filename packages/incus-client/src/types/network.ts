import type { ConfigMap } from './common.js'

export interface NetworkPut {
  config?: ConfigMap
  description?: string
}

export interface NetworksPost extends NetworkPut {
  name: string
  /** bridge, macvlan, sriov, ovn, physical. */
  type?: string
}

export interface Network {
  name: string
  description: string
  type: string
  managed: boolean
  status?: string
  config: ConfigMap
  used_by?: string[]
  locations?: string[]
  project?: string
}

export interface NetworkAclRule {
  action: 'allow' | 'allow-stateless' | 'drop' | 'reject'
  state: 'enabled' | 'disabled' | 'logged'
  description?: string
  source?: string
  destination?: string
  protocol?: string
  source_port?: string
  destination_port?: string
  icmp_type?: string
  icmp_code?: string
}

export interface NetworkAclPut {
  description?: string
  config?: ConfigMap
  ingress?: NetworkAclRule[]
  egress?: NetworkAclRule[]
}

export interface NetworkAclsPost extends NetworkAclPut {
  name: string
}

export interface NetworkAcl {
  name: string
  description: string
  config: ConfigMap
  ingress: NetworkAclRule[]
  egress: NetworkAclRule[]
  used_by?: string[]
  project?: string
}

export interface NetworkZonePut {
  description?: string
  config?: ConfigMap
}

export interface NetworkZonesPost extends NetworkZonePut {
  /** The DNS zone name, e.g. `dev.example.internal`. */
  name: string
}

export interface NetworkZone {
  name: string
  description: string
  config: ConfigMap
  used_by?: string[]
  project?: string
}
