/**
 * Compares two tables given as libnftables JSON: the generated transaction
 * (`{add: {set: …}}` commands) or a live listing (`nft -j list table inet X`).
 * Both are reduced to canonical, human-readable lines (sets, elements,
 * chains, rules without counters or handles) and compared as sets of lines.
 */

type Obj = Record<string, unknown>

export interface RulesetDiff {
  /** Lines that loading the new ruleset would add. */
  added: string[]
  /** Lines that loading it would remove. */
  removed: string[]
  /** Same lines, but rules in a different order inside a chain. */
  reordered: boolean
  same: boolean
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v])

function selector(e: Obj): string {
  if (e.concat) return (e.concat as Obj[]).map(selector).join(' . ')
  if (e.meta) {
    const key = String((e.meta as Obj).key)
    return key === 'l4proto' || key === 'nfproto' ? `meta ${key}` : key
  }
  if (e.payload) return `${String((e.payload as Obj).protocol)} ${String((e.payload as Obj).field)}`
  if (e.ct) return `ct ${String((e.ct as Obj).key)}`
  return JSON.stringify(e)
}

function exprText(e: Obj): string {
  if (e.match) {
    const m = e.match as Obj
    const right = m.right
    const r =
      typeof right === 'string' || typeof right === 'number' ? String(right) : asArray(right).join(',')
    const op = m.op === '==' || m.op === 'in' ? '' : `${String(m.op)} `
    return `${selector(m.left as Obj)} ${op}${r}`
  }
  if ('counter' in e) return 'counter'
  const keys = Object.keys(e)
  if (keys.length === 1 && e[keys[0] as string] === null) return keys[0] as string
  return JSON.stringify(e)
}

function value(v: unknown, type: string | undefined): string {
  return type === 'ifname' ? `"${String(v)}"` : String(v)
}

function elementText(e: unknown, types: string[]): string {
  const inner = (e as Obj)?.elem as Obj | undefined
  const val = inner ? inner.val : e
  const vals =
    typeof val === 'object' && val !== null && 'concat' in val ? ((val as Obj).concat as unknown[]) : [val]
  const key = vals.map((v, i) => value(v, types[i])).join(' . ')
  return inner?.comment ? `${key} comment "${String(inner.comment)}"` : key
}

/** Canonical lines of a table; rules keep their order (per chain). */
export function rulesetLines(json: { nftables: unknown[] }): string[] {
  const lines: string[] = []
  for (const raw of json.nftables) {
    const cmd = raw as Obj
    if (cmd.delete || cmd.metainfo) continue
    const o = (cmd.add ?? cmd) as Obj
    if (o.set) {
      const s = o.set as Obj
      const types = asArray(s.type).map(String)
      lines.push(`set ${String(s.name)} { type ${types.join(' . ')} }`)
      for (const e of asArray(s.elem ?? []))
        lines.push(`element ${String(s.name)} { ${elementText(e, types)} }`)
    } else if (o.chain) {
      const c = o.chain as Obj
      if (c.hook) {
        lines.push(
          `chain ${String(c.name)} { type ${String(c.type)} hook ${String(c.hook)} priority ${String(c.prio)}; policy ${String(c.policy ?? 'accept')}; }`,
        )
      } else lines.push(`chain ${String(c.name)}`)
    } else if (o.rule) {
      const r = o.rule as Obj
      const text = (r.expr as Obj[]).map(exprText).join(' ')
      lines.push(`rule ${String(r.chain)}: ${text}${r.comment ? ` comment "${String(r.comment)}"` : ''}`)
    }
  }
  return lines
}

/** What loading `next` would change in `live` (undefined: the table does not exist yet). */
export function diffRulesets(
  live: { nftables: unknown[] } | undefined,
  next: { nftables: unknown[] },
): RulesetDiff {
  const before = live ? rulesetLines(live) : []
  const after = rulesetLines(next)
  const b = new Set(before)
  const a = new Set(after)
  const added = after.filter((l) => !b.has(l))
  const removed = before.filter((l) => !a.has(l))
  const rules = (ls: string[]) => ls.filter((l) => l.startsWith('rule ')).join('\n')
  const reordered = added.length === 0 && removed.length === 0 && rules(before) !== rules(after)
  return { added, removed, reordered, same: added.length === 0 && removed.length === 0 && !reordered }
}
