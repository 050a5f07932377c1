/**
 * `anklume disp`: a disposable instance created with Incus's native
 * `ephemeral` flag (Incus deletes it when it stops), a command run in it
 * through the exec API, then stopped so it is gone.
 */
import { randomBytes } from 'node:crypto'
import { AnklumeError, isAnklumeError } from '@anklume/errors'
import type { ExecResult, IncusClient } from '@anklume/incus-client'
import { LABEL_DOMAIN, LABEL_MANAGED, LABEL_PROJECT, parseImage } from '@anklume/planner'

export const DEFAULT_DISP_IMAGE = 'images:debian/13'
/** Marks instances made by `anklume disp`. */
export const LABEL_DISPOSABLE = 'user.anklume.disposable'

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** `disp-YYYYMMDD-HHMMSS-xxxx` (UTC, plus 4 random hex digits so two runs in one second differ). */
export function dispName(now: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const d = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
  const t = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`
  return `disp-${d}-${t}-${suffix}`
}

/** The Incus project of a domain: the project labelled with it, else the infra file's mapping. */
export function domainProject(
  projects: ReadonlyArray<{ name: string; config?: Record<string, string> }>,
  domain: string,
  opts: { projectName?: string; fromInfra?: string } = {},
): string {
  const labelled = projects.filter(
    (p) =>
      p.config?.[LABEL_MANAGED] === 'true' &&
      p.config[LABEL_DOMAIN] === domain &&
      (opts.projectName === undefined || p.config[LABEL_PROJECT] === opts.projectName),
  )
  if (labelled.length === 1) return (labelled[0] as { name: string }).name
  if (opts.fromInfra !== undefined && projects.some((p) => p.name === opts.fromInfra)) return opts.fromInfra
  throw new AnklumeError(
    'ANKLUME_TARGET_NOT_FOUND',
    labelled.length > 1
      ? `domain "${domain}" is labelled on several projects: ${labelled.map((p) => p.name).join(', ')}`
      : `no Incus project for domain "${domain}"`,
    labelled.length > 1
      ? 'pass -f infra.yml to pick the infra'
      : 'run `anklume apply` first, or check the name',
  )
}

/** The `default` project has no anklume isolation: refused unless forced. */
export function checkDispProject(project: string, force: boolean): void {
  if (project === 'default' && !force) {
    throw new AnklumeError(
      'ANKLUME_DISP_DEFAULT_PROJECT',
      'refusing to start a disposable instance in the "default" project (outside any domain)',
      'pass --domain <domain>, or --force to use the default project anyway',
    )
  }
}

export interface DispOptions {
  image: string
  project: string
  /** Instance name (default dispName()). */
  name?: string
  signal?: AbortSignal
}

export interface DispInstance {
  name: string
  project: string
}

/** Creates and starts the ephemeral instance (root disk and nic from the project's default profile). */
export async function startDisposable(client: IncusClient, opts: DispOptions): Promise<DispInstance> {
  const name = opts.name ?? dispName()
  await client.instances.create(
    {
      name,
      source: parseImage(opts.image).source,
      ephemeral: true,
      start: true,
      profiles: ['default'],
      config: { [LABEL_MANAGED]: 'true', [LABEL_DISPOSABLE]: 'true' },
    },
    { project: opts.project, signal: opts.signal },
  )
  return { name, project: opts.project }
}

/**
 * Stops the instance (forced); Incus then deletes it because it is
 * ephemeral. Waits until it is gone (true) or `timeoutMs` runs out (false).
 */
export async function stopDisposable(
  client: IncusClient,
  inst: DispInstance,
  timeoutMs = 15_000,
): Promise<boolean> {
  const opts = { project: inst.project }
  try {
    await client.instances.setState(inst.name, { action: 'stop', force: true }, opts)
  } catch (err) {
    if (!isAnklumeError(err, 'INCUS_NOT_FOUND')) throw err
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      await client.instances.get(inst.name, opts)
    } catch (err) {
      if (isAnklumeError(err, 'INCUS_NOT_FOUND')) return true
      throw err
    }
    if (Date.now() >= deadline) return false
    await new Promise((r) => setTimeout(r, 200))
  }
}

export interface DispRunResult extends DispInstance {
  result: ExecResult
  /** The instance no longer exists after the stop. */
  gone: boolean
}

/** Start, run `command` (output recorded), stop: always stops, even when the command fails to run. */
export async function runDisposable(
  client: IncusClient,
  command: string[],
  opts: DispOptions & { env?: Record<string, string>; cwd?: string; timeoutSec?: number },
): Promise<DispRunResult> {
  const inst = await startDisposable(client, opts)
  let result: ExecResult
  try {
    result = await client.exec(inst.name, command, {
      project: inst.project,
      env: opts.env,
      cwd: opts.cwd,
      timeoutSec: opts.timeoutSec,
      signal: opts.signal,
    })
  } catch (err) {
    await stopDisposable(client, inst).catch(() => false)
    throw err
  }
  return { ...inst, result, gone: await stopDisposable(client, inst) }
}
