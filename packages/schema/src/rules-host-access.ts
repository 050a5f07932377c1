/**
 * Host access rules: a machine may use a host-handing config key or device
 * (host-access.ts) only when its `host_access` list grants it, and never in an
 * untrusted or disposable domain. Items of a profile count for every machine
 * that lists the profile; a profile with such items that no machine uses is
 * refused (nothing could grant it). `security.privileged` keeps its own rule
 * (rules-machines.ts).
 */
import {
  configHostAccess,
  devicesHostAccess,
  grantError,
  grants,
  type HostAccessItem,
} from './host-access.js'
import type { IssueSink } from './issues.js'
import { isObj, type View, type ViewDomain, type ViewMachine } from './view.js'
import type { Path } from './yaml-doc.js'

const CLOSED_TRUST = new Set(['untrusted', 'disposable'])

export interface LocatedItem extends HostAccessItem {
  /** Full key path in the infra. */
  at: Path
  /** Profile it comes from, if any. */
  profile?: string
}

function itemsOf(owner: unknown, base: Path, profile?: string): LocatedItem[] {
  const o = isObj(owner) ? owner : {}
  return [...configHostAccess(o.config), ...devicesHostAccess(o.devices)].map((i) => ({
    ...i,
    at: [...base, ...i.path],
    ...(profile === undefined ? {} : { profile }),
  }))
}

/** Every host access item a machine gets: its own config and devices, then its profiles'. */
export function machineHostAccess(d: ViewDomain, m: ViewMachine): LocatedItem[] {
  const out = itemsOf(m.raw, m.path)
  for (const p of new Set(m.profiles))
    if (d.profiles.has(p)) out.push(...itemsOf(d.profiles.get(p), [...d.path, 'profiles', p], p))
  return out
}

/** The grants written in `host_access` (strings only; zod reports the rest). */
export function writtenGrants(m: ViewMachine): string[] {
  return Array.isArray(m.raw.host_access)
    ? m.raw.host_access.filter((g): g is string => typeof g === 'string')
    : []
}

function checkMachine(d: ViewDomain, m: ViewMachine, sink: IssueSink): void {
  const closed = d.trustLevel !== undefined && CLOSED_TRUST.has(d.trustLevel)
  const written = writtenGrants(m)
  const grantPath = (i: number): Path => [...m.path, 'host_access', i]
  for (const [i, g] of written.entries()) {
    const err = grantError(g)
    if (err)
      sink.error(
        'HOST_ACCESS_INVALID',
        grantPath(i),
        err,
        'a config key (raw.lxc, linux.kernel_modules…) or type:path (disk:/etc, unix-block:/dev/sdb, proxy:/run/incus/unix.socket)',
      )
  }
  if (closed && written.length > 0)
    sink.error(
      'HOST_ACCESS_UNTRUSTED',
      [...m.path, 'host_access'],
      `host_access is refused in ${d.trustLevel} domain "${d.name}"`,
      'host access is for trusted machines: move the machine to another domain',
      'key',
    )
  const used = new Set<number>()
  for (const item of machineHostAccess(d, m)) {
    const via = item.profile === undefined ? '' : ` (through profile "${item.profile}")`
    const what = item.path[0] === 'config' ? String(item.path[1]) : `device "${String(item.path[1])}"`
    if (closed) {
      sink.error(
        'HOST_ACCESS_UNTRUSTED',
        item.at,
        `${what} ${item.why}: refused for "${m.name}"${via} in ${d.trustLevel} domain "${d.name}"`,
        'host access is never allowed in untrusted and disposable domains',
      )
      continue
    }
    const k = written.findIndex((g) => grantError(g) === undefined && grants(g, item))
    if (k >= 0) {
      used.add(k)
      continue
    }
    sink.error(
      'HOST_ACCESS',
      item.at,
      `${what} ${item.why}: refused for "${m.name}"${via} unless allowed`,
      `if this machine must have it, add host_access: [${item.grant}] to "${m.name}"`,
    )
  }
  if (!closed)
    for (const [i, g] of written.entries())
      if (!used.has(i) && grantError(g) === undefined)
        sink.warn('HOST_ACCESS_UNUSED', grantPath(i), `"${g}" grants nothing "${m.name}" uses`, 'remove it')
}

/** A profile with host access items that no machine of the domain lists. */
function checkUnusedProfiles(d: ViewDomain, sink: IssueSink): void {
  const listed = new Set(d.machines.flatMap((m) => m.profiles))
  for (const [name, p] of d.profiles) {
    if (listed.has(name)) continue
    for (const item of itemsOf(p, [...d.path, 'profiles', name], name))
      sink.error(
        'HOST_ACCESS',
        item.at,
        `profile "${name}" ${item.why} and no machine uses it, so no machine can allow it`,
        `remove it, or list the profile on a machine with host_access: [${item.grant}]`,
      )
  }
}

export function checkHostAccess(view: View, sink: IssueSink): void {
  for (const d of view.domains) {
    for (const m of d.machines) checkMachine(d, m, sink)
    checkUnusedProfiles(d, sink)
  }
}
