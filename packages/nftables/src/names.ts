import { NFT_TABLE_RE, NFT_TABLE_RULE, parseIpv4 } from '@anklume/schema'
import { NftablesError } from './errors.js'

/** Linux interface names: 1-15 characters, no spaces, quotes or slashes. */
const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/

/** Longest comment we emit (nft's own limit is 128 bytes). */
export const MAX_COMMENT = 100

export function checkTableName(name: string): string {
  if (!NFT_TABLE_RE.test(name)) {
    throw new NftablesError(
      'ANKLUME_NFT_INVALID_NAME',
      `invalid nftables table name "${name}"`,
      `isolation.table must be ${NFT_TABLE_RULE}`,
    )
  }
  return name
}

export function checkIfname(name: string): string {
  if (!IFNAME_RE.test(name)) {
    throw new NftablesError(
      'ANKLUME_NFT_INVALID_NAME',
      `invalid bridge name "${name}" (1-15 characters: letters, digits, "-", "_", ".")`,
    )
  }
  return name
}

export function isIpv4(ip: string): boolean {
  return parseIpv4(ip) !== undefined
}

export function checkIpv4(ip: string, what: string): string {
  if (!isIpv4(ip))
    throw new NftablesError('ANKLUME_NFT_INVALID_ADDRESS', `${what}: "${ip}" is not an IPv4 address`)
  return ip
}

/** `A.B.C.D/N` with a valid address and 0 <= N <= 32. */
export function checkCidr(cidr: string, what: string): string {
  const [ip, len, extra] = cidr.split('/')
  const n = Number(len)
  if (extra !== undefined || ip === undefined || !isIpv4(ip) || !/^\d{1,2}$/.test(len ?? '') || n > 32) {
    throw new NftablesError('ANKLUME_NFT_INVALID_ADDRESS', `${what}: "${cidr}" is not an IPv4 CIDR`)
  }
  return cidr
}

/**
 * Policy descriptions become nft comments: accents are folded to ASCII and
 * anything outside a small safe set (letters, digits, space and `_.,:;/()+=@#%-`)
 * becomes a space, so a description can never break out of the quoted string.
 */
export function sanitizeComment(text: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  const safe = ascii
    .replace(/[^A-Za-z0-9 _.,:;/()+=@#%-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return safe.length > MAX_COMMENT ? `${safe.slice(0, MAX_COMMENT - 3).trimEnd()}...` : safe
}
