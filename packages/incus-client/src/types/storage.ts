import type { ConfigMap } from './common.js'

export interface StoragePool {
  name: string
  driver: string
  description: string
  status?: string
  config: ConfigMap
  used_by?: string[]
  locations?: string[]
}

export interface StorageVolumePut {
  config?: ConfigMap
  description?: string
}

export interface StorageVolumesPost extends StorageVolumePut {
  name: string
  /** Defaults to `custom`. */
  type?: 'custom'
  /** `filesystem` (default) or `block`. */
  content_type?: 'filesystem' | 'block' | 'iso'
}

export interface StorageVolume {
  name: string
  type: 'custom' | 'container' | 'virtual-machine' | 'image' | string
  content_type: string
  description: string
  config: ConfigMap
  used_by?: string[]
  location: string
  project: string
  created_at?: string
  pool?: string
}
