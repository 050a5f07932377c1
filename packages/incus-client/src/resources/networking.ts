/** Networks, network ACLs and network zones: plain CRUD collections. */
import type { Core } from '../core.js'
import type {
  Network,
  NetworkAcl,
  NetworkAclPut,
  NetworkAclsPost,
  NetworkPut,
  NetworksPost,
  NetworkZone,
  NetworkZonePut,
  NetworkZonesPost,
} from '../types/network.js'
import { type Crud, crud } from './crud.js'

export type Networks = Crud<Network, NetworksPost, NetworkPut>
export type NetworkAcls = Crud<NetworkAcl, NetworkAclsPost, NetworkAclPut>
export type NetworkZones = Crud<NetworkZone, NetworkZonesPost, NetworkZonePut>

export function networksGroup(core: Core): Networks {
  return crud(core, '/1.0/networks', { extension: 'networks_all_projects', feature: 'features.networks' })
}

export function networkAclsGroup(core: Core): NetworkAcls {
  return crud(core, '/1.0/network-acls', {
    extension: 'network_acls_all_projects',
    feature: 'features.networks',
  })
}

export function networkZonesGroup(core: Core): NetworkZones {
  return crud(core, '/1.0/network-zones', {
    extension: 'network_zones_all_projects',
    feature: 'features.networks.zones',
  })
}
