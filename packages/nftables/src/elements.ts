import { ipv4ToInt } from '@anklume/schema'
import type { ElementValue, SetElement } from './ir.js'
import { DOMAIN_BRIDGES, FOREIGN_BRIDGES, SET_SHAPES } from './layout.js'
import type { Flow, IsolationModel } from './model-types.js'
import { sanitizeComment } from './names.js'

/** Ports every domain may always use on its own gateway (Incus's dnsmasq). */
const GATEWAY_SERVICES: Array<[string, number, string]> = [
  ['udp', 53, 'DNS'],
  ['tcp', 53, 'DNS'],
]

/**
 * Fills the sets of SET_SHAPES from the model. Elements are deduplicated (the
 * first policy's comment wins) and sorted, so the output is stable.
 */
export function setElements(model: IsolationModel): Map<string, SetElement[]> {
  const acc = new Map<string, Map<string, SetElement>>(SET_SHAPES.map((s) => [s.name, new Map()]))
  const add = (set: string, values: ElementValue[], comment?: string) => {
    const m = acc.get(set)
    if (!m) throw new Error(`internal: unknown set ${set}`)
    const key = values.join('\u0000')
    if (!m.has(key)) m.set(key, comment ? { values, comment } : { values })
  }
  const gateway = new Map(model.domains.map((d) => [d.bridge, d.gateway]))
  for (const d of model.domains) {
    add(DOMAIN_BRIDGES, [d.bridge])
    add('allowed_pairs', [d.bridge, d.bridge], 'same bridge')
    for (const [proto, port, what] of GATEWAY_SERVICES)
      add('host_pairs_ports', [d.bridge, d.gateway, proto, port], what)
    add('host_pairs_proto', [d.bridge, d.gateway, 'icmp'], 'ICMP')
  }
  for (const f of model.foreignBridges)
    add(FOREIGN_BRIDGES, [f.bridge], sanitizeComment(`project ${f.project}`))
  for (const f of model.flows) {
    const [base, key] = baseKey(f, gateway)
    if (f.ports === 'all') {
      if (f.protocol === undefined) add(base, key, f.comment)
      else add(`${base}_proto`, [...key, f.protocol], f.comment)
    } else {
      for (const port of f.ports) add(`${base}_ports`, [...key, f.protocol ?? 'tcp', port], f.comment)
    }
  }
  const out = new Map<string, SetElement[]>()
  for (const [name, m] of acc) out.set(name, [...m.values()].sort(compareElements))
  return out
}

function baseKey(f: Flow, gateway: Map<string, string>): [string, ElementValue[]] {
  const src = f.from
  const dst = f.to
  if (dst.kind === 'host') {
    const gw = gateway.get(src.bridge)
    if (gw === undefined) throw new Error(`internal: no gateway for bridge ${src.bridge}`)
    return src.kind === 'domain' ? ['host_pairs', [src.bridge, gw]] : ['host_m2h', [src.bridge, src.ip, gw]]
  }
  if (src.kind === 'domain') {
    return dst.kind === 'domain'
      ? ['allowed_pairs', [src.bridge, dst.bridge]]
      : ['allowed_d2m', [src.bridge, dst.bridge, dst.ip]]
  }
  return dst.kind === 'domain'
    ? ['allowed_m2d', [src.bridge, src.ip, dst.bridge]]
    : ['allowed_m2m', [src.bridge, src.ip, dst.ip]]
}

/** Sort key of one value: numbers and IPv4 addresses compare numerically. */
function sortable(v: ElementValue): string | number {
  if (typeof v === 'number') return v
  return ipv4ToInt(v) ?? v
}

export function compareElements(a: SetElement, b: SetElement): number {
  const n = Math.min(a.values.length, b.values.length)
  for (let i = 0; i < n; i++) {
    const x = sortable(a.values[i] as ElementValue)
    const y = sortable(b.values[i] as ElementValue)
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x) < String(y) ? -1 : 1
  }
  return a.values.length - b.values.length
}
