/**
 * Valid raw data -> normalised Infra: defaults, inheritance (ephemeral,
 * os_image), subnets and assigned addresses, policies, firewall VM, the
 * implicit ai-tools policy.
 */
import { type AddressPlan, DEFAULT_ADDRESSING_TRUST } from './addressing.js'
import { addFirewallVm } from './firewall-vm.js'
import { defaultIsolationTable } from './isolation-table.js'
import type { Locator } from './locator.js'
import type { NamingOptions } from './naming.js'
import { deviceMap, normaliseMachine, stringMap } from './normalise-machine.js'
import type { RawGlobal, RawInfra, RawPolicy } from './raw-infra.js'
import { machineHostAccess } from './rules-host-access.js'
import { AI_TOOLS } from './rules-policies.js'
import type { Domain, GlobalSettings, Infra, NetworkPolicy, ResourcePolicy, SourcePos } from './types.js'
import type { View } from './view.js'
import type { Path } from './yaml-doc.js'

function resourcePolicy(rp: RawGlobal['resource_policy']): ResourcePolicy | undefined {
  if (rp === undefined || rp === false) return undefined
  const m = rp === true || rp === null ? {} : rp
  return {
    hostReserve: {
      cpu: String(m.host_reserve?.cpu ?? '20%'),
      memory: String(m.host_reserve?.memory ?? '20%'),
    },
    mode: m.mode ?? 'proportional',
    cpuMode: m.cpu_mode ?? 'allowance',
    memoryEnforce: m.memory_enforce ?? 'soft',
    overcommit: m.overcommit ?? false,
  }
}

function globalSettings(g: RawGlobal, projectName: string): GlobalSettings {
  const addressing = g.addressing
  return {
    baseSubnet: addressing ? undefined : (g.base_subnet ?? '10.100'),
    addressing: addressing
      ? {
          baseOctet: addressing.base_octet ?? 10,
          zoneBase: addressing.zone_base ?? 100,
          zoneStep: addressing.zone_step ?? 10,
        }
      : undefined,
    defaultOsImage: g.default_os_image ?? 'images:debian/13',
    defaultConnection: g.default_connection,
    defaultUser: g.default_user,
    storagePool: g.storage_pool ?? 'default',
    storagePoolDeclared: g.storage_pool !== undefined,
    nestingPrefix: g.nesting_prefix ?? false,
    resourcePolicy: resourcePolicy(g.resource_policy),
    gpuPolicy: g.gpu_policy ?? 'exclusive',
    firewallMode: g.firewall_mode ?? 'host',
    aiAccessPolicy: g.ai_access_policy ?? 'open',
    aiAccessDefault: g.ai_access_default,
    aiVramFlush: g.ai_vram_flush ?? true,
    isolation: {
      table: g.isolation?.table ?? defaultIsolationTable(projectName),
      egress: g.isolation?.egress ?? true,
      networkAcls: g.isolation?.network_acls ?? false,
    },
  }
}

function policy(p: RawPolicy, pos: SourcePos | undefined): NetworkPolicy {
  const ports =
    p.ports === undefined || p.ports === 'all' ? 'all' : [...new Set(p.ports)].sort((a, b) => a - b)
  return {
    description: p.description ?? '',
    from: p.from,
    to: p.to,
    ports,
    protocol: p.protocol ?? (ports === 'all' ? undefined : 'tcp'),
    bidirectional: p.bidirectional ?? false,
    pos,
  }
}

export function normalise(
  raw: RawInfra,
  view: View,
  plan: AddressPlan,
  naming: NamingOptions,
  locator: Locator,
): Infra {
  const pos = (path: Path, want: 'key' | 'value' = 'key'): SourcePos | undefined => locator.locate(path, want)
  const global = globalSettings(raw.global, raw.project_name)
  const domains: Domain[] = view.domains.map((vd) => {
    const d = raw.domains?.[vd.name] ?? {}
    const net = plan.nets.get(vd.name)
    const ephemeral = d.ephemeral ?? false
    const trust = d.trust_level ?? (global.addressing ? DEFAULT_ADDRESSING_TRUST : undefined)
    return {
      name: vd.name,
      description: d.description ?? '',
      subnetId: net?.subnetId ?? 0,
      subnet: net?.subnet ?? '',
      gateway: net?.gateway ?? '',
      enabled: d.enabled ?? true,
      ephemeral,
      trustLevel: trust,
      placement: d.placement,
      profiles: Object.entries(d.profiles ?? {}).map(([name, p]) => ({
        name,
        description: p?.description ?? '',
        config: stringMap(p?.config),
        devices: deviceMap(p?.devices),
      })),
      limits: stringMap(d.limits as Record<string, string | number | boolean> | undefined),
      restricted: d.restricted ?? false,
      nat: d.nat ?? true,
      dnsZone: d.dns_zone === true ? raw.project_name : (d.dns_zone ?? false),
      machines: vd.machines.map((vm) =>
        normaliseMachine(vm.name, d.machines?.[vm.name], {
          domain: vd.name,
          ephemeral,
          placement: d.placement,
          osImage: global.defaultOsImage,
          storagePool: global.storagePool,
          ip: plan.ips.get(vm),
          pos: pos(vm.path),
          hostAccess: [...new Set(machineHostAccess(vd, vm).map((i) => i.grant))],
        }),
      ),
      filePortal: d.file_portal
        ? { allowedPaths: d.file_portal.allowed_paths ?? [], readOnly: d.file_portal.read_only ?? false }
        : undefined,
      aiProvider: d.ai_provider,
      aiSanitize: d.ai_sanitize,
      pos: pos(vd.path),
    }
  })
  const networkPolicies = (raw.network_policies ?? []).map((p, i) =>
    policy(p, pos(['network_policies', i], 'value')),
  )
  const infra: Infra = {
    projectName: raw.project_name,
    schemaVersion: raw.schema_version ?? 1,
    global,
    domains,
    networkPolicies,
    sharedVolumes: raw.shared_volumes ?? undefined,
    sources: locator.files(),
  }
  if (global.firewallMode === 'vm') addFirewallVm(infra, naming)
  if (global.aiAccessPolicy === 'exclusive' && global.aiAccessDefault && !anyAiPolicy(infra)) {
    infra.networkPolicies.push({
      description: `implicit: ${global.aiAccessDefault} <-> ${AI_TOOLS} (ai_access_policy exclusive)`,
      from: global.aiAccessDefault,
      to: AI_TOOLS,
      ports: 'all',
      protocol: undefined,
      bidirectional: true,
      pos: pos(['global', 'ai_access_policy']),
    })
  }
  return infra
}

function anyAiPolicy(infra: Infra): boolean {
  const aiMachines = new Set(infra.domains.find((d) => d.name === AI_TOOLS)?.machines.map((m) => m.name))
  const inAi = (n: string) => n === AI_TOOLS || aiMachines.has(n)
  return infra.networkPolicies.some((p) => inAi(p.to) || (p.bidirectional && inAi(p.from)))
}
