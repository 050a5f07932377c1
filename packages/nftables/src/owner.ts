/**
 * Which infra a live isolation table belongs to. Several infras share a
 * host, each with its own table; the owner is written into the table so
 * apply and flush never take (or delete) another infra's table.
 *
 * The marker is the comment of the `domain_bridges` set: nft 1.0.6 lists set
 * comments in JSON (`nft -j list`), but not table or chain comments. Tables
 * of anklume before this marker (the shared `inet anklume`) have the comment
 * `bridges of all domains`: their owner is unknown (`legacy`).
 */
import { DOMAIN_BRIDGES } from './layout.js'

const OWNER_PREFIX = 'bridges of the domains of project '

/**
 * The project as written in the marker: letters, digits and `_.-` as they
 * are, every other UTF-8 byte as `%XX` (so `my lab` and `my_lab` stay two
 * owners), 64 characters at most (nft comments hold 128 bytes).
 */
export function ownerToken(project: string): string {
  const bytes = [...new TextEncoder().encode(project)]
  const safe = (b: number) => /^[A-Za-z0-9_.-]$/.test(String.fromCharCode(b))
  return bytes
    .map((b) => (safe(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('')
    .slice(0, 64)
}

/** The `domain_bridges` set comment that marks a table as `project`'s. */
export function ownerComment(project: string): string {
  return `${OWNER_PREFIX}${ownerToken(project)}`
}

/** An anklume isolation table found in a live listing (`nft -j list ruleset`). */
export interface LiveIsolationTable {
  /** Table name (family inet). */
  name: string
  /** The owner's token (see ownerToken); undefined for a table written before owners were marked. */
  owner: string | undefined
  /** Elements of its `domain_bridges` set. */
  bridges: string[]
  /** Elements of its `foreign_bridges` set (empty in legacy tables). */
  foreign: string[]
}

type Obj = Record<string, unknown>

const elements = (set: Obj): string[] =>
  ((set.elem as unknown[] | undefined) ?? []).map((e) =>
    String(typeof e === 'object' && e !== null && 'elem' in e ? ((e as Obj).elem as Obj).val : e),
  )

/** Every inet table of a listing that has a `domain_bridges` set: anklume's isolation tables. */
export function liveIsolationTables(listing: { nftables: unknown[] }): LiveIsolationTable[] {
  const sets = new Map<string, Map<string, Obj>>()
  for (const raw of listing.nftables) {
    const s = (raw as Obj).set as Obj | undefined
    if (s?.family !== 'inet') continue
    const table = String(s.table)
    const m = sets.get(table) ?? new Map<string, Obj>()
    m.set(String(s.name), s)
    sets.set(table, m)
  }
  const out: LiveIsolationTable[] = []
  for (const [name, m] of sets) {
    const domain = m.get(DOMAIN_BRIDGES)
    if (!domain) continue
    const comment = typeof domain.comment === 'string' ? domain.comment : ''
    const foreign = m.get('foreign_bridges')
    out.push({
      name,
      owner: comment.startsWith(OWNER_PREFIX) ? comment.slice(OWNER_PREFIX.length) : undefined,
      bridges: elements(domain),
      foreign: foreign ? elements(foreign) : [],
    })
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** The objects of one inet table of a listing (its own listing, as `nft -j list table` gives it). */
export function tableOf(listing: { nftables: unknown[] }, name: string): { nftables: unknown[] } | undefined {
  const objects = listing.nftables.filter((raw) => {
    const o = raw as Obj
    const inner = (o.table ?? o.set ?? o.chain ?? o.rule) as Obj | undefined
    if (inner?.family !== 'inet') return false
    return (o.table ? inner.name : inner.table) === name
  })
  return objects.some((o) => (o as Obj).table) ? { nftables: objects } : undefined
}
