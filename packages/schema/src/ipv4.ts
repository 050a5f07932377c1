/** IPv4 helpers shared by the validator and other packages. */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])'
export const IPV4_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`)
export const BASE_SUBNET_RE = new RegExp(`^${OCTET}\\.${OCTET}$`)

/** The four octets of a dotted IPv4 address, or undefined when malformed (no leading zeros). */
export function parseIpv4(ip: string): [number, number, number, number] | undefined {
  if (!IPV4_RE.test(ip)) return undefined
  const o = ip.split('.').map(Number)
  return [o[0] ?? 0, o[1] ?? 0, o[2] ?? 0, o[3] ?? 0]
}

/** `A.B` is inside 10/8, 172.16/12 or 192.168/16 (RFC 1918). */
export function isPrivateBaseSubnet(base: string): boolean {
  if (!BASE_SUBNET_RE.test(base)) return false
  const [a, b] = base.split('.').map(Number) as [number, number]
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
}

/** The three network octets `A.B.C` of a domain's /24. */
export interface DomainNet {
  /** `A.B.C` */
  prefix: string
  /** `A.B.C.0/24` */
  subnet: string
  /** `A.B.C.254` */
  gateway: string
  /** Third octet. */
  subnetId: number
}

export function domainNet(secondLevel: string, third: number): DomainNet {
  const prefix = `${secondLevel}.${third}`
  return { prefix, subnet: `${prefix}.0/24`, gateway: `${prefix}.254`, subnetId: third }
}

/** `A.B.C.0/24` of an address (assuming a /24), or undefined when malformed. */
export function subnetOf(ip: string): string | undefined {
  const o = parseIpv4(ip)
  return o ? `${o[0]}.${o[1]}.${o[2]}.0/24` : undefined
}

/** Host part (last octet) of an address. */
export function hostNumber(ip: string): number | undefined {
  return parseIpv4(ip)?.[3]
}

/** First address of the DHCP range Incus hands out on our bridges (.100–.249). */
export const DHCP_FIRST = 100
export const DHCP_LAST = 249
/** Static addresses sit in .1–.99. */
export const STATIC_LAST = 99
export const GATEWAY_HOST = 254
