/**
 * A tolerant, typed view of the raw (possibly invalid) data, so cross-field
 * rules can run in the same pass as the zod checks: values of the wrong type
 * are ignored here (zod reports them).
 */
import { BASE_SUBNET_RE, IPV4_RE } from './ipv4.js'
import { MAX_SUBNET_ID } from './layout.js'
import type { TrustLevel } from './types.js'
import type { Path } from './yaml-doc.js'

export type Obj = Record<string, unknown>

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
const obj = (v: unknown): Obj => (isObj(v) ? v : {})
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export const TRUST_LEVELS: readonly TrustLevel[] = [
  'admin',
  'trusted',
  'semi-trusted',
  'untrusted',
  'disposable',
]

export interface ViewMachine {
  name: string
  domain: string
  path: Path
  raw: Obj
  type: 'lxc' | 'vm'
  /** Declared IP when well-formed. */
  ip: string | undefined
  gpu: boolean
  profiles: string[]
}

export interface ViewDomain {
  name: string
  path: Path
  raw: Obj
  enabled: boolean
  subnetId: number | undefined
  trustLevel: TrustLevel | undefined
  profiles: Map<string, Obj>
  machines: ViewMachine[]
}

export interface ViewPolicy {
  index: number
  path: Path
  raw: Obj
}

export interface View {
  raw: Obj
  global: Obj
  baseSubnet: string | undefined
  addressing: { zoneBase: number; zoneStep: number } | undefined
  nestingPrefix: boolean
  domains: ViewDomain[]
  /** Every machine of every domain, in declaration order. */
  machines: ViewMachine[]
  policies: ViewPolicy[]
}

const int = (v: unknown, min: number, max: number): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined

function viewMachine(name: string, domain: string, raw: Obj, path: Path): ViewMachine {
  const ip = str(raw.ip)
  const profiles = Array.isArray(raw.profiles)
    ? raw.profiles.filter((p): p is string => typeof p === 'string')
    : ['default']
  return {
    name,
    domain,
    path,
    raw,
    type: raw.type === 'vm' ? 'vm' : 'lxc',
    ip: ip && IPV4_RE.test(ip) ? ip : undefined,
    gpu: raw.gpu === true,
    profiles,
  }
}

export function buildView(data: unknown): View {
  const raw = obj(data)
  const global = obj(raw.global)
  const hasAddressing = global.addressing !== undefined
  const addr = obj(global.addressing)
  const base = str(global.base_subnet)
  const domains: ViewDomain[] = []
  for (const [name, d] of Object.entries(obj(raw.domains))) {
    const draw = obj(d)
    const path = ['domains', name]
    const trust = TRUST_LEVELS.find((t) => t === draw.trust_level)
    const profiles = new Map(Object.entries(obj(draw.profiles)).map(([p, v]) => [p, obj(v)] as const))
    const machines = Object.entries(obj(draw.machines)).map(([m, v]) =>
      viewMachine(m, name, obj(v), [...path, 'machines', m]),
    )
    domains.push({
      name,
      path,
      raw: draw,
      enabled: draw.enabled !== false,
      subnetId: int(draw.subnet_id, 0, MAX_SUBNET_ID),
      trustLevel: trust,
      profiles,
      machines,
    })
  }
  const policies = (Array.isArray(raw.network_policies) ? raw.network_policies : []).map((p, index) => ({
    index,
    path: ['network_policies', index],
    raw: obj(p),
  }))
  return {
    raw,
    global,
    baseSubnet: hasAddressing
      ? undefined
      : base && BASE_SUBNET_RE.test(base)
        ? base
        : base === undefined
          ? '10.100'
          : undefined,
    addressing: hasAddressing
      ? { zoneBase: int(addr.zone_base, 0, 245) ?? 100, zoneStep: int(addr.zone_step, 1, 255) ?? 10 }
      : undefined,
    nestingPrefix: global.nesting_prefix === true,
    domains,
    machines: domains.flatMap((d) => d.machines),
    policies,
  }
}

export function allMachines(view: View): ViewMachine[] {
  return view.machines
}
