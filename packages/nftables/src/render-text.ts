import type { RulesetIR } from './ir.js'
import {
  type ChainDef,
  type Match,
  type RuleDef,
  SELECTOR_TYPE,
  type Selector,
  type SetDef,
  type SetElement,
} from './ir.js'

const TEXT: Record<Selector, string> = {
  iifname: 'iifname',
  oifname: 'oifname',
  saddr: 'ip saddr',
  daddr: 'ip daddr',
  l4proto: 'meta l4proto',
  dport: 'th dport',
}

const value = (v: string | number, sel: Selector) => (SELECTOR_TYPE[sel] === 'ifname' ? `"${v}"` : String(v))

function element(e: SetElement, selectors: Selector[]): string {
  const key = e.values.map((v, i) => value(v, selectors[i] as Selector)).join(' . ')
  return e.comment ? `${key} comment "${e.comment}"` : key
}

function set(s: SetDef): string[] {
  const lines = [`\tset ${s.name} {`, `\t\ttype ${s.selectors.map((x) => SELECTOR_TYPE[x]).join(' . ')}`]
  if (s.comment) lines.push(`\t\tcomment "${s.comment}"`)
  if (s.elements.length > 0) {
    const items = s.elements.map((e) => `\t\t\t${element(e, s.selectors)}`)
    lines.push('\t\telements = {', items.join(',\n'), '\t\t}')
  }
  lines.push('\t}')
  return lines
}

function match(m: Match): string {
  switch (m.kind) {
    case 'ct':
      return `ct state ${m.states.join(',')}`
    case 'udp-dport':
      return `udp dport ${m.port}`
    case 'lookup':
      return `${m.selectors.map((s) => TEXT[s]).join(' . ')} ${m.negate ? '!= ' : ''}@${m.set}`
  }
}

export function ruleText(r: RuleDef): string {
  const parts = r.matches.map(match)
  if (r.counter) parts.push('counter')
  parts.push(r.verdict)
  if (r.comment) parts.push(`comment "${r.comment}"`)
  return parts.join(' ')
}

export function priorityText(offset: number): string {
  if (offset === 0) return 'filter'
  return offset < 0 ? `filter - ${-offset}` : `filter + ${offset}`
}

function chain(c: ChainDef): string[] {
  return [
    `\tchain ${c.name} {`,
    `\t\ttype filter hook ${c.hook} priority ${priorityText(c.priority)}; policy accept;`,
    ...c.rules.map((r) => `\t\t${ruleText(r)}`),
    '\t}',
  ]
}

/**
 * nft text for `nft -f`: the first two lines make sure the table exists and
 * then delete it, so the definition that follows replaces it atomically (one
 * transaction: the old table stays in force if anything fails).
 */
export function renderText(ir: RulesetIR, header: string[]): string {
  const t = ir.table
  const body = [
    ...header.map((h) => `# ${h}`),
    ...ir.replaces.flatMap((old) => [`table inet ${old}`, `delete table inet ${old}`]),
    `table inet ${t}`,
    `delete table inet ${t}`,
    `table inet ${t} {`,
    `\tcomment "${ir.comment}"`,
    ...ir.sets.flatMap((s) => [...set(s), '']),
    ...ir.chains.flatMap((c, i) => (i === 0 ? chain(c) : ['', ...chain(c)])),
    '}',
  ]
  return `${body.join('\n')}\n`
}
