/** zod schema of `domains.<d>.machines.<name>` as written in the file. */
import { z } from 'zod'
import {
  AbsPath,
  ConfigMap,
  Cron,
  DeviceMap,
  Duration,
  Ipv4,
  nullable,
  Pci,
  Placement,
  Size,
} from './raw-primitives.js'

export const StorageVolume = z.strictObject({
  pool: z.string().min(1).optional(),
  size: Size.optional(),
  path: AbsPath,
})

/** A cloud-init document: a string, or a map serialised with the `#cloud-config` header. */
const CloudInitDoc = z.union([z.string(), z.record(z.string(), z.unknown())], {
  error: 'must be a string or a map (serialised as #cloud-config YAML)',
})

export const CloudInit = z.strictObject({
  user_data: CloudInitDoc.optional(),
  vendor_data: CloudInitDoc.optional(),
  network_config: CloudInitDoc.optional(),
})

export const PersistentData = z.record(
  z.string(),
  z.strictObject({ path: AbsPath, readonly: z.boolean().optional() }),
)

export const Machine = z
  .strictObject({
    description: z.string().optional().describe('Instance description.'),
    type: z
      .enum(['lxc', 'vm'])
      .optional()
      .meta({ default: 'lxc' })
      .describe('lxc (container, default) or vm (virtual machine).'),
    os_image: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Image: remote:alias (images:debian/13), a local alias or a fingerprint. Default: global.default_os_image.',
      ),
    ip: Ipv4.optional().describe(
      'Static IPv4 inside the domain /24, preferably .1-.99. Absent: DHCP (addressing mode: assigned automatically).',
    ),
    ephemeral: z
      .boolean()
      .optional()
      .describe('false = protected (security.protection.delete). Default: the ephemeral of the domain.'),
    placement: Placement.optional().describe(
      'Incus cluster only: the member (node2) or cluster group (@gpu) this machine runs on. Default: the placement of the domain. Changing it moves the machine. Ignored on a single host.',
    ),
    gpu: z.boolean().optional().describe('Give the machine the GPU (LXC: gpu device; VM: needs gpu_pci).'),
    gpu_pci: Pci.optional().describe('PCI address for VM GPU passthrough, e.g. 0000:01:00.0.'),
    profiles: nullable(z.array(z.string())).describe(
      'Profiles, in order; every name other than default must be a profile of the same domain.',
    ),
    config: nullable(ConfigMap).describe('Raw Incus instance config (values sent as strings).'),
    devices: nullable(DeviceMap).describe('Raw Incus devices.'),
    storage_volumes: nullable(z.record(z.string(), StorageVolume)).describe(
      'Custom volumes of the domain project, attached at path.',
    ),
    boot_autostart: z.boolean().optional().describe('boot.autostart'),
    boot_priority: z.number().int().min(0).max(100).optional().describe('boot.autostart.priority (0-100).'),
    snapshots_schedule: Cron.optional().describe('snapshots.schedule: 5-field cron or @daily-style aliases.'),
    snapshots_expiry: Duration.optional().describe('snapshots.expiry: 30d, 24h, 60m (minutes), 2w.'),
    weight: z.number().int().min(1).optional().describe('Share in global.resource_policy (default 1).'),
    cloud_init: CloudInit.optional().describe(
      'cloud-init user_data, vendor_data, network_config (maps become #cloud-config YAML).',
    ),
    incus_socket: z.boolean().optional().describe('Proxy the host Incus socket into this machine (nesting).'),
    host_access: nullable(z.array(z.string())).describe(
      'Host access this machine is allowed: config keys (raw.lxc, raw.idmap, linux.kernel_modules…) and type:path device grants (disk:/etc, unix-block:/dev/sdb, proxy:/run/incus/unix.socket). Refused in untrusted and disposable domains.',
    ),
    roles: nullable(z.array(z.string())).describe('Ansible roles for the generated inventory.'),
    // Compatibility keys (AnKLuMe): written to the Ansible inventory only.
    services: z
      .unknown()
      .optional()
      .describe('AnKLuMe compatibility: inventory only, not acted on by apply.'),
    vars: nullable(z.record(z.string(), z.unknown())).describe(
      'AnKLuMe compatibility: host_vars, not acted on by apply.',
    ),
    export_apps: nullable(z.array(z.string())).describe('AnKLuMe compatibility: not acted on by apply.'),
    persistent_data: nullable(PersistentData).describe('AnKLuMe compatibility: not acted on by apply.'),
  })
  .meta({ description: 'A container (lxc) or virtual machine (vm).' })

export type RawMachine = z.output<typeof Machine>
