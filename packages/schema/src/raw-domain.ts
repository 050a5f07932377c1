/** zod schema of `domains.<name>` as written in the file. */
import { z } from 'zod'
import { NAME_RE } from './formats.js'
import { MAX_SUBNET_ID } from './layout.js'
import { Machine } from './raw-machine.js'
import {
  ConfigMap,
  checkedString,
  DeviceMap,
  nullable,
  Placement,
  Size,
  TrustLevel,
} from './raw-primitives.js'

export const Profile = z.strictObject({
  description: z.string().optional().describe('Project and bridge description.'),
  config: nullable(ConfigMap),
  devices: nullable(DeviceMap),
})

/** A count written as a number or a digit string. */
const Count = z.union(
  [
    z.number().int().min(0),
    checkedString('INVALID_LIMIT', (v) => (/^\d+$/.test(v) ? undefined : `"${v}" is not a whole number`)),
  ],
  {
    error: 'must be a whole number',
  },
)

export const Limits = z.strictObject({
  cpu: Count.optional(),
  memory: Size.optional(),
  disk: Size.optional(),
  instances: Count.optional(),
  processes: Count.optional(),
})

export const FilePortal = z.strictObject({
  allowed_paths: nullable(z.array(z.string())),
  read_only: z.boolean().optional(),
})

export const Domain = z
  .strictObject({
    description: z.string().optional().describe('Project and bridge description.'),
    subnet_id: z
      .number()
      .int()
      .min(0)
      .max(MAX_SUBNET_ID)
      .optional()
      .describe(
        `Third octet of the domain subnet (0-${MAX_SUBNET_ID}); required with base_subnet, optional with addressing.`,
      ),
    enabled: z.boolean().optional().describe('false: nothing is created; the subnet stays reserved.'),
    ephemeral: z
      .boolean()
      .optional()
      .describe('false (default) = instances are protected from deletion. Inherited by machines.'),
    placement: Placement.optional().describe(
      'Incus cluster only: the member (node2) or cluster group (@gpu) the machines of this domain run on (each machine may override it). Default: one member per domain, chosen from the domain name. Ignored on a single host.',
    ),
    trust_level: TrustLevel.optional().describe('Labels, colours and the addressing zone.'),
    profiles: nullable(z.record(z.string(), nullable(Profile))).describe(
      'Domain profiles (config and devices), created in the domain project.',
    ),
    limits: Limits.optional().describe('Project limits (limits.cpu, limits.memory, ...).'),
    restricted: z
      .boolean()
      .optional()
      .describe('Harden the project (restricted=true with just the allowances its machines need).'),
    nat: z.boolean().optional().describe('ipv4.nat of the bridge (default true).'),
    dns_zone: z
      .union([z.boolean(), z.string().min(1)], { error: 'must be true, false or a zone name' })
      .optional(),
    machines: nullable(
      z.record(z.string(), nullable(Machine)).meta({ propertyNames: { pattern: NAME_RE.source } }),
    ),
    // Compatibility keys (AnKLuMe): written to the Ansible inventory only.
    file_portal: FilePortal.optional().describe('AnKLuMe compatibility: not acted on by apply.'),
    ai_provider: z
      .enum(['local', 'cloud', 'local-first'])
      .optional()
      .describe('AnKLuMe compatibility: not acted on by apply.'),
    ai_sanitize: z
      .union([z.boolean(), z.literal('always')], { error: 'must be true, false or "always"' })
      .optional(),
  })
  .meta({ description: 'A domain: one Incus project and one bridge net-<name>.' })

export type RawDomain = z.output<typeof Domain>
