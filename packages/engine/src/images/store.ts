/** The on-disk image store: `<dir>/<fingerprint>.tar.gz` files and `<dir>/index.json`. */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AnklumeError } from '@anklume/errors'
import { writeFileAtomic } from '@anklume/host'

export const INDEX_FILE = 'index.json'

export interface ImageIndexEntry {
  fingerprint: string
  /** File name inside the store directory. */
  file: string
  aliases: Array<{ name: string; description?: string }>
  type?: string
  architecture?: string
  properties?: Record<string, string>
  update_source?: { alias?: string; server?: string; protocol?: string }
}

export interface ImageIndex {
  version: 1
  images: ImageIndexEntry[]
}

/** Reads `<dir>/index.json`; `undefined` when absent (missing dir included). */
export async function readIndex(dir: string): Promise<ImageIndex | undefined> {
  let text: string
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  try {
    const data = JSON.parse(text) as ImageIndex
    if (data.version !== 1 || !Array.isArray(data.images))
      throw new Error('version 1 with an images list expected')
    return data
  } catch (err) {
    throw new AnklumeError(
      'ANKLUME_IMAGES_BAD_INDEX',
      `${join(dir, INDEX_FILE)} is not an anklume image index: ${(err as Error).message}`,
      'export the images again with `anklume images export <dir>`',
    )
  }
}

/** Merges entries by fingerprint (new ones win) and writes the index atomically. */
export async function writeIndex(dir: string, entries: ImageIndexEntry[]): Promise<string> {
  const old = (await readIndex(dir))?.images ?? []
  const byFp = new Map(old.map((e) => [e.fingerprint, e]))
  for (const e of entries) byFp.set(e.fingerprint, e)
  const images = [...byFp.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1))
  const path = join(dir, INDEX_FILE)
  await writeFileAtomic(path, `${JSON.stringify({ version: 1, images } satisfies ImageIndex, null, 2)}\n`)
  return path
}
