import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'

export interface InstallRulesetOptions {
  /** Directory of the table file (default `/etc/nftables.d`). */
  dir?: string
  /** The distribution's nftables config (default `/etc/nftables.conf`). */
  conf?: string
  /** File name (default `<table>.nft`, i.e. `anklume.nft`). */
  fileName?: string
}

export interface InstallRulesetResult {
  /** The table file written. */
  file: string
  fileChanged: boolean
  conf: string
  /** An `include` line was appended (false: it, or a glob covering it, was already there). */
  includeAdded: boolean
  /** Things the user should know (e.g. `flush ruleset` in the config). */
  notes: string[]
}

const INCLUDE_RE = /^\s*include\s+"([^"]+)"/gm

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
  return new RegExp(`^${body}$`)
}

async function readOr(path: string, fallback: string | undefined): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return fallback
    throw err
  }
}

/**
 * Persists the table across reboots: writes it to `<dir>/<table>.nft` and
 * makes sure the nftables config includes it. Idempotent: a second run
 * changes nothing. nftables.service loads the config at boot, before Incus
 * starts and adds its own `inet incus` table; our file replaces only our
 * table (`delete table` idiom), so its position in the config does not
 * matter. A config that starts with `flush ruleset` (Debian's default) wipes
 * every table, Incus's included, whenever nftables.service is restarted
 * later: restart Incus afterwards (or drop the `flush ruleset` line).
 */
export async function installRuleset(
  ruleset: { text: string; model: { table: string } },
  opts: InstallRulesetOptions = {},
): Promise<InstallRulesetResult> {
  const dir = opts.dir ?? '/etc/nftables.d'
  const conf = opts.conf ?? '/etc/nftables.conf'
  const file = join(dir, opts.fileName ?? `${ruleset.model.table}.nft`)
  const before = await readOr(file, undefined)
  const fileChanged = before !== ruleset.text
  if (fileChanged) await writeFileAtomic(file, ruleset.text)

  const current = (await readOr(conf, undefined)) ?? '#!/usr/sbin/nft -f\n'
  const covered = [...current.matchAll(INCLUDE_RE)].some((m) => globToRegExp(m[1] as string).test(file))
  if (!covered) {
    const sep = current.endsWith('\n') ? '' : '\n'
    await writeFileAtomic(
      conf,
      `${current}${sep}\n# anklume isolation table (anklume nft install)\ninclude "${file}"\n`,
    )
  }
  const notes: string[] = []
  if (/^\s*flush\s+ruleset\b/m.test(current)) {
    notes.push(
      `${conf} runs "flush ruleset": restarting nftables.service wipes Incus's own table too; restart Incus afterwards (the anklume table comes back from ${file}).`,
    )
  }
  return { file, fileChanged, conf, includeAdded: !covered, notes }
}
