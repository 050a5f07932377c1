/** zod schema of `domains.<name>` as written in the file. */
import { z } from 'zod'
import { NAME_RE } from './formats.js'
import { Machine } from './raw-machine.js'
import { ConfigMap, DeviceMap, nullable, Scalar, TrustLevel } from './raw-primitives.js'

export const Profile = z.strictObject({
  description: z.string().optional(),
  config: nullable(ConfigMap),
  devices: nullable(DeviceMap),
})

export const Limits = z.strictObject({
  cpu: Scalar.optional(),
  memory: Scalar.optional(),
  disk: Scalar.optional(),
  instances: Scalar.optional(),
  processes: Scalar.optional(),
})

export const FilePortal = z.strictObject({
  allowed_paths: nullable(z.array(z.string())),
  read_only: z.boolean().optional(),
})

export const Domain = z
  .strictObject({
    description: z.string().optional(),
    subnet_id: z.number().int().min(0).max(254).optional(),
    enabled: z.boolean().optional(),
    ephemeral: z.boolean().optional(),
    trust_level: TrustLevel.optional(),
    profiles: nullable(z.record(z.string(), nullable(Profile))),
    limits: Limits.optional(),
    restricted: z.boolean().optional(),
    nat: z.boolean().optional(),
    dns_zone: z
      .union([z.boolean(), z.string().min(1)], { error: 'must be true, false or a zone name' })
      .optional(),
    machines: nullable(
      z.record(z.string(), nullable(Machine)).meta({ propertyNames: { pattern: NAME_RE.source } }),
    ),
    // Compatibility keys (AnKLuMe): written to the Ansible inventory only.
    file_portal: FilePortal.optional(),
    ai_provider: z.enum(['local', 'cloud', 'local-first']).optional(),
    ai_sanitize: z
      .union([z.boolean(), z.literal('always')], { error: 'must be true, false or "always"' })
      .optional(),
  })
  .meta({ description: 'A domain: one Incus project and one bridge net-<name>.' })

export type RawDomain = z.output<typeof Domain>
