/** Small value formats of the infra file: durations, sizes, percentages, PCI addresses. */

/**
 * `snapshots_expiry`: `30d`, `24h`, `60m` (minutes), `2w`, `1y`; Incus's own
 * `24H`/`60M` are accepted too. Several parts may be combined (`1w 2d`).
 */
const DURATION_PART = /^(\d+)(m|h|d|w|y|M|H)$/

export function durationError(text: string): string | undefined {
  const parts = text.trim().split(/\s+/)
  if (text.trim() === '' || !parts.every((p) => DURATION_PART.test(p)))
    return `"${text}" is not a duration like 30d, 24h, 60m (minutes) or 2w`
  return undefined
}

/**
 * Incus's `snapshots.expiry` syntax: M = minutes, H = hours, d, w, m = months,
 * y. Our lower-case `m`/`h` (minutes/hours, as AnKLuMe wrote them) become `M`/`H`.
 */
export function toIncusExpiry(text: string): string {
  return text
    .trim()
    .split(/\s+/)
    .map((p) => p.replace(/^(\d+)m$/, '$1M').replace(/^(\d+)h$/, '$1H'))
    .join(' ')
}

/** Memory or disk size: `512MiB`, `2GiB`, `10GB`, `1024` (bytes). */
export const SIZE_RE = /^\d+(\.\d+)?(B|[kKMGTPE]B|[KMGTPE]iB)?$/

/** `N%` with 1 ≤ N ≤ 99. */
export function percentError(text: string): string | undefined {
  const m = /^(\d+)%$/.exec(text)
  if (!m) return undefined
  const n = Number(m[1])
  return n >= 1 && n <= 99 ? undefined : `percentage must be between 1% and 99%, got ${text}`
}

/** PCI address for GPU passthrough: `0000:01:00.0` or `01:00.0`. */
export const PCI_RE = /^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/

/** Domain and machine names. */
export const NAME_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/

/** DNS zone suffix (`lab.internal`). */
export const DNS_ZONE_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/

/**
 * nftables table name, written unquoted in `nft -f` text (nft 1.0 accepts no
 * quoted table names). `anklume` then lowercase letters, digits and `_`: one
 * nft string token that is never one of nft's keywords (`dup`, `ct`, `reject`…).
 */
export const NFT_TABLE_RE = /^anklume[a-z0-9_]{0,57}$/
export const NFT_TABLE_RULE =
  '"anklume", then lowercase letters, digits and "_" (e.g. anklume_lab; at most 64)'

/** Incus is true for "true", "1", "yes", "on" (any case). */
export function incusTrue(v: unknown): boolean {
  return ['true', '1', 'yes', 'on'].includes(String(v).toLowerCase())
}
