/** One machine -> the instance `apply` creates (incus-mapping.md, step 6). */
import type { Domain, Machine, ProfileDef } from '@anklume/schema'
import { own } from './compare.js'
import type { Config, DesiredInstance, Devices } from './desired-types.js'
import { parseImage } from './image-source.js'
import { LABEL_IMAGE, LABEL_TRUST, labels } from './labels.js'

export const SOCKET_DEVICE = 'incus-socket'
export const SOCKET_PATH = '/var/lib/incus/unix.socket'

export interface InstanceContext {
  projectName: string
  project: string
  bridge: string
  instanceName: string
  domain: Domain
  /** Keys computed by resource_policy for this machine (explicit config still wins). */
  policyConfig: Config
  warn: (message: string) => void
}

/** The nic both the default profile and a static-IP override use. */
export function eth0Device(bridge: string): Record<string, string> {
  return {
    type: 'nic',
    network: bridge,
    name: 'eth0',
    'security.mac_filtering': 'true',
    'security.ipv4_filtering': 'true',
  }
}

function instanceConfig(m: Machine, ctx: InstanceContext): Config {
  const c: Config = { ...ctx.policyConfig, ...m.config }
  if (m.bootAutostart !== undefined) c['boot.autostart'] = String(m.bootAutostart)
  if (m.bootPriority !== undefined) c['boot.autostart.priority'] = String(m.bootPriority)
  if (m.snapshotsSchedule !== undefined) c['snapshots.schedule'] = m.snapshotsSchedule
  if (m.snapshotsExpiry !== undefined) c['snapshots.expiry'] = m.snapshotsExpiry
  c['security.protection.delete'] = String(!m.ephemeral)
  if (m.cloudInit?.userData !== undefined) c['cloud-init.user-data'] = m.cloudInit.userData
  if (m.cloudInit?.vendorData !== undefined) c['cloud-init.vendor-data'] = m.cloudInit.vendorData
  if (m.cloudInit?.networkConfig !== undefined) c['cloud-init.network-config'] = m.cloudInit.networkConfig
  if (m.incusSocket) c['security.nesting'] = 'true'
  Object.assign(c, labels(ctx.projectName, m.domain))
  if (ctx.domain.trustLevel !== undefined) c[LABEL_TRUST] = ctx.domain.trustLevel
  c[LABEL_IMAGE] = m.osImage
  return c
}

function hasGpu(devices: Devices): boolean {
  return Object.values(devices).some((d) => d.type === 'gpu')
}

function instanceDevices(m: Machine, ctx: InstanceContext, profiles: Map<string, ProfileDef>): Devices {
  const devices: Devices = {}
  for (const [name, dev] of Object.entries(m.devices)) devices[name] = { ...dev }
  if (m.ip !== undefined) {
    const declared = own(devices, 'eth0')
    devices.eth0 = declared
      ? { ...declared, 'ipv4.address': declared['ipv4.address'] ?? m.ip }
      : { ...eth0Device(ctx.bridge), 'ipv4.address': m.ip }
  }
  for (const v of m.storageVolumes) {
    if (Object.hasOwn(devices, v.name)) {
      ctx.warn(`machine ${m.name}: device "${v.name}" is declared; volume ${v.name} is not attached twice`)
      continue
    }
    devices[v.name] = { type: 'disk', pool: v.pool, source: v.name, path: v.path }
  }
  if (m.gpu && !hasGpu(devices)) {
    if (m.type === 'vm') {
      devices.gpu = { type: 'gpu', gputype: 'physical', ...(m.gpuPci ? { pci: m.gpuPci } : {}) }
    } else if (!m.profiles.some((p) => hasGpu(profiles.get(p)?.devices ?? {}))) {
      devices.gpu = { type: 'gpu', gputype: 'physical' }
    }
  }
  if (m.incusSocket) {
    devices[SOCKET_DEVICE] = {
      type: 'proxy',
      connect: `unix:${SOCKET_PATH}`,
      listen: `unix:${SOCKET_PATH}`,
      bind: 'instance',
      'security.uid': '0',
      'security.gid': '0',
      mode: '0660',
    }
  }
  return devices
}

export function desiredInstance(
  m: Machine,
  ctx: InstanceContext,
  profiles: Map<string, ProfileDef>,
): DesiredInstance {
  const image = parseImage(m.osImage)
  if (image.warning) ctx.warn(`machine ${m.name}: ${image.warning}`)
  return {
    project: ctx.project,
    name: ctx.instanceName,
    machine: m.name,
    domain: m.domain,
    type: m.type === 'vm' ? 'virtual-machine' : 'container',
    description: m.description,
    image: m.osImage,
    source: image.source,
    profiles: [...m.profiles],
    config: instanceConfig(m, ctx),
    devices: instanceDevices(m, ctx, profiles),
    protected: !m.ephemeral,
    needsSocketDir: m.incusSocket,
    ...(m.hostAccess?.length ? { hostAccess: [...m.hostAccess] } : {}),
  }
}
