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

/** One pending change of a network ACL or zone, for `plan` and for apply. */
export interface AuxChange {
  op: 'create' | 'update' | 'delete'
  kind: 'acl' | 'zone'
  name: string
}

/** What apply will do to network ACLs and zones: declared ones created/updated, this infra's stale ones deleted. */
export function auxiliaryChanges(desired: DesiredState, observed: ObservedState): AuxChange[] {
  const out: AuxChange[] = []
  const acls = new Map((observed.acls ?? []).map((a) => [a.name, a]))
  for (const want of desired.acls) {
    const have = acls.get(want.name)
    if (!have) out.push({ op: 'create', kind: 'acl', name: want.name })
    else if (aclChanged(want, have)) out.push({ op: 'update', kind: 'acl', name: want.name })
  }
  const zones = new Map((observed.zones ?? []).map((z) => [z.name, z]))
  for (const want of desired.zones) {
    const have = zones.get(want.name)
    if (!have) out.push({ op: 'create', kind: 'zone', name: want.name })
    else if (zoneChanged(want, have)) out.push({ op: 'update', kind: 'zone', name: want.name })
  }
  const ours = (c: Record<string, string> | undefined) =>
    c?.[LABEL_MANAGED] === 'true' && c?.[LABEL_PROJECT] === desired.projectName
  const keepAcls = new Set(desired.acls.map((a) => a.name))
  const keepZones = new Set(desired.zones.map((z) => z.name))
  for (const a of observed.acls ?? []) {
    if (ours(a.config) && !keepAcls.has(a.name)) out.push({ op: 'delete', kind: 'acl', name: a.name })
  }
  for (const z of observed.zones ?? []) {
    if (ours(z.config) && !keepZones.has(z.name)) out.push({ op: 'delete', kind: 'zone', name: z.name })
  }
  return out
}

export function formatAuxChange(c: AuxChange): string {
  const sign = { create: '+', update: '~', delete: '-' }[c.op]
  return `${sign} ${c.op} ${c.kind === 'acl' ? 'network-acl' : 'network-zone'} ${c.name}`
}

/** Creates or updates the declared ACLs and zones that differ. Returns what was written. */
export async function upsertAuxiliary(
  client: IncusClient,
  desired: DesiredState,
  observed: ObservedState,
  signal?: AbortSignal,
): Promise<string[]> {
  const written: string[] = []
  for (const c of auxiliaryChanges(desired, observed)) {
    if (c.op === 'delete') continue
    if (c.kind === 'acl') {
      const want = desired.acls.find((a) => a.name === c.name) as DesiredAcl
      const body = {
        description: want.description,
        config: want.config,
        ingress: want.ingress,
        egress: want.egress,
      }
      if (c.op === 'create') await client.networkAcls.create({ name: want.name, ...body }, { signal })
      else await client.networkAcls.update(want.name, body, { signal })
    } else {
      const want = desired.zones.find((z) => z.name === c.name) as DesiredZone
      const body = { description: want.description, config: want.config }
      if (c.op === 'create') await client.networkZones.create({ name: want.name, ...body }, { signal })
      else await client.networkZones.update(want.name, body, { signal })
    }
    written.push(`${c.kind} ${c.name}`)
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
  const deleted: string[] = []
  for (const c of auxiliaryChanges(desired, observed)) {
    if (c.op !== 'delete') continue
    if (c.kind === 'acl') await client.networkAcls.delete(c.name, { signal })
    else await client.networkZones.delete(c.name, { signal })
    deleted.push(`${c.kind} ${c.name}`)
  }
  return deleted
}
