/** IPv4 helpers shared by the validator and other packages. */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
export const IPV4_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`)
export const BASE_SUBNET_RE = new RegExp(`^${OCTET}\\.${OCTET}$`)

/**
 * The one IPv4 parser: a dotted address (four decimal octets 0–255, no
 * leading zeros, nothing else; the grammar of IPV4_RE) as a 32-bit unsigned
 * number, or undefined. A hand-written scan: sorting thousands of nftables set
 * elements calls it often, and a regex plus split costs twice as much.
 */
function scanIpv4(ip: string): number | undefined {
  let n = 0
  let octet = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i)
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined
      n = n * 256 + octet
      octet = 0
      digits = 0
      continue
    }
    if (c < 48 || c > 57 || (digits > 0 && octet === 0)) return undefined
    octet = octet * 10 + (c - 48)
    digits++
    if (octet > 255) return undefined
  }
  return dots === 3 && digits > 0 ? n * 256 + octet : undefined
}

/** The four octets of a dotted IPv4 address, or undefined when malformed (no leading zeros). */
export function parseIpv4(ip: string): [number, number, number, number] | undefined {
  const n = scanIpv4(ip)
  return n === undefined ? undefined : [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
}

/** `A.B` is inside 10/8, 172.16/12 or 192.168/16 (RFC 1918). */
export function isPrivateBaseSubnet(base: string): boolean {
  if (!BASE_SUBNET_RE.test(base)) return false
  const [a, b] = base.split('.').map(Number) as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

/** `A.B.C.0/24` of an address (assuming a /24), or undefined when malformed. */
export function subnetOf(ip: string): string | undefined {
  const o = parseIpv4(ip)
  return o ? `${o[0]}.${o[1]}.${o[2]}.0/24` : undefined
}

/** The network octets `A.B.C` of an address (assuming a /24; a `/len` suffix is ignored), or undefined when malformed. */
export function networkPrefix(ip: string): string | undefined {
  const o = parseIpv4(ip.split('/')[0] ?? '')
  return o ? `${o[0]}.${o[1]}.${o[2]}` : undefined
}

/** The address as a 32-bit unsigned number (for ranges and numeric sorting), or undefined when malformed. */
export function ipv4ToInt(ip: string): number | undefined {
  return scanIpv4(ip)
}

/** The dotted form of a 32-bit unsigned number (the inverse of ipv4ToInt). */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

/** Host part (last octet) of an address. */
export function hostNumber(ip: string): number | undefined {
  return parseIpv4(ip)?.[3]
}
