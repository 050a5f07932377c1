/**
 * The page's buttons: each one calls the same @anklume/engine function as
 * the CLI (setPower, setPaused, createSnapshots, restoreSnapshots), on one
 * instance, and only on an instance this infra manages (its labels and one
 * of its projects).
 */
import { createSnapshots, type InstanceRef, restoreSnapshots, setPaused, setPower } from '@anklume/engine'
import { AnklumeError } from '@anklume/errors'
import { type IncusClient, isIncusError } from '@anklume/incus-client'
import { desired as desiredState } from '@anklume/planner'
import type { Infra } from '@anklume/schema'
import { isManaged } from './state.js'

export const MACHINE_ACTIONS = ['start', 'stop', 'restart', 'pause', 'resume', 'snapshot', 'restore'] as const
export type MachineAction = (typeof MACHINE_ACTIONS)[number]

export function isMachineAction(s: string): s is MachineAction {
  return (MACHINE_ACTIONS as readonly string[]).includes(s)
}

export interface ActionRequest {
  project: string
  instance: string
  action: MachineAction
  /** Snapshot name: optional for `snapshot` (default: the CLI's timestamped name), required for `restore`. */
  snapshot?: string
}

export interface ActionResult {
  instance: string
  project: string
  action: MachineAction
  outcome: 'changed' | 'unchanged'
  /** Status after the action, or the snapshot name. */
  detail: string
}

/** Why an action was refused (the server maps it to 403 / 404 / 400). */
export class ActionRefused extends Error {
  readonly status: 400 | 403 | 404
  constructor(status: 400 | 403 | 404, message: string) {
    super(message)
    this.status = status
  }
}

/**
 * Checks that `project/instance` is an instance of this infra that anklume
 * manages; returns its reference. The terminal uses it too.
 */
export async function managedInstance(
  client: IncusClient,
  infra: Infra,
  level: number,
  project: string,
  instance: string,
): Promise<InstanceRef> {
  const projects = new Set(desiredState(infra, { level }).projects.map((p) => p.name))
  if (!projects.has(project)) {
    throw new ActionRefused(
      403,
      `project ${project} is not a domain of ${infra.projectName}: not managed by anklume`,
    )
  }
  let found: { config?: Record<string, string>; status?: string }
  try {
    found = await client.instances.get(instance, { project })
  } catch (e) {
    if (isIncusError(e, 'INCUS_NOT_FOUND')) throw new ActionRefused(404, `no instance ${project}/${instance}`)
    throw e
  }
  if (!isManaged(found.config, infra.projectName)) {
    throw new ActionRefused(
      403,
      `${project}/${instance} is not managed by anklume (no user.anklume labels of ${infra.projectName})`,
    )
  }
  return { name: instance, project, ...(found.status ? { status: found.status } : {}) }
}

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/

function failure(e: unknown): never {
  if (e instanceof AnklumeError || e instanceof Error) throw e
  throw new Error(String(e))
}

/** Runs one action on one managed instance. */
export async function runAction(
  client: IncusClient,
  infra: Infra,
  level: number,
  req: ActionRequest,
): Promise<ActionResult> {
  if (req.snapshot !== undefined && !SNAPSHOT_NAME.test(req.snapshot)) {
    throw new ActionRefused(400, `invalid snapshot name ${JSON.stringify(req.snapshot)}`)
  }
  if (req.action === 'restore' && !req.snapshot) throw new ActionRefused(400, 'restore needs a snapshot name')
  const ref = await managedInstance(client, infra, level, req.project, req.instance)
  const base = { instance: ref.name, project: ref.project, action: req.action }
  switch (req.action) {
    case 'start':
    case 'stop':
    case 'restart': {
      const [r] = await setPower(client, [ref], req.action)
      if (!r || r.outcome === 'failed') failure(r?.error)
      return { ...base, outcome: r.outcome, detail: r.status ?? '' }
    }
    case 'pause':
    case 'resume': {
      const [r] = await setPaused(client, [ref], req.action === 'pause')
      if (!r || r.outcome === 'failed') failure(r?.error)
      return { ...base, outcome: r.outcome, detail: r.status ?? '' }
    }
    case 'snapshot': {
      const [r] = await createSnapshots(client, [ref], req.snapshot ? { name: req.snapshot } : {})
      if (!r?.ok) failure(r?.error)
      return { ...base, outcome: 'changed', detail: r.snapshot }
    }
    case 'restore': {
      const [r] = await restoreSnapshots(client, [ref], req.snapshot as string)
      if (!r?.ok) failure(r?.error)
      return { ...base, outcome: 'changed', detail: r.snapshot }
    }
  }
}
