import type { IncusClient } from '@anklume/incus-client'
import type { DesiredAcl, DesiredState, DesiredZone, ObservedState } from '@anklume/planner'
import { LABEL_MANAGED, LABEL_PROJECT } from '@anklume/planner'

/**
 * Network ACLs and zones live beside the bridges: they must exist before a
 * bridge refers to them (`security.acls`, `dns.zone.forward`) and can only go
 * once no bridge does. So apply upserts the declared ones before the plan
 * runs and deletes this infra's stale ones after. Both compare against the
 * observed lists first: a converged host gets no write.
 */

const norm = (rules: unknown[] | null | undefined) =>
  JSON.stringify(
    (rules ?? []).map((r) =>
      Object.entries(r as Record<string, unknown>)
        .filter(([, v]) => v !== '' && v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  )

const sameConfig = (a: Record<string, string> | undefined, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort())

function aclChanged(want: DesiredAcl, have: NonNullable<ObservedState['acls']>[number]): boolean {
  return (
    (have.description ?? '') !== want.description ||
    !sameConfig(have.config, want.config) ||
    norm(have.ingress) !== norm(want.ingress) ||
    norm(have.egress) !== norm(want.egress)
  )
}

function zoneChanged(want: DesiredZone, have: NonNullable<ObservedState['zones']>[number]): boolean {
  return (have.description ?? '') !== want.description || !sameConfig(have.config, want.config)
}

/** Creates or updates declared ACLs and zones. Returns the names written. */
export async function upsertAuxiliary(
  client: IncusClient,
  desired: DesiredState,
  observed: ObservedState,
  signal?: AbortSignal,
): Promise<string[]> {
  const written: string[] = []
  const acls = new Map((observed.acls ?? []).map((a) => [a.name, a]))
  for (const want of desired.acls) {
    const have = acls.get(want.name)
    const body = {
      description: want.description,
      config: want.config,
      ingress: want.ingress,
      egress: want.egress,
    }
    if (!have) await client.networkAcls.create({ name: want.name, ...body }, { signal })
    else if (aclChanged(want, have)) await client.networkAcls.update(want.name, body, { signal })
    else continue
    written.push(`acl ${want.name}`)
  }
  const zones = new Map((observed.zones ?? []).map((z) => [z.name, z]))
  for (const want of desired.zones) {
    const have = zones.get(want.name)
    const body = { description: want.description, config: want.config }
    if (!have) await client.networkZones.create({ name: want.name, ...body }, { signal })
    else if (zoneChanged(want, have)) await client.networkZones.update(want.name, body, { signal })
    else continue
    written.push(`zone ${want.name}`)
  }
  return written
}

/** Deletes this infra's ACLs and zones that are no longer declared. */
export async function deleteStaleAuxiliary(
  client: IncusClient,
  desired: DesiredState,
  observed: ObservedState,
  signal?: AbortSignal,
): Promise<string[]> {
  const ours = (c: Record<string, string> | undefined) =>
    c?.[LABEL_MANAGED] === 'true' && c?.[LABEL_PROJECT] === desired.projectName
  const keepAcls = new Set(desired.acls.map((a) => a.name))
  const keepZones = new Set(desired.zones.map((z) => z.name))
  const deleted: string[] = []
  for (const a of observed.acls ?? []) {
    if (!ours(a.config) || keepAcls.has(a.name)) continue
    await client.networkAcls.delete(a.name, { signal })
    deleted.push(`acl ${a.name}`)
  }
  for (const z of observed.zones ?? []) {
    if (!ours(z.config) || keepZones.has(z.name)) continue
    await client.networkZones.delete(z.name, { signal })
    deleted.push(`zone ${z.name}`)
  }
  return deleted
}
