import type { ConfigMap } from './common.js'

export interface ServerEnvironment {
  addresses: string[]
  architectures: string[]
  certificate?: string
  certificate_fingerprint?: string
  driver: string
  driver_version: string
  firewall?: string
  kernel: string
  kernel_architecture: string
  kernel_version: string
  os_name?: string
  os_version?: string
  project: string
  server: string
  server_clustered: boolean
  server_name: string
  server_pid: number
  server_version: string
  storage: string
  storage_version: string
  [key: string]: unknown
}

/** `GET /1.0`. */
export interface ServerInfo {
  api_extensions: string[]
  api_status: string
  api_version: string
  auth: 'trusted' | 'untrusted' | string
  auth_methods?: string[]
  public: boolean
  config?: ConfigMap
  environment?: ServerEnvironment
}

/** `PUT/PATCH /1.0`. */
export interface ServerPut {
  config: ConfigMap
}
