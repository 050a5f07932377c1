/** `anklume images pull`: copy every image of the infra into the local cache, with its alias. */
import type { IncusClient } from '@anklume/incus-client'
import { DEFAULT_IMAGE_CONCURRENCY } from '../defaults.js'
import { type ImageOutcome, type ImageRunOptions, mapBounded, reason } from './events.js'
import { findCached, imageRef } from './resolve.js'

export interface PullOptions extends ImageRunOptions {
  /** Pull remote images again even when a cached copy is there. */
  force?: boolean
  /** Remote name -> simplestreams server (default: `images` -> images.linuxcontainers.org). */
  remotes?: Record<string, string>
}

/**
 * Each remote image (`images:debian/13`) is copied by the daemon from its
 * simplestreams server and given its alias (`debian/13`) locally; a local
 * alias or a fingerprint can only be checked (it is there or it is not).
 * One failure fails that image only.
 */
export async function pullImages(
  client: IncusClient,
  images: readonly string[],
  opts: PullOptions = {},
): Promise<ImageOutcome[]> {
  const cache = await client.images.list({ signal: opts.signal })
  return mapBounded(
    images,
    opts.concurrency ?? DEFAULT_IMAGE_CONCURRENCY,
    async (image): Promise<ImageOutcome> => {
      opts.onEvent?.({ type: 'start', image })
      const outcome = await pullOne(client, image, cache, opts)
      opts.onEvent?.({ type: 'done', ...outcome })
      return outcome
    },
  )
}

async function pullOne(
  client: IncusClient,
  image: string,
  cache: Awaited<ReturnType<IncusClient['images']['list']>>,
  opts: PullOptions,
): Promise<ImageOutcome> {
  const ref = imageRef(image, opts.remotes)
  const cached = findCached(ref, cache)
  if (ref.kind !== 'remote' || (cached && !opts.force)) {
    if (cached)
      return {
        image,
        status: 'cached',
        fingerprint: cached.fingerprint,
        aliases: cached.aliases.map((a) => a.name),
      }
    const what = ref.kind === 'alias' ? `local alias ${ref.alias}` : `fingerprint ${ref.fingerprint}`
    return {
      image,
      status: 'failed',
      error: `${image}: ${what} is not in the local image cache (nothing to pull it from)`,
    }
  }
  const alias = ref.alias ?? image
  try {
    const { fingerprint } = await client.images.copyFromRemote(
      { server: ref.server ?? '', protocol: 'simplestreams', alias },
      { signal: opts.signal },
    )
    if (!fingerprint) throw new Error('the server returned no fingerprint')
    const existing = await client.images.aliases.get(alias).catch(() => undefined)
    if (!existing) await client.images.aliases.create({ name: alias, target: fingerprint })
    else if (existing.target !== fingerprint)
      await client.images.aliases.update(alias, { target: fingerprint, description: existing.description })
    return { image, status: 'pulled', fingerprint, aliases: [alias] }
  } catch (err) {
    return { image, status: 'failed', error: `${image}: pull from ${ref.server} failed: ${reason(err)}` }
  }
}
