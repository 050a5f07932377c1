/** `anklume images export <dir>`: the images an infra uses (or all) as tarballs plus an index. */
import { mkdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Image, IncusClient } from '@anklume/incus-client'
import { DEFAULT_IMAGE_CONCURRENCY } from '../defaults.js'
import { type ImageOutcome, type ImageRunOptions, mapBounded, reason } from './events.js'
import { findCached, imageRef } from './resolve.js'
import { type ImageIndexEntry, writeIndex } from './store.js'

export interface ExportOptions extends ImageRunOptions {
  /** `os_image` strings to export (see imagesOfInfra); ignored with `all`. */
  images?: readonly string[]
  /** Every image of the local cache (default project). */
  all?: boolean
  remotes?: Record<string, string>
}

export interface ExportResult {
  outcomes: ImageOutcome[]
  /** Path of the index written (undefined when nothing could be exported). */
  index: string | undefined
}

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => -1,
  )

function entryOf(img: Image): ImageIndexEntry {
  return {
    fingerprint: img.fingerprint,
    file: `${img.fingerprint}.tar.gz`,
    aliases: img.aliases.map((a) => ({
      name: a.name,
      ...(a.description ? { description: a.description } : {}),
    })),
    type: img.type,
    architecture: img.architecture,
    properties: img.properties,
    ...(img.update_source ? { update_source: img.update_source } : {}),
  }
}

/**
 * Writes `<dir>/<fingerprint>.tar.gz` (unified images; the file's sha256 is
 * the fingerprint) through a temporary file, skipping files already there
 * with the right size, then merges `<dir>/index.json`. An image not in the
 * cache, or a split image, fails that image only.
 */
export async function exportImages(
  client: IncusClient,
  dir: string,
  opts: ExportOptions = {},
): Promise<ExportResult> {
  await mkdir(dir, { recursive: true })
  const cache = await client.images.list({ signal: opts.signal })
  const wanted: Array<{ image: string; img: Image | undefined }> = opts.all
    ? cache.map((img) => ({ image: img.fingerprint, img }))
    : (opts.images ?? []).map((image) => ({ image, img: findCached(imageRef(image, opts.remotes), cache) }))
  const entries = new Map<string, ImageIndexEntry>()
  const outcomes = await mapBounded(
    wanted,
    opts.concurrency ?? DEFAULT_IMAGE_CONCURRENCY,
    async ({ image, img }): Promise<ImageOutcome> => {
      opts.onEvent?.({ type: 'start', image })
      const outcome = img
        ? await exportOne(client, dir, image, img, opts.signal)
        : {
            image,
            status: 'failed' as const,
            error: `${image}: not in the local image cache (run \`anklume images pull\` first)`,
          }
      if (img && outcome.status !== 'failed') entries.set(img.fingerprint, entryOf(img))
      opts.onEvent?.({ type: 'done', ...outcome })
      return outcome
    },
  )
  const index = entries.size > 0 ? await writeIndex(dir, [...entries.values()]) : undefined
  return { outcomes, index }
}

const inFlight = new Map<string, Promise<ImageOutcome['status']>>()

async function exportOne(
  client: IncusClient,
  dir: string,
  image: string,
  img: Image,
  signal?: AbortSignal,
): Promise<ImageOutcome> {
  const target = join(dir, `${img.fingerprint}.tar.gz`)
  const base = { image, fingerprint: img.fingerprint, aliases: img.aliases.map((a) => a.name) }
  try {
    // Two os_image values may name one image: export it once.
    let job = inFlight.get(target)
    if (!job) {
      job = (async () => {
        if ((await sizeOf(target)) === img.size) return 'present' as const
        const tmp = `${target}.${process.pid}.tmp`
        try {
          await client.images.exportToFile(img.fingerprint, tmp, { signal })
          await rename(tmp, target)
        } catch (err) {
          await unlink(tmp).catch(() => undefined)
          throw err
        }
        return 'exported' as const
      })()
      inFlight.set(target, job)
      job.finally(() => inFlight.delete(target)).catch(() => undefined)
    }
    return { ...base, status: await job }
  } catch (err) {
    return { ...base, status: 'failed', error: `${image}: export failed: ${reason(err)}` }
  }
}
