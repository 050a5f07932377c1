/** Size and CPU value parsing shared by resource allocation. Pure, no I/O. */

export const MiB = 1024 * 1024

const UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  PB: 1e15,
  EB: 1e18,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  PiB: 1024 ** 5,
  EiB: 1024 ** 6,
  // Bare letters are read as binary units, as `free -g` does.
  K: 1024,
  k: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
}

/**
 * Bytes of an Incus-style size (`512MiB`, `2GB`, `1073741824`, `4G`), or
 * undefined when it cannot be read. Decimal units (kB, MB, GB) are powers of
 * 1000, binary ones (KiB, MiB, GiB) powers of 1024, as Incus reads them.
 */
export function parseSize(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(value)
  if (!m) return undefined
  const factor = UNITS[m[2] ?? '']
  if (factor === undefined) return undefined
  return Number(m[1]) * factor
}

/** `"20%"` -> 0.2; anything else undefined. Only 1–99 % is valid here. */
export function parsePercent(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value)
  if (!m) return undefined
  const n = Number(m[1])
  return n >= 1 && n <= 99 ? n / 100 : undefined
}

/**
 * Number of CPUs a `limits.cpu` value gives: `"4"` -> 4, `"0-3,6"` -> 5
 * (a range pins those CPUs), undefined when unreadable.
 */
export function cpuCountOf(value: string): number | undefined {
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v)
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v)) return undefined
  const cpus = new Set<number>()
  for (const part of v.split(',')) {
    const [a, b] = part.split('-').map(Number)
    if (a === undefined) continue
    for (let i = a; i <= (b ?? a); i++) cpus.add(i)
  }
  return cpus.size
}

/**
 * CPUs a `limits.cpu.allowance` value amounts to on a host of `cpuCount`
 * CPUs: `"50%"` -> half the host, `"25ms/100ms"` -> 0.25.
 */
export function allowanceCores(value: string, cpuCount: number): number | undefined {
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value)
  if (pct) return (Number(pct[1]) / 100) * cpuCount
  const slice = /^\s*(\d+)ms\s*\/\s*(\d+)ms\s*$/.exec(value)
  if (slice && Number(slice[2]) > 0) return Number(slice[1]) / Number(slice[2])
  return undefined
}

/** Rounds for messages: 2 decimals, no trailing zeros. */
export function round2(n: number): string {
  return String(Math.round(n * 100) / 100)
}

export function formatMiB(bytes: number): string {
  return `${Math.round(bytes / MiB)}MiB`
}
