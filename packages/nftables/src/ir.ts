/**
 * The ruleset as plain data, rendered to nft text (render-text.ts) and to
 * libnftables JSON (render-json.ts) from the same source, so both outputs
 * always describe the same table.
 */

/** What a set key or a lookup reads from the packet. */
export type Selector = 'iifname' | 'oifname' | 'saddr' | 'daddr' | 'l4proto' | 'dport'

export type ElementValue = string | number

export interface SetElement {
  values: ElementValue[]
  comment?: string
}

export interface SetDef {
  name: string
  /** The packet fields the set is keyed by, in order (its type follows). */
  selectors: Selector[]
  comment: string
  elements: SetElement[]
}

export type Match =
  | { kind: 'ct'; states: Array<'established' | 'related' | 'invalid'> }
  | { kind: 'lookup'; selectors: Selector[]; set: string; negate?: boolean }
  | { kind: 'udp-dport'; port: number }

export interface RuleDef {
  matches: Match[]
  counter?: boolean
  verdict: 'accept' | 'drop'
  comment?: string
}

export interface ChainDef {
  name: string
  hook: 'forward' | 'input'
  /** Offset from the `filter` priority (default -10: before Incus's chains). */
  priority: number
  rules: RuleDef[]
}

export interface RulesetIR {
  table: string
  comment: string
  /** Tables deleted in the same transaction (renamed or legacy tables of the same infra). */
  replaces: string[]
  sets: SetDef[]
  chains: ChainDef[]
}

export const SELECTOR_TYPE: Record<Selector, string> = {
  iifname: 'ifname',
  oifname: 'ifname',
  saddr: 'ipv4_addr',
  daddr: 'ipv4_addr',
  l4proto: 'inet_proto',
  dport: 'inet_service',
}
