/** Reads an Incus and renders the infra file: the whole of `anklume import` but the write. */
import type { IncusClient } from '@anklume/incus-client'
import { Document } from 'yaml'
import { observe } from '../apply/observe.js'
import { type ImportOptions, type ImportResult, importFromObserved } from './convert.js'

/** infra.yml text: a header saying where it came from and what it could not say, then the data. */
export function renderImported(result: ImportResult, source: string): string {
  const doc = new Document(result.infra, { version: '1.1' })
  const lines = [
    `infra.yml imported by \`anklume import\` from ${source}.`,
    `${result.domains} domain(s), ${result.machines} machine(s); plan it against the same Incus to check it.`,
  ]
  if (result.errors.length > 0) lines.push('', 'Left out:', ...result.errors.map((e) => `- ${e}`))
  if (result.warnings.length > 0)
    lines.push(
      '',
      'Notes (what apply would still change, what the file cannot say):',
      ...result.warnings.map((w) => `- ${w}`),
    )
  doc.commentBefore = lines.map((l) => (l ? ` ${l}` : '')).join('\n')
  return doc.toString({ lineWidth: 0, indentSeq: true })
}

/**
 * Reads every project, bridge, profile, instance, custom volume (of every
 * storage pool) and image with the constant listings of `observe`, then
 * converts them.
 */
export async function importIncus(
  client: IncusClient,
  opts: ImportOptions & { signal?: AbortSignal } = {},
): Promise<ImportResult & { text: string }> {
  const pools = (await client.storage.pools.list({ signal: opts.signal })).map((p) => p.name)
  const observed = await observe(client, { pools, allNetworks: true, signal: opts.signal })
  const result = importFromObserved(observed, opts)
  return { ...result, text: renderImported(result, client.target ?? 'the local Incus') }
}
