import type { ChainDef, ElementValue, Match, RuleDef, RulesetIR, Selector, SetDef, SetElement } from './ir.js'
import { SELECTOR_TYPE } from './ir.js'

/** libnftables JSON (`nft -j -f`), schema version 1. */
export interface NftJson {
  nftables: Array<Record<string, unknown>>
}

const EXPR: Record<Selector, unknown> = {
  iifname: { meta: { key: 'iifname' } },
  oifname: { meta: { key: 'oifname' } },
  saddr: { payload: { protocol: 'ip', field: 'saddr' } },
  daddr: { payload: { protocol: 'ip', field: 'daddr' } },
  l4proto: { meta: { key: 'l4proto' } },
  dport: { payload: { protocol: 'th', field: 'dport' } },
}

const one = <T>(xs: T[]): T | T[] => (xs.length === 1 ? (xs[0] as T) : xs)

function elem(e: SetElement): unknown {
  const val: unknown = e.values.length === 1 ? (e.values[0] as ElementValue) : { concat: e.values }
  return e.comment ? { elem: { val, comment: e.comment } } : val
}

function set(table: string, s: SetDef): Record<string, unknown> {
  const def: Record<string, unknown> = {
    family: 'inet',
    table,
    name: s.name,
    type: one(s.selectors.map((x) => SELECTOR_TYPE[x])),
  }
  if (s.comment) def.comment = s.comment
  if (s.elements.length > 0) def.elem = s.elements.map(elem)
  return { add: { set: def } }
}

function match(m: Match): unknown {
  switch (m.kind) {
    case 'ct':
      return { match: { op: 'in', left: { ct: { key: 'state' } }, right: one(m.states) } }
    case 'udp-dport':
      return { match: { op: '==', left: { payload: { protocol: 'udp', field: 'dport' } }, right: m.port } }
    case 'lookup': {
      const left =
        m.selectors.length === 1
          ? EXPR[m.selectors[0] as Selector]
          : { concat: m.selectors.map((s) => EXPR[s]) }
      return { match: { op: m.negate ? '!=' : '==', left, right: `@${m.set}` } }
    }
  }
}

export function ruleExpr(r: RuleDef): unknown[] {
  const expr = r.matches.map(match)
  if (r.counter) expr.push({ counter: null })
  expr.push({ [r.verdict]: null })
  return expr
}

function chain(table: string, c: ChainDef): Array<Record<string, unknown>> {
  const def = {
    family: 'inet',
    table,
    name: c.name,
    type: 'filter',
    hook: c.hook,
    prio: c.priority,
    policy: 'accept',
  }
  return [
    { add: { chain: def } },
    ...c.rules.map((r) => {
      const rule: Record<string, unknown> = { family: 'inet', table, chain: c.name, expr: ruleExpr(r) }
      if (r.comment) rule.comment = r.comment
      return { add: { rule } }
    }),
  ]
}

/** The same transaction as the text form: add table, delete it, define it again. */
export function renderJson(ir: RulesetIR): NftJson {
  const table = { family: 'inet', name: ir.table }
  return {
    nftables: [
      { metainfo: { json_schema_version: 1 } },
      ...ir.replaces.flatMap((name) => {
        const old = { family: 'inet', name }
        return [{ add: { table: old } }, { delete: { table: old } }]
      }),
      { add: { table } },
      { delete: { table } },
      { add: { table } },
      ...ir.sets.map((s) => set(ir.table, s)),
      ...ir.chains.flatMap((c) => chain(ir.table, c)),
    ],
  }
}
