/** zod schema of `domains.<d>.machines.<name>` as written in the file. */
import { z } from 'zod'
import { AbsPath, ConfigMap, Cron, DeviceMap, Duration, Ipv4, nullable, Pci, Size } from './raw-primitives.js'

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
    description: z.string().optional(),
    type: z.enum(['lxc', 'vm']).optional().meta({ default: 'lxc' }),
    os_image: z.string().min(1).optional(),
    ip: Ipv4.optional(),
    ephemeral: z.boolean().optional(),
    gpu: z.boolean().optional(),
    gpu_pci: Pci.optional(),
    profiles: nullable(z.array(z.string())),
    config: nullable(ConfigMap),
    devices: nullable(DeviceMap),
    storage_volumes: nullable(z.record(z.string(), StorageVolume)),
    boot_autostart: z.boolean().optional(),
    boot_priority: z.number().int().min(0).max(100).optional(),
    snapshots_schedule: Cron.optional(),
    snapshots_expiry: Duration.optional(),
    weight: z.number().int().min(1).optional(),
    cloud_init: CloudInit.optional(),
    incus_socket: z.boolean().optional(),
    roles: nullable(z.array(z.string())),
    // Compatibility keys (AnKLuMe): written to the Ansible inventory only.
    services: z.unknown().optional(),
    vars: nullable(z.record(z.string(), z.unknown())),
    export_apps: nullable(z.array(z.string())),
    persistent_data: nullable(PersistentData),
  })
  .meta({ description: 'A container (lxc) or virtual machine (vm).' })

export type RawMachine = z.output<typeof Machine>
