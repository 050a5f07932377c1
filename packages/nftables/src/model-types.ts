import type { Protocol } from '@anklume/schema'

/** A machine of a domain; `ip` is its static IPv4 (undefined = DHCP). */
export interface ModelMachine {
  name: string
  domain: string
  ip: string | undefined
}

/** A domain with the bridge it owns on this host. */
export interface ModelDomain {
  name: string
  /**
   * false: `enabled: false` in the infra. Nothing is created for it, but a
   * bridge left from an earlier apply may still run instances, so it stays
   * in the table as a fully isolated domain (no flow names it).
   */
  enabled: boolean
  /** Final bridge name (nesting prefix applied), e.g. `net-pro` or `001-net-pro`. */
  bridge: string
  /** `A.B.C.0/24` */
  subnet: string
  /** `A.B.C.254`: the host's own address on the bridge. */
  gateway: string
  machines: ModelMachine[]
}

/** One side of a resolved flow. */
export type Endpoint =
  | { kind: 'domain'; domain: string; bridge: string }
  | { kind: 'machine'; machine: string; domain: string; bridge: string; ip: string }
  | { kind: 'host' }

/** Where traffic may start: never the host (host egress is not filtered). */
export type SourceEndpoint = Exclude<Endpoint, { kind: 'host' }>

/**
 * One allowed direction of one policy: a bidirectional policy yields two
 * flows, `from: host` yields none (the host may already reach everything).
 */
export interface Flow {
  from: SourceEndpoint
  to: Endpoint
  /** undefined: every protocol (only with ports 'all'). */
  protocol: Protocol | undefined
  ports: number[] | 'all'
  /** Index of the policy in `infra.networkPolicies`. */
  policy: number
  /** Sanitised description (or `policy N`), safe to use as an nft comment. */
  comment: string
}

/**
 * A bridge of another anklume infra on this host (an Incus network labelled
 * `user.anklume.project` with another project): traffic between it and this
 * infra's domain bridges is dropped both ways.
 */
export interface ForeignBridge {
  bridge: string
  /** The `project_name` of the infra that owns it. */
  project: string
}

/** A policy that produced no flow, and why (shown by `anklume nft`). */
export interface SkippedPolicy {
  policy: number
  reason: string
}

/**
 * Everything the ruleset depends on, small and plain, so other firewalls can
 * build their own rules from it (or feed it to `generateRuleset`).
 */
export interface IsolationModel {
  /** `project_name` of the infra (used in labels). */
  project: string
  /** nftables table name (family inet). */
  table: string
  /** Domains may reach non-domain interfaces (the outside world). */
  egress: boolean
  domains: ModelDomain[]
  /**
   * Bridges of other anklume infras on this host, sorted by name (never one of
   * `domains`). Empty when the ruleset is generated without a daemon
   * (`anklume nft` print): apply fills it from the Incus networks it observes.
   */
  foreignBridges: ForeignBridge[]
  flows: Flow[]
  skipped: SkippedPolicy[]
}
