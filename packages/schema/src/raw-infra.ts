/** zod schema of a whole infra file (top level, `global`, `network_policies`). */
import { z } from 'zod'
import { NAME_RE, NFT_TABLE_RE, NFT_TABLE_RULE } from './formats.js'
import { BRIDGE_PREFIX, MAX_BRIDGE_NAME } from './naming.js'
import { Domain } from './raw-domain.js'
import { AbsPath, BaseSubnet, nullable, Reserve } from './raw-primitives.js'
import { RESERVED_DOMAIN_NAMES } from './rules-domains.js'

/**
 * What `validate` asks of a domain name, for editors: the name pattern, room
 * for the bridge `net-<domain>` in Linux's 15 characters, and not a reserved
 * name. (With `global.nesting_prefix: true` the JSON Schema asks 4 fewer,
 * see json-schema.ts.)
 */
export const DOMAIN_NAME_SCHEMA = {
  pattern: NAME_RE.source,
  maxLength: MAX_BRIDGE_NAME - BRIDGE_PREFIX.length,
  not: { enum: [...RESERVED_DOMAIN_NAMES] },
}

export const Addressing = z.strictObject({
  base_octet: z
    .literal(10, { error: 'must be 10 (addressing mode uses 10.0.0.0/8)' })
    .optional()
    .meta({ default: 10 }),
  zone_base: z.number().int().min(0).max(245).optional().meta({ default: 100 }),
  zone_step: z.number().int().min(1).max(255).optional().meta({ default: 10 }),
})

export const HostReserve = z.strictObject({
  cpu: Reserve('cpu').optional().meta({ default: '20%' }),
  memory: Reserve('memory').optional().meta({ default: '20%' }),
})

export const ResourcePolicyMap = z.strictObject({
  host_reserve: HostReserve.optional(),
  mode: z.enum(['proportional', 'equal']).optional().meta({ default: 'proportional' }),
  cpu_mode: z.enum(['allowance', 'count']).optional().meta({ default: 'allowance' }),
  memory_enforce: z.enum(['soft', 'hard']).optional().meta({ default: 'soft' }),
  overcommit: z.boolean().optional(),
})

export const Isolation = z.strictObject({
  table: z
    .string()
    .regex(NFT_TABLE_RE, { error: `must be ${NFT_TABLE_RULE}` })
    .optional()
    .describe('nftables table (family inet); default anklume_<project_name>, one per infra'),
  egress: z.boolean().optional().meta({ default: true }),
  network_acls: z.boolean().optional().meta({ default: false }),
})

export const Global = z.strictObject({
  base_subnet: BaseSubnet.optional()
    .meta({ default: '10.100' })
    .describe('Private "A.B": domain subnets are A.B.<subnet_id>.0/24.'),
  addressing: Addressing.optional().describe(
    'Alternative to base_subnet: subnets by trust level (10.<zone_base + offset>.<seq>.0/24).',
  ),
  default_os_image: z
    .string()
    .min(1)
    .optional()
    .meta({ default: 'images:debian/13' })
    .describe('Image of machines without os_image.'),
  default_connection: z
    .string()
    .optional()
    .describe('Informational inventory var (psot_default_connection).'),
  default_user: z.string().optional().describe('Informational inventory var (psot_default_user).'),
  storage_pool: z
    .string()
    .min(1)
    .optional()
    .meta({ default: 'default' })
    .describe('Pool for root disks and volumes.'),
  nesting_prefix: z.boolean().optional().describe('Prefix every Incus name with NNN- (nesting level).'),
  resource_policy: z
    .union([z.boolean(), ResourcePolicyMap.nullable()], { error: 'must be true or a map' })
    .optional(),
  gpu_policy: z
    .enum(['exclusive', 'shared'])
    .optional()
    .meta({ default: 'exclusive' })
    .describe('exclusive: at most one GPU machine; shared: several (warning).'),
  firewall_mode: z
    .enum(['host', 'vm'])
    .optional()
    .meta({ default: 'host' })
    .describe('host (nftables on the host) or vm (adds a sys-firewall VM to the anklume domain).'),
  ai_access_policy: z
    .enum(['exclusive', 'open'])
    .optional()
    .meta({ default: 'open' })
    .describe('exclusive: only ai_access_default reaches the ai-tools domain.'),
  ai_access_default: z
    .string()
    .optional()
    .describe('Domain allowed to reach ai-tools with ai_access_policy exclusive.'),
  ai_vram_flush: z.boolean().optional().describe('Accepted for compatibility.'),
  isolation: Isolation.optional().describe('nftables table name, egress, network_acls.'),
})

const Port = z.number().int().min(1).max(65535)

export const NetworkPolicy = z.strictObject({
  description: z.string().optional(),
  from: z.string().min(1).describe('A domain, a machine (with a static ip) or host.'),
  to: z.string().min(1).describe('A domain, a machine (with a static ip) or host.'),
  ports: z
    .union([z.literal('all'), z.array(Port).min(1)], { error: 'must be "all" or a list of ports (1–65535)' })
    .optional()
    .meta({ default: 'all' }),
  protocol: z
    .enum(['tcp', 'udp'])
    .optional()
    .describe('tcp (default) or udp; with ports: all and no protocol: every protocol.'),
  bidirectional: z.boolean().optional().describe('Also allow the mirrored traffic.'),
})

export const SharedVolume = z.strictObject({
  source: AbsPath.optional(),
  path: AbsPath.optional(),
  shift: z.boolean().optional(),
  propagate: z.boolean().optional(),
  consumers: z.record(z.string(), z.enum(['ro', 'rw'])),
})

export const Infra = z
  .strictObject({
    project_name: z.string().min(1).describe('Names the infrastructure; used in labels.'),
    schema_version: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ default: 1, maximum: 1 })
      .describe('Format version (1).'),
    global: Global.describe('Settings for the whole infrastructure.'),
    domains: z.record(z.string(), nullable(Domain)).nullable().meta({ propertyNames: DOMAIN_NAME_SCHEMA }),
    network_policies: nullable(z.array(NetworkPolicy)).describe('Exceptions to inter-domain isolation.'),
    // Compatibility key (AnKLuMe): written to the Ansible inventory only.
    shared_volumes: nullable(z.record(z.string(), SharedVolume)).describe(
      'AnKLuMe compatibility: not acted on by apply.',
    ),
  })
  .meta({ title: 'anklume infra file', description: 'Declarative Incus infrastructure (infra.yml).' })

export type RawInfra = z.output<typeof Infra>
export type RawGlobal = z.output<typeof Global>
export type RawPolicy = z.output<typeof NetworkPolicy>
