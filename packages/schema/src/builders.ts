/**
 * Small builders of normalised `Infra` values (every default filled in), for
 * tests and benchmarks that must not depend on the YAML loader.
 */
import { domainNet } from './layout.js'
import type { Domain, GlobalSettings, Infra, Machine } from './types.js'

export function makeMachine(name: string, domain: string, over: Partial<Machine> = {}): Machine {
  return {
    name,
    domain,
    description: '',
    type: 'lxc',
    osImage: 'images:debian/13',
    ip: undefined,
    ephemeral: false,
    gpu: false,
    gpuPci: undefined,
    profiles: ['default'],
    config: {},
    devices: {},
    storageVolumes: [],
    bootAutostart: undefined,
    bootPriority: undefined,
    snapshotsSchedule: undefined,
    snapshotsExpiry: undefined,
    weight: 1,
    placement: undefined,
    cloudInit: undefined,
    incusSocket: false,
    hostAccess: [],
    roles: [],
    services: undefined,
    vars: undefined,
    exportApps: undefined,
    persistentData: undefined,
    pos: undefined,
    ...over,
  }
}

/** A domain on `<base>.<subnetId>.0/24`; machines are given as name -> overrides. */
export function makeDomain(
  name: string,
  subnetId: number,
  machines: Record<string, Partial<Machine>> = {},
  over: Partial<Domain> = {},
  base = '10.100',
): Domain {
  const ephemeral = over.ephemeral ?? false
  const net = domainNet(base, subnetId)
  return {
    name,
    description: '',
    subnetId,
    subnet: net.subnet,
    gateway: net.gateway,
    enabled: true,
    ephemeral,
    trustLevel: undefined,
    placement: undefined,
    profiles: [],
    limits: {},
    restricted: false,
    nat: true,
    dnsZone: false,
    machines: Object.entries(machines).map(([m, o]) => makeMachine(m, name, { ephemeral, ...o })),
    filePortal: undefined,
    aiProvider: undefined,
    aiSanitize: undefined,
    pos: undefined,
    ...over,
  }
}

export function makeGlobal(over: Partial<GlobalSettings> = {}): GlobalSettings {
  return {
    baseSubnet: '10.100',
    addressing: undefined,
    defaultOsImage: 'images:debian/13',
    defaultConnection: undefined,
    defaultUser: undefined,
    storagePool: 'default',
    storagePoolDeclared: false,
    nestingPrefix: false,
    resourcePolicy: undefined,
    gpuPolicy: 'exclusive',
    firewallMode: 'host',
    aiAccessPolicy: 'open',
    aiAccessDefault: undefined,
    aiVramFlush: true,
    isolation: { table: 'anklume', egress: true, networkAcls: false },
    ...over,
  }
}

export function makeInfra(
  domains: Domain[],
  global: Partial<GlobalSettings> = {},
  projectName = 'lab',
): Infra {
  return {
    projectName,
    schemaVersion: 1,
    global: makeGlobal(global),
    domains,
    networkPolicies: [],
    sharedVolumes: undefined,
    sources: [],
  }
}
