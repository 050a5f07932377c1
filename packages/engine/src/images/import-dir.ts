/** `anklume images import <dir>`: load an exported store into the local cache, with its aliases. */
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { AnklumeError } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import { type ImageOutcome, type ImageRunOptions, mapBounded, reason } from './events.js'
import { type ImageIndexEntry, INDEX_FILE, readIndex } from './store.js'

/**
 * Imports every tarball listed in `<dir>/index.json` whose fingerprint is
 * not cached yet, then makes each alias exist (an alias already pointing at
 * another image is left alone and reported). Idempotent.
 */
export async function importImages(
  client: IncusClient,
  dir: string,
  opts: ImageRunOptions = {},
): Promise<ImageOutcome[]> {
  const index = await readIndex(dir)
  if (!index) {
    throw new AnklumeError(
      'ANKLUME_IMAGES_NO_INDEX',
      `${join(dir, INDEX_FILE)} not found: not an image store`,
      'create one with `anklume images export <dir>`',
    )
  }
  const cached = new Set((await client.images.list({ signal: opts.signal })).map((i) => i.fingerprint))
  return mapBounded(index.images, opts.concurrency ?? 2, async (entry): Promise<ImageOutcome> => {
    opts.onEvent?.({ type: 'start', image: entry.fingerprint })
    const outcome = await importOne(client, dir, entry, cached.has(entry.fingerprint), opts.signal)
    opts.onEvent?.({ type: 'done', ...outcome })
    return outcome
  })
}

async function importOne(
  client: IncusClient,
  dir: string,
  entry: ImageIndexEntry,
  present: boolean,
  signal?: AbortSignal,
): Promise<ImageOutcome> {
  const image = entry.fingerprint
  try {
    if (!present) {
      const { fingerprint } = await client.images.importTarball(createReadStream(join(dir, entry.file)), {
        filename: entry.file,
        signal,
      })
      if (fingerprint !== entry.fingerprint)
        return {
          image,
          status: 'failed',
          fingerprint,
          error: `${image}: ${entry.file} imported as ${fingerprint} (the file changed?)`,
        }
    }
    const aliases: string[] = []
    const notes: string[] = []
    for (const a of entry.aliases) {
      const existing = await client.images.aliases.get(a.name, { signal }).catch(() => undefined)
      if (!existing)
        await client.images.aliases.create(
          { name: a.name, target: image, description: a.description ?? '' },
          { signal },
        )
      else if (existing.target !== image) {
        notes.push(`alias ${a.name} already points at ${existing.target.slice(0, 12)}: left alone`)
        continue
      }
      aliases.push(a.name)
    }
    return {
      image,
      status: present ? 'present' : 'imported',
      fingerprint: image,
      aliases,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    }
  } catch (err) {
    return { image, status: 'failed', error: `${image}: import of ${entry.file} failed: ${reason(err)}` }
  }
}
