/** fast-check arbitraries: random valid infras built from the format, and single mutations. */
import fc from 'fast-check'
import type { AnyObj } from './helpers.js'

const NAME = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/).filter((n) => n !== 'host' && n !== 'default')
const CRONS = ['0 3 * * *', '*/15 * * * *', '30 2 1 * mon', '@daily']
const EXPIRIES = ['30d', '24h', '60m', '2w']

/** A valid infra (base_subnet or addressing mode), as plain data. */
export const validInfra: fc.Arbitrary<AnyObj> = fc.gen().map((g) => {
  const addressing = g(fc.boolean)
  const names = g(() => fc.uniqueArray(NAME, { maxLength: 12 }))
  const nDomains = Math.min(
    names.length,
    g(() => fc.integer({ min: 0, max: 4 })),
  )
  const domainNames = names.slice(0, nDomains)
  const ids = g(() =>
    fc.uniqueArray(fc.integer({ min: 0, max: 254 }), { minLength: nDomains, maxLength: nDomains }),
  )
  const domains: AnyObj = {}
  const targets: string[] = ['host', ...domainNames]
  for (const [i, d] of domainNames.entries()) {
    const profileNames = Array.from({ length: g(() => fc.integer({ min: 0, max: 2 })) }, (_, j) => `p${j}`)
    const dom: AnyObj = { machines: {} }
    if (!addressing || g(fc.boolean)) dom.subnet_id = ids[i]
    if (g(fc.boolean)) dom.description = `domain ${d}`
    if (g(fc.boolean))
      dom.trust_level = g(() =>
        fc.constantFrom('admin', 'trusted', 'semi-trusted', 'untrusted', 'disposable'),
      )
    if (g(fc.boolean)) dom.ephemeral = g(fc.boolean)
    if (g(fc.boolean)) dom.enabled = g(fc.boolean)
    if (g(fc.boolean)) dom.nat = g(fc.boolean)
    if (profileNames.length) {
      dom.profiles = Object.fromEntries(
        profileNames.map((p) => [p, { config: { 'limits.cpu': g(() => fc.integer({ min: 1, max: 8 })) } }]),
      )
    }
    domains[d] = dom
  }
  const hosts = new Map<string, Set<number>>()
  for (const m of names.slice(nDomains)) {
    if (!nDomains) break
    const d = domainNames[g(() => fc.integer({ min: 0, max: nDomains - 1 }))] as string
    const dom = domains[d]
    const machine: AnyObj = {}
    if (g(fc.boolean)) machine.type = g(() => fc.constantFrom('lxc', 'vm'))
    if (!addressing && g(fc.boolean)) {
      const used = hosts.get(d) ?? new Set<number>()
      const host = g(() => fc.integer({ min: 1, max: 99 }).filter((h) => !used.has(h)))
      used.add(host)
      hosts.set(d, used)
      machine.ip = `10.100.${dom.subnet_id}.${host}`
    }
    if (addressing || machine.ip) targets.push(m)
    if (g(fc.boolean)) machine.ephemeral = g(fc.boolean)
    const profiles = Object.keys(dom.profiles ?? {})
    if (g(fc.boolean)) machine.profiles = ['default', ...g(() => fc.subarray(profiles))]
    if (g(fc.boolean)) machine.config = { 'security.nesting': g(fc.boolean), 'limits.memory': '1GiB' }
    if (g(fc.boolean)) machine.snapshots_schedule = g(() => fc.constantFrom(...CRONS))
    if (g(fc.boolean)) machine.snapshots_expiry = g(() => fc.constantFrom(...EXPIRIES))
    if (g(fc.boolean)) machine.boot_priority = g(() => fc.integer({ min: 0, max: 100 }))
    if (g(fc.boolean)) machine.weight = g(() => fc.integer({ min: 1, max: 10 }))
    if (g(fc.boolean)) machine.roles = ['base_system']
    if (g(fc.boolean)) machine.storage_volumes = { data: { path: '/srv/data', size: '1GiB' } }
    dom.machines[m] = machine
  }
  const policies = Array.from({ length: nDomains ? g(() => fc.integer({ min: 0, max: 3 })) : 0 }, () => {
    const from = g(() => fc.constantFrom(...targets))
    const to = g(() => fc.constantFrom(...targets.filter((t) => t !== 'host' || from !== 'host')))
    const p: AnyObj = { from, to }
    if (g(fc.boolean))
      p.ports = g(fc.boolean)
        ? 'all'
        : g(() => fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }))
    if (g(fc.boolean)) p.protocol = g(() => fc.constantFrom('tcp', 'udp'))
    if (g(fc.boolean)) p.bidirectional = g(fc.boolean)
    return p
  })
  const global: AnyObj = addressing ? { addressing: { base_octet: 10 } } : { base_subnet: '10.100' }
  if (g(fc.boolean)) global.nesting_prefix = g(fc.boolean)
  const infra: AnyObj = { project_name: 'prop', global, domains }
  if (policies.length) infra.network_policies = policies
  return infra
})

export type PathKey = string | number

/** Every [path, value] pair of a plain value (maps and lists included). */
export function entries(v: unknown, path: PathKey[] = []): Array<[PathKey[], unknown]> {
  const out: Array<[PathKey[], unknown]> = path.length ? [[path, v]] : []
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...entries(x, [...path, i]))
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...entries(x, [...path, k]))
  return out
}

export function setAt(root: AnyObj, path: PathKey[], value: unknown): void {
  let node: AnyObj = root
  for (const k of path.slice(0, -1)) node = node[k]
  const last = path[path.length - 1] as PathKey
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1)
    else delete node[last]
  } else node[last] = value
}

/** `a.b[0].c` like the validator prints paths. */
export function pathString(path: PathKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '')
}
