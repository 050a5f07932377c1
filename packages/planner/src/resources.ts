/**
 * resource_policy (infra-format.md): split the host's CPU and memory, minus
 * a reserve, between machines by weight (proportional) or equally.
 */
import type { Infra, Machine } from '@anklume/schema'
import { allowanceCores, cpuCountOf, formatMiB, MiB, parsePercent, parseSize, round2 } from './units.js'

export interface HostResources {
  cpuCount: number
  memoryBytes: number
}

export interface CpuAllocation {
  key: 'limits.cpu' | 'limits.cpu.allowance'
  value: string
  /** CPUs this amounts to, counted toward the total. */
  cores: number
  source: 'policy' | 'explicit'
}

export interface MemoryAllocation {
  value: string
  bytes: number
  enforce: 'soft' | 'hard'
  source: 'policy' | 'explicit'
}

export interface AllocationRow {
  domain: string
  machine: string
  type: 'lxc' | 'vm'
  weight: number
  cpu: CpuAllocation | undefined
  memory: MemoryAllocation | undefined
  /** Keys the policy writes into the instance config (empty for explicit values). */
  config: Record<string, string>
}

export interface Allocation {
  rows: AllocationRow[]
  warnings: string[]
  errors: string[]
}

function reserveOf(
  value: string,
  total: number,
  parseAbs: (v: string) => number | undefined,
): number | undefined {
  const pct = parsePercent(value)
  if (pct !== undefined) return total * pct
  if (/%/.test(value)) return undefined
  return parseAbs(value)
}

function explicitCpu(m: Machine, cpuCount: number): CpuAllocation | undefined {
  const count = m.config['limits.cpu']
  if (count !== undefined) {
    return { key: 'limits.cpu', value: count, cores: cpuCountOf(count) ?? 0, source: 'explicit' }
  }
  const allowance = m.config['limits.cpu.allowance']
  if (allowance !== undefined) {
    const cores = allowanceCores(allowance, cpuCount) ?? 0
    return { key: 'limits.cpu.allowance', value: allowance, cores, source: 'explicit' }
  }
  return undefined
}

function explicitMemory(m: Machine, memoryBytes: number): MemoryAllocation | undefined {
  const v = m.config['limits.memory']
  if (v === undefined) return undefined
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v)
  const bytes = pct ? (Number(pct[1]) / 100) * memoryBytes : (parseSize(v) ?? 0)
  const enforce = m.config['limits.memory.enforce'] === 'soft' ? 'soft' : 'hard'
  return { value: v, bytes, enforce, source: 'explicit' }
}

export function allocateResources(infra: Infra, host: HostResources): Allocation {
  const warnings: string[] = []
  const errors: string[] = []
  const policy = infra.global.resourcePolicy
  const machines = infra.domains.filter((d) => d.enabled).flatMap((d) => d.machines)
  if (!policy) return { rows: [], warnings, errors }

  const cpuReserve = reserveOf(policy.hostReserve.cpu, host.cpuCount, (v) =>
    /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined,
  )
  const memReserve = reserveOf(policy.hostReserve.memory, host.memoryBytes, parseSize)
  if (cpuReserve === undefined)
    errors.push(`resource_policy.host_reserve.cpu "${policy.hostReserve.cpu}" is not N% or a number of CPUs`)
  if (memReserve === undefined)
    errors.push(`resource_policy.host_reserve.memory "${policy.hostReserve.memory}" is not N% or a size`)
  const availCpu = host.cpuCount - (cpuReserve ?? 0)
  const availMem = host.memoryBytes - (memReserve ?? 0)
  if (availCpu <= 0)
    errors.push(
      `resource_policy: the CPU reserve (${round2(cpuReserve ?? 0)}) leaves nothing of the host's ${host.cpuCount} CPUs`,
    )
  if (availMem <= 0)
    errors.push(
      `resource_policy: the memory reserve leaves nothing of the host's ${formatMiB(host.memoryBytes)}`,
    )

  const rows: AllocationRow[] = machines.map((m) => ({
    domain: m.domain,
    machine: m.name,
    type: m.type,
    weight: m.weight,
    cpu: explicitCpu(m, host.cpuCount),
    memory: explicitMemory(m, host.memoryBytes),
    config: {},
  }))
  const share = (pool: number, sharers: AllocationRow[], row: AllocationRow): number => {
    if (sharers.length === 0) return 0
    if (policy.mode === 'equal') return pool / sharers.length
    const total = sharers.reduce((s, r) => s + r.weight, 0)
    return (pool * row.weight) / total
  }

  const cpuSharers = rows.filter((r) => r.cpu === undefined)
  const cpuPool = Math.max(0, availCpu - rows.reduce((s, r) => s + (r.cpu?.cores ?? 0), 0))
  for (const r of cpuSharers) {
    const cores = share(cpuPool, cpuSharers, r)
    if (policy.cpuMode === 'allowance' && r.type === 'lxc') {
      const pct = Math.max(1, Math.floor((cores / host.cpuCount) * 100))
      r.cpu = {
        key: 'limits.cpu.allowance',
        value: `${pct}%`,
        cores: (pct / 100) * host.cpuCount,
        source: 'policy',
      }
    } else {
      const n = Math.max(1, Math.floor(cores))
      r.cpu = { key: 'limits.cpu', value: String(n), cores: n, source: 'policy' }
    }
    r.config[r.cpu.key] = r.cpu.value
  }

  const memSharers = rows.filter((r) => r.memory === undefined)
  const memPool = Math.max(0, availMem - rows.reduce((s, r) => s + (r.memory?.bytes ?? 0), 0))
  for (const r of memSharers) {
    const mib = Math.max(1, Math.floor(share(memPool, memSharers, r) / MiB))
    const enforce = r.type === 'vm' ? 'hard' : policy.memoryEnforce
    r.memory = { value: `${mib}MiB`, bytes: mib * MiB, enforce, source: 'policy' }
    r.config['limits.memory'] = r.memory.value
    if (enforce === 'soft') r.config['limits.memory.enforce'] = 'soft'
  }

  const over = policy.overcommit ? warnings : errors
  const usedCpu = rows.reduce((s, r) => s + (r.cpu?.cores ?? 0), 0)
  const usedMem = rows.reduce((s, r) => s + (r.memory?.bytes ?? 0), 0)
  if (availCpu > 0 && usedCpu > availCpu + 1e-9) {
    over.push(
      `resource_policy: machines get ${round2(usedCpu)} CPUs but only ${round2(availCpu)} are available ` +
        `(host ${host.cpuCount} minus reserve ${round2(cpuReserve ?? 0)})` +
        (policy.overcommit ? '' : '; lower explicit limits, raise the host, or set overcommit: true'),
    )
  }
  if (availMem > 0 && usedMem > availMem + 0.5) {
    over.push(
      `resource_policy: machines get ${formatMiB(usedMem)} of memory but only ${formatMiB(availMem)} is available ` +
        `(host ${formatMiB(host.memoryBytes)} minus reserve ${formatMiB(memReserve ?? 0)})` +
        (policy.overcommit ? '' : '; lower explicit limits, raise the host, or set overcommit: true'),
    )
  }
  return { rows, warnings, errors }
}
