/** Infra-wide rules: addressing mode, GPU policy, firewall VM, compatibility keys. */
import type { AddressPlan } from './addressing.js'
import { FIREWALL_HOST, FIREWALL_MACHINE } from './firewall-vm.js'
import type { IssueSink } from './issues.js'
import { hasGpu } from './rules-machines.js'
import type { View } from './view.js'
import type { Path } from './yaml-doc.js'

function checkGpuPolicy(view: View, sink: IssueSink): void {
  const gpus = view.domains.filter((d) => d.enabled).flatMap((d) => d.machines.filter((m) => hasGpu(d, m)))
  if (gpus.length < 2) return
  const names = gpus.map((m) => m.name).join(', ')
  if (view.global.gpu_policy === 'shared') {
    sink.warn(
      'GPU_SHARED',
      ['global', 'gpu_policy'],
      `${gpus.length} machines share the GPU (${names}): no isolation between them on the GPU`,
    )
    return
  }
  for (const m of gpus.slice(1)) {
    sink.error(
      'GPU_EXCLUSIVE',
      m.raw.gpu === true ? [...m.path, 'gpu'] : m.path,
      `gpu_policy exclusive allows one GPU machine; "${gpus[0]?.name}" already has it (GPU machines: ${names})`,
      'set global.gpu_policy: shared to let them share it',
    )
  }
}

function checkFirewallVm(view: View, plan: AddressPlan, sink: IssueSink): void {
  if (view.global.firewall_mode !== 'vm') return
  const path = ['global', 'firewall_mode']
  const admin = view.domains.find((d) => d.name === 'anklume')
  const declared = view.domains.flatMap((d) => d.machines).find((m) => m.name === FIREWALL_MACHINE)
  if (!admin) {
    sink.error(
      'FIREWALL_DOMAIN_MISSING',
      path,
      'firewall_mode vm puts the sys-firewall VM in the "anklume" domain, which is not declared',
      'add an anklume domain (the admin domain) or set firewall_mode: host',
    )
    return
  }
  if (!admin.enabled)
    sink.error('FIREWALL_DOMAIN_MISSING', path, 'firewall_mode vm needs the "anklume" domain enabled')
  if (declared && declared.domain !== 'anklume') {
    sink.error(
      'FIREWALL_VM_DOMAIN',
      declared.path,
      `${FIREWALL_MACHINE} must be in the anklume domain`,
      undefined,
      'key',
    )
    return
  }
  if (declared) return
  const net = plan.nets.get('anklume')
  if (!net) return
  const reserved = `${net.prefix}.${FIREWALL_HOST}`
  for (const m of admin.machines) {
    if (m.ip === reserved)
      sink.error(
        'IP_RESERVED',
        [...m.path, 'ip'],
        `${reserved} is reserved for ${FIREWALL_MACHINE} (firewall_mode vm)`,
      )
  }
}

const COMPAT: Array<{ level: 'infra' | 'domain' | 'machine'; key: string }> = [
  { level: 'infra', key: 'shared_volumes' },
  { level: 'domain', key: 'file_portal' },
  { level: 'domain', key: 'ai_provider' },
  { level: 'domain', key: 'ai_sanitize' },
  { level: 'machine', key: 'export_apps' },
  { level: 'machine', key: 'services' },
  { level: 'machine', key: 'vars' },
  { level: 'machine', key: 'persistent_data' },
]

/** One warning per compatibility key, at its first use. */
function checkCompat(view: View, sink: IssueSink): void {
  for (const { level, key } of COMPAT) {
    const uses: Path[] = []
    if (level === 'infra' && view.raw[key] !== undefined) uses.push([key])
    for (const d of view.domains) {
      if (level === 'domain' && d.raw[key] !== undefined) uses.push([...d.path, key])
      if (level === 'machine')
        for (const m of d.machines) if (m.raw[key] !== undefined) uses.push([...m.path, key])
    }
    const first = uses[0]
    if (!first) continue
    const more = uses.length > 1 ? ` (${uses.length} uses)` : ''
    sink.warn(
      'COMPAT_KEY',
      first,
      `"${key}" accepted, not acted on by apply${more}`,
      'kept for AnKLuMe compatibility and written to the Ansible inventory',
      'key',
    )
  }
}

export function checkGlobal(view: View, plan: AddressPlan, sink: IssueSink): void {
  if (view.global.addressing !== undefined && view.global.base_subnet !== undefined) {
    sink.error(
      'ADDRESSING_CONFLICT',
      ['global', 'addressing'],
      'base_subnet and addressing are two alternative modes: use one',
      'remove base_subnet (addressing allocates subnets by trust level) or remove addressing',
      'key',
    )
  }
  checkGpuPolicy(view, sink)
  checkFirewallVm(view, plan, sink)
  checkCompat(view, sink)
}
