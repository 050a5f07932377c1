/**
 * The one naming function for Incus object names. Every package derives
 * project, bridge, instance and profile names through here, so the nesting
 * prefix (`NNN-`) is applied everywhere or nowhere.
 */

export interface NamingOptions {
  /** global.nesting_prefix */
  nestingPrefix: boolean
  /** Nesting level (from /etc/anklume/absolute_level; 1 when absent). */
  level: number
}

/** Linux interface names are at most 15 characters. */
export const MAX_BRIDGE_NAME = 15

export function prefix(opts: NamingOptions): string {
  return opts.nestingPrefix ? `${String(opts.level).padStart(3, '0')}-` : ''
}

/** Incus project of a domain. */
export function projectName(domain: string, opts: NamingOptions): string {
  return prefix(opts) + domain
}

/** Managed bridge of a domain, in the `default` project. */
export function bridgeName(domain: string, opts: NamingOptions): string {
  return `${prefix(opts)}net-${domain}`
}

/** Incus instance name of a machine. */
export function instanceName(machine: string, opts: NamingOptions): string {
  return prefix(opts) + machine
}

/** Domains with the bridge name they would get and how far over the limit it is. */
export function bridgeNameOverflow(domain: string, opts: NamingOptions): number {
  return Math.max(0, bridgeName(domain, opts).length - MAX_BRIDGE_NAME)
}
