/**
 * Host-subnet overlap guard (incus-mapping.md, step 1): before creating a
 * bridge, refuse any subnet that overlaps a host interface address, a host
 * route or a DNS server of the host. Pure: the caller reads the host.
 */
import { formatIpv4, ipv4ToInt } from '@anklume/schema'

export interface HostNetworkFacts {
  /** CIDRs on host interfaces (e.g. `192.168.1.20/24`), excluding our own existing bridges. */
  addresses: string[]
  /** Route destinations (`10.0.0.0/8`, `default`); default routes are ignored. */
  routes: string[]
  /** DNS server addresses of the host. */
  resolvers: string[]
}

export interface Conflict {
  bridge: string
  /** The bridge's subnet, `A.B.C.0/24`. */
  subnet: string
  kind: 'address' | 'route' | 'resolver'
  /** The host value it overlaps, as given. */
  host: string
  message: string
}

interface Range {
  start: number
  end: number
}

/** `A.B.C.D/len` or a bare address (/32) -> the network range; undefined for IPv6 or garbage. */
export function cidrRange(text: string): Range | undefined {
  const [addr, lenText] = text.trim().split('/')
  const ip = ipv4ToInt(addr ?? '')
  if (ip === undefined) return undefined
  const len = lenText === undefined ? 32 : Number(lenText)
  if (!Number.isInteger(len) || len < 0 || len > 32) return undefined
  const size = 2 ** (32 - len)
  const start = Math.floor(ip / size) * size
  return { start, end: start + size - 1 }
}

function rangeText(r: Range, len: number): string {
  return `${formatIpv4(r.start)}/${len}`
}

const overlaps = (a: Range, b: Range) => a.start <= b.end && b.start <= a.end

export function checkSubnetOverlap(
  networks: { name: string; config: Record<string, string> }[],
  host: HostNetworkFacts,
): Conflict[] {
  const facts: { kind: Conflict['kind']; host: string; range: Range }[] = []
  const add = (kind: Conflict['kind'], list: string[]) => {
    for (const h of list) {
      if (h === 'default') continue
      const range = cidrRange(h)
      if (range && !(range.start === 0 && range.end === 2 ** 32 - 1)) facts.push({ kind, host: h, range })
    }
  }
  add('address', host.addresses)
  add('route', host.routes)
  add('resolver', host.resolvers)
  const what = {
    address: 'a host interface address',
    route: 'a host route',
    resolver: 'a DNS server of the host',
  }
  const out: Conflict[] = []
  for (const n of networks) {
    const cidr = n.config['ipv4.address']
    const range = cidr === undefined ? undefined : cidrRange(cidr)
    if (!range) continue
    const subnet = rangeText(range, Number(cidr?.split('/')[1] ?? 32))
    for (const f of facts) {
      if (!overlaps(range, f.range)) continue
      out.push({
        bridge: n.name,
        subnet,
        kind: f.kind,
        host: f.host,
        message: `bridge ${n.name} (${subnet}) overlaps ${what[f.kind]} ${f.host}: pick another subnet_id or base_subnet`,
      })
    }
  }
  return out
}
