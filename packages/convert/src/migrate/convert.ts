import { basename, resolve } from 'node:path'
import { AnklumeError } from '@anklume/errors'
import { type AddressedDomain, assignAddresses } from './addressing.js'
import { convertMachine } from './convert-machine.js'
import { convertPolicy } from './convert-policy.js'
import type { PythonProject } from './read-project.js'

/** The newest AnKLuMe schema_version this converter understands. */
export const MIGRATE_KNOWN_SCHEMA_VERSION = 1

export interface MigrateOptions {
  /** project_name of the new infra (default: the directory's name). */
  projectName?: string
  /** Nesting level of the host running the migration (/etc/anklume/absolute_level, 0 when absent). */
  absoluteLevel?: number
}

export interface MigrateResult {
  /** The infra.yml content as plain data, keys in the documented order. */
  infra: Record<string, unknown>
  /** What could not be carried over, one line each. */
  warnings: string[]
}

const map = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}

function projectNameOf(dir: string): string {
  const slug = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return slug || 'anklume'
}

function schemaVersion(settings: Record<string, unknown>, file: string): number {
  const v = settings.schema_version ?? 1
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new AnklumeError(
      'ANKLUME_MIGRATE_INVALID',
      `${file}: schema_version must be a positive integer, got ${String(v)}`,
    )
  }
  if (v > MIGRATE_KNOWN_SCHEMA_VERSION) {
    throw new AnklumeError(
      'ANKLUME_SCHEMA_VERSION_UNSUPPORTED',
      `${file}: schema_version ${v} is newer than this anklume knows (${MIGRATE_KNOWN_SCHEMA_VERSION})`,
      'upgrade anklume, or check the file',
    )
  }
  return v
}

function globalSection(p: PythonProject, opts: MigrateOptions, warn: (m: string) => void) {
  const s = p.settings
  const file = `${p.dir}/anklume.yml`
  const base = String(map(s.addressing).base ?? '10.100')
  const m = /^(\d{1,3})\.(\d{1,3})$/.exec(base)
  if (m?.[1] !== '10' || Number(m[2]) > 245) {
    throw new AnklumeError(
      'ANKLUME_MIGRATE_UNSUPPORTED',
      `${file}: addressing.base "${base}" cannot be expressed: zone addressing needs "10.N" with N ≤ 245`,
      'change addressing.base to 10.N (and the machines IPs accordingly) before migrating',
    )
  }
  const zoneStep = map(s.addressing).zone_step
  if (zoneStep !== undefined && zoneStep !== 10)
    warn(`addressing.zone_step ${String(zoneStep)} was ignored by AnKLuMe; omitted`)
  const g: Record<string, unknown> = { addressing: { base_octet: 10, zone_base: Number(m[2]) } }
  const defaults = map(s.defaults)
  if (typeof defaults.os_image === 'string') g.default_os_image = defaults.os_image
  // AnKLuMe prefixed names only below the physical host (level > 0): keep the names it created here.
  const prefix = map(s.nesting).prefix !== false
  g.nesting_prefix = prefix && (opts.absoluteLevel ?? 0) > 0
  if (s.resource_policy) g.resource_policy = s.resource_policy
  if (typeof s.gpu_policy === 'string') g.gpu_policy = s.gpu_policy
  if (s.ai_access_policy === 'exclusive') {
    warn(
      'ai_access_policy: exclusive (runtime GPU switching) has no equivalent; network policies are migrated as written',
    )
  }
  if (s.network_passthrough === true) warn('network_passthrough has no equivalent; dropped')
  if (s.requires_anklume !== undefined) warn(`requires_anklume ${String(s.requires_anklume)} dropped`)
  const known = ['schema_version', 'defaults', 'addressing', 'nesting', 'resource_policy', 'gpu_policy']
  for (const key of Object.keys(s)) {
    if (![...known, 'ai_access_policy', 'network_passthrough', 'requires_anklume'].includes(key)) {
      warn(`anklume.yml: unknown key '${key}'; dropped`)
    }
  }
  return g
}

/** Converts an AnKLuMe Python-era project into infra.yml data with the same names and addresses. */
export function convertProject(p: PythonProject, opts: MigrateOptions = {}): MigrateResult {
  const warnings: string[] = []
  const warn = (m: string) => warnings.push(m)
  schemaVersion(p.settings, `${p.dir}/anklume.yml`)
  const global = globalSection(p, opts, warn)
  const defaultTrust = String(map(p.settings.defaults).trust_level ?? 'semi-trusted')
  const addressed: AddressedDomain[] = p.domains.map((d) => ({
    name: d.name,
    trustLevel: String(d.raw.trust_level ?? defaultTrust),
    enabled: d.raw.enabled !== false,
    machines: new Map(
      Object.entries(map(d.raw.machines)).map(([k, v]) => {
        const ip = map(v).ip
        return [k, typeof ip === 'string' ? ip : undefined]
      }),
    ),
  }))
  const base = (global.addressing as { zone_base: number }).zone_base
  const addresses = assignAddresses(addressed, 10, base)
  const domains: Record<string, unknown> = {}
  for (const [i, d] of p.domains.entries()) {
    const a = addressed[i]!
    const at = addresses.get(d.name)
    const out: Record<string, unknown> = {}
    if (d.raw.description !== undefined) out.description = d.raw.description
    out.trust_level = a.trustLevel
    if (at) out.subnet_id = at.seq
    if (!a.enabled) out.enabled = false
    if (d.raw.ephemeral !== undefined) out.ephemeral = d.raw.ephemeral
    const profiles = map(d.raw.profiles)
    if (Object.keys(profiles).length > 0) {
      out.profiles = Object.fromEntries(
        Object.entries(profiles).map(([name, v]) => {
          const { devices, config } = map(v)
          return [name, { ...(config ? { config } : {}), ...(devices ? { devices } : {}) }]
        }),
      )
    }
    const machines: Record<string, unknown> = {}
    for (const [short, raw] of Object.entries(map(d.raw.machines))) {
      const [name, m] = convertMachine(d.name, short, map(raw), at?.ips.get(short), warn)
      machines[name] = m
    }
    out.machines = machines
    for (const key of Object.keys(d.raw)) {
      if (!['description', 'trust_level', 'enabled', 'ephemeral', 'profiles', 'machines'].includes(key)) {
        warn(`${d.file}: unknown key '${key}'; dropped`)
      }
    }
    domains[d.name] = out
  }
  const infra: Record<string, unknown> = {
    project_name: opts.projectName ?? projectNameOf(p.dir),
    schema_version: 1,
    global,
    domains,
  }
  const policies = p.policies.map((raw, i) => convertPolicy(raw, i, warn))
  if (policies.length > 0) infra.network_policies = policies
  return { infra, warnings }
}
