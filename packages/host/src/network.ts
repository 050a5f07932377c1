import { readFile } from 'node:fs/promises'
import { networkInterfaces } from 'node:os'

/**
 * What the host's network looks like, for the subnet-overlap guard that runs
 * before bridges are created: IPv4 CIDRs on interfaces, IPv4 routes and DNS
 * resolvers. Interfaces in `exclude` (our own bridges) are left out.
 */
export interface HostNetwork {
  addresses: string[]
  routes: string[]
  resolvers: string[]
}

function hexToIp(hex: string): string {
  // /proc/net/route stores addresses little-endian.
  const n = Number.parseInt(hex, 16)
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.')
}

function maskBits(hexMask: string): number {
  let n = Number.parseInt(hexMask, 16) >>> 0
  let bits = 0
  while (n) {
    bits += n & 1
    n >>>= 1
  }
  return bits
}

/** Parses /proc/net/route into CIDRs, skipping default routes and excluded interfaces. */
export function parseProcRoutes(text: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = []
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/)
    if (!iface || !dest || !mask || exclude.has(iface)) continue
    const bits = maskBits(mask)
    if (bits === 0) continue
    out.push(`${hexToIp(dest)}/${bits}`)
  }
  return [...new Set(out)]
}

export function parseResolvConf(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().match(/^nameserver\s+(\d+\.\d+\.\d+\.\d+)/)?.[1])
    .filter((x): x is string => Boolean(x))
}

export async function readHostNetwork(exclude: Iterable<string> = []): Promise<HostNetwork> {
  const skip = new Set(exclude)
  const addresses: string[] = []
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (skip.has(name) || name === 'lo') continue
    for (const a of addrs ?? []) if (a.family === 'IPv4' && a.cidr) addresses.push(a.cidr)
  }
  const routes = parseProcRoutes(await readFile('/proc/net/route', 'utf8').catch(() => ''), skip)
  const resolvers = parseResolvConf(await readFile('/etc/resolv.conf', 'utf8').catch(() => ''))
  return { addresses, routes, resolvers }
}
