/**
 * Removes the Ansible files `anklume sync` generated. Only files holding the
 * managed markers are touched: a file with nothing of the user's besides the
 * block is deleted; a file where the user added content keeps that content
 * and loses only the managed block.
 */
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '@anklume/host'
import { CUSTOM_VARS_NOTICE, findManaged, MANAGED_BEGIN } from './managed.js'

export interface InventoryCleanOptions {
  /** Only this domain's files (`inventory/<d>.yml`, `group_vars/<d>.yml`) and these machines' host_vars. */
  domain?: { name: string; machines: readonly string[] }
  dryRun?: boolean
}

export interface InventoryCleanReport {
  /** Paths relative to the tree. */
  deleted: string[]
  /** Files that kept the user's content, managed block removed. */
  stripped: string[]
}

const SUBDIRS = ['inventory', 'group_vars', 'host_vars'] as const

/** The file without its managed block, or undefined when only anklume's text (and `---`) remains. */
export function withoutManaged(text: string): string | undefined {
  const at = findManaged(text)
  if (!at) return text
  const rest = (text.slice(0, at.start) + text.slice(at.end))
    .split('\n')
    .filter((l) => l.trim() !== CUSTOM_VARS_NOTICE)
    .join('\n')
  const meaningful = rest
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '---')
  return meaningful.length === 0 ? undefined : `${rest.replace(/\n{3,}/g, '\n\n').trim()}\n`
}

async function candidates(dir: string, opts: InventoryCleanOptions): Promise<string[]> {
  if (opts.domain) {
    const d = opts.domain
    return [
      `inventory/${d.name}.yml`,
      `group_vars/${d.name}.yml`,
      ...d.machines.map((m) => `host_vars/${m}.yml`),
    ]
  }
  const out: string[] = []
  for (const sub of SUBDIRS) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[])
    for (const n of names.sort()) if (n.endsWith('.yml')) out.push(`${sub}/${n}`)
  }
  return out
}

export async function removeGeneratedInventory(
  dir: string,
  opts: InventoryCleanOptions = {},
): Promise<InventoryCleanReport> {
  const report: InventoryCleanReport = { deleted: [], stripped: [] }
  for (const rel of await candidates(dir, opts)) {
    const path = join(dir, rel)
    const text = await readFile(path, 'utf8').catch(() => undefined)
    if (text === undefined || !text.includes(MANAGED_BEGIN)) continue
    let rest: string | undefined
    try {
      rest = withoutManaged(text)
    } catch {
      continue // broken markers: not ours to guess, left alone
    }
    if (rest === undefined) {
      if (!opts.dryRun) await unlink(path)
      report.deleted.push(rel)
    } else {
      if (!opts.dryRun) await writeFileAtomic(path, rest)
      report.stripped.push(rel)
    }
  }
  return report
}
