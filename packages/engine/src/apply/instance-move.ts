/**
 * Moves an instance to another Incus cluster member with Incus's own
 * migration: stopped first when it runs, its custom volumes on pools local
 * to each member copied to the new member (and removed from the old one),
 * `POST /1.0/instances/<name>?target=<member>`, started again when it ran.
 * The instance keeps its name, config (static IP reservation included),
 * volumes and snapshots.
 */
import type { IncusClient } from '@anklume/incus-client'
import type { DesiredInstance } from '@anklume/planner'
import { updateWithEtag } from './etag-update.js'
import { startInstance, stopForce } from './instance-ops.js'
import type { IncusCall, OpsContext } from './ops-context.js'

const LOCAL_DRIVERS = new Set(['dir', 'btrfs', 'lvm', 'zfs'])

interface AttachedVolume {
  pool: string
  name: string
}

/** Custom volumes the instance attaches on pools local to each member. */
async function localVolumes(
  client: IncusClient,
  devices: Record<string, Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<AttachedVolume[]> {
  const out: AttachedVolume[] = []
  const drivers = new Map<string, string>()
  for (const dev of Object.values(devices)) {
    if (dev.type !== 'disk' || !dev.pool || !dev.source || dev.path === '/') continue
    let driver = drivers.get(dev.pool)
    if (driver === undefined) {
      driver = (await client.storage.pools.get(dev.pool, { signal })).driver
      drivers.set(dev.pool, driver)
    }
    if (LOCAL_DRIVERS.has(driver)) out.push({ pool: dev.pool, name: dev.source })
  }
  return out
}

/**
 * Moves a custom volume of a local pool from one member to another. Incus
 * 6.0.4 fails a copy between members inside a project other than
 * `default` ("Error transferring storage volume: websocket: close 1000"),
 * so the volume goes through the default project under a temporary name:
 * renamed into `default` on the old member, copied to the new member (the
 * way `incus storage volume move --target A --destination-target B` does),
 * the old copy deleted, renamed back into its project on the new member.
 * Each step is checked first, so an interrupted move is finished by the
 * next apply.
 */
/** The temporary name of a volume on its way between members (moveVolume). */
export const moveName = (project: string, volume: string): string =>
  `anklume-move-${project}-${volume}`.slice(0, 200)

export async function moveVolume(
  ctx: IncusCall,
  v: AttachedVolume,
  project: string | undefined,
  from: string,
  to: string,
): Promise<void> {
  const { client, signal } = ctx
  const vols = client.storage.volumes
  const own = project ?? 'default'
  const tmp = moveName(own, v.name)
  const exists = (name: string, p: string, member: string) =>
    vols.get(v.pool, name, { project: p, target: member, signal }).then(
      () => true,
      () => false,
    )
  const post = async (path: string, query: { project: string; target: string }, body: unknown) => {
    const res = await client.request('POST', `/1.0/storage-pools/${encodeURIComponent(v.pool)}${path}`, {
      ...query,
      signal,
      body,
    })
    if (res.operation) await client.wait(res.operation, { signal })
  }
  if (own === 'default') {
    // No detour needed.
    if (!(await exists(v.name, own, to))) await copyBetweenMembers(v.name, own)
    await vols.delete(v.pool, v.name, { project: own, target: from, signal }).catch(() => undefined)
    return
  }
  if (await exists(v.name, own, to)) return
  if (!(await exists(tmp, 'default', to))) {
    if (!(await exists(tmp, 'default', from))) {
      await post(
        `/volumes/custom/${encodeURIComponent(v.name)}`,
        { project: own, target: from },
        {
          name: tmp,
          project: 'default',
          pool: v.pool,
        },
      )
    }
    await copyBetweenMembers(tmp, 'default')
  }
  await vols.delete(v.pool, tmp, { project: 'default', target: from, signal }).catch(() => undefined)
  await post(
    `/volumes/custom/${encodeURIComponent(tmp)}`,
    { project: 'default', target: to },
    {
      name: v.name,
      project: own,
      pool: v.pool,
    },
  )

  async function copyBetweenMembers(name: string, p: string) {
    const old = await vols.get(v.pool, name, { project: p, target: from, signal })
    await post(
      '/volumes/custom',
      { project: p, target: to },
      {
        name,
        type: 'custom',
        description: old.description,
        config: old.config,
        content_type: old.content_type ?? 'filesystem',
        source: { type: 'copy', name, pool: v.pool, location: from },
      },
    )
  }
}

export async function moveInstance(
  ctx: OpsContext,
  d: DesiredInstance,
  from: string,
  to: string,
): Promise<void> {
  const { client, signal } = ctx
  const project = d.project
  const inst = await client.instances.get(d.name, { project, signal })
  if (inst.location === to) return
  const running = inst.status !== 'Stopped'
  if (running) await stopForce(ctx, d.name, project)
  // The instance's local volumes move with it. They are detached for the
  // trip (renaming an attached volume rewrites the instance's device, and a
  // device may not name a volume missing on the instance's member), then
  // attached again once both are on the new member.
  const volumes = await localVolumes(client, inst.devices ?? {}, signal)
  const attached = Object.entries(inst.devices ?? {}).filter(
    ([, dev]) => dev.type === 'disk' && volumes.some((v) => v.pool === dev.pool && v.name === dev.source),
  )
  const target = { kind: 'instance' as const, name: d.name, project }
  if (attached.length > 0) {
    await updateWithEtag(ctx, target, () =>
      attached.map(([key, dev]) => ({ field: 'devices' as const, key, from: dev, to: undefined })),
    )
  }
  for (const v of volumes) await moveVolume(ctx, v, project, inst.location || from, to)
  await client.instances.move(d.name, to, { project, signal })
  if (attached.length > 0) {
    await updateWithEtag(ctx, target, () =>
      attached.map(([key, dev]) => ({ field: 'devices' as const, key, to: dev })),
    )
  }
  if (running) await startInstance(ctx, d, true)
}
