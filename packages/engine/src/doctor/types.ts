/** What `anklume doctor` reads from the host (gather.ts) and what it concludes (evaluate.ts). */

import type { AnsibleFacts, HostWarning } from '@anklume/host'
import type { Conflict } from '@anklume/planner'

export type FindingStatus = 'ok' | 'warn' | 'error'

export interface Finding {
  check: string
  status: FindingStatus
  message: string
  hint?: string
  /**
   * `this machine`: the check reads the machine that runs anklume (id maps,
   * nftables, br_netfilter, forward policy, subnet overlaps). Set when Incus
   * is a cluster (or remote), where those facts say nothing about the
   * members that run the instances.
   */
  scope?: 'this machine'
}

/** One member of an Incus cluster, as doctor reports it. */
export interface MemberFacts {
  name: string
  status: string
  message: string
  roles: string[]
  groups: string[]
  /** Storage pools created on this member. */
  pools: string[]
}

export type Probe<T> = { ok: true; value: T } | { ok: false; error: string; code?: string }

export interface IncusFacts {
  version: string
  apiExtensions: string[]
  /** `environment.firewall`: `nftables`, `xtables` or absent. */
  firewall?: string
  storagePools: string[]
  /** Devices of the `default` project's `default` profile. */
  defaultProfileDevices: Record<string, Record<string, string>>
  /** Present when Incus is a cluster. */
  members?: MemberFacts[]
}

export interface DoctorFacts {
  /** Local socket (undefined with --remote). */
  socket?: { path: string; exists: boolean; accessible: boolean }
  remote?: string
  incus: Probe<IncusFacts>
  /** Contents of /etc/subuid and /etc/subgid (undefined: file missing). */
  subuid?: string
  subgid?: string
  /** `nft --version` output. */
  nft: Probe<string>
  brNetfilter?: HostWarning
  forward: Probe<HostWarning[]>
  /** This machine's Ansible and its community.general.incus connection plugin (absent: not checked). */
  ansible?: Probe<AnsibleFacts>
  /** Present when an infra file was found. */
  infra?: {
    source: string
    /** The pool the infra uses: declared, or discovered (`local` on many clusters). */
    storagePool: string
    overlaps: Probe<Conflict[]>
    drift: Probe<{ changes: number; summary: string }>
    /** The isolation table loaded on this host vs the generated one (absent with a remote Incus). */
    isolation?: { table: string; status: 'same' | 'missing' | 'differs' | 'unknown'; detail?: string }
  }
}
