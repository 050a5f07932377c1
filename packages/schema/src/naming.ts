/**
 * The one naming module for Incus object names. Every package derives
 * project, bridge, instance and profile names through here, so the nesting
 * prefix (`NNN-`) is applied everywhere or nowhere, and read back the same way.
 */

export interface NamingOptions {
  /** global.nesting_prefix */
  nestingPrefix: boolean
  /** Nesting level (from /etc/anklume/absolute_level; 1 when absent). */
  level: number
}

/** Linux interface names are at most 15 characters. */
export const MAX_BRIDGE_NAME = 15
/** What a domain bridge's name starts with (after the nesting prefix): `net-<domain>`. */
export const BRIDGE_PREFIX = 'net-'

/** Characters the `NNN-` nesting prefix takes. */
export const NESTING_PREFIX_LENGTH = 4

/** The `NNN-` nesting prefix at the start of a name. */
const NESTING_PREFIX_RE = /^(\d{3})-/

/** The nesting prefix of `level`: `001-`. */
export function levelPrefix(level: number): string {
  return `${String(level).padStart(3, '0')}-`
}

export function prefix(opts: NamingOptions): string {
  return opts.nestingPrefix ? levelPrefix(opts.level) : ''
}

/** A name split into its `NNN-` nesting prefix (`""` when none) and the rest. */
export interface PrefixedName {
  prefix: string
  /** The level the prefix says, undefined without a prefix. */
  level: number | undefined
  /** The name without the prefix. */
  name: string
}

export function parsePrefixed(name: string): PrefixedName {
  const m = NESTING_PREFIX_RE.exec(name)
  if (!m) return { prefix: '', level: undefined, name }
  return { prefix: m[0], level: Number(m[1]), name: name.slice(m[0].length) }
}

/** The name without its `NNN-` nesting prefix, or undefined when it has none. */
export function stripPrefix(name: string): string | undefined {
  const p = parsePrefixed(name)
  return p.prefix ? p.name : undefined
}

/** Incus project of a domain. */
export function projectName(domain: string, opts: NamingOptions): string {
  return prefix(opts) + domain
}

/** Managed bridge of a domain, in the `default` project. */
export function bridgeName(domain: string, opts: NamingOptions): string {
  return `${prefix(opts)}${BRIDGE_PREFIX}${domain}`
}

/** The domain whose bridge this is (named as `bridgeName` names it), else undefined. */
export function bridgeDomain(bridge: string, opts: NamingOptions): string | undefined {
  const head = `${prefix(opts)}${BRIDGE_PREFIX}`
  return bridge.startsWith(head) && bridge.length > head.length ? bridge.slice(head.length) : undefined
}

/** Incus instance name of a machine. */
export function instanceName(machine: string, opts: NamingOptions): string {
  return prefix(opts) + machine
}

/** Domains with the bridge name they would get and how far over the limit it is. */
export function bridgeNameOverflow(domain: string, opts: NamingOptions): number {
  return Math.max(0, bridgeName(domain, opts).length - MAX_BRIDGE_NAME)
}
