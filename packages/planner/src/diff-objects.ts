/** Declared bridges, projects, profiles and volumes vs observed: create or update in place. */
import {
  configChanges,
  descriptionChange,
  deviceChanges,
  type ServerFilled,
  serverFilled,
} from './compare.js'
import { defaultProfileDescription } from './desired.js'
import type { DesiredNetwork, DesiredProfile, DesiredProject, DesiredVolume } from './desired-types.js'
import { addAction, type DiffContext, describeChanges, nicNetworks, noRefs } from './diff-context.js'
import { isOurs } from './labels.js'
import { pkey, vkey } from './observed-index.js'
import type { Change } from './plan-types.js'

function updateReason(changes: Change[], config: Record<string, string>, projectName: string): string {
  const what = `differs from the infra file: ${describeChanges(changes)}`
  return isOurs(config, projectName) ? what : `adopt (no anklume labels yet); ${what}`
}

export function diffNetwork(ctx: DiffContext, d: DesiredNetwork): void {
  const obs = ctx.idx.networks.get(d.name)
  const base = { kind: 'network' as const, name: d.name, domain: d.domain, desired: d }
  if (!obs) {
    addAction(ctx, { ...base, op: 'create', reason: 'declared, not in Incus' })
    return
  }
  if (obs.managed === false) {
    ctx.skipped.push({
      kind: 'network',
      name: d.name,
      domain: d.domain,
      op: 'update',
      reason:
        `a host interface named ${d.name} exists and is not an Incus managed network; ` +
        `if nothing of yours uses it (an interrupted apply leaves one), remove it ` +
        `(sudo ip link delete ${d.name}) and apply again`,
    })
    return
  }
  const changes = [
    ...descriptionChange(d.description, obs.description),
    ...configChanges(d.config, obs.config, serverFilled.network),
  ]
  if (changes.length > 0) {
    addAction(ctx, {
      ...base,
      op: 'update',
      changes,
      reason: updateReason(changes, obs.config, ctx.opts.projectName),
    })
  }
}

export function diffProject(ctx: DiffContext, d: DesiredProject): void {
  const base = { kind: 'project' as const, name: d.name, domain: d.domain, desired: d }
  diffConfigured(ctx, base, d, ctx.idx.projects.get(d.name), serverFilled.project)
}

export function diffProfile(ctx: DiffContext, d: DesiredProfile): void {
  const obs = ctx.idx.profiles.get(pkey(d.project, d.name))
  const refs = { ...noRefs(), networks: nicNetworks(d.devices) }
  const base = { kind: 'profile' as const, project: d.project, name: d.name, domain: d.domain, desired: d }
  if (!obs && d.name !== 'default') {
    addAction(ctx, { ...base, op: 'create', reason: 'declared, not in Incus' }, refs)
    return
  }
  // A new project comes with an empty default profile: fill it in place.
  const current = obs ?? { description: defaultProfileDescription(d.project), config: {}, devices: {} }
  const changes = [
    ...descriptionChange(d.description, current.description),
    ...configChanges(d.config, current.config, serverFilled.profile),
    ...deviceChanges(d.devices, current.devices),
  ]
  if (changes.length === 0) return
  const reason = obs
    ? updateReason(changes, obs.config, ctx.opts.projectName)
    : 'fill the new project default profile (root disk, eth0 on the domain bridge)'
  addAction(ctx, { ...base, op: 'update', changes, reason }, refs)
}

export function diffVolume(ctx: DiffContext, d: DesiredVolume): void {
  const base = {
    kind: 'volume' as const,
    project: d.project,
    pool: d.pool,
    name: d.name,
    domain: d.domain,
    desired: d,
  }
  diffConfigured(ctx, base, d, ctx.idx.volumes.get(vkey(d.project, d.pool, d.name)), serverFilled.volume)
}

/** Objects made of a description and a config map (projects, volumes): create, or update per key. */
function diffConfigured(
  ctx: DiffContext,
  base:
    | { kind: 'project'; name: string; domain: string; desired: DesiredProject }
    | { kind: 'volume'; project: string; pool: string; name: string; domain: string; desired: DesiredVolume },
  d: { description: string; config: Record<string, string> },
  obs: { description?: string; config: Record<string, string> } | undefined,
  filled: ServerFilled,
): void {
  if (!obs) {
    addAction(ctx, { ...base, op: 'create', reason: 'declared, not in Incus' })
    return
  }
  const changes = [
    ...descriptionChange(d.description, obs.description),
    ...configChanges(d.config, obs.config, filled),
  ]
  if (changes.length > 0) {
    addAction(ctx, {
      ...base,
      op: 'update',
      changes,
      reason: updateReason(changes, obs.config, ctx.opts.projectName),
    })
  }
}
