export interface ImageAliasEntry {
  name: string
  description: string
}

export interface Image {
  fingerprint: string
  filename: string
  size: number
  architecture: string
  type: 'container' | 'virtual-machine' | string
  public: boolean
  auto_update: boolean
  cached: boolean
  properties: Record<string, string>
  aliases: ImageAliasEntry[]
  profiles?: string[]
  created_at: string
  uploaded_at: string
  last_used_at: string
  expires_at: string
  project?: string
  update_source?: { alias: string; server: string; protocol: string; image_type?: string }
}

export interface ImagePut {
  auto_update?: boolean
  properties?: Record<string, string>
  public?: boolean
  expires_at?: string
  profiles?: string[]
}

export interface ImageAlias {
  name: string
  description: string
  /** Fingerprint of the image. */
  target: string
  type?: string
}

export interface ImageAliasesPost {
  name: string
  target: string
  description?: string
}

/** `POST /1.0/images` with a remote source (copy from an image server). */
export interface ImageRemoteSource {
  server: string
  protocol?: 'simplestreams' | 'incus'
  alias?: string
  fingerprint?: string
  certificate?: string
  image_type?: 'container' | 'virtual-machine'
}

export interface ImageImportOptions {
  public?: boolean
  /** Properties set on the new image. */
  properties?: Record<string, string>
  /** File name recorded on the image. */
  filename?: string
}
