/** `os_image` string -> the `source` of an instance creation request. */
import type { ImageSource } from './desired-types.js'

/** Remotes Incus clients know by default (simplestreams). */
export const KNOWN_REMOTES: Record<string, string> = {
  images: 'https://images.linuxcontainers.org',
}

const FINGERPRINT = /^[0-9a-f]{12,64}$/

export interface ParsedImage {
  source: ImageSource
  /** Set when the remote prefix is unknown: the image is then used as a local alias. */
  warning?: string
}

/**
 * `images:debian/13` -> simplestreams alias on images.linuxcontainers.org;
 * a 12 to 64 hex digit string -> fingerprint; anything else -> local alias.
 */
export function parseImage(image: string): ParsedImage {
  if (FINGERPRINT.test(image)) return { source: { type: 'image', fingerprint: image } }
  const colon = image.indexOf(':')
  if (colon > 0) {
    const remote = image.slice(0, colon)
    const alias = image.slice(colon + 1)
    const server = Object.hasOwn(KNOWN_REMOTES, remote) ? KNOWN_REMOTES[remote] : undefined
    if (server !== undefined) {
      return { source: { type: 'image', alias, server, protocol: 'simplestreams' } }
    }
    if (/^https?$/.test(remote)) {
      return {
        source: { type: 'image', alias: image },
        warning: `image "${image}": a URL is not a remote:alias; it is used as a local alias`,
      }
    }
    return {
      source: { type: 'image', alias: image },
      warning: `image "${image}": unknown remote "${remote}" (known: ${Object.keys(KNOWN_REMOTES).join(', ')}); used as a local alias`,
    }
  }
  return { source: { type: 'image', alias: image } }
}
