/** Machine-level rules: names, global uniqueness, profiles, addresses, GPU, privileged LXC. */
import type { AddressPlan } from './addressing.js'
import { incusTrue, NAME_RE } from './formats.js'
import { hostNumber } from './ipv4.js'
import type { IssueSink } from './issues.js'
import { DHCP_FIRST, DHCP_LAST, GATEWAY_HOST, STATIC_LAST } from './layout.js'
import { instanceName, type NamingOptions } from './naming.js'
import { didYouMean, listNames } from './suggest.js'
import type { LoadContext } from './types.js'
import { isObj, type View, type ViewDomain, type ViewMachine } from './view.js'

export const MAX_INSTANCE_NAME = 63

function checkName(
  m: ViewMachine,
  naming: NamingOptions,
  owners: Map<string, string>,
  sink: IssueSink,
): void {
  if (!NAME_RE.test(m.name)) {
    sink.error(
      'INVALID_NAME',
      m.path,
      `machine name "${m.name}" must be lowercase letters, digits and inner hyphens`,
      'pattern ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
      'key',
    )
  } else if (m.name === 'host') {
    sink.error('RESERVED_NAME', m.path, '"host" cannot be a machine name (policy keyword)', undefined, 'key')
  }
  const full = instanceName(m.name, naming)
  if (full.length > MAX_INSTANCE_NAME) {
    sink.error(
      'NAME_TOO_LONG',
      m.path,
      `instance name "${full}" is ${full.length} characters; Incus allows ${MAX_INSTANCE_NAME}`,
      `shorten it by ${full.length - MAX_INSTANCE_NAME} characters`,
      'key',
    )
  }
  const other = owners.get(m.name)
  if (other !== undefined) {
    sink.error(
      'DUPLICATE_MACHINE',
      m.path,
      other === m.domain
        ? `machine "${m.name}" is defined twice in domain "${m.domain}"`
        : `machine "${m.name}" is defined in domain "${other}" and again in domain "${m.domain}"`,
      'machine names are global: they become Incus instance names',
      'key',
    )
  } else owners.set(m.name, m.domain)
}

function checkProfiles(d: ViewDomain, m: ViewMachine, sink: IssueSink): void {
  if (!Array.isArray(m.raw.profiles)) return
  const seen = new Set<string>()
  for (const [i, p] of m.raw.profiles.entries()) {
    if (typeof p !== 'string') continue
    const path = [...m.path, 'profiles', i]
    if (seen.has(p)) sink.error('DUPLICATE_PROFILE', path, `profile "${p}" is listed twice`)
    seen.add(p)
    if (p !== 'default' && !d.profiles.has(p)) {
      const known = [...d.profiles.keys()]
      sink.error(
        'UNKNOWN_PROFILE',
        path,
        `profile "${p}" is not defined in domain "${d.name}"`,
        didYouMean(p, known) ??
          (known.length
            ? `profiles of ${d.name}: default, ${listNames(known)}`
            : `define it under domains.${d.name}.profiles`),
      )
    }
  }
}

/** Does the machine get a GPU (gpu: true, or a gpu device of its own or of a listed profile)? */
export function hasGpu(d: ViewDomain, m: ViewMachine): boolean {
  const gpuIn = (devices: unknown) =>
    isObj(devices) && Object.values(devices).some((dev) => isObj(dev) && dev.type === 'gpu')
  return m.gpu || gpuIn(m.raw.devices) || m.profiles.some((p) => gpuIn(d.profiles.get(p)?.devices))
}

function checkPrivileged(d: ViewDomain, m: ViewMachine, ctx: LoadContext, sink: IssueSink): void {
  if (m.type !== 'lxc' || ctx.vmNested) return
  const sources: Array<{ path: (string | number)[]; config: unknown }> = [
    { path: [...m.path, 'config'], config: m.raw.config },
    ...m.profiles.map((p) => ({
      path: [...d.path, 'profiles', p, 'config'],
      config: d.profiles.get(p)?.config,
    })),
  ]
  for (const s of sources) {
    if (!isObj(s.config) || !incusTrue(s.config['security.privileged'] ?? false)) continue
    const via = s.path.includes('profiles') ? ` (through profile "${String(s.path[3])}")` : ''
    if (ctx.yolo) {
      sink.warn(
        'PRIVILEGED_LXC',
        [...s.path, 'security.privileged'],
        `privileged LXC container "${m.name}"${via} accepted because of --yolo`,
      )
    } else {
      sink.error(
        'PRIVILEGED_LXC',
        [...s.path, 'security.privileged'],
        `security.privileged on LXC container "${m.name}"${via} is refused outside a VM boundary`,
        'use type: vm, run anklume inside a VM (/etc/anklume/vm_nested), or pass --yolo',
      )
    }
  }
}

/** Without `default` in its profiles, a machine needs a root disk from its own devices or another profile. */
function checkRootProfile(d: ViewDomain, m: ViewMachine, sink: IssueSink): void {
  if (!Array.isArray(m.raw.profiles) || m.profiles.includes('default')) return
  const hasRoot = (devices: unknown) =>
    isObj(devices) &&
    Object.values(devices).some((dev) => isObj(dev) && dev.type === 'disk' && dev.path === '/')
  if (hasRoot(m.raw.devices) || m.profiles.some((p) => hasRoot(d.profiles.get(p)?.devices))) return
  sink.warn(
    'NO_DEFAULT_PROFILE',
    [...m.path, 'profiles'],
    `"${m.name}" does not use the default profile and no listed profile or device gives it a root disk (path /)`,
    'add default to its profiles (it holds the root disk and eth0)',
  )
}

function checkVolumes(m: ViewMachine, sink: IssueSink): void {
  if (!isObj(m.raw.storage_volumes)) return
  const paths = new Map<string, string>()
  for (const [name, v] of Object.entries(m.raw.storage_volumes)) {
    const path = isObj(v) && typeof v.path === 'string' ? v.path : undefined
    if (!path) continue
    const p = [...m.path, 'storage_volumes', name, 'path']
    const other = paths.get(path)
    if (path === '/')
      sink.error('INVALID_PATH', p, 'a volume cannot be mounted at / (the root disk is there)')
    else if (other)
      sink.error('DUPLICATE_MOUNT_PATH', p, `${path} is already the mount path of volume "${other}"`)
    else paths.set(path, name)
  }
}

function checkIps(view: View, plan: AddressPlan, sink: IssueSink): void {
  const owners = new Map<string, ViewMachine>()
  for (const d of view.domains) {
    const net = plan.nets.get(d.name)
    for (const m of d.machines) {
      const ip = m.ip
      if (!ip) continue
      const path = [...m.path, 'ip']
      const host = hostNumber(ip) ?? 0
      if (net && !ip.startsWith(`${net.prefix}.`)) {
        sink.error(
          'IP_OUTSIDE_SUBNET',
          path,
          `${ip} is not in ${d.name}'s subnet ${net.subnet}`,
          `use ${net.prefix}.1–.${STATIC_LAST}`,
        )
      } else if (host === 0 || host === GATEWAY_HOST || host === 255) {
        const what = host === 0 ? 'network' : host === 255 ? 'broadcast' : 'gateway'
        sink.error(
          'IP_RESERVED',
          path,
          `${ip} is the ${what} address of the subnet`,
          `use .1–.${STATIC_LAST}`,
        )
      } else if (host > STATIC_LAST) {
        sink.warn(
          'IP_OUTSIDE_STATIC_RANGE',
          path,
          `${ip} is outside the static range .1–.${STATIC_LAST} (DHCP hands out .${DHCP_FIRST}–.${DHCP_LAST})`,
          `use .1–.${STATIC_LAST} to avoid a clash with a DHCP lease`,
        )
      }
      const other = owners.get(ip)
      if (other) {
        sink.error(
          'DUPLICATE_IP',
          path,
          `${ip} is already the address of "${other.name}" (domain "${other.domain}")`,
        )
      } else owners.set(ip, m)
    }
  }
}

export function checkMachines(
  view: View,
  plan: AddressPlan,
  naming: NamingOptions,
  ctx: LoadContext,
  sink: IssueSink,
): void {
  const owners = new Map<string, string>()
  for (const d of view.domains) {
    for (const m of d.machines) {
      checkName(m, naming, owners, sink)
      checkProfiles(d, m, sink)
      checkPrivileged(d, m, ctx, sink)
      checkVolumes(m, sink)
      if (m.gpu && m.type === 'vm' && m.raw.gpu_pci === undefined) {
        sink.error(
          'GPU_PCI_REQUIRED',
          [...m.path, 'gpu'],
          `VM "${m.name}" with gpu: true needs gpu_pci (the PCI address to pass through)`,
          'e.g. gpu_pci: "0000:01:00.0" (see lspci -D)',
        )
      }
      if (m.raw.incus_socket === true && m.type === 'vm')
        sink.error(
          'INCUS_SOCKET_VM',
          [...m.path, 'incus_socket'],
          `incus_socket needs a container: VM "${m.name}" cannot take a unix-socket proxy device`,
          'use type: lxc for the machine that drives Incus',
        )
      checkRootProfile(d, m, sink)
      if (m.raw.gpu_pci !== undefined && !m.gpu)
        sink.warn('GPU_PCI_UNUSED', [...m.path, 'gpu_pci'], 'gpu_pci is ignored without gpu: true')
    }
  }
  checkIps(view, plan, sink)
}
