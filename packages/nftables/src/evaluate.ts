import type { NftJson } from './render-json.js'

/** A packet as the base chains see it. `oifname` is '' on the input hook. */
export interface Packet {
  iifname: string
  oifname: string
  saddr: string
  daddr: string
  l4proto: 'tcp' | 'udp' | 'icmp'
  /** Destination port (tcp/udp only). */
  dport?: number
  /** Conntrack state (default `new`). */
  ct?: 'new' | 'established' | 'related' | 'invalid'
}

type Obj = Record<string, unknown>
interface Chain {
  hook: string
  policy: string
  rules: unknown[][]
}

/** A compiled ruleset: the verdict of the base chains of one hook for a packet. */
export type PacketFilter = (hook: 'forward' | 'input', pkt: Packet) => 'accept' | 'drop'

/**
 * A tiny interpreter of the libnftables JSON this package generates (the
 * subset it uses: set lookups on concatenations, ct state, udp dport,
 * counter, accept/drop). It is what the property tests check isolation
 * against, and lets embedders test a policy without a kernel. It throws on
 * anything it does not understand rather than guess.
 */
export function compileRuleset(json: NftJson): PacketFilter {
  const sets = new Map<string, Set<string>>()
  const chains = new Map<string, Chain>()
  for (const cmd of json.nftables) {
    const add = (cmd.add ?? cmd) as Obj
    if (add.set) {
      const s = add.set as Obj
      sets.set(s.name as string, new Set(((s.elem as unknown[]) ?? []).map(elementKey)))
    } else if (add.chain) {
      const c = add.chain as Obj
      chains.set(c.name as string, {
        hook: c.hook as string,
        policy: (c.policy as string) ?? 'accept',
        rules: [],
      })
    } else if (add.rule) {
      const r = add.rule as Obj
      chains.get(r.chain as string)?.rules.push(r.expr as unknown[])
    }
  }
  return (hook, pkt) => {
    for (const chain of chains.values()) {
      if (chain.hook === hook && runChain(chain, sets, pkt) === 'drop') return 'drop'
    }
    return 'accept'
  }
}

/** One-shot form of `compileRuleset(json)(hook, pkt)`. */
export function evaluatePacket(json: NftJson, hook: 'forward' | 'input', pkt: Packet): 'accept' | 'drop' {
  return compileRuleset(json)(hook, pkt)
}

function runChain(chain: Chain, sets: Map<string, Set<string>>, pkt: Packet): 'accept' | 'drop' {
  for (const expr of chain.rules) {
    let matched = true
    for (const e of expr as Obj[]) {
      if ('accept' in e) return 'accept'
      if ('drop' in e) return 'drop'
      if ('counter' in e) continue
      if (!('match' in e)) throw new Error(`evaluatePacket: unsupported expression ${JSON.stringify(e)}`)
      if (!matches(e.match as Obj, sets, pkt)) {
        matched = false
        break
      }
    }
    if (matched) throw new Error('evaluatePacket: rule without verdict')
  }
  return chain.policy === 'drop' ? 'drop' : 'accept'
}

function elementKey(e: unknown): string {
  const v = typeof e === 'object' && e !== null && 'elem' in e ? ((e as Obj).elem as Obj).val : e
  const values = typeof v === 'object' && v !== null && 'concat' in v ? ((v as Obj).concat as unknown[]) : [v]
  return values.map(String).join('|')
}

function field(expr: Obj, pkt: Packet): string | undefined {
  if (expr.meta) {
    const key = (expr.meta as Obj).key
    if (key === 'iifname') return pkt.iifname
    if (key === 'oifname') return pkt.oifname
    if (key === 'l4proto') return pkt.l4proto
  }
  if (expr.payload) {
    const { protocol, field: f } = expr.payload as Obj
    if (protocol === 'ip' && f === 'saddr') return pkt.saddr
    if (protocol === 'ip' && f === 'daddr') return pkt.daddr
    if (f === 'dport' && (protocol === 'th' || protocol === pkt.l4proto)) {
      return pkt.l4proto === 'icmp' || pkt.dport === undefined ? undefined : String(pkt.dport)
    }
    if (f === 'dport') return undefined
  }
  if (expr.ct && (expr.ct as Obj).key === 'state') return pkt.ct ?? 'new'
  throw new Error(`evaluatePacket: unsupported selector ${JSON.stringify(expr)}`)
}

function matches(m: Obj, sets: Map<string, Set<string>>, pkt: Packet): boolean {
  const left = m.left as Obj
  const parts = left.concat ? (left.concat as Obj[]) : [left]
  const values = parts.map((p) => field(p, pkt))
  if (values.some((v) => v === undefined)) return false
  const key = values.join('|')
  const right = m.right
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = sets.get(right.slice(1))
    if (!set) throw new Error(`evaluatePacket: unknown set ${right}`)
    return m.op === '!=' ? !set.has(key) : set.has(key)
  }
  const wanted = (Array.isArray(right) ? right : [right]).map(String)
  if (m.op === 'in' || m.op === '==') return wanted.includes(key)
  if (m.op === '!=') return !wanted.includes(key)
  throw new Error(`evaluatePacket: unsupported operator ${String(m.op)}`)
}
