import type { ConfigMap, DeviceMap } from './common.js'

export interface ProfilePut {
  config?: ConfigMap
  description?: string
  devices?: DeviceMap
}

export interface ProfilesPost extends ProfilePut {
  name: string
}

export interface Profile {
  name: string
  description: string
  config: ConfigMap
  devices: DeviceMap
  used_by?: string[]
  /** Set on servers with `profiles_all_projects`, and always by this client when listing across projects. */
  project?: string
}
