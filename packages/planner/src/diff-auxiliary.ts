/**
 * Network ACLs and zones live beside the bridges: the declared ones are
 * created or updated before a bridge refers to them (`security.acls`,
 * `dns.zone.forward`), and this infra's stale ones are deleted once no bridge
 * does. A converged host plans nothing: each is compared with what Incus holds.
 */
import type { DesiredAcl, DesiredZone } from './auxiliary.js'
import type { Config, DesiredState } from './desired-types.js'
import { addAction, type DiffContext } from './diff-context.js'
import { LABEL_MANAGED, LABEL_PROJECT } from './labels.js'
import type { ObservedAcl, ObservedState, ObservedZone } from './observed.js'

/** Rule fields that hold comma-separated lists (addresses, ports): their order means nothing. */
const LIST_FIELDS = new Set(['source', 'destination', 'source_port', 'destination_port'])

const listOf = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .sort()
    .join(',')

/**
 * Rules compared as Incus filters them: without the empty fields it fills
 * in, key order, the order of the rules (Incus orders them by action itself:
 * "the order of the rules in the list is not important", network ACL docs)
 * and the order inside address and port lists. Otherwise an infra whose
 * domains are listed in another order (an imported file) would plan ACL
 * updates that change nothing.
 */
const norm = (rules: unknown[] | null | undefined): string =>
  JSON.stringify(
    (rules ?? [])
      .map((r) =>
        JSON.stringify(
          Object.entries(r as Record<string, unknown>)
            .filter(([, v]) => v !== '' && v !== undefined)
            .map(([k, v]) => [k, LIST_FIELDS.has(k) && typeof v === 'string' ? listOf(v) : v])
            .sort(([a], [b]) => String(a).localeCompare(String(b))),
        ),
      )
      .sort(),
  )

const sameConfig = (a: Config | undefined, b: Config) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort())

function aclChanged(want: DesiredAcl, have: ObservedAcl): boolean {
  return (
    (have.description ?? '') !== want.description ||
    !sameConfig(have.config, want.config) ||
    norm(have.ingress) !== norm(want.ingress) ||
    norm(have.egress) !== norm(want.egress)
  )
}

function zoneChanged(want: DesiredZone, have: ObservedZone): boolean {
  return (have.description ?? '') !== want.description || !sameConfig(have.config, want.config)
}

/** Plans the ACL and zone creates, updates and (this infra's stale ones) deletes. */
export function diffAuxiliary(ctx: DiffContext, desired: DesiredState, observed: ObservedState): void {
  const acls = new Map((observed.acls ?? []).map((a) => [a.name, a]))
  for (const want of desired.acls) {
    const have = acls.get(want.name)
    if (!have)
      addAction(ctx, { op: 'create', kind: 'acl', name: want.name, reason: 'declared', desired: want })
    else if (aclChanged(want, have))
      addAction(ctx, { op: 'update', kind: 'acl', name: want.name, reason: 'rules differ', desired: want })
  }
  const zones = new Map((observed.zones ?? []).map((z) => [z.name, z]))
  for (const want of desired.zones) {
    const have = zones.get(want.name)
    const domain = want.domain
    if (!have)
      addAction(ctx, {
        op: 'create',
        kind: 'zone',
        name: want.name,
        domain,
        reason: 'declared',
        desired: want,
      })
    else if (zoneChanged(want, have))
      addAction(ctx, {
        op: 'update',
        kind: 'zone',
        name: want.name,
        domain,
        reason: 'differs',
        desired: want,
      })
  }
  const ours = (c: Config | undefined) =>
    c?.[LABEL_MANAGED] === 'true' && c?.[LABEL_PROJECT] === desired.projectName
  const stale = 'labelled for this infra, no longer declared'
  const keepAcls = new Set(desired.acls.map((a) => a.name))
  for (const a of observed.acls ?? []) {
    if (ours(a.config) && !keepAcls.has(a.name))
      addAction(ctx, { op: 'delete', kind: 'acl', name: a.name, reason: stale })
  }
  const keepZones = new Set(desired.zones.map((z) => z.name))
  for (const z of observed.zones ?? []) {
    if (ours(z.config) && !keepZones.has(z.name))
      addAction(ctx, { op: 'delete', kind: 'zone', name: z.name, reason: stale })
  }
}
