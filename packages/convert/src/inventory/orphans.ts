import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Infra } from '@anklume/schema'
import { parse } from 'yaml'
import { MANAGED_BEGIN } from './managed.js'

export interface InventoryOrphan {
  /** Relative to the Ansible tree, e.g. `host_vars/old-box.yml`. */
  path: string
  /** Protected files (ephemeral: false) are reported, never deleted. */
  protected: boolean
}

async function ymlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.yml'))
      .map((e) => e.name)
      .sort()
  } catch {
    return []
  }
}

/**
 * AnKLuMe's rule: a file whose variables say `domain_ephemeral: false` or
 * `instance_ephemeral: false` is protected; with no such variable it is not.
 * Safer than AnKLuMe: a file that does not parse counts as protected.
 */
export function isProtected(text: string): boolean {
  let data: unknown
  try {
    data = parse(text, { version: '1.1', uniqueKeys: false })
  } catch {
    return true
  }
  if (typeof data !== 'object' || data === null) return false
  const vars = data as Record<string, unknown>
  for (const key of ['domain_ephemeral', 'instance_ephemeral']) {
    if (key in vars) return vars[key] !== true
  }
  return false
}

/**
 * Generated files whose domain or machine is no longer declared. Domains
 * that are declared but disabled, and their machines, are not orphans.
 * Files without the managed marker were not written by anklume and are
 * never reported. An inventory file is as protected as its domain's
 * group_vars file.
 */
export async function findInventoryOrphans(infra: Infra, dir: string): Promise<InventoryOrphan[]> {
  const domains = new Set(infra.domains.map((d) => d.name))
  const machines = new Set(infra.domains.flatMap((d) => d.machines.map((m) => m.name)))
  const out: InventoryOrphan[] = []
  const read = (rel: string) => readFile(join(dir, rel), 'utf8').catch(() => undefined)
  const scan: Array<[string, (stem: string) => boolean]> = [
    ['inventory', (s) => domains.has(s)],
    ['group_vars', (s) => s === 'all' || domains.has(s)],
    ['host_vars', (s) => machines.has(s)],
  ]
  for (const [sub, known] of scan) {
    for (const name of await ymlFiles(join(dir, sub))) {
      const stem = name.slice(0, -'.yml'.length)
      if (known(stem)) continue
      const rel = `${sub}/${name}`
      const text = await read(rel)
      if (text === undefined || !text.includes(MANAGED_BEGIN)) continue
      let prot = isProtected(text)
      if (sub === 'inventory') {
        const groupVars = (await read(`group_vars/${name}`)) ?? ''
        if (groupVars.includes(MANAGED_BEGIN)) prot = isProtected(groupVars)
      }
      out.push({ path: rel, protected: prot })
    }
  }
  return out
}
