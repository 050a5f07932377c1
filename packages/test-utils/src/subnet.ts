/**
 * The one free-subnet picker of the test suites (network safety rules):
 * a base `10.X` with X in 200–249 (never 10.255.0.0/16), used by no Incus
 * network and no IPv4 address on the host's interfaces right now (other runs'
 * bridges included), so every /24 inside it belongs to the test alone.
 */
import { randomInt } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { raw } from './incus-raw.js'

const FIRST = 200
const LAST = 249

/** `10.X` for an IPv4 address or CIDR in 10.0.0.0/8, else undefined. */
function base16(address: string | undefined): string | undefined {
  const m = /^10\.(\d{1,3})\./.exec(address ?? '')
  return m ? `10.${m[1]}` : undefined
}

/** The `10.X` bases in use on this host: Incus networks' addresses and the interfaces' addresses. */
export async function usedBaseSubnets(): Promise<Set<string>> {
  const used = new Set<string>()
  const res = await raw('GET', '/1.0/networks?recursion=1')
  const nets = Array.isArray(res.body.metadata)
    ? (res.body.metadata as { config?: Record<string, string> }[])
    : []
  for (const n of nets) used.add(base16(n.config?.['ipv4.address']) ?? '')
  for (const a of Object.values(networkInterfaces()).flat()) {
    if (a?.family === 'IPv4') used.add(base16(a.address) ?? '')
  }
  used.delete('')
  return used
}

/** A free base `10.X` (X in 200–249): use `${base}.<n>` /24s inside it. */
export async function freeBaseSubnet(): Promise<string> {
  const used = await usedBaseSubnets()
  const free = Array.from({ length: LAST - FIRST + 1 }, (_, i) => `10.${FIRST + i}`).filter(
    (b) => !used.has(b),
  )
  if (free.length === 0) throw new Error(`no free test subnet in 10.${FIRST}-10.${LAST}`)
  return free[randomInt(free.length)] as string
}
