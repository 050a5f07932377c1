/**
 * The address layout of a domain's /24 (spec: one subnet per domain):
 * static addresses in .1–.99, Incus's DHCP in .100–.249, the host's own
 * address on the bridge (the gateway) at .254. Every package builds these
 * addresses through here.
 */

/** A domain's subnet_id is the third octet of its /24: 0–254. */
export const MAX_SUBNET_ID = 254

/** Static addresses sit in .1–.99. */
export const STATIC_LAST = 99
/** The DHCP range Incus hands out on our bridges: .100–.249. */
export const DHCP_FIRST = 100
export const DHCP_LAST = 249
/** The host's address on a domain bridge: `A.B.C.254`. */
export const GATEWAY_HOST = 254

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

/** The /24 of subnet `third` under `A.B`. */
export function domainNet(secondLevel: string, third: number): DomainNet {
  const prefix = `${secondLevel}.${third}`
  return { prefix, subnet: `${prefix}.0/24`, gateway: gatewayOf(prefix), subnetId: third }
}

/** `A.B.C.254` of the /24 `A.B.C`. */
export function gatewayOf(prefix: string): string {
  return `${prefix}.${GATEWAY_HOST}`
}

/** The bridge's `ipv4.dhcp.ranges`: `A.B.C.100-A.B.C.249`. */
export function dhcpRange(prefix: string): string {
  return `${prefix}.${DHCP_FIRST}-${prefix}.${DHCP_LAST}`
}
