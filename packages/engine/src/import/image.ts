/** What an instance was built from, as an `os_image` string. */
import { KNOWN_REMOTES, LABEL_IMAGE, type ObservedImage, type ObservedInstance } from '@anklume/planner'

const REMOTE_BY_SERVER = new Map(Object.entries(KNOWN_REMOTES).map(([name, url]) => [url, name]))

/**
 * The `user.anklume.image` label when present (anklume wrote it); else the
 * cached base image (`volatile.base_image`): a local alias pointing at it,
 * or `images:<alias>` when it came from a known simplestreams server, or
 * the fingerprint itself. Undefined when nothing says.
 */
export function imageOf(inst: ObservedInstance, images: readonly ObservedImage[]): string | undefined {
  const label = inst.config[LABEL_IMAGE]
  if (label) return label
  const base = inst.config['volatile.base_image']
  if (!base) return undefined
  const img = images.find((i) => i.fingerprint === base)
  const alias = (img?.aliases ?? []).map((a) => a.name).sort()[0]
  if (alias) return alias
  const src = img?.update_source
  const remote = src?.server ? REMOTE_BY_SERVER.get(src.server.replace(/\/+$/, '')) : undefined
  if (remote && src?.alias) return `${remote}:${src.alias}`
  return base
}
