/**
 * Saved plans (`anklume plan -o plan.json`, then `anklume apply plan.json`):
 * apply exactly what was reviewed, or nothing. The file records the plan, a
 * hash of each infra source file, and a fingerprint of the part of Incus the
 * plan was made from (this infra's projects and everything in them, its
 * bridges, ACLs, zones and images). At apply time the infra files are hashed
 * again and Incus observed again: any difference, or a plan that would now
 * come out differently, refuses the apply (`ANKLUME_PLAN_STALE`).
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { AnklumeError } from '@anklume/errors'
import type { Plan } from '@anklume/planner'
import type { InfraPlan, PlanInfraOptions } from './apply.js'

export const PLAN_FILE_FORMAT = 'anklume-plan'
export const PLAN_FILE_VERSION = 1

/** The plan options a saved plan is made and applied with. */
export type SavedPlanOptions = Pick<
  PlanInfraOptions,
  'prune' | 'force' | 'rebuild' | 'domains' | 'hostIsolation'
> & {
  yolo?: boolean
}

export interface SavedPlan {
  format: typeof PLAN_FILE_FORMAT
  format_version: typeof PLAN_FILE_VERSION
  anklume_version: string
  created_at: string
  /** The Incus the plan was made against (`unix:/var/lib/incus/unix.socket`, `https://host:8443`). */
  target: string
  infra: {
    /** The infra file or directory as given (absolute), loaded again at apply time. */
    file: string | null
    /** Every file read, with the SHA-256 of its content. */
    sources: Array<{ path: string; sha256: string }>
  }
  options: SavedPlanOptions
  /** SHA-256 of the observed part of Incus the plan was made from. */
  observed_sha256: string
  plan: Plan
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

/** Each source file with the hash of its content. */
export async function hashSources(paths: readonly string[]): Promise<SavedPlan['infra']['sources']> {
  return Promise.all(paths.map(async (path) => ({ path, sha256: sha256(await readFile(path)) })))
}

/** Keys that change without anyone changing the object (runtime facts), left out of the fingerprint. */
const RUNTIME_KEYS = new Set(['used_by', 'last_used_at', 'state', 'snapshots'])

/** JSON with sorted keys and without runtime keys (`volatile.*`, `used_by`…): equal state, equal text. */
export function canonicalJson(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (v === null || typeof v !== 'object') return v
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(v as object).sort()) {
      if (RUNTIME_KEYS.has(key) || key.startsWith('volatile.')) continue
      out[key] = walk((v as Record<string, unknown>)[key])
    }
    return out
  }
  return JSON.stringify(walk(value))
}

const byRef = <T extends { name?: string; project?: string; fingerprint?: string }>(xs: readonly T[]) =>
  [...xs].sort((a, b) => {
    const ka = `${a.project ?? ''}/${a.name ?? a.fingerprint ?? ''}`
    const kb = `${b.project ?? ''}/${b.name ?? b.fingerprint ?? ''}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })

/**
 * The part of Incus this infra's plan depends on: its projects (declared or
 * labelled with its project_name) and the profiles, instances and volumes in
 * them, its bridges, network ACLs and zones, and the images its instances
 * use. Objects of other infras and other users are left out, so their
 * changes never make a saved plan stale. On a cluster, the members and their
 * status and groups too: placement is computed from them, and a member that
 * went down (or came back) since the plan changes what apply may touch.
 */
export function observedFingerprint(planned: InfraPlan): string {
  const { desired, observed } = planned
  const ours = (c: Record<string, string> | undefined) => c?.['user.anklume.project'] === desired.projectName
  const projects = new Set(desired.projects.map((p) => p.name))
  for (const p of observed.projects) if (ours(p.config)) projects.add(p.name)
  const networks = new Set(desired.networks.map((n) => n.name))
  const beside = new Set([...desired.acls.map((a) => a.name), ...desired.zones.map((z) => z.name)])
  const images = new Set(desired.instances.map((i) => i.source.alias).filter((a) => a !== undefined))
  const scoped = {
    projects: byRef(observed.projects.filter((p) => projects.has(p.name))),
    networks: byRef(observed.networks.filter((n) => networks.has(n.name) || ours(n.config))),
    profiles: byRef(observed.profiles.filter((p) => projects.has(p.project))),
    instances: byRef(observed.instances.filter((i) => projects.has(i.project) || ours(i.config))),
    volumes: Object.fromEntries(
      Object.entries(observed.volumes).map(([pool, vs]) => [
        pool,
        byRef(vs.filter((v) => projects.has(v.project))),
      ]),
    ),
    images: byRef(observed.images.filter((im) => im.aliases?.some((a) => images.has(a.name)))),
    acls: byRef((observed.acls ?? []).filter((a) => beside.has(a.name) || ours(a.config))),
    zones: byRef((observed.zones ?? []).filter((z) => beside.has(z.name) || ours(z.config))),
    ...(observed.cluster
      ? {
          members: byRef(observed.cluster.members).map((m) => ({
            name: m.name,
            status: m.status,
            groups: [...m.groups].sort(),
          })),
        }
      : {}),
  }
  return sha256(canonicalJson(scoped))
}

/** The saved plan of a fresh `planInfra` result. */
export async function savedPlan(
  planned: InfraPlan,
  opts: {
    target: string
    file: string | null
    sources: readonly string[]
    options: SavedPlanOptions
    version: string
    createdAt: string
  },
): Promise<SavedPlan> {
  return {
    format: PLAN_FILE_FORMAT,
    format_version: PLAN_FILE_VERSION,
    anklume_version: opts.version,
    created_at: opts.createdAt,
    target: opts.target,
    infra: { file: opts.file, sources: await hashSources(opts.sources) },
    options: opts.options,
    observed_sha256: observedFingerprint(planned),
    plan: planned.plan,
  }
}

/** Reads a saved plan's text; anything else is `ANKLUME_PLAN_FILE_INVALID`. */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  let data: Partial<SavedPlan> | undefined
  try {
    data = JSON.parse(text) as Partial<SavedPlan>
  } catch {
    data = undefined
  }
  if (
    data?.format !== PLAN_FILE_FORMAT ||
    !data.plan ||
    !data.infra ||
    typeof data.observed_sha256 !== 'string'
  )
    throw new AnklumeError('ANKLUME_PLAN_FILE_INVALID', `${file} is not a saved anklume plan`, {
      hint: 'make one with `anklume plan -o plan.json`',
    })
  if (data.format_version !== PLAN_FILE_VERSION)
    throw new AnklumeError(
      'ANKLUME_PLAN_FILE_INVALID',
      `${file} is a saved plan of format ${String(data.format_version)}; this anklume reads format ${PLAN_FILE_VERSION}`,
      { hint: 'plan again with this anklume: `anklume plan -o plan.json`' },
    )
  return data as SavedPlan
}

const STALE_HINT = 'nothing was applied: run `anklume plan -o <file>` again, review it, then apply that file'

/** Refuses when the infra files changed since the plan (before connecting to Incus). */
export async function checkSavedSources(saved: SavedPlan): Promise<void> {
  for (const s of saved.infra.sources) {
    const now = await readFile(s.path).then(sha256, () => undefined)
    if (now !== s.sha256)
      throw new AnklumeError(
        'ANKLUME_PLAN_STALE',
        now === undefined
          ? `the plan is stale: ${s.path} is gone since the plan was made`
          : `the plan is stale: ${s.path} changed since the plan was made`,
        { hint: STALE_HINT },
      )
  }
}

/** Refuses when Incus (or the target, or the plan it gives now) differs from when the plan was made. */
export function checkSavedPlan(saved: SavedPlan, planned: InfraPlan, target: string): void {
  const stale = (why: string) =>
    new AnklumeError('ANKLUME_PLAN_STALE', `the plan is stale: ${why}`, { hint: STALE_HINT })
  if (target !== saved.target) throw stale(`it was made against ${saved.target}, not ${target}`)
  if (observedFingerprint(planned) !== saved.observed_sha256)
    throw stale(
      'Incus changed since the plan was made (objects of this infra were created, changed or deleted)',
    )
  if (canonicalJson(planned.plan.actions) !== canonicalJson(saved.plan.actions))
    throw stale('planning again gives other actions (was the plan made by another version of anklume?)')
}
