/**
 * A Python-era policy → network_policies entry. AnKLuMe's nftables meant:
 * no ports (or an empty list) = no port or protocol filter → `ports: all`
 * with no protocol; `ports: all` = every port of ONE protocol (tcp unless
 * given) → `ports: all` + that protocol; a list = those ports.
 */
export function convertPolicy(
  raw: unknown,
  index: number,
  warn: (m: string) => void,
): Record<string, unknown> {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  if (typeof p.description === 'string' && p.description) out.description = p.description
  out.from = p.from
  out.to = p.to
  const ports = p.ports
  if (ports === undefined || ports === null || (Array.isArray(ports) && ports.length === 0)) {
    out.ports = 'all'
  } else if (ports === 'all') {
    out.ports = 'all'
    out.protocol = p.protocol ?? 'tcp'
  } else {
    out.ports = ports
    if (p.protocol !== undefined) out.protocol = p.protocol
  }
  if (p.bidirectional === true) out.bidirectional = true
  const known = ['description', 'from', 'to', 'ports', 'protocol', 'bidirectional']
  for (const key of Object.keys(p)) {
    if (!known.includes(key)) warn(`policies[${index}]: unknown key '${key}'; dropped`)
  }
  return out
}
