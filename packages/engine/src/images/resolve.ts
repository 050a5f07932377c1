/** Which images an infra uses, and where each one is in the local image cache. */
import type { Image } from '@anklume/incus-client'
import { KNOWN_REMOTES, parseImage } from '@anklume/planner'
import type { Infra } from '@anklume/schema'

/** Distinct `os_image` values of the enabled machines, plus `default_os_image`, sorted. */
export function imagesOfInfra(infra: Infra): string[] {
  const set = new Set([infra.global.defaultOsImage])
  for (const d of infra.domains) if (d.enabled) for (const m of d.machines) set.add(m.osImage)
  return [...set].sort()
}

export interface ImageRef {
  /** The `os_image` string. */
  image: string
  kind: 'remote' | 'alias' | 'fingerprint'
  /** Local alias (alias kind), or the alias on the remote server (remote kind). */
  alias?: string
  fingerprint?: string
  /** Simplestreams server URL (remote kind). */
  server?: string
}

/** Parses an `os_image`; `remotes` maps remote names to servers (default: `images:`). */
export function imageRef(image: string, remotes: Record<string, string> = KNOWN_REMOTES): ImageRef {
  const colon = image.indexOf(':')
  const remote = colon > 0 ? image.slice(0, colon) : undefined
  if (remote !== undefined && Object.hasOwn(remotes, remote)) {
    return { image, kind: 'remote', alias: image.slice(colon + 1), server: remotes[remote] }
  }
  const src = parseImage(image).source
  if (src.fingerprint) return { image, kind: 'fingerprint', fingerprint: src.fingerprint }
  return { image, kind: 'alias', alias: src.alias ?? image }
}

/**
 * The cached image an `os_image` stands for: by fingerprint (prefix), by
 * local alias, or for a remote image the cached copy carrying that alias
 * (pulled with its alias) or whose update source is that server and alias.
 */
export function findCached(ref: ImageRef, cache: readonly Image[]): Image | undefined {
  if (ref.kind === 'fingerprint') return cache.find((i) => i.fingerprint.startsWith(ref.fingerprint ?? ''))
  const named = cache.find((i) => i.aliases.some((a) => a.name === ref.alias))
  if (ref.kind === 'alias') return named
  const server = (u: string | undefined) => (u ?? '').replace(/\/+$/, '')
  return (
    cache.find(
      (i) => i.update_source?.alias === ref.alias && server(i.update_source?.server) === server(ref.server),
    ) ?? named
  )
}
