import { readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { AnklumeError } from '@anklume/errors'
import { writeFileAtomic } from '@anklume/host'
import type { Infra } from '@anklume/schema'
import { mergeManaged } from './managed.js'
import { findInventoryOrphans, type InventoryOrphan } from './orphans.js'
import { type InventoryRenderOptions, inventoryWarnings, renderInventory } from './render.js'

export interface InventorySyncOptions extends InventoryRenderOptions {
  /** Write nothing, report what would change. */
  dryRun?: boolean
  /** Delete unprotected orphan files. */
  cleanOrphans?: boolean
}

export type InventoryFileStatus = 'created' | 'updated' | 'unchanged'

export interface InventorySyncReport {
  dir: string
  dryRun: boolean
  files: Array<{ path: string; status: InventoryFileStatus }>
  orphans: Array<InventoryOrphan & { removed: boolean }>
  warnings: string[]
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * Brings the Ansible tree under `dir` in line with the infra: every file's
 * managed block rewritten, the rest kept. All files are read and merged
 * before anything is written, so a broken file (markers) stops the sync
 * with nothing changed; each write is atomic.
 */
export async function syncInventory(
  infra: Infra,
  dir: string,
  opts: InventorySyncOptions = {},
): Promise<InventorySyncReport> {
  const planned: Array<{ path: string; status: InventoryFileStatus; content: string }> = []
  const broken: string[] = []
  for (const [rel, body] of renderInventory(infra, opts)) {
    const existing = await readOptional(join(dir, rel))
    try {
      const content = mergeManaged(existing, body, rel)
      const status: InventoryFileStatus =
        existing === undefined ? 'created' : existing === content ? 'unchanged' : 'updated'
      planned.push({ path: rel, status, content })
    } catch (err) {
      broken.push(err instanceof Error ? err.message : String(err))
    }
  }
  if (broken.length > 0) {
    throw new AnklumeError(
      'ANKLUME_INVENTORY_MARKERS',
      `cannot sync, nothing was written: ${broken.join('; ')}`,
      `fix the markers "# === MANAGED BY infra.yml ===" / "# === END MANAGED ===" in the file(s) named`,
    )
  }
  const dryRun = opts.dryRun === true
  if (!dryRun) {
    for (const f of planned) if (f.status !== 'unchanged') await writeFileAtomic(join(dir, f.path), f.content)
  }
  const orphans: InventorySyncReport['orphans'] = []
  for (const o of await findInventoryOrphans(infra, dir)) {
    const remove = opts.cleanOrphans === true && !o.protected && !dryRun
    if (remove) await unlink(join(dir, o.path))
    orphans.push({ ...o, removed: remove })
  }
  return {
    dir,
    dryRun,
    files: planned.map(({ path, status }) => ({ path, status })),
    orphans,
    warnings: inventoryWarnings(infra),
  }
}
