/** Reads the facts `anklume doctor` evaluates: the socket, the daemon, id maps, nftables, the infra. */
import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import { isAnklumeError } from '@anklume/errors'
import {
  type AnsibleProbeOptions,
  brNetfilterWarning,
  forwardPolicyWarnings,
  listRuleset,
  readAnsibleFacts,
  readHostNetwork,
  runNft,
} from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { checkSubnetOverlap, desired, summaryLine } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import { planInfra } from '../apply/apply.js'
import type { TableState } from '../apply/table-state.js'
import type { DoctorFacts, IncusFacts, Probe } from './types.js'

export interface GatherOptions {
  /** The local socket to check (omit with a remote). */
  socketPath?: string
  remote?: string
  /** The infra file, when one was found, with its nesting level and display name. */
  infra?: { infra: Infra; level: number; source: string }
  subuidPath?: string
  subgidPath?: string
  bridgeSysctlDir?: string
  /** How to run Ansible for the connection plugin check (default: PATH and this environment); false skips it. */
  ansible?: AnsibleProbeOptions | false
  signal?: AbortSignal
}

/** The table's state as plain data. */
function tableFacts(state: TableState): NonNullable<NonNullable<DoctorFacts['infra']>['isolation']> {
  const { table, status } = state
  if (status === 'differs') return { table, status, detail: state.difference }
  if (status === 'unknown')
    return { table, status, detail: (state.error as Error)?.message ?? String(state.error) }
  return { table, status }
}

async function probe<T>(fn: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await fn() }
  } catch (err) {
    // An anklume code (INCUS_…), else a system error's own (ENOENT, EACCES…).
    const code = isAnklumeError(err) ? err.code : (err as NodeJS.ErrnoException).code
    return {
      ok: false,
      error: (err as { message?: string }).message ?? String(err),
      ...(typeof code === 'string' ? { code } : {}),
    }
  }
}

async function socketFacts(path: string): Promise<NonNullable<DoctorFacts['socket']>> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  )
  const accessible =
    exists &&
    (await access(path, constants.R_OK | constants.W_OK).then(
      () => true,
      () => false,
    ))
  return { path, exists, accessible }
}

async function incusFacts(client: IncusClient, signal?: AbortSignal): Promise<IncusFacts> {
  const [server, pools, profile] = await Promise.all([
    client.server({ signal }),
    client.storage.pools.list({ signal }),
    client.profiles.get('default', { project: 'default', signal }),
  ])
  const members = server.environment?.server_clustered ? await client.cluster.members({ signal }) : undefined
  return {
    ...(members
      ? {
          members: members.map((m) => ({
            name: m.server_name,
            status: m.status,
            message: m.message ?? '',
            roles: [...(m.roles ?? [])],
            groups: [...(m.groups ?? [])],
            pools: pools
              .filter((p) => (p.locations ?? []).includes(m.server_name))
              .map((p) => p.name)
              .sort(),
          })),
        }
      : {}),
    version: server.environment?.server_version ?? server.api_version,
    apiExtensions: server.api_extensions,
    ...(server.environment?.firewall ? { firewall: server.environment.firewall } : {}),
    storagePools: pools.map((p) => p.name),
    defaultProfileDevices: (profile.devices ?? {}) as IncusFacts['defaultProfileDevices'],
  }
}

const readOptional = (path: string) => readFile(path, 'utf8').catch(() => undefined)

export async function gatherDoctorFacts(client: IncusClient, opts: GatherOptions = {}): Promise<DoctorFacts> {
  const signal = opts.signal
  const table = opts.infra?.infra.global.isolation.table ?? 'anklume'
  // One `nft list ruleset` serves the forward-policy check and the table comparison.
  const ruleset = listRuleset()
  ruleset.catch(() => undefined)
  const [socket, incus, subuid, subgid, nft, brNetfilter, forward, ansible] = await Promise.all([
    opts.socketPath ? socketFacts(opts.socketPath) : undefined,
    probe(() => incusFacts(client, signal)),
    readOptional(opts.subuidPath ?? '/etc/subuid'),
    readOptional(opts.subgidPath ?? '/etc/subgid'),
    probe(async () => {
      const r = await runNft(['--version'])
      if (r.status !== 0) throw new Error(r.stderr.trim() || `nft exited with ${r.status}`)
      return r.stdout
    }),
    brNetfilterWarning(opts.bridgeSysctlDir),
    probe(async () => forwardPolicyWarnings(await ruleset, table)),
    opts.ansible === false ? undefined : probe(() => readAnsibleFacts(opts.ansible || {})),
  ])
  const facts: DoctorFacts = {
    ...(socket ? { socket } : {}),
    ...(opts.remote ? { remote: opts.remote } : {}),
    incus,
    ...(subuid !== undefined ? { subuid } : {}),
    ...(subgid !== undefined ? { subgid } : {}),
    nft,
    ...(brNetfilter ? { brNetfilter } : {}),
    forward,
    ...(ansible ? { ansible } : {}),
  }
  if (opts.infra) {
    const { infra, level, source } = opts.infra
    let isolation: NonNullable<DoctorFacts['infra']>['isolation']
    let storagePool = infra.global.storagePool
    const [overlaps, drift] = await Promise.all([
      probe(async () => {
        const networks = desired(infra, { level }).networks
        return checkSubnetOverlap(networks, await readHostNetwork(networks.map((n) => n.name)))
      }),
      incus.ok
        ? probe(async () => {
            // The live table is this machine's: only compared for a local Incus.
            const planned = await planInfra(client, infra, {
              level,
              signal,
              hostIsolation: !opts.remote,
              listRuleset: () => ruleset,
            })
            if (planned.isolation) isolation = tableFacts(planned.isolation)
            storagePool = planned.infra.global.storagePool
            const { plan } = planned
            return { changes: plan.actions.length, summary: summaryLine(plan) }
          })
        : Promise.resolve({ ok: false as const, error: 'Incus is not reachable' }),
    ])
    facts.infra = {
      source,
      storagePool,
      overlaps,
      drift,
      ...(isolation ? { isolation } : {}),
    }
  }
  return facts
}
