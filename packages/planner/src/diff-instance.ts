/** Declared instance vs observed: create, update (+restart), replace, rebuild or start. */
import { configChanges, descriptionChange, deviceChanges, listChange, serverFilled } from './compare.js'
import type { DesiredInstance } from './desired-types.js'
import {
  addAction,
  type DiffContext,
  describeChanges,
  nicNetworks,
  type Refs,
  volumeRefs,
} from './diff-context.js'
import { isOurs, LABEL_CONTEXT, LABEL_IMAGE } from './labels.js'
import type { ObservedInstance } from './observed.js'
import { type ObservedIndex, pkey } from './observed-index.js'
import type { Change } from './plan-types.js'

export function isProtected(i: ObservedInstance): boolean {
  return i.config['security.protection.delete'] === 'true'
}

function refsOf(d: DesiredInstance, desiredProfileNets: Map<string, string[]>): Refs {
  const networks = [...nicNetworks(d.devices)]
  for (const p of d.profiles) networks.push(...(desiredProfileNets.get(pkey(d.project, p)) ?? []))
  return { networks, volumes: volumeRefs(d.devices), profiles: [...d.profiles] }
}

/**
 * What the instance was built from, when it differs from the declared image:
 * the `user.anklume.image` label when present, else evidence from the image
 * cache (base image fingerprint, its aliases and update source). Unknown -> no drift.
 */
export function imageDrift(
  d: DesiredInstance,
  obs: ObservedInstance,
  idx: ObservedIndex,
): string | undefined {
  const label = obs.config[LABEL_IMAGE]
  if (label !== undefined) return label === d.image ? undefined : label
  const base = obs.config['volatile.base_image']
  if (base === undefined) return undefined
  if (d.source.fingerprint !== undefined) return base.startsWith(d.source.fingerprint) ? undefined : base
  const img = idx.imagesByFingerprint.get(base)
  if (!img) return undefined
  const names = (img.aliases ?? []).map((a) => a.name)
  const upstream = img.update_source?.alias
  if (names.length === 0 && upstream === undefined) return undefined
  const alias = d.source.alias ?? ''
  if (d.source.server !== undefined ? upstream === alias : names.includes(alias)) return undefined
  if (d.source.server === undefined && idx.imagesByAlias.get(alias)?.fingerprint === base) return undefined
  return upstream !== undefined ? `${upstream} (${base.slice(0, 12)})` : `${names[0]} (${base.slice(0, 12)})`
}

function replace(
  ctx: DiffContext,
  d: DesiredInstance,
  obs: ObservedInstance,
  change: Change,
  why: string,
  refs: Refs,
) {
  const base = { kind: 'instance' as const, project: d.project, name: d.name, domain: d.domain }
  if (!isOurs(obs.config, ctx.opts.projectName)) {
    ctx.skipped.push({
      ...base,
      op: 'replace',
      reason: `${why}, but the instance has no anklume labels: replace refused`,
    })
    return
  }
  if (isProtected(obs) && !ctx.opts.force) {
    ctx.skipped.push({
      ...base,
      op: 'replace',
      reason: `${why}; protected (ephemeral: false): needs --force`,
    })
    return
  }
  addAction(
    ctx,
    {
      ...base,
      op: 'replace',
      changes: [change],
      desired: d,
      reason: `${why}: delete and create`,
      protected: isProtected(obs),
    },
    refs,
  )
}

export function diffInstance(ctx: DiffContext, d: DesiredInstance, profileNets: Map<string, string[]>): void {
  const refs = refsOf(d, profileNets)
  const base = { kind: 'instance' as const, project: d.project, name: d.name, domain: d.domain }
  const obs = ctx.idx.instances.get(pkey(d.project, d.name))
  const offline = ctx.idx.offlineMembers
  if (obs && (obs.unreachable || (obs.location !== undefined && offline.has(obs.location)))) {
    ctx.skipped.push({
      ...base,
      op: 'update',
      reason: `cluster member ${obs.location || '(unknown)'} is offline: instance not read, left alone`,
    })
    return
  }
  if (!obs && d.target !== undefined && offline.has(d.target)) {
    ctx.skipped.push({
      ...base,
      op: 'create',
      reason: `placed on cluster member ${d.target}, which is offline: created once it is back`,
    })
    return
  }
  if (!obs) {
    const moved = ctx.idx.oursByName.get(d.name)?.find((i) => i.project !== d.project)
    if (moved) {
      const change = { field: 'project' as const, from: moved.project, to: d.project }
      replace(ctx, d, moved, change, `domain changed (project ${moved.project} -> ${d.project})`, refs)
      return
    }
    addAction(
      ctx,
      { ...base, op: 'create', desired: d, reason: 'declared, not in Incus', protected: d.protected },
      refs,
    )
    return
  }
  if (obs.type !== d.type) {
    const change = { field: 'type' as const, from: obs.type, to: d.type }
    replace(ctx, d, obs, change, `type changed (${obs.type} -> ${d.type})`, refs)
    return
  }
  if (
    d.allowedMembers !== undefined &&
    d.target !== undefined &&
    obs.location !== undefined &&
    obs.location !== '' &&
    !d.allowedMembers.includes(obs.location)
  ) {
    const move = { field: 'location' as const, from: obs.location, to: d.target }
    if (offline.has(d.target)) {
      ctx.skipped.push({
        ...base,
        op: 'move',
        reason: `placement ${d.placement}: cluster member ${d.target} is offline`,
      })
    } else {
      addAction(
        ctx,
        {
          ...base,
          op: 'move',
          changes: [move],
          desired: d,
          reason: `placement ${d.placement}: on ${obs.location}, moves to ${d.target} (Incus migration; stopped, moved with its volumes, started again)`,
          protected: isProtected(obs),
        },
        refs,
      )
    }
  }
  const changes = [
    ...descriptionChange(d.description, obs.description),
    ...listChange('profiles', d.profiles, obs.profiles),
    ...configChanges(d.config, obs.config, serverFilled.instance, LABEL_IMAGE),
    ...deviceChanges(d.devices, obs.devices),
  ]
  const drift = imageDrift(d, obs, ctx.idx)
  let last: string | undefined
  let rebuilt = false
  if (drift !== undefined) {
    if (!ctx.opts.rebuild) {
      ctx.skipped.push({
        ...base,
        op: 'rebuild',
        reason: `os_image changed (${drift} -> ${d.image}): apply --rebuild to rebuild it`,
      })
    } else if (!isOurs(obs.config, ctx.opts.projectName)) {
      ctx.skipped.push({
        ...base,
        op: 'rebuild',
        reason: `os_image changed, but the instance has no anklume labels: rebuild refused`,
      })
    } else {
      const rebuild: Change[] = [{ field: 'source', from: drift, to: d.source }]
      const reason = `os_image changed (${drift} -> ${d.image})`
      rebuilt = true
      last = addAction(
        ctx,
        { ...base, op: 'rebuild', changes: rebuild, desired: d, reason, protected: isProtected(obs) },
        refs,
      ).id
      // A rebuild keeps the config: the label follows in the update, which runs after it.
      changes.push({ field: 'config', key: LABEL_IMAGE, from: obs.config[LABEL_IMAGE], to: d.image })
    }
  } else if (obs.config[LABEL_IMAGE] === undefined) {
    changes.push({ field: 'config', key: LABEL_IMAGE, to: d.image })
  }
  if (changes.length > 0) {
    const running = obs.status === 'Running'
    const devs = changes.filter((c) => c.field === 'devices').map((c) => c.key)
    const restart = running && devs.length > 0
    const why = isOurs(obs.config, ctx.opts.projectName)
      ? 'differs from the infra file'
      : 'adopt (no anklume labels yet)'
    const reason = `${why}: ${describeChanges(changes)}${restart ? `; devices changed (${devs.join(', ')}): restart to take effect` : ''}`
    last = addAction(ctx, { ...base, op: 'update', changes, desired: d, reason, restart }, refs).id
  }
  // A rebuilt instance is left running by the executor. A running one whose
  // context files could not be pushed gets a start too: it pushes them.
  const contextPending = obs.config[LABEL_CONTEXT] !== undefined
  if ((obs.status === 'Stopped' || contextPending) && !rebuilt) {
    const reason =
      obs.status !== 'Stopped'
        ? `context files not pushed yet (${LABEL_CONTEXT}=${obs.config[LABEL_CONTEXT]}): push them`
        : last
          ? 'stopped; start after the change'
          : 'declared, stopped'
    addAction(ctx, { ...base, op: 'start', desired: d, reason }, refs)
  }
}
