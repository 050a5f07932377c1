/** ObservedState -> infra.yml data: one domain per non-default project (lifecycle.md, Import). */

import { AnklumeError } from '@anklume/errors'
import { LABEL_PROJECT, type ObservedProject, type ObservedState } from '@anklume/planner'
import { levelPrefix, networkPrefix, parsePrefixed } from '@anklume/schema'
import { zonedAddressing } from './addressing.js'
import { convertDomain, type DomainInput, type ImportedDomain } from './domain.js'
import { globalSection } from './global.js'
import { type PolicyDomain, policiesFromAcls } from './policies.js'

export interface ImportOptions {
  /**
   * Which anklume project to import when the Incus holds several: only the
   * Incus projects labelled `user.anklume.project` = this name. When no
   * project carries that label (an Incus built by hand), it names the file.
   * Default: the one label found, else `imported`; several labels without
   * it are refused (`ANKLUME_IMPORT_SEVERAL_PROJECTS`).
   */
  projectName?: string
  /** Only these Incus projects (default: every project but `default`). */
  projects?: readonly string[]
  /** Nesting level of this host (1 when unknown): a prefix for another level is reported. */
  level?: number
}

export interface ImportResult {
  /** The infra.yml content as plain data, keys in the documented order. */
  infra: Record<string, unknown>
  /** What apply would still change, or what the file cannot say: the file is written anyway. */
  warnings: string[]
  /** What was left out of the file. */
  errors: string[]
  domains: number
  machines: number
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]
}

function nestingPrefix(projects: ObservedProject[]): string {
  const found = projects.map((p) => parsePrefixed(p.name).prefix || undefined)
  const first = found[0]
  return first !== undefined && found.every((f) => f === first) ? first : ''
}

/** The anklume project_name an Incus project belongs to: its label, else the most common label of its instances. */
function ownerOf(project: ObservedProject, observed: ObservedState): string | undefined {
  const own = project.config[LABEL_PROJECT]
  if (own) return own
  return mostCommon(
    observed.instances
      .filter((i) => i.project === project.name)
      .map((i) => i.config[LABEL_PROJECT] ?? '')
      .filter(Boolean),
  )
}

/**
 * One infra file holds one anklume project: with `projectName` naming a
 * label found, only its projects; with several labels and no such name,
 * a refusal listing them (and their Incus projects), so the file never
 * mixes one project's name with another's domains and subnets.
 */
function selectOwnProjects(
  projects: ObservedProject[],
  observed: ObservedState,
  projectName: string | undefined,
): ObservedProject[] {
  const owners = new Map<string, string[]>()
  for (const p of projects) {
    const owner = ownerOf(p, observed)
    if (owner) owners.set(owner, [...(owners.get(owner) ?? []), p.name])
  }
  if (projectName !== undefined && owners.has(projectName))
    return projects.filter((p) => ownerOf(p, observed) === projectName)
  if (owners.size <= 1) return projects
  const names = [...owners.keys()].sort()
  const list = names.map((n) => `${n} (${(owners.get(n) ?? []).join(', ')})`).join('; ')
  throw new AnklumeError(
    'ANKLUME_IMPORT_SEVERAL_PROJECTS',
    projectName === undefined
      ? `this Incus holds ${names.length} anklume projects: ${list}; one infra file describes one`
      : `no Incus project is labelled project_name ${projectName}; this Incus holds ${names.length} anklume projects: ${list}`,
    `import one per file: ${names.map((n) => `anklume import --project-name ${n} -o ${n}.yml`).join('; ')}`,
  )
}

interface Candidate extends Omit<DomainInput, 'subnetId' | 'storagePool' | 'taken'> {
  address: string
}

export function importFromObserved(observed: ObservedState, opts: ImportOptions = {}): ImportResult {
  const warnings: string[] = []
  const errors: string[] = []
  const warn = (m: string) => warnings.push(m)
  const fail = (m: string) => errors.push(m)
  const wanted = opts.projects ? new Set(opts.projects) : undefined
  const chosen = observed.projects
    .filter((p) => p.name !== 'default' && (!wanted || wanted.has(p.name)))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  const unknown = [...(wanted ?? [])].filter((name) => !chosen.some((p) => p.name === name))
  if (unknown.length > 0) {
    throw new AnklumeError(
      'ANKLUME_IMPORT_NO_PROJECT',
      `no Incus project named ${unknown.join(', ')}`,
      `projects: ${
        observed.projects
          .map((p) => p.name)
          .filter((n) => n !== 'default')
          .join(', ') || '(none but default)'
      }`,
    )
  }
  const projects = selectOwnProjects(chosen, observed, opts.projectName)
  const prefix = nestingPrefix(projects)
  const level = opts.level ?? 1
  if (prefix && prefix !== levelPrefix(level))
    warn(
      `names carry the nesting prefix ${prefix} but this host is level ${level}: plan them where the level matches`,
    )

  const candidates: Candidate[] = []
  for (const project of projects) {
    if (project.config['features.profiles'] !== 'true') {
      fail(
        `project ${project.name} uses the default project's profiles (features.profiles is not true); an anklume domain has its own, and Incus cannot switch a project that holds instances: left out`,
      )
      continue
    }
    const defaultProfile = observed.profiles.find((p) => p.project === project.name && p.name === 'default')
    const nic = Object.values(defaultProfile?.devices ?? {}).find((d) => d.type === 'nic' && d.network)
    const bridge = observed.networks.find((n) => n.name === nic?.network)
    const address = bridge?.config['ipv4.address'] ?? ''
    if (!defaultProfile || !bridge) {
      fail(`project ${project.name}: its default profile has no nic on a managed bridge: left out`)
      continue
    }
    const net = address.endsWith('/24') ? networkPrefix(address) : undefined
    if (net === undefined) {
      fail(`project ${project.name}: bridge ${bridge.name} has no IPv4 /24 (${address || 'none'}): left out`)
      continue
    }
    const name = project.name.slice(prefix.length)
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)) {
      fail(`project ${project.name}: "${name}" is not a valid domain name: left out`)
      continue
    }
    candidates.push({ project, name, bridge, defaultProfile, prefix, observed, address, net })
  }
  const ab = (c: Candidate) => c.address.split('.').slice(0, 2).join('.')
  const addressing = zonedAddressing(
    candidates.map((c) => ({ project: c.project.name, address: c.address })),
    observed,
  )
  const base = mostCommon(candidates.map(ab)) ?? '10.100'
  const storagePool =
    mostCommon(candidates.map((c) => c.defaultProfile.devices.root?.pool ?? '').filter(Boolean)) ?? 'default'
  const domains: ImportedDomain[] = []
  const policyDomains: PolicyDomain[] = []
  const bridges = new Map<string, string>()
  const taken = new Set<string>()
  for (const c of candidates) {
    if (!addressing && ab(c) !== base) {
      fail(
        `project ${c.project.name}: bridge ${c.bridge.name} is ${c.address}, outside base_subnet ${base} (the majority): left out; ` +
          'one infra file has one base_subnet (or addressing zones when every machine has a static IP and the trust levels explain the ranges): import that project into its own file with --project',
      )
      continue
    }
    const other = bridges.get(c.bridge.name)
    if (other) {
      fail(
        `project ${c.project.name}: its bridge ${c.bridge.name} is already the bridge of ${other}: left out`,
      )
      continue
    }
    bridges.set(c.bridge.name, c.project.name)
    const subnetId = Number(c.net.split('.')[2])
    const domain = convertDomain({ ...c, subnetId, storagePool, taken }, warn, fail)
    domains.push(domain)
    policyDomains.push({ name: domain.name, bridge: c.bridge.name, net: c.net, machines: staticIps(domain) })
  }

  const labelled = [
    ...projects.map((p) => p.config[LABEL_PROJECT]),
    ...observed.instances
      .filter((i) => projects.some((p) => p.name === i.project))
      .map((i) => i.config[LABEL_PROJECT]),
  ].filter((l): l is string => Boolean(l))
  const projectName = opts.projectName ?? mostCommon(labelled) ?? 'imported'
  if (new Set(labelled).size > 1)
    warn(
      `objects carry several project_name labels (${[...new Set(labelled)].join(', ')}); using ${projectName}`,
    )

  const global = globalSection(domains, { base, addressing, storagePool, prefix }, warn)
  const policies = domains.some((d) => d.acl)
    ? policiesFromAcls(policyDomains, observed.acls ?? [], warn)
    : []
  if (domains.length > 1 && !domains.some((d) => d.acl))
    warn(
      'network_policies are not read back: without network ACLs on the bridges they live only in the nftables table of the Incus host; add them to the file by hand',
    )
  else if (domains.some((d) => d.acl?.egress))
    warn(
      'network_policies towards the host (to: host) are not in the ACLs while egress is allowed: add them to the file by hand if the infra had any',
    )
  return {
    infra: {
      project_name: projectName,
      global,
      domains: Object.fromEntries(domains.map((d) => [d.name, d.raw])),
      ...(policies.length > 0 ? { network_policies: policies } : {}),
    },
    warnings,
    errors,
    domains: domains.length,
    machines: domains.reduce((n, d) => n + d.machines.length, 0),
  }
}

/** Machine name -> static IP, for the policies' machine endpoints. */
function staticIps(domain: ImportedDomain): Map<string, string> {
  const out = new Map<string, string>()
  for (const { name, machine } of domain.machines) {
    const ip = machine.raw.ip
    if (typeof ip === 'string') out.set(name, ip)
  }
  return out
}
