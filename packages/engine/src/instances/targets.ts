/**
 * Which instances a lifecycle command acts on: one instance, every instance
 * of a domain, every anklume instance, or `self` (the instance whose
 * hostname we run in). Pure: the caller passes one all-projects listing.
 */

import { AnklumeError, type AnklumeErrorCode } from '@anklume/errors'
import { LABEL_DOMAIN, LABEL_MANAGED, LABEL_PROJECT } from '@anklume/planner'
import { stripPrefix } from '@anklume/schema'
import pMap from 'p-map'

/** An instance as the all-projects listing returns it (only what resolution reads). */
export interface InstanceRef {
  name: string
  project: string
  status?: string
  config?: Record<string, string>
}

export type TargetSpec =
  | { kind: 'instance'; name: string }
  | { kind: 'domain'; domain: string }
  | { kind: 'all' }
  | { kind: 'self' }

export interface ResolveOptions {
  /** Hostname of the machine we run on (for `self`). */
  hostname?: string
  /** Restrict `--domain`/`--all` to objects labelled with this infra's `project_name`. */
  projectName?: string
  /** domain → Incus project, from the infra file (labels are used first). */
  domainProjects?: Readonly<Record<string, string>>
}

/** Codes the CLI maps to "invalid input" (exit 2). */
export const TARGET_ERROR_CODES: ReadonlySet<AnklumeErrorCode> = new Set<AnklumeErrorCode>([
  'ANKLUME_TARGET_INVALID',
  'ANKLUME_TARGET_NOT_FOUND',
  'ANKLUME_DISP_DEFAULT_PROJECT',
])

/** `<target>` / `--domain d` / `--all` → one TargetSpec; exactly one must be given. */
export function parseTarget(
  target: string | undefined,
  flags: { domain?: string; all?: boolean },
): TargetSpec {
  const given = [target !== undefined, flags.domain !== undefined, flags.all === true].filter(Boolean).length
  if (given !== 1) {
    throw new AnklumeError(
      'ANKLUME_TARGET_INVALID',
      given === 0 ? 'no target given' : 'give only one target: <instance>, self, --domain d or --all',
      'name an instance (or `self`), or pass --domain <domain> or --all',
    )
  }
  if (flags.all) return { kind: 'all' }
  if (flags.domain !== undefined) return { kind: 'domain', domain: flags.domain }
  if (target === 'self') return { kind: 'self' }
  return { kind: 'instance', name: target as string }
}

const byName = (a: InstanceRef, b: InstanceRef) =>
  a.project.localeCompare(b.project) || a.name.localeCompare(b.name)

function ours(i: InstanceRef, projectName: string | undefined): boolean {
  if (i.config?.[LABEL_MANAGED] !== 'true') return false
  return projectName === undefined || i.config[LABEL_PROJECT] === projectName
}

/**
 * One instance by name: the exact Incus name, or the machine name with any
 * `NNN-` nesting prefix in front. Names are unique across projects in
 * anklume's world; a clash is reported rather than guessed.
 */
export function findInstance(instances: readonly InstanceRef[], name: string): InstanceRef {
  let found = instances.filter((i) => i.name === name)
  if (found.length === 0) {
    found = instances.filter((i) => stripPrefix(i.name) === name)
  }
  if (found.length === 1) return found[0] as InstanceRef
  if (found.length === 0) {
    throw new AnklumeError(
      'ANKLUME_TARGET_NOT_FOUND',
      `no instance named "${name}" in any project`,
      'see `anklume status` or `incus list --all-projects` for the names',
    )
  }
  throw new AnklumeError(
    'ANKLUME_TARGET_NOT_FOUND',
    `"${name}" matches several instances: ${found
      .sort(byName)
      .map((i) => `${i.project}/${i.name}`)
      .join(', ')}`,
    'give the full Incus instance name (with its nesting prefix)',
  )
}

/** The instances a target designates, sorted by project then name. */
export function resolveTargets(
  instances: readonly InstanceRef[],
  spec: TargetSpec,
  opts: ResolveOptions = {},
): InstanceRef[] {
  switch (spec.kind) {
    case 'instance':
      return [findInstance(instances, spec.name)]
    case 'self': {
      if (!opts.hostname) {
        throw new AnklumeError('ANKLUME_TARGET_INVALID', '`self` needs the hostname of this machine')
      }
      try {
        return [findInstance(instances, opts.hostname)]
      } catch {
        throw new AnklumeError(
          'ANKLUME_TARGET_NOT_FOUND',
          `self: this machine (hostname "${opts.hostname}") is not an instance of this Incus`,
          'run it inside an anklume instance, or name the instance',
        )
      }
    }
    case 'domain': {
      const project = opts.domainProjects?.[spec.domain]
      const found = instances.filter(
        (i) =>
          (ours(i, opts.projectName) && i.config?.[LABEL_DOMAIN] === spec.domain) ||
          (project !== undefined && i.project === project),
      )
      if (found.length === 0) {
        const known = new Set(Object.keys(opts.domainProjects ?? {}))
        for (const i of instances) {
          const d = i.config?.[LABEL_DOMAIN]
          if (d !== undefined && ours(i, opts.projectName)) known.add(d)
        }
        throw new AnklumeError(
          'ANKLUME_TARGET_NOT_FOUND',
          `domain "${spec.domain}" has no instances`,
          known.size > 0
            ? `known domains: ${[...known].sort().join(', ')}`
            : 'check the domain name (`anklume status`); domains are found by their user.anklume.domain label',
        )
      }
      return found.sort(byName)
    }
    case 'all':
      return instances.filter((i) => ours(i, opts.projectName)).sort(byName)
  }
}

export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown }

/** Runs `fn` over `items` with at most `limit` at once; results in input order, never rejects. */
export function mapSettled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<Settled<T, R>[]> {
  return pMap(
    items,
    (item): Promise<Settled<T, R>> =>
      fn(item).then(
        (value) => ({ item, ok: true, value }),
        (error: unknown) => ({ item, ok: false, error }),
      ),
    { concurrency: Math.max(1, limit) },
  )
}

/** What a state change did to one instance (pause/resume, start/stop/restart). */
export interface StateChangeResult {
  instance: string
  project: string
  /** `changed`: done now; `unchanged`: already in that state. */
  outcome: 'changed' | 'unchanged' | 'failed'
  /** Status after the call (`Running`, `Frozen`…), when known. */
  status?: string
  error?: unknown
}

/**
 * Runs a state change on every target (at most `limit` at once) and reports
 * each: its outcome and status, or `failed` with the error.
 */
export async function changeEach(
  targets: readonly InstanceRef[],
  limit: number,
  fn: (t: InstanceRef) => Promise<{ outcome: 'changed' | 'unchanged'; status: string }>,
): Promise<StateChangeResult[]> {
  const settled = await mapSettled(targets, limit, fn)
  return settled.map((s) =>
    s.ok
      ? { instance: s.item.name, project: s.item.project, ...s.value }
      : { instance: s.item.name, project: s.item.project, outcome: 'failed', error: s.error },
  )
}
