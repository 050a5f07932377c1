import type { ChainDef, Match, RuleDef, Selector } from './ir.js'

/**
 * The fixed structure of the table: which sets exist, what they are keyed by,
 * and the rules that look them up. Only set elements depend on the domains and
 * policies, so the rule count is the same for 2 domains or 2,000 (29 rules;
 * 31 with `egress: false`), and for 0 or 200 other infras on the host.
 */
export interface SetShape {
  name: string
  selectors: Selector[]
  comment: string
}

const PORTS: Selector[] = ['l4proto', 'dport']
const PROTO: Selector[] = ['l4proto']

/** The endpoint shapes a flow can take and the packet fields that identify them. */
const FORWARD_KINDS: Array<{ base: string; selectors: Selector[]; what: string }> = [
  { base: 'allowed_pairs', selectors: ['iifname', 'oifname'], what: 'domain to domain (bridge pairs)' },
  { base: 'allowed_m2d', selectors: ['iifname', 'saddr', 'oifname'], what: 'machine to domain' },
  { base: 'allowed_d2m', selectors: ['iifname', 'oifname', 'daddr'], what: 'domain to machine' },
  // No oifname here: nft 1.0.6 encodes a set's type in 32 bits, 6 bits per field,
  // so a concatenation of more than 5 fields is listed back wrongly. The
  // destination address already pins the destination machine.
  { base: 'allowed_m2m', selectors: ['iifname', 'saddr', 'daddr'], what: 'machine to machine' },
]
const HOST_KINDS: Array<{ base: string; selectors: Selector[]; what: string }> = [
  { base: 'host_pairs', selectors: ['iifname', 'daddr'], what: 'domain to its own gateway' },
  { base: 'host_m2h', selectors: ['iifname', 'saddr', 'daddr'], what: 'machine to its own gateway' },
]

function variants(kinds: typeof FORWARD_KINDS): SetShape[] {
  return kinds.flatMap((k) => [
    { name: k.base, selectors: k.selectors, comment: `${k.what}, every protocol` },
    { name: `${k.base}_proto`, selectors: [...k.selectors, ...PROTO], comment: `${k.what}, one protocol` },
    {
      name: `${k.base}_ports`,
      selectors: [...k.selectors, ...PORTS],
      comment: `${k.what}, protocol and port`,
    },
  ])
}

export const DOMAIN_BRIDGES = 'domain_bridges'
export const FOREIGN_BRIDGES = 'foreign_bridges'

export const SET_SHAPES: SetShape[] = [
  // rulesetIR replaces this comment by the owner marker (owner.ts).
  { name: DOMAIN_BRIDGES, selectors: ['iifname'], comment: 'bridges of all domains' },
  {
    name: FOREIGN_BRIDGES,
    selectors: ['iifname'],
    comment: 'bridges of the other anklume infras on this host',
  },
  ...variants(FORWARD_KINDS),
  ...variants(HOST_KINDS),
]

const lookup = (s: SetShape): Match => ({ kind: 'lookup', selectors: s.selectors, set: s.name })
const shapesOf = (kinds: typeof FORWARD_KINDS) =>
  SET_SHAPES.filter((s) => kinds.some((k) => s.name === k.base || s.name.startsWith(`${k.base}_`)))
const fromDomains = { kind: 'lookup', selectors: ['iifname'], set: DOMAIN_BRIDGES } satisfies Match
const toDomains = { kind: 'lookup', selectors: ['oifname'], set: DOMAIN_BRIDGES } satisfies Match
const fromForeign = { kind: 'lookup', selectors: ['iifname'], set: FOREIGN_BRIDGES } satisfies Match
const toForeign = { kind: 'lookup', selectors: ['oifname'], set: FOREIGN_BRIDGES } satisfies Match
const conntrack: RuleDef[] = [
  { matches: [{ kind: 'ct', states: ['established', 'related'] }], verdict: 'accept' },
  { matches: [{ kind: 'ct', states: ['invalid'] }], verdict: 'drop' },
]

export function chains(egress: boolean, priority: number): ChainDef[] {
  const forward: RuleDef[] = [
    // Traffic that touches no domain bridge is none of our business (not even
    // conntrack's "invalid" verdict: routers with asymmetric paths rely on it).
    {
      matches: [
        { ...fromDomains, negate: true },
        { ...toDomains, negate: true },
      ],
      verdict: 'accept',
    },
    // Other infras' domains, both ways, before conntrack and every accept: no
    // policy opens them and a connection set up before this table is cut too.
    // The newest table knows every other infra's bridges, so one such table
    // per pair is enough whichever infra was applied first.
    {
      matches: [fromDomains, toForeign],
      counter: true,
      verdict: 'drop',
      comment: 'to another anklume infra',
    },
    {
      matches: [fromForeign, toDomains],
      counter: true,
      verdict: 'drop',
      comment: 'from another anklume infra',
    },
    ...conntrack,
    ...shapesOf(FORWARD_KINDS).map((s): RuleDef => ({ matches: [lookup(s)], verdict: 'accept' })),
    {
      matches: [fromDomains, toDomains],
      counter: true,
      verdict: 'drop',
      comment: 'between domains without a policy',
    },
  ]
  if (!egress) {
    forward.push(
      {
        matches: [fromDomains],
        counter: true,
        verdict: 'drop',
        comment: 'egress disabled: domain to outside',
      },
      { matches: [toDomains], counter: true, verdict: 'drop', comment: 'egress disabled: outside to domain' },
    )
  }
  const input: RuleDef[] = [
    { matches: [{ ...fromDomains, negate: true }], verdict: 'accept' },
    ...conntrack,
    { matches: [{ kind: 'udp-dport', port: 67 }], verdict: 'accept', comment: 'DHCP' },
    ...shapesOf(HOST_KINDS).map((s): RuleDef => ({ matches: [lookup(s)], verdict: 'accept' })),
    { matches: [], counter: true, verdict: 'drop', comment: 'domain to host without a policy' },
  ]
  return [
    { name: 'forward', hook: 'forward', priority, rules: forward },
    { name: 'input', hook: 'input', priority, rules: input },
  ]
}
