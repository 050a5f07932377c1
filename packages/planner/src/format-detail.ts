/**
 * What a plan line does not say by itself: the attributes of an object to
 * create (image, type, IP, profiles, limits, volumes, placement), and the
 * line diff of a changed long or multi-line value (cloud-init user-data),
 * like `terraform plan` shows them. Pure text; the caller escapes and paints.
 */
import { diffLines } from 'diff'
import type { Action } from './plan-types.js'

type Devices = Record<string, Record<string, string>>

/** Config keys shown as `limits:` (without their `limits.` prefix). */
function limits(config: Record<string, string>): string | undefined {
  const entries = Object.entries(config)
    .filter(([k]) => k.startsWith('limits.'))
    .map(([k, v]) => `${k.slice('limits.'.length)}=${v}`)
  return entries.length > 0 ? entries.join(', ') : undefined
}

/** The IPv4 addresses given to NICs (`eth0: 10.100.1.10`; only the address when one NIC). */
function ips(devices: Devices): string | undefined {
  const nics = Object.entries(devices).filter(([, d]) => d.type === 'nic' && d['ipv4.address'])
  if (nics.length === 0) return undefined
  if (nics.length === 1) return nics[0]?.[1]['ipv4.address']
  return nics.map(([name, d]) => `${name} ${d['ipv4.address']}`).join(', ')
}

/** Custom volumes and host paths mounted in (every disk device but the root disk). */
function volumes(devices: Devices): string | undefined {
  const disks = Object.entries(devices)
    .filter(([, d]) => d.type === 'disk' && d.path !== '/')
    .map(([name, d]) => `${d.source ?? name} at ${d.path ?? '?'}${d.pool ? ` (pool ${d.pool})` : ''}`)
  return disks.length > 0 ? disks.join(', ') : undefined
}

/** Where a clustered object goes, when the desired object says so. */
function placement(desired: unknown): string | undefined {
  // The placement as declared (`node2`, `@gpu`), else the member chosen for it.
  const d = desired as { target?: unknown; placement?: unknown } | undefined
  const p = d?.placement ?? d?.target
  if (p === undefined || p === null || p === '') return undefined
  return typeof p === 'string' ? p : JSON.stringify(p)
}

/** `[name, value]` pairs shown under a `+ create` line; empty when none matter. */
export function createAttributes(a: Action): Array<[string, string]> {
  const rows: Array<[string, string | undefined]> = []
  if (a.op === 'create' && a.kind === 'instance' && a.desired) {
    const d = a.desired
    rows.push(
      ['image', d.image],
      ['type', d.type],
      ['ip', ips(d.devices)],
      ['profiles', d.profiles.length > 0 ? d.profiles.join(', ') : undefined],
      ['limits', limits(d.config)],
      ['volumes', volumes(d.devices)],
      ['placement', placement(d)],
    )
  } else if (a.op === 'create' && a.kind === 'volume' && a.desired) {
    rows.push(['pool', a.desired.pool], ['size', a.desired.config.size], ['placement', placement(a.desired)])
  } else if (a.op === 'create' && a.kind === 'network' && a.desired) {
    const c = a.desired.config
    rows.push(['address', c['ipv4.address']], ['nat', c['ipv4.nat']], ['placement', placement(a.desired)])
  } else if (a.op === 'create' && a.kind === 'profile' && a.desired) {
    rows.push(['limits', limits(a.desired.config)], ['volumes', volumes(a.desired.devices as Devices)])
  } else if (a.op === 'create' && a.kind === 'project' && a.desired) {
    rows.push(['limits', limits(a.desired.config)])
  }
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '')
}

/** Values longer than this on one line, or with a newline, are shown as a line diff. */
export const MAX_INLINE = 80

/** A string value too long or multi-line to show as `from -> to` on one line. */
export function wantsLineDiff(from: unknown, to: unknown): boolean {
  const long = (v: unknown) =>
    typeof v === 'string' && (v.includes('\n') || JSON.stringify(v).length > MAX_INLINE)
  const str = (v: unknown) => v === undefined || typeof v === 'string'
  return str(from) && str(to) && (long(from) || long(to))
}

/** Unchanged lines kept around each change; longer unchanged runs are elided. */
const CONTEXT = 2

/**
 * The line diff of two string values: `-`/`+`/` ` prefixed lines, unchanged
 * runs longer than twice the context cut to `  … N unchanged lines`.
 */
export function lineDiff(from: string | undefined, to: string | undefined): string[] {
  const parts = diffLines(from ?? '', to ?? '')
  const out: string[] = []
  const split = (v: string) => {
    const lines = v.split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    return lines
  }
  for (const [i, p] of parts.entries()) {
    const lines = split(p.value)
    if (p.added) out.push(...lines.map((l) => `+ ${l}`))
    else if (p.removed) out.push(...lines.map((l) => `- ${l}`))
    else {
      const first = i === 0
      const last = i === parts.length - 1
      const keepHead = first ? 0 : CONTEXT
      const keepTail = last ? 0 : CONTEXT
      if (lines.length <= keepHead + keepTail + 1) out.push(...lines.map((l) => `  ${l}`))
      else {
        out.push(...lines.slice(0, keepHead).map((l) => `  ${l}`))
        const hidden = lines.length - keepHead - keepTail
        out.push(`  … ${hidden} unchanged line${hidden > 1 ? 's' : ''}`)
        out.push(...lines.slice(lines.length - keepTail).map((l) => `  ${l}`))
      }
    }
  }
  return out
}
