/**
 * `anklume snapshot create|restore|list|delete` on resolved targets
 * (instances/targets.ts). Every call runs concurrently over the targets and
 * reports per instance; nothing throws for one failing instance.
 */
import type { IncusClient } from '@anklume/incus-client'
import { stripPrefix } from '@anklume/schema'
import { DEFAULT_CONCURRENCY } from '../defaults.js'
import { type InstanceRef, mapSettled } from '../instances/targets.js'
import { defaultSnapshotName, expiryOf } from './names.js'

export interface SnapshotRow {
  instance: string
  project: string
  snapshot: string
  createdAt: string
  /** Undefined when the snapshot never expires. */
  expiresAt?: string
  stateful: boolean
}

export interface SnapshotOpResult {
  instance: string
  project: string
  snapshot: string
  ok: boolean
  error?: unknown
}

export interface SnapshotOptions {
  concurrency?: number
  signal?: AbortSignal
}

function results(
  settled: Awaited<ReturnType<typeof mapSettled<InstanceRef, unknown>>>,
  snapshot: string,
): SnapshotOpResult[] {
  return settled.map((s) => ({
    instance: s.item.name,
    project: s.item.project,
    snapshot,
    ok: s.ok,
    ...(s.ok ? {} : { error: s.error }),
  }))
}

/** Snapshots of the targets, sorted by project, instance and creation time. */
export async function listSnapshots(
  client: IncusClient,
  targets: readonly InstanceRef[],
  opts: SnapshotOptions = {},
): Promise<SnapshotRow[]> {
  const settled = await mapSettled(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, (t) =>
    client.snapshots.list(t.name, { project: t.project, signal: opts.signal }),
  )
  const rows: SnapshotRow[] = []
  for (const s of settled) {
    if (!s.ok) throw s.error
    for (const snap of s.value) {
      const expiresAt = expiryOf(snap.expires_at)
      rows.push({
        instance: s.item.name,
        project: s.item.project,
        // Incus 6.0 lists snapshots by their short name; older servers used `instance/snap`.
        snapshot: snap.name.includes('/') ? snap.name.slice(snap.name.lastIndexOf('/') + 1) : snap.name,
        createdAt: snap.created_at,
        ...(expiresAt ? { expiresAt } : {}),
        stateful: snap.stateful,
      })
    }
  }
  return rows.sort(
    (a, b) =>
      a.project.localeCompare(b.project) ||
      a.instance.localeCompare(b.instance) ||
      a.createdAt.localeCompare(b.createdAt),
  )
}

/** Creates snapshot `name` (default `snap-YYYYMMDD-HHMMSS`, UTC) of every target. */
export async function createSnapshots(
  client: IncusClient,
  targets: readonly InstanceRef[],
  opts: SnapshotOptions & { name?: string; now?: Date; stateful?: boolean; expiresAt?: string } = {},
): Promise<SnapshotOpResult[]> {
  const name = opts.name ?? defaultSnapshotName(opts.now)
  const body = {
    name,
    ...(opts.stateful ? { stateful: true } : {}),
    ...(opts.expiresAt ? { expires_at: opts.expiresAt } : {}),
  }
  return onEach(targets, name, opts, (t, call) => client.snapshots.create(t.name, body, call))
}

/** Runs one snapshot call per target with bounded concurrency; a failure is that target's alone. */
async function onEach(
  targets: readonly InstanceRef[],
  name: string,
  opts: SnapshotOptions,
  call: (t: InstanceRef, options: { project: string; signal?: AbortSignal }) => Promise<unknown>,
): Promise<SnapshotOpResult[]> {
  const settled = await mapSettled(targets, opts.concurrency ?? DEFAULT_CONCURRENCY, (t) =>
    call(t, { project: t.project, ...(opts.signal ? { signal: opts.signal } : {}) }),
  )
  return results(settled, name)
}

/**
 * Puts every target back to snapshot `name`. Incus restores a running
 * container in place (it stops it, restores the filesystem and starts it
 * again), so no stop is needed first.
 */
export async function restoreSnapshots(
  client: IncusClient,
  targets: readonly InstanceRef[],
  name: string,
  opts: SnapshotOptions = {},
): Promise<SnapshotOpResult[]> {
  return onEach(targets, name, opts, (t, call) => client.snapshots.restore(t.name, name, call))
}

export async function deleteSnapshots(
  client: IncusClient,
  targets: readonly InstanceRef[],
  name: string,
  opts: SnapshotOptions = {},
): Promise<SnapshotOpResult[]> {
  return onEach(targets, name, opts, (t, call) => client.snapshots.delete(t.name, name, call))
}

/** True when `target` is the instance this process runs in (its hostname). */
export function isSelf(target: InstanceRef, hostname: string): boolean {
  return target.name === hostname || stripPrefix(target.name) === hostname
}
