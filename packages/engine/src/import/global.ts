/** The `global` section of the imported file, once the domains are converted. */
import type { Addressing } from './addressing.js'
import type { ImportedDomain } from './domain.js'

export interface GlobalInput {
  base: string
  addressing: Addressing | undefined
  storagePool: string
  prefix: string
}

type RawMachine = Record<string, unknown> & {
  devices?: Record<string, Record<string, string>>
  profiles?: string[]
}
type RawProfile = { devices?: Record<string, Record<string, string>> }

const hasGpuDevice = (devices: Record<string, Record<string, string>> | undefined) =>
  Object.values(devices ?? {}).some((d) => d.type === 'gpu')

/** Machines with a GPU device of their own or through one of their domain profiles. */
export function gpuMachines(domains: readonly ImportedDomain[]): string[] {
  const out: string[] = []
  for (const d of domains) {
    const profiles = (d.raw.profiles ?? {}) as Record<string, RawProfile>
    for (const [name, m] of Object.entries(d.raw.machines as Record<string, RawMachine>)) {
      if (hasGpuDevice(m.devices) || (m.profiles ?? []).some((p) => hasGpuDevice(profiles[p]?.devices)))
        out.push(name)
    }
  }
  return out
}

/**
 * `isolation.network_acls: true` when every bridge carries anklume's ACL,
 * with `egress: false` when their default egress action is reject (the
 * nftables table follows the same egress). Partial or mixed: a warning.
 */
function isolationSection(
  domains: readonly ImportedDomain[],
  warn: (m: string) => void,
): Record<string, unknown> | undefined {
  const withAcl = domains.filter((d) => d.acl)
  if (withAcl.length === 0) return undefined
  if (withAcl.length < domains.length) {
    const without = domains.filter((d) => !d.acl).map((d) => d.name)
    warn(
      `domains ${withAcl.map((d) => d.name).join(', ')} carry anklume's network ACLs but ${without.join(', ')} do not: isolation.network_acls is not written; apply removes them`,
    )
    return undefined
  }
  const closed = withAcl.filter((d) => d.acl?.egress === false)
  if (closed.length > 0 && closed.length < withAcl.length)
    warn(
      `network ACLs of ${closed.map((d) => d.name).join(', ')} reject egress, the others allow it: isolation.egress is one setting; the file keeps the default (true) and apply allows it everywhere`,
    )
  return closed.length === withAcl.length ? { egress: false, network_acls: true } : { network_acls: true }
}

/**
 * base_subnet or addressing, the most common image as default_os_image
 * (removed from the machines that use it), storage_pool, nesting_prefix,
 * gpu_policy: shared when several machines hold a GPU device, and the
 * isolation settings the bridges' ACLs show.
 */
export function globalSection(
  domains: readonly ImportedDomain[],
  g: GlobalInput,
  warn: (m: string) => void,
): Record<string, unknown> {
  const counts = new Map<string, number>()
  for (const d of domains)
    for (const m of d.machines) counts.set(m.machine.image, (counts.get(m.machine.image) ?? 0) + 1)
  const defaultImage = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]
  const global: Record<string, unknown> = g.addressing
    ? { addressing: g.addressing }
    : { base_subnet: g.base }
  if (defaultImage) global.default_os_image = defaultImage
  if (g.storagePool !== 'default') global.storage_pool = g.storagePool
  if (g.prefix) global.nesting_prefix = true
  const isolation = isolationSection(domains, warn)
  if (isolation) global.isolation = isolation
  const gpus = gpuMachines(domains)
  if (gpus.length > 1) {
    global.gpu_policy = 'shared'
    warn(`machines ${gpus.join(', ')} all have a GPU device: gpu_policy: shared is written`)
  }
  for (const d of domains) {
    for (const m of Object.values(d.raw.machines as Record<string, RawMachine>)) {
      if (m.os_image === defaultImage) delete m.os_image
    }
  }
  return global
}
