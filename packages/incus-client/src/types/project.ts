import type { ConfigMap } from './common.js'

export interface ProjectPut {
  config?: ConfigMap
  description?: string
}

export interface ProjectsPost extends ProjectPut {
  name: string
}

export interface Project {
  name: string
  description: string
  config: ConfigMap
  used_by?: string[]
}
