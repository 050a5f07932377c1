/** One Incus project (with its bridge, profiles, volumes, instances) -> one domain of the infra file. */
import type { ObservedNetwork, ObservedProfile, ObservedProject, ObservedState } from '@anklume/planner'
import { LABEL_TRUST, serverFilled } from '@anklume/planner'
import { bridgeName, dhcpRange, gatewayOf, hostAccessGrants, parsePrefixed } from '@anklume/schema'
import { imageOf } from './image.js'
import { anklumeEth0, convertMachine, type ImportedMachine, sameDevice, sortKeys } from './machine.js'

export interface DomainInput {
  project: ObservedProject
  /** Domain name (the project name without the nesting prefix). */
  name: string
  bridge: ObservedNetwork
  /** `A.B.C` of the bridge's /24. */
  net: string
  subnetId: number
  defaultProfile: ObservedProfile
  storagePool: string
  /** Nesting prefix to strip from instance names (`""` when off). */
  prefix: string
  observed: ObservedState
  /** Machine names already taken by other domains (globally unique). */
  taken: Set<string>
}

export interface ImportedDomain {
  name: string
  raw: Record<string, unknown>
  machines: Array<{ name: string; machine: ImportedMachine }>
  /** The bridge carries anklume's network ACL (`isolation.network_acls: true`); `egress` from its default egress action. */
  acl?: { egress: boolean }
}

const ACL_KEYS = [
  'security.acls',
  'security.acls.default.ingress.action',
  'security.acls.default.egress.action',
]

/** anklume's ACL on the bridge (planner auxiliary: `acl-<bridge>`, ingress reject, egress allow or reject). */
export function bridgeAcl(bridge: ObservedNetwork): { egress: boolean } | undefined {
  const c = bridge.config
  const egress = c['security.acls.default.egress.action']
  if (
    c['security.acls'] !== `acl-${bridge.name}` ||
    c['security.acls.default.ingress.action'] !== 'reject' ||
    (egress !== 'allow' && egress !== 'reject')
  )
    return undefined
  return { egress: egress === 'allow' }
}

/** The zone of `dns.zone.forward` when it is anklume's `<domain>.<zone>` (dns_zone), else undefined. */
export function bridgeZone(bridge: ObservedNetwork, domain: string): string | undefined {
  const forward = bridge.config['dns.zone.forward']
  const zone = forward?.startsWith(`${domain}.`) ? forward.slice(domain.length + 1) : undefined
  return zone ? zone : undefined
}

/** Bridge config keys the file says through dns_zone and isolation.network_acls. */
function expressedKeys(d: DomainInput): Set<string> {
  const keys = new Set<string>()
  if (bridgeZone(d.bridge, d.name) !== undefined) keys.add('dns.zone.forward')
  if (bridgeAcl(d.bridge)) for (const k of ACL_KEYS) keys.add(k)
  return keys
}

const FEATURES: Record<string, string> = {
  'features.networks': 'false',
  'features.profiles': 'true',
  'features.storage.volumes': 'true',
  'features.images': 'false',
}
const LIMITS = ['cpu', 'memory', 'disk', 'instances', 'processes']
const stripLabels = (c: Record<string, string>) =>
  Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith('user.anklume.')))

/** Differences apply would make to what cannot be written in the infra file, one warning each. */
function checkFixed(d: DomainInput, warn: (m: string) => void): void {
  const p = d.project
  for (const [k, v] of Object.entries(FEATURES)) {
    if ((p.config[k] ?? 'false') !== v)
      warn(`project ${p.name}: ${k} is ${p.config[k] ?? 'unset'}; apply sets ${v}`)
  }
  const projectKeys = Object.keys(p.config).filter(
    (k) =>
      !serverFilled.project(k) &&
      !k.startsWith('user.anklume.') &&
      !LIMITS.some((l) => k === `limits.${l}`) &&
      !k.startsWith('restricted'),
  )
  if (projectKeys.length > 0)
    warn(
      `project ${p.name}: config ${projectKeys.join(', ')} cannot be written in the infra file; apply removes it`,
    )
  const { level } = parsePrefixed(d.prefix)
  const wantBridge = bridgeName(d.name, { nestingPrefix: level !== undefined, level: level ?? 1 })
  if (d.bridge.name !== wantBridge)
    warn(
      `project ${p.name}: its bridge is ${d.bridge.name}, anklume names it ${wantBridge}: apply would create ${wantBridge} and move the nics to it (rename the bridge first)`,
    )
  const gw = d.bridge.config['ipv4.address']
  const want = `${gatewayOf(d.net)}/24`
  if (gw !== want) warn(`bridge ${d.bridge.name}: address ${gw}; apply sets ${want}`)
  const ranges = dhcpRange(d.net)
  if (d.bridge.config['ipv4.dhcp.ranges'] !== ranges)
    warn(
      `bridge ${d.bridge.name}: ipv4.dhcp.ranges ${d.bridge.config['ipv4.dhcp.ranges'] ?? 'unset'}; apply sets ${ranges}`,
    )
  if (d.bridge.config['ipv6.address'] !== 'none')
    warn(`bridge ${d.bridge.name}: apply sets ipv6.address none`)
  const expressed = expressedKeys(d)
  const netKeys = Object.keys(d.bridge.config).filter(
    (k) =>
      !serverFilled.network(k) &&
      !k.startsWith('user.anklume.') &&
      k !== 'ipv4.dhcp.ranges' &&
      !expressed.has(k),
  )
  if (netKeys.length > 0)
    warn(`bridge ${d.bridge.name}: config ${netKeys.join(', ')} is not expressible; apply removes it`)
  if ((d.bridge.description ?? '') !== (p.description ?? ''))
    warn(`bridge ${d.bridge.name}: description differs from project ${p.name}'s; apply sets the project's`)
  const prof = d.defaultProfile
  const want0 = { root: { type: 'disk', path: '/', pool: d.storagePool }, eth0: anklumeEth0(d.bridge.name) }
  const names = new Set([...Object.keys(prof.devices), ...Object.keys(want0)])
  const differ = [...names].filter((n) => !sameDevice(prof.devices[n], want0[n as keyof typeof want0] ?? {}))
  if (differ.length > 0)
    warn(
      `project ${p.name}: default profile devices ${differ.join(', ')} differ from anklume's (root disk, filtered eth0); apply changes them`,
    )
  const profKeys = Object.keys(stripLabels(prof.config)).filter((k) => !serverFilled.profile(k))
  if (profKeys.length > 0)
    warn(`project ${p.name}: default profile config ${profKeys.join(', ')}: apply removes it`)
}

type RawHolder = { config?: unknown; devices?: unknown; profiles?: string[] }

/**
 * Host-handing config and devices (schema host-access.ts) found on a machine
 * or on a domain profile it lists are written as its `host_access` grants, so
 * the file says what Incus already gives and validates. Untrusted and
 * disposable domains refuse them whatever the grants: a warning says so.
 */
function hostAccess(d: DomainInput, raw: Record<string, unknown>, warn: (m: string) => void): void {
  const profiles = (raw.profiles ?? {}) as Record<string, RawHolder>
  const machines = raw.machines as Record<string, RawHolder & Record<string, unknown>>
  const trust = raw.trust_level
  const used = new Set<string>()
  for (const [name, m] of Object.entries(machines)) {
    const listed = m.profiles ?? ['default']
    for (const p of listed) used.add(p)
    const grants = [
      ...new Set([
        ...hostAccessGrants(m.config, m.devices),
        ...listed.flatMap((p) =>
          profiles[p] ? hostAccessGrants(profiles[p].config, profiles[p].devices) : [],
        ),
      ]),
    ]
    if (grants.length === 0) continue
    m.host_access = grants
    if (trust === 'untrusted' || trust === 'disposable')
      warn(
        `instance ${name} (project ${d.project.name}) has host access (${grants.join(', ')}) in a ${trust} domain: the file is refused until it moves to a trusted domain or loses it`,
      )
  }
  for (const [name, p] of Object.entries(profiles)) {
    const grants = hostAccessGrants(p.config, p.devices)
    if (!used.has(name) && grants.length > 0)
      warn(
        `profile ${name} (project ${d.project.name}) has host access (${grants.join(', ')}) and no machine lists it: the file is refused until a machine lists it with host_access or it loses it`,
      )
  }
}

export function convertDomain(
  d: DomainInput,
  warn: (m: string) => void,
  fail: (m: string) => void,
): ImportedDomain {
  const p = d.project
  checkFixed(d, warn)
  const obs = d.observed
  const volumes = new Map(
    Object.entries(obs.volumes).flatMap(([pool, list]) =>
      list
        .filter((v) => v.project === p.name && v.type === 'custom')
        .map((v) => [v.name, { ...v, pool }] as const),
    ),
  )
  const machines: ImportedDomain['machines'] = []
  const attached = new Set<string>()
  for (const inst of obs.instances
    .filter((i) => i.project === p.name)
    .sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (d.prefix && !inst.name.startsWith(d.prefix)) {
      fail(`instance ${inst.name} (project ${p.name}) lacks the nesting prefix ${d.prefix}: left out`)
      continue
    }
    if ((inst as { ephemeral?: boolean }).ephemeral === true) {
      warn(
        `instance ${inst.name} (project ${p.name}) is an Incus ephemeral (disposable) instance: not written`,
      )
      continue
    }
    const name = inst.name.slice(d.prefix.length)
    if (d.taken.has(name)) {
      fail(
        `instance ${inst.name} (project ${p.name}): machine names are global and ${name} is already used: left out`,
      )
      continue
    }
    const image = imageOf(inst, obs.images)
    if (image === undefined) {
      fail(
        `instance ${inst.name} (project ${p.name}): its image is unknown (no label, no volatile.base_image): left out`,
      )
      continue
    }
    const ctx = { bridge: d.bridge.name, net: d.net, volumes, storagePool: d.storagePool, image }
    const machine = convertMachine(inst, ctx)
    if (inst.status !== 'Running')
      warn(`instance ${inst.name} is ${inst.status}; apply starts declared instances`)
    d.taken.add(name)
    for (const v of machine.volumes) attached.add(v)
    machines.push({ name, machine })
  }
  for (const v of volumes.values()) {
    if (!attached.has(v.name))
      warn(
        `volume ${v.pool}/${v.name} (project ${p.name}) is attached to no machine as "<volume>: {pool, source, path}": not written`,
      )
    if (attached.has(v.name) && v.description) warn(`volume ${v.name}: description dropped (apply sets "")`)
  }
  const raw: Record<string, unknown> = {}
  if (p.description) raw.description = p.description
  raw.subnet_id = d.subnetId
  const trust = p.config[LABEL_TRUST]
  if (trust) raw.trust_level = trust
  raw.nat = d.bridge.config['ipv4.nat'] === 'true'
  const zone = bridgeZone(d.bridge, d.name)
  if (zone !== undefined) raw.dns_zone = zone
  const ephemeral = machines.length > 0 && machines.every((m) => m.machine.ephemeral)
  if (ephemeral) raw.ephemeral = true
  const limits = Object.fromEntries(
    LIMITS.filter((l) => p.config[`limits.${l}`]).map((l) => [l, p.config[`limits.${l}`]]),
  )
  if (Object.keys(limits).length > 0) raw.limits = limits
  if (p.config.restricted === 'true') {
    raw.restricted = true
    warn(`project ${p.name} is restricted: apply recomputes its restricted.* allowances from the machines`)
  }
  const profiles: Record<string, unknown> = {}
  for (const prof of obs.profiles.filter((x) => x.project === p.name && x.name !== 'default')) {
    const entry: Record<string, unknown> = {}
    if (prof.description) entry.description = prof.description
    const config = stripLabels(prof.config)
    if (Object.keys(config).length > 0) entry.config = sortKeys(config)
    if (Object.keys(prof.devices).length > 0) entry.devices = sortKeys(prof.devices)
    profiles[prof.name] = entry
  }
  if (Object.keys(profiles).length > 0) raw.profiles = profiles
  const ms: Record<string, unknown> = {}
  for (const { name, machine } of machines) {
    const { description, type, ...rest } = machine.raw
    ms[name] = {
      ...(description !== undefined ? { description } : {}),
      ...(type !== undefined ? { type } : {}),
      os_image: machine.image,
      ...(machine.ephemeral !== ephemeral ? { ephemeral: machine.ephemeral } : {}),
      ...rest,
    }
  }
  raw.machines = ms
  hostAccess(d, raw, warn)
  const acl = bridgeAcl(d.bridge)
  return { name: d.name, raw, machines, ...(acl ? { acl } : {}) }
}
