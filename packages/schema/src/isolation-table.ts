/**
 * The default nftables table of an infra: one per infra, so several infra
 * files on one host never replace (or, on flush, delete) each other's
 * isolation. `global.isolation.table` overrides it.
 */

/** The table every infra shared before tables were per infra (still accepted when named explicitly). */
export const LEGACY_ISOLATION_TABLE = 'anklume'

/**
 * `anklume_<project_name>`: accents folded, lowercase, every run of
 * characters outside letters, digits and `_` replaced by `_`, 64 characters
 * at most, so it always matches NFT_TABLE_RE. Two project names that differ
 * only in such characters get the same name: apply then refuses the second
 * (the table carries its exact owner), and `global.isolation.table`
 * separates them.
 */
export function defaultIsolationTable(projectName: string): string {
  const folded = projectName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
  const token = folded.replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')
  return `${LEGACY_ISOLATION_TABLE}_${token || 'infra'}`.slice(0, 64)
}
