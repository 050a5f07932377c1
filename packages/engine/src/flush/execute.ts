/**
 * Carries out a FlushPlan in the safe order: instances (in parallel) →
 * project images → volumes → profiles → default-profile devices → projects
 * → bridges (all at once, retried) → the nftables table → generated inventory.
 */

import { deleteTable } from '@anklume/host'
import type { IncusClient } from '@anklume/incus-client'
import { updateWithEtag } from '../apply/etag-update.js'
import { removeBridge } from '../apply/network-ops.js'
import { isNotFound } from '../apply/ops-context.js'
import { INSTANCE_CHURN, INSTANCE_TRANSIENT, retry, retryWhen } from '../apply/retry.js'
import { LIGHT_FACTOR } from '../apply/run-graph.js'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { mapSettled } from '../instances/targets.js'
import { type FlushPlan, keepsAnything } from './plan.js'
import { type FlushTable, tableList } from './table.js'

export type FlushKind =
  | 'instance'
  | 'image'
  | 'volume'
  | 'profile'
  | 'default-profile'
  | 'project'
  | 'network'
  | 'network-acl'
  | 'nft-table'
  | 'inventory'

export interface FlushItem {
  kind: FlushKind
  name: string
  project?: string
  status: 'deleted' | 'would-delete' | 'kept' | 'failed'
  /** Why it was kept, or the error message. */
  reason?: string
}

export interface FlushExecuteOptions {
  concurrency?: number
  signal?: AbortSignal
  /** The nftables tables to delete once everything is gone (undefined: leave them; `kept`: another infra's). */
  nftTable?: string | FlushTable | FlushTable[]
  /** Removes a bare bridge a killed create left on this host (local Incus only), before its `Pending` record. */
  removeBareBridge?: ((name: string) => Promise<'absent' | 'removed' | 'kept'>) | undefined
  /** Deletes generated inventory files (runs last); returns the removed/stripped paths. */
  inventory?: () => Promise<{ deleted: string[]; stripped: string[] }>
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** The items a plan would delete or keep, without touching anything (`--dry-run`, confirmation). */
export function describePlan(plan: FlushPlan, nftTable?: string | FlushTable | FlushTable[]): FlushItem[] {
  const w = (kind: FlushKind, name: string, project?: string): FlushItem => ({
    kind,
    name,
    ...(project ? { project } : {}),
    status: 'would-delete',
  })
  const k = (kind: FlushKind, name: string, reason: string, project?: string): FlushItem => ({
    kind,
    name,
    ...(project ? { project } : {}),
    status: 'kept',
    reason,
  })
  return [
    ...plan.instances.map((i) => w('instance', i.name, i.project)),
    ...plan.skippedInstances.map((i) => k('instance', i.name, i.reason, i.project)),
    ...plan.imageProjects.map((p) => w('image', '(all images)', p)),
    ...plan.volumes.map((v) => w('volume', `${v.pool}/${v.name}`, v.project)),
    ...plan.profiles.map((p) => w('profile', p.name, p.project)),
    ...plan.keptObjects.map((o) => k(o.kind, o.name, o.reason, o.project)),
    ...plan.defaultProfiles.map((p) => w('default-profile', 'default (devices)', p)),
    ...plan.projects.map((p) => w('project', p)),
    ...plan.keptProjects.map((p) => k('project', p.name, p.reason)),
    ...plan.networks.map((n) => w('network', n)),
    ...plan.keptNetworks.map((n) => k('network', n.name, n.reason)),
    ...plan.acls.map((a) => w('network-acl', a)),
    ...tableList(nftTable).map((table) =>
      table.kept !== undefined
        ? k('nft-table', `inet ${table.name}`, `kept: ${table.kept}`)
        : keepsAnything(plan)
          ? k('nft-table', `inet ${table.name}`, 'kept: it still isolates the instances left behind')
          : w('nft-table', `inet ${table.name}`),
    ),
  ]
}

export async function executeFlush(
  client: IncusClient,
  plan: FlushPlan,
  opts: FlushExecuteOptions = {},
): Promise<FlushItem[]> {
  const signal = opts.signal
  const limit = opts.concurrency ?? DEFAULT_CONCURRENCY
  const items: FlushItem[] = []
  const record = (kind: FlushKind, name: string, project: string | undefined, err?: unknown) => {
    items.push({
      kind,
      name,
      ...(project ? { project } : {}),
      status: err === undefined ? 'deleted' : 'failed',
      ...(err === undefined ? {} : { reason: message(err) }),
    })
  }
  const step = async <T>(
    kind: FlushKind,
    list: readonly T[],
    name: (t: T) => string,
    project: (t: T) => string | undefined,
    fn: (t: T) => Promise<unknown>,
  ) => {
    // Instance deletes only wait on Incus: LIGHT_FACTOR × the limit of them at once, as in apply.
    const settled = await mapSettled(list, kind === 'instance' ? limit * LIGHT_FACTOR : limit, async (t) => {
      try {
        await fn(t)
      } catch (err) {
        if (!isNotFound(err)) throw err
      }
    })
    for (const s of settled) record(kind, name(s.item), project(s.item), s.ok ? undefined : s.error)
  }

  await step(
    'instance',
    plan.instances,
    (i) => i.name,
    (i) => i.project,
    async (i) => {
      const o = { project: i.project, signal }
      if (i.status === 'Frozen') await client.instances.setState(i.name, { action: 'unfreeze' }, o)
      if (i.protected) {
        await client.instances.patch(i.name, { config: { 'security.protection.delete': 'false' } }, o)
      }
      // After a killed flush Incus may answer "Invalid PID" while the instance goes away: retried.
      await retry(() => client.instances.delete(i.name, { ...o, force: true }), {
        ...INSTANCE_CHURN,
        signal,
        judge: retryWhen(INSTANCE_TRANSIENT),
      })
    },
  )
  for (const i of plan.skippedInstances) {
    items.push({ kind: 'instance', name: i.name, project: i.project, status: 'kept', reason: i.reason })
  }

  for (const project of plan.imageProjects) {
    const images = await client.images.list({ project, signal }).catch(() => [])
    await step(
      'image',
      images,
      (img) => img.fingerprint.slice(0, 12),
      () => project,
      (img) => client.images.delete(img.fingerprint, { project, signal }),
    )
  }
  await step(
    'volume',
    plan.volumes,
    (v) => `${v.pool}/${v.name}`,
    (v) => v.project,
    (v) => client.storage.volumes.delete(v.pool, v.name, { project: v.project, signal }),
  )
  await step(
    'profile',
    plan.profiles,
    (p) => p.name,
    (p) => p.project,
    (p) => client.profiles.delete(p.name, { project: p.project, signal }),
  )
  for (const o of plan.keptObjects) {
    items.push({ kind: o.kind, name: o.name, project: o.project, status: 'kept', reason: o.reason })
  }
  await step(
    'default-profile',
    plan.defaultProfiles,
    () => 'default (devices)',
    (p) => p,
    (project) =>
      updateWithEtag({ client, signal }, { kind: 'profile', name: 'default', project }, (fresh) =>
        Object.keys(fresh.devices ?? {}).map((key) => ({ field: 'devices' as const, key })),
      ),
  )
  await step(
    'project',
    plan.projects,
    (p) => p,
    () => undefined,
    (p) => client.projects.delete(p, { signal }),
  )
  for (const p of plan.keptProjects)
    items.push({ kind: 'project', name: p.name, status: 'kept', reason: p.reason })

  // Bridges in parallel, through apply's path (removeBridge): its retries outlast Incus's veth race.
  // A `Pending` one (a killed apply's create) may have left its interface: removed first.
  await step(
    'network',
    plan.networks,
    (n) => n,
    () => undefined,
    (name) => removeBridge({ client, signal, removeBareBridge: opts.removeBareBridge }, name),
  )
  for (const n of plan.keptNetworks)
    items.push({ kind: 'network', name: n.name, status: 'kept', reason: n.reason })
  // One at a time: of two ACLs deleted at once Incus 6.0 sometimes keeps one (handlers.ts serialKey).
  for (const name of plan.acls) {
    try {
      await client.networkAcls.delete(name, { signal }).catch((err: unknown) => {
        if (!isNotFound(err)) throw err
      })
      record('network-acl', name, undefined)
    } catch (err) {
      record('network-acl', name, undefined, err)
    }
  }

  for (const table of tableList(opts.nftTable)) {
    const name = `inet ${table.name}`
    if (table.kept !== undefined) {
      items.push({ kind: 'nft-table', name, status: 'kept', reason: `kept: ${table.kept}` })
    } else if (keepsAnything(plan) || items.some((i) => i.status === 'failed')) {
      items.push({
        kind: 'nft-table',
        name,
        status: 'kept',
        reason: 'kept: it still isolates what is left (run flush again once that is gone)',
      })
    } else {
      try {
        const existed = await deleteTable(table.name)
        if (existed) record('nft-table', name, undefined)
      } catch (err) {
        record('nft-table', name, undefined, err)
      }
    }
  }

  if (opts.inventory) {
    try {
      const r = await opts.inventory()
      for (const p of r.deleted) record('inventory', p, undefined)
      for (const p of r.stripped)
        items.push({
          kind: 'inventory',
          name: p,
          status: 'kept',
          reason: 'managed block removed, your content kept',
        })
    } catch (err) {
      record('inventory', '(generated files)', undefined, err)
    }
  }
  return items
}
